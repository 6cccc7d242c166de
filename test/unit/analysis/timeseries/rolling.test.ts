import { describe, expect, it } from '@jest/globals';
import { RollingMean, RollingSorted } from '../../../../shared/analysis/timeseries/rolling.js';
import { TailCalibrator } from '../../../../shared/analysis/timeseries/tail-calibrator.js';

describe('RollingSorted', () => {
  it('keeps the last values only and answers quantiles, ranks and maxima', () => {
    // Prepare
    const window = new RollingSorted(5);

    // Act
    for (const x of [9, 1, 5, 3, 7, 2, Number.NaN, 8]) window.push(x);

    // Assess: 9 and 1 have left, NaN was never stored.
    expect(window.size).toBe(5);
    expect(window.quantile(0)).toBe(2);
    expect(window.quantile(0.5)).toBe(5);
    expect(window.quantile(1)).toBe(8);
    expect(window.countAtLeast(5)).toBe(3);
    expect(window.largest(2)).toBe(7);
    expect(window.sumLargest(2)).toBe(15);
  });
});

describe('RollingMean', () => {
  it('averages the last values and says when it is full', () => {
    // Prepare
    const mean = new RollingMean(3);

    // Act
    const means = [3, 6, 9, 12].map((x) => mean.push(x));

    // Assess
    expect(means).toEqual([3, 4.5, 6, 9]);
    expect(mean.full).toBe(true);
  });
});

describe('TailCalibrator', () => {
  it('says nothing until it has history, then grows with rarity and beyond the maximum', () => {
    // Prepare
    const calibrator = new TailCalibrator({ minHistory: 100, history: 1000, tailFraction: 0.05 });
    const early = calibrator.update(100);
    for (let i = 0; i < 999; i++) calibrator.update(i % 100);

    // Act
    const typical = calibrator.surprise(50);
    const rare = calibrator.surprise(98);
    const beyond = calibrator.surprise(150);
    const farBeyond = calibrator.surprise(300);

    // Assess
    expect(early).toBe(0);
    expect(typical).toBeCloseTo(-Math.log10(501 / 1001), 1);
    expect(rare).toBeGreaterThan(typical);
    expect(beyond).toBeGreaterThan(rare);
    expect(farBeyond).toBeGreaterThan(beyond);
    expect(calibrator.update(Number.NaN)).toBe(0);
  });
});
