import { describe, expect, it } from '@jest/globals';
import {
  ALARM_SCORE,
  createDetector,
  DEFAULT_DETECTOR_OPTIONS,
  detectAnomalies,
} from '../../../../shared/analysis/timeseries/index.js';

const FIVE_MINUTES = 300_000;
const PER_DAY = 288;
const START = Date.UTC(2024, 0, 1);

/** A deterministic pseudo-random stream (the tests must not flake). */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648 - 0.5;
  };
}

/** Five-minute CPU-like series: a daily wave plus noise. */
function dailySeries(days: number, seed = 7): { values: number[]; times: number[] } {
  const rand = noise(seed);
  const times = Array.from({ length: days * PER_DAY }, (_, i) => START + i * FIVE_MINUTES);
  const values = times.map((_, i) => 50 + 20 * Math.sin((2 * Math.PI * i) / PER_DAY) + 2 * rand());
  return { values, times };
}

const alarmsIn = (alarms: readonly { index: number }[], from: number, to: number) =>
  alarms.filter((a) => a.index >= from && a.index <= to);

describe('detectAnomalies', () => {
  it('raises an alarm on a spike and scores it far above the normal rows', () => {
    // Prepare
    const series = dailySeries(6);
    const at = 5 * PER_DAY + 100;
    series.values[at] = 150;

    // Act
    const result = detectAnomalies(series);

    // Assess
    expect(alarmsIn(result.alarms, at, at)).toHaveLength(1);
    expect(result.scores[at]).toBeGreaterThan(0.6);
    const quiet = result.scores.slice(4 * PER_DAY, at);
    expect(Math.max(...quiet)).toBeLessThan(result.scores[at] ?? 0);
  });

  it('raises one alarm within an hour of a level shift, not one per row', () => {
    // Prepare
    const series = dailySeries(6);
    const at = 5 * PER_DAY;
    for (let i = at; i < series.values.length; i++) series.values[i] = (series.values[i] ?? 0) + 60;

    // Act
    const result = detectAnomalies(series);

    // Assess
    expect(alarmsIn(result.alarms, at, at + 12).length).toBe(1);
    expect(alarmsIn(result.alarms, at + 1, at + DEFAULT_DETECTOR_OPTIONS.refractoryRows - 1)).toHaveLength(0);
  });

  it('learns a daily pattern: normal days stay quiet, a day that loses its shape is flagged', () => {
    // Prepare: the sixth day goes flat at the daily mean, inside the usual range.
    const series = dailySeries(7);
    const flatFrom = 5 * PER_DAY + 60;
    for (let i = flatFrom; i < 6 * PER_DAY; i++) series.values[i] = 50;

    // Act
    const result = detectAnomalies(series);

    // Assess
    expect(alarmsIn(result.alarms, 3 * PER_DAY, flatFrom - 1).length).toBeLessThanOrEqual(1);
    expect(alarmsIn(result.alarms, flatFrom, 6 * PER_DAY).length).toBeGreaterThanOrEqual(1);
  });

  it('keeps the cycle aligned across missing rows and scores missing values 0', () => {
    // Prepare: drop two hours of rows and blank a few values.
    const full = dailySeries(6);
    const keep = full.times.map((_, i) => i < 3 * PER_DAY || i >= 3 * PER_DAY + 24);
    const times = full.times.filter((_, i) => keep[i]);
    const values = full.values.filter((_, i) => keep[i]);
    for (const i of [900, 901, 1200]) values[i] = Number.NaN;

    // Act
    const result = detectAnomalies({ values, times });

    // Assess
    expect(result.scores).toHaveLength(values.length);
    expect(result.scores.every((s) => s >= 0 && s < 1)).toBe(true);
    expect([900, 901, 1200].map((i) => result.scores[i])).toEqual([0, 0, 0]);
    expect(alarmsIn(result.alarms, 3 * PER_DAY, 3 * PER_DAY + 12)).toHaveLength(0);
  });

  it('stays at 0 on a constant series and alarms when it finally moves', () => {
    // Prepare
    const values = Array.from({ length: 1500 }, (_, i) => (i < 1400 ? 42 : 43));

    // Act
    const result = detectAnomalies({ values });

    // Assess
    expect(Math.max(...result.scores.slice(0, 1400))).toBe(0);
    expect(result.alarms.map((a) => a.index)).toContain(1400);
  });

  it('accepts NaN and infinities anywhere without poisoning later scores', () => {
    // Prepare
    const series = dailySeries(4);
    series.values[300] = Number.NaN;
    series.values[301] = Number.POSITIVE_INFINITY;

    // Act
    const result = detectAnomalies(series);

    // Assess
    expect(result.scores.every(Number.isFinite)).toBe(true);
    expect(result.scores[301]).toBe(0);
  });

  it('is causal: the score of row t does not change when rows after t change', () => {
    // Prepare
    const series = dailySeries(5);
    const cut = 4 * PER_DAY;
    const altered = { times: series.times, values: series.values.map((v, i) => (i > cut ? v * 3 + 100 : v)) };

    // Act
    const original = detectAnomalies(series).scores;
    const changed = detectAnomalies(altered).scores;

    // Assess
    expect(changed.slice(0, cut + 1)).toEqual(original.slice(0, cut + 1));
    expect(changed.slice(cut + 1)).not.toEqual(original.slice(cut + 1));
  });

  it('gives the same scores streamed row by row as in one batch', () => {
    // Prepare
    const series = dailySeries(3);
    const detector = createDetector();

    // Act
    const streamed = series.values.map((v, i) => detector.update(v, series.times[i]).score);

    // Assess
    expect(streamed).toEqual(detectAnomalies(series).scores);
  });

  it('reports the alarm level its scores are thresholded at', () => {
    // Act
    const result = detectAnomalies(dailySeries(1));

    // Assess
    expect(result.alarmScore).toBeCloseTo(ALARM_SCORE, 12);
    expect(ALARM_SCORE).toBeGreaterThan(0);
    expect(ALARM_SCORE).toBeLessThan(1);
  });
});
