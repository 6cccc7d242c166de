import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  categoryOf,
  type LabelledSeries,
  leaveOneGroupOut,
  loadNabData,
  loadReferenceScores,
  NAB_FULL_CORPUS_WINDOWS,
  NAB_PROFILES,
  normalise,
  optimiseThreshold,
  PROFILE_NAMES,
  type ProfileName,
  probationLength,
  scaledSigmoid,
  scoreByGroup,
  scoreCorpus,
  scoreSeries,
} from '../../../../bench/nab-scoring.js';

const MINUTE = 60_000;
const STANDARD = NAB_PROFILES.standard;

/** 1000 rows a minute apart (probation: the first 150), one window over rows 500–599. */
function series(
  detections: readonly number[],
  windows: readonly [number, number][] = [[500, 599]],
): LabelledSeries {
  const times = Array.from({ length: 1000 }, (_, i) => i * MINUTE);
  const scores = times.map((_, i) => (detections.includes(i) ? 1 : 0));
  return { name: 'synthetic.csv', times, scores, windows: windows.map(([a, b]) => [a * MINUTE, b * MINUTE]) };
}

describe('NAB scoring rules', () => {
  it('rewards a detection on the first row of a window with the full tpWeight', () => {
    // Act
    const result = scoreSeries(series([500]), STANDARD, 0.5);

    // Assess
    expect(result.raw).toBeCloseTo(1, 10);
    expect(result.detectedWindows).toBe(1);
  });

  it('rewards an early detection in a window more than a late one', () => {
    // Act
    const early = scoreSeries(series([520]), STANDARD, 0.5).raw;
    const middle = scoreSeries(series([550]), STANDARD, 0.5).raw;
    const late = scoreSeries(series([595]), STANDARD, 0.5).raw;

    // Assess
    expect(early).toBeGreaterThan(middle);
    expect(middle).toBeGreaterThan(late);
    expect(late).toBeGreaterThan(0);
    expect(middle).toBeCloseTo(scaledSigmoid(-0.5) / scaledSigmoid(-1), 2);
  });

  it('counts only the earliest detection in a window', () => {
    // Act
    const once = scoreSeries(series([520]), STANDARD, 0.5).raw;
    const thrice = scoreSeries(series([520, 530, 590]), STANDARD, 0.5).raw;

    // Assess
    expect(thrice).toBe(once);
  });

  it('charges a missed window the fnWeight of the profile', () => {
    // Act
    const standard = scoreSeries(series([]), STANDARD, 0.5);
    const lowFn = scoreSeries(series([]), NAB_PROFILES.reward_low_FN_rate, 0.5);

    // Assess
    expect(standard.raw).toBe(-1);
    expect(lowFn.raw).toBe(-2);
  });

  it('charges a false positive the full fpWeight before any window and less right after one', () => {
    // Prepare
    const missed = -1;

    // Act
    const beforeWindow = scoreSeries(series([300]), STANDARD, 0.5).raw - missed;
    const justAfter = scoreSeries(series([601]), STANDARD, 0.5).raw - missed;
    const farAfter = scoreSeries(series([990]), STANDARD, 0.5).raw - missed;

    // Assess
    expect(beforeWindow).toBeCloseTo(-STANDARD.fpWeight, 10);
    expect(justAfter).toBeLessThan(0);
    expect(justAfter).toBeGreaterThan(-0.01);
    expect(farAfter).toBeCloseTo(-STANDARD.fpWeight, 10);
  });

  it('ignores detections in the probationary period', () => {
    // Act
    const result = scoreSeries(series([10, 100]), STANDARD, 0.5);

    // Assess
    expect(probationLength(1000)).toBe(150);
    expect(probationLength(100_000)).toBe(750);
    expect(result.falsePositives).toBe(0);
    expect(result.raw).toBe(-1);
  });

  it('optimises one threshold over the corpus and normalises null to 0 and perfect to 100', () => {
    // Prepare: the anomaly scores 0.9, a false alarm 0.8 elsewhere; only 0.9 is worth detecting.
    const corpus: LabelledSeries[] = [
      { ...series([]), scores: series([]).scores.map((_, i) => (i === 500 ? 0.9 : i === 300 ? 0.8 : 0.1)) },
    ];

    // Act
    const choice = optimiseThreshold(corpus, STANDARD);
    const result = scoreCorpus(corpus, 'standard');

    // Assess
    expect(choice.threshold).toBe(0.9);
    expect(result.raw).toBeCloseTo(1, 10);
    expect(result.score).toBeCloseTo(100, 10);
    expect(normalise(-1, 1, STANDARD)).toBe(0);
    expect(normalise(-3, 3, STANDARD, 5)).toBeCloseTo(25, 10);
  });
});

