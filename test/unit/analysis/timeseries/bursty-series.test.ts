import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_DETECTOR_OPTIONS,
  detectAnomalies,
  scoreOfSurprise,
} from '../../../../shared/analysis/timeseries/index.js';
import { chooseStabiliser } from '../../../../shared/analysis/timeseries/stabiliser.js';
import {
  burstyCounts,
  ROWS_PER_DAY,
  type Series,
  START,
  seededRandom,
  trafficSpeed,
} from '../../../helpers/synthetic-series.js';

const HOUR_ROWS = 12;
const DAY_MS = 86_400_000;
/** Alarms in the first two days are warm-up and not counted as false. */
const WARM_UP = 2 * ROWS_PER_DAY;
/** Day 21 (a Monday) at 10:00, busy hours on a weekday. */
const ANOMALY_AT = 21 * ROWS_PER_DAY + 10 * HOUR_ROWS;

const alarmsIn = (series: Series, from: number, to: number) =>
  detectAnomalies(series).alarms.filter((a) => a.index >= from && a.index < to);

/** Anomalies injected into five-minute event counts, each with the rows it must be caught within. */
const injected: [name: string, inject: (values: number[]) => void][] = [
  [
    'a level shift to 2.5× that lasts',
    (v) => {
      for (let i = ANOMALY_AT; i < v.length; i++) v[i] = Math.round((v[i] ?? 0) * 2.5);
    },
  ],
  [
    'a six-hour surge to 3×',
    (v) => {
      for (let i = ANOMALY_AT; i < ANOMALY_AT + 6 * HOUR_ROWS; i++) v[i] = Math.round((v[i] ?? 0) * 3);
    },
  ],
  [
    'a two-hour drop to zero',
    (v) => {
      for (let i = ANOMALY_AT; i < ANOMALY_AT + 2 * HOUR_ROWS; i++) v[i] = 0;
    },
  ],
];

describe('detectAnomalies on bursty event counts (daily and weekly cycles, heavy-tailed bursts)', () => {
  describe.each([1, 2, 3])('seed %i', (seed) => {
    it.each(injected)('catches %s within an hour, with few alarms in the three weeks before', (_, inject) => {
      // Prepare
      const series = burstyCounts(28, seed);
      inject(series.values);

      // Act
      const before = alarmsIn(series, WARM_UP, ANOMALY_AT);
      const caught = alarmsIn(series, ANOMALY_AT, ANOMALY_AT + HOUR_ROWS);

      // Assess: at most one false alarm every three days (the default level is p ≈ 1e-4 per row and view).
      expect(before.length).toBeLessThanOrEqual(6);
      expect(caught.length).toBeGreaterThanOrEqual(1);
    });
  });

  it.each([1, 2, 3])('raises at most 8 alarms in 26 days on an anomaly-free series (seed %i)', (seed) => {
    // Prepare: about twice a day a few rows burst (mostly under 3×, now and then over 10×).
    const series = burstyCounts(28, seed);

    // Act
    const alarms = alarmsIn(series, WARM_UP, series.values.length);

    // Assess
    expect(alarms.length).toBeLessThanOrEqual(8);
  });

  it('catches a sixfold one-row burst at night as well as at noon', () => {
    // Prepare: no random bursts; the same ×6 burst at 03:00 on day 20 and at 13:00 on day 24.
    const series = burstyCounts(28, 4, { burstsPerDay: 0 });
    const night = 20 * ROWS_PER_DAY + 3 * HOUR_ROWS;
    const noon = 24 * ROWS_PER_DAY + 13 * HOUR_ROWS;
    for (const at of [night, noon]) series.values[at] = Math.max(6, (series.values[at] ?? 0) * 6);

    // Act
    const { alarms } = detectAnomalies(series);

    // Assess
    expect(alarms.map((a) => a.index)).toEqual(expect.arrayContaining([night, noon]));
  });
});

