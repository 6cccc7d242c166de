/**
 * The online anomaly detector for metric series: one configuration for every
 * series, causal (the score of a row depends on that row and earlier ones
 * only), no I/O.
 *
 * Each row is read by a few simple views of "normal", each a robust score:
 * - point: how far the value is from every explanation at hand — the recent
 *   level, and the nearest value at the same time on previous days and weeks.
 *   Only a value that none of them explains is surprising.
 * - seasonal nearest: how unlike every previous day and week at this time. One
 *   view, not one per cycle: a value that last week explains is not surprising
 *   because yesterday does not, and every extra view is one more chance for an
 *   ordinary row to look rare (the false-alarm rate grows with the views).
 * - sustained level / daily / weekly: a shift that lasts (mean of signed
 *   z-scores over about an hour of rows), too small to see on one row.
 * Every view is calibrated against its own history on this series
 * (TailCalibrator: −log10 of its tail probability), the most surprising view
 * wins. A row past the detection level damps the scores of the rows after it
 * (refractory period), so whoever thresholds the scores sees one incident as
 * one detection; alarms, at a stricter level, are likewise one per incident.
 * Two levels because they serve two readers: a benchmark or a dashboard that
 * picks its own threshold on the scores, and a person paged by an alarm, for
 * whom one false alarm a day on a busy series is too many.
 */
import { LevelDeviation } from './detectors/level.js';
import { ScaleFloor } from './detectors/scale.js';
import { SeasonalDeviation, SlotMemory } from './detectors/seasonal.js';
import { SustainedDeviation } from './detectors/sustained.js';
import { DAY_MS, SampleClock } from './sampling.js';
import { chooseStabiliser, IDENTITY, type Stabiliser } from './stabiliser.js';
import { DEFAULT_TAIL_CALIBRATOR, TailCalibrator, type TailCalibratorOptions } from './tail-calibrator.js';

export const CHANNELS = [
  'point',
  'seasonalNearest',
  'sustainedLevel',
  'sustainedDaily',
  'sustainedWeekly',
] as const;
export type Channel = (typeof CHANNELS)[number];

export interface DetectorOptions {
  /** Rows in the rolling window that defines the recent level. */
  readonly levelWindow: number;
  /** Lower bound of every robust scale, as a share of the long-run spread. */
  readonly scaleFloorShare: number;
  readonly calibration: TailCalibratorOptions;
  /**
   * Calibrated surprise (−log10 p) at which a row counts as a detection: the
   * scores of the rows after it are damped, so one incident is one detection
   * for whoever thresholds the scores.
   */
  readonly detectionSurprise: number;
  /**
   * Calibrated surprise (−log10 p) at which a row raises an alarm. Every view
   * is calibrated, so this is a false-alarm rate per row and view: 4 is about
   * one ordinary row in 10,000 (a few alarms a month on five-minute data),
   * whatever the series' scale, noise or burstiness.
   */
  readonly alarmSurprise: number;
  /** Rows after a detection whose scores are damped, and after an alarm without another. */
  readonly refractoryRows: number;
  /** What damped scores are multiplied by. */
  readonly refractoryFactor: number;
  /** Previous days and weeks compared with: the last three cycles of each. */
  readonly dailyCycles: number;
  readonly weeklyCycles: number;
}

export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = {
  levelWindow: 288,
  scaleFloorShare: 0.05,
  calibration: DEFAULT_TAIL_CALIBRATOR,
  detectionSurprise: 3,
  alarmSurprise: 4,
  refractoryRows: 30,
  refractoryFactor: 0.1,
  dailyCycles: 3,
  weeklyCycles: 3,
};

/** Surprise at which the score is 0.5; the mapping m / (m + SCORE_HALF) keeps scores in [0, 1). */
const SCORE_HALF = 4;
/** Cycles longer than this many slots are not remembered (sub-second data over weeks). */
const MAX_PERIOD_SLOTS = 50_000;
/** Sustained views average about an hour of rows (a day / 24), and never fewer than this. */
const MIN_SUSTAINED_ROWS = 4;
const SUSTAINED_ROWS_WITHOUT_TIME = 12;
/**
 * Rows read before anything is scored: enough to choose the stabiliser and to
 * learn the sampling interval. The calibrators need about as many statistics
 * before they report any surprise, so little is lost.
 */