describe('leave-one-category-out', () => {
  /** One window at rows 500–599 scored `hit`, and `falseAlarm` at row 300 when given. */
  function scored(name: string, hit: number, falseAlarm?: number): LabelledSeries {
    const base = series([]);
    const scores = base.scores.map((_, i) => (i === 500 ? hit : i === 300 && falseAlarm ? falseAlarm : 0.1));
    return { ...base, name, scores };
  }

  it('scores each category at the threshold chosen on the others, not on itself', () => {
    // Prepare: alone, category a wants 0.9 (above its false alarm) and b wants 0.7.
    const corpus = [scored('a/one.csv', 0.9, 0.8), scored('b/one.csv', 0.7)];

    // Act
    const loo = leaveOneGroupOut(corpus, categoryOf, 'standard');

    // Assess: a at b's 0.7 pays for its false alarm; b at a's 0.9 misses its window.
    expect(loo.groups.map((g) => [g.group, g.threshold])).toEqual([
      ['a', 0.7],
      ['b', 0.9],
    ]);
    expect(loo.groups[0]?.raw).toBeCloseTo(1 - STANDARD.fpWeight, 10);
    expect(loo.groups[0]?.falsePositives).toBe(1);
    expect(loo.groups[1]?.raw).toBeCloseTo(-1, 10);
    expect(loo.groups[1]?.score).toBeCloseTo(0, 10);
    expect(loo.score).toBeCloseTo(normalise(-STANDARD.fpWeight, 2, STANDARD), 10);
  });

  it('splits an in-sample result by category at the corpus threshold', () => {
    // Prepare
    const corpus = [scored('a/one.csv', 0.9, 0.8), scored('b/one.csv', 0.7)];

    // Act
    const groups = scoreByGroup(scoreCorpus(corpus, 'standard'), categoryOf);

    // Assess: the corpus threshold (0.7) catches both windows and a's false alarm.
    expect(groups.map((g) => [g.group, g.threshold, g.falsePositives])).toEqual([
      ['a', 0.7, 1],
      ['b', 0.7, 0],
    ]);
    expect(groups[1]?.score).toBeCloseTo(100, 10);
  });

  it('reads the category from the data path', () => {
    expect(categoryOf('realKnownCause/nyc_taxi.csv')).toBe('realKnownCause');
    expect(categoryOf('nyc_taxi.csv')).toBe('');
  });
});

const benchDir = process.env.BENCH_DIR ?? '../shared/bench';
const haveBench = existsSync(join(benchDir, 'nab', 'reference-results'));
if (!haveBench) process.stderr.write(`NAB reference check skipped: no ${benchDir}/nab (set BENCH_DIR)\n`);

const PUBLISHED: Record<string, Record<ProfileName, number>> = {
  windowedGaussian: { standard: 47.08, reward_low_FP_rate: 36.44, reward_low_FN_rate: 55.85 },
  numenta: { standard: 76.8, reward_low_FP_rate: 72.24, reward_low_FN_rate: 81.42 },
};

(haveBench ? describe : describe.skip)('NAB scorer on the published reference results', () => {
  it.each(Object.keys(PUBLISHED))('reproduces the official scores of %s within 0.1', async (detector) => {
    // Prepare
    const files = await loadNabData(benchDir);
    const corpus = await loadReferenceScores(benchDir, detector, files);

    // Act
    const scores = PROFILE_NAMES.map(
      (p) => scoreCorpus(corpus, p, { nullWindows: NAB_FULL_CORPUS_WINDOWS }).score,
    );

    // Assess
    expect(files).toHaveLength(36);
    PROFILE_NAMES.forEach((p, i) => {
      expect(Math.abs((scores[i] ?? 0) - (PUBLISHED[detector]?.[p] ?? 0))).toBeLessThan(0.1);
    });
  });
});