describe('detectAnomalies on road-traffic speed (rush-hour dips, uneven sampling)', () => {
  it.each([1, 2, 3])(
    'learns the weekday rush hours and catches an off-peak collapse at once (seed %i)',
    (seed) => {
      // Prepare: on day 17 (a Thursday) speed collapses to ~13 mph from 11:00 for 45 minutes.
      const series = trafficSpeed(21, seed);
      const quiet = trafficSpeed(21, seed);
      const from = series.times.findIndex((t) => t >= START + 17 * DAY_MS + 11 * 3_600_000);
      const to = series.times.findIndex((t) => t >= START + 17 * DAY_MS + 11.75 * 3_600_000);
      for (let i = from; i < to; i++) series.values[i] = 12 + (i % 3);

      // Act
      const falseAlarms = alarmsIn(quiet, WARM_UP, quiet.values.length);
      const caught = alarmsIn(series, from, from + 3);

      // Assess: 38 weekday rush hours pass with at most 3 alarms.
      expect(falseAlarms.length).toBeLessThanOrEqual(3);
      expect(caught.length).toBe(1);
    },
  );
});

describe('chooseStabiliser', () => {
  const counts = (seed: number) => burstyCounts(1, seed).values;

  it('puts right-skewed counts on a log scale and keeps their order', () => {
    // Act
    const stabiliser = chooseStabiliser(counts(1));

    // Assess
    expect(stabiliser.name).toBe('log');
    const mapped = [-5, 0, 1, 10, 100, 10_000].map((x) => stabiliser.apply(x));
    expect(mapped.every(Number.isFinite)).toBe(true);
    expect([...mapped].sort((a, b) => a - b)).toEqual(mapped);
    // A tenfold burst moves a quiet and a busy level by a similar amount.
    expect(stabiliser.apply(10_000) - stabiliser.apply(1000)).toBeCloseTo(Math.log(10), 1);
  });

  it.each([
    [
      'a gauge with fractions (CPU %)',
      Array.from({ length: 240 }, (_, i) => 20 + 60 * (i % 48 < 6 ? 1 : 0) + 0.5),
    ],
    ['a series that goes below zero', counts(2).map((v) => v - 30)],
    ['a symmetric count (speed in mph)', trafficSpeed(1, 3).values],
    ['a series that is mostly zero', Array.from({ length: 240 }, (_, i) => (i % 40 === 0 ? 900 : 0))],
    ['too few values', [1, 50, 2]],
  ])('leaves %s on its own scale', (_, sample) => {
    // Act
    const stabiliser = chooseStabiliser(sample);

    // Assess
    expect(stabiliser.name).toBe('identity');
    expect(stabiliser.apply(42.5)).toBe(42.5);
  });

  it('ignores missing values when it decides', () => {
    // Prepare
    const random = seededRandom(5);
    const sample = counts(3).map((v) => (random() < 0.1 ? Number.NaN : v));

    // Act / Assess
    expect(chooseStabiliser(sample).name).toBe('log');
  });
});

describe('detectAnomalies on anomaly-free artificial series', () => {
  const rows = 14 * ROWS_PER_DAY;
  const times = Array.from({ length: rows }, (_, i) => START + i * 300_000);

  it.each([
    ['a noiseless daily wave', times.map((_, i) => 50 + 20 * Math.sin((2 * Math.PI * i) / ROWS_PER_DAY))],
    ['a perfect daily square wave', times.map((_, i) => (i % ROWS_PER_DAY < ROWS_PER_DAY / 2 ? 20 : 80))],
    ['a flat line', times.map(() => 42)],
  ])('raises nothing on %s, also where a new day or week first enters the comparison', (_, values) => {
    // Act
    const result = detectAnomalies({ values, times });

    // Assess: not even the detection level, where a benchmark's threshold would sit.
    expect(result.alarms).toEqual([]);
    expect(Math.max(...result.scores)).toBeLessThan(
      scoreOfSurprise(DEFAULT_DETECTOR_OPTIONS.detectionSurprise),
    );
  });
});