const LEARNING_ROWS = 240;
const QUIET: DetectorStep = { score: 0, surprise: 0, alarm: false, channel: undefined };

/** The smaller of two distances, either of which may be unknown (NaN). */
function nearestOf(a: number, b: number): number {
  if (Number.isNaN(a)) return b;
  return Number.isNaN(b) ? a : Math.min(a, b);
}

export function scoreOfSurprise(surprise: number): number {
  return surprise > 0 ? surprise / (surprise + SCORE_HALF) : 0;
}

/** The score at and above which the default detector raises an alarm. */
export const ALARM_SCORE = scoreOfSurprise(DEFAULT_DETECTOR_OPTIONS.alarmSurprise);

export interface DetectorStep {
  /** Anomaly score in [0, 1). */
  readonly score: number;
  /** Calibrated surprise of the most surprising view, −log10 p. */
  readonly surprise: number;
  /** True on the row that raises an alarm (never within refractoryRows of the previous alarm). */
  readonly alarm: boolean;
  /** The view that found the row most surprising, when any did. */
  readonly channel: Channel | undefined;
}

export interface StreamingDetector {
  /** Scores one row; `time` in epoch ms (omit or NaN when unknown: seasonality is then not used). */
  update(value: number, time?: number): DetectorStep;
}

interface Seasonality {
  readonly memory: SlotMemory;
  readonly daily: SeasonalDeviation;
  readonly weekly: SeasonalDeviation | undefined;
}

class Detector implements StreamingDetector {
  readonly #options: DetectorOptions;
  readonly #clock = new SampleClock();
  readonly #floor: ScaleFloor;
  readonly #level: LevelDeviation;
  readonly #calibrators = new Map<Channel, TailCalibrator>();
  /**
   * The first rows, held until the stabiliser is chosen from them and then
   * replayed through every view (their scores were already reported as 0).
   */
  #learning: { value: number; time: number }[] | undefined = [];
  #stabiliser: Stabiliser = IDENTITY;
  #seasonality: Seasonality | undefined;
  #sustained:
    | { level: SustainedDeviation; daily: SustainedDeviation; weekly: SustainedDeviation }
    | undefined;
  #rows = 0;
  /** Rows left whose scores are damped. */
  #dampedLeft = 0;
  /** Rows left before another alarm may be raised. */
  #quietLeft = 0;

  constructor(options: DetectorOptions) {
    this.#options = options;
    this.#floor = new ScaleFloor(options.levelWindow * 8, options.scaleFloorShare);
    this.#level = new LevelDeviation(options.levelWindow, this.#floor);
    for (const channel of CHANNELS) this.#calibrators.set(channel, new TailCalibrator(options.calibration));
  }

  update(value: number, time = Number.NaN): DetectorStep {
    this.#rows++;
    this.#clock.observe(time);
    if (this.#learning) {
      this.#learning.push({ value, time });
      if (this.#learning.length < LEARNING_ROWS) return QUIET;
      const learnt = this.#learning;
      this.#learning = undefined;
      this.#stabiliser = chooseStabiliser(learnt.map((row) => row.value));
      for (const row of learnt.slice(0, -1)) this.#surprise(row.value, row.time);
    }
    const { surprise, channel } = this.#surprise(value, time);
    const o = this.#options;
    let score = scoreOfSurprise(surprise);
    if (this.#dampedLeft > 0) {
      this.#dampedLeft--;
      score *= o.refractoryFactor;
    } else if (surprise >= o.detectionSurprise) this.#dampedLeft = o.refractoryRows - 1;
    let alarm = false;
    if (this.#quietLeft > 0) this.#quietLeft--;
    else if (surprise >= o.alarmSurprise) {
      alarm = true;
      this.#quietLeft = o.refractoryRows - 1;
    }
    return { score, surprise, alarm, channel };
  }

  /** The calibrated surprise of one row and the view it came from. */
  #surprise(value: number, time: number): { surprise: number; channel: Channel | undefined } {
    this.#prepare();
    const raw = Number.isFinite(value) ? this.#read(this.#stabiliser.apply(value), time) : undefined;
    let surprise = 0;
    let channel: Channel | undefined;
    if (raw) {
      for (const name of CHANNELS) {
        const s = this.#calibrators.get(name)?.update(raw[name]) ?? 0;
        if (s > surprise) {
          surprise = s;
          channel = name;
        }
      }
    }
    return { surprise, channel };
  }

  /** Builds the time-dependent views once the sampling interval is known. */
  #prepare(): void {
    if (this.#sustained) return;
    const interval = this.#clock.interval;
    // Without usable times (none, or never increasing) seasonality is given up.
    const timeless = Number.isNaN(interval) && this.#rows >= LEARNING_ROWS;
    if (Number.isNaN(interval) && !timeless) return;
    const perDay = timeless ? Number.NaN : this.#clock.slotsPer(DAY_MS);
    const length = Number.isNaN(perDay)
      ? SUSTAINED_ROWS_WITHOUT_TIME
      : Math.max(MIN_SUSTAINED_ROWS, Math.round(perDay / 24));
    this.#sustained = {
      level: new SustainedDeviation(length),
      daily: new SustainedDeviation(length),
      weekly: new SustainedDeviation(length),
    };
    if (perDay >= 6 && perDay <= MAX_PERIOD_SLOTS) {
      const o = this.#options;
      const residualWindow = o.levelWindow * 2;
      const daily = new SeasonalDeviation(perDay, o.dailyCycles, residualWindow, this.#floor);
      const weekly =
        perDay * 7 <= MAX_PERIOD_SLOTS
          ? new SeasonalDeviation(perDay * 7, o.weeklyCycles, residualWindow, this.#floor)
          : undefined;
      const memory = new SlotMemory(Math.max(daily.horizon, weekly?.horizon ?? 0) + 1);
      this.#seasonality = { memory, daily, weekly };
    }
  }

  #read(x: number, time: number): Record<Channel, number> {
    const z = this.#level.update(x);
    let daily = { z: Number.NaN, nearest: Number.NaN };
    let weekly = daily;
    const slot = this.#clock.slot(time);
    if (this.#seasonality && !Number.isNaN(slot)) {
      const { memory } = this.#seasonality;
      daily = this.#seasonality.daily.update(slot, x, memory);
      weekly = this.#seasonality.weekly?.update(slot, x, memory) ?? weekly;
      memory.set(slot, x);
    }
    this.#floor.observe(x);
    const seasonalNearest = nearestOf(daily.nearest, weekly.nearest);
    return {
      point: nearestOf(Math.abs(z), seasonalNearest),
      seasonalNearest,
      sustainedLevel: this.#sustained?.level.update(z) ?? Number.NaN,
      sustainedDaily: this.#sustained?.daily.update(daily.z) ?? Number.NaN,
      sustainedWeekly: this.#sustained?.weekly.update(weekly.z) ?? Number.NaN,
    };
  }
}

export function createDetector(options: Partial<DetectorOptions> = {}): StreamingDetector {
  return new Detector({ ...DEFAULT_DETECTOR_OPTIONS, ...options });
}

export interface SeriesInput {
  readonly values: readonly number[];
  /** Epoch ms per value; without them seasonality is not used. */
  readonly times?: readonly number[];
}

export interface Alarm {
  readonly index: number;
  readonly score: number;
  readonly channel: Channel | undefined;
}

export interface DetectionResult {
  /** One anomaly score in [0, 1) per input row. */
  readonly scores: number[];
  /**
   * Rows that raised an alarm (surprise ≥ alarmSurprise, refractoryRows after
   * the previous alarm); their score is the undamped one, ≥ alarmScore.
   */
  readonly alarms: Alarm[];
  /** The score an alarm starts at with these options. */
  readonly alarmScore: number;
}

/** Runs the streaming detector over a whole series (row t still sees rows ≤ t only). */
export function detectAnomalies(
  series: SeriesInput,
  options: Partial<DetectorOptions> = {},
): DetectionResult {
  const detector = createDetector(options);
  const scores: number[] = [];
  const alarms: Alarm[] = [];
  for (let i = 0; i < series.values.length; i++) {
    const step = detector.update(series.values[i] ?? Number.NaN, series.times?.[i] ?? Number.NaN);
    scores.push(step.score);
    if (step.alarm) alarms.push({ index: i, score: scoreOfSurprise(step.surprise), channel: step.channel });
  }
  const alarmSurprise = options.alarmSurprise ?? DEFAULT_DETECTOR_OPTIONS.alarmSurprise;
  return { scores, alarms, alarmScore: scoreOfSurprise(alarmSurprise) };
}
