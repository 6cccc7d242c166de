/**
 * The two-sample statistics against published values. Reference numbers come
 * from SciPy 1.17 (`scipy.stats.mannwhitneyu`, `ks_2samp`, `norm`,
 * `kstwobign`), run once by hand and written here; where a textbook has the
 * example, the book is named too.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  erfc,
  hodgesLehmann,
  kolmogorovSurvival,
  ksTwoSample,
  mannWhitneyU,
  median,
  normalQuantile,
  normalSurvival,
  poolRanks,
  uDistribution,
} from '../../../shared/analysis/stats/index.js';

// SciPy's mannwhitneyu documentation example: ages of male and female workers (Conover, Practical
// Nonparametric Statistics).
const MALES = [19, 22, 16, 29, 24];
const FEMALES = [20, 11, 17, 12];
// R's ?wilcox.test example (Hollander & Wolfe, Nonparametric Statistical Methods, p. 111):
// permeability constants of the human chorioamnion at term (x) and 12–26 weeks (y).
const AT_TERM = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
const EARLY = [1.15, 0.88, 0.9, 0.74, 1.21];
// Tied ranks on both sides.
const TIED_X = [1, 2, 2, 3, 3, 3, 4, 5];
const TIED_Y = [3, 4, 4, 5, 5, 6, 7, 7, 8];

describe('the normal distribution', () => {
  it.each([
    // scipy.stats.norm.ppf
    [0.975, 1.959963984540054],
    [0.99, 2.3263478740408408],
    [0.001, -3.090232306167813],
    [0.5, 0],
  ])('quantile(%d) = %d', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 12);
  });

  it('has tails that keep their digits far out (scipy.stats.norm.sf)', () => {
    expect(normalSurvival(1.96)).toBeCloseTo(0.024997895148220435, 15);
    expect(normalSurvival(5) / 2.866515718791933e-7).toBeCloseTo(1, 12);
    // norm.sf(7) = 1.279812543885835e-12: the far tail of erfc.
    expect(normalSurvival(7) / 1.279812543885835e-12).toBeCloseTo(1, 10);
    expect(erfc(0)).toBe(1);
    expect(erfc(-1) + erfc(1)).toBeCloseTo(2, 15);
  });

  it('answers the edges of the quantile without a number that lies', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
  });
});

describe('Mann-Whitney U', () => {
  it('gives the exact p-value of SciPy on small samples without ties', () => {
    // mannwhitneyu(males, females) → U 17, p 0.1111111111111111 (exact)
    const result = mannWhitneyU(MALES, FEMALES);
    expect(result).toMatchObject({ u: 17, method: 'exact' });
    expect(result.p).toBeCloseTo(0.1111111111111111, 14);
    // mannwhitneyu(x, y, method='exact') → U 35, p 0.2544122544122544 (R: W = 35)
    const chorio = mannWhitneyU(AT_TERM, EARLY);
    expect(chorio.u).toBe(35);
    expect(chorio.p).toBeCloseTo(0.2544122544122544, 14);
  });

  it('gives the normal approximation with continuity and tie corrections of SciPy', () => {
    // mannwhitneyu(males, females, method='asymptotic') → p 0.11134688653314041
    expect(mannWhitneyU(MALES, FEMALES, { method: 'asymptotic' }).p).toBeCloseTo(0.11134688653314041, 12);
    // mannwhitneyu(a, b, method='asymptotic') with ties → U 7.5, p 0.006373133838085873
    const tied = mannWhitneyU(TIED_X, TIED_Y);
    expect(tied).toMatchObject({ u: 7.5, method: 'asymptotic' });
    expect(tied.p).toBeCloseTo(0.006373133838085873, 12);
    expect(tied.z).toBeLessThan(0);
  });

  it('has an exact null distribution that sums to 1 and is symmetric', () => {
    const distribution = uDistribution(5, 4);
    expect(distribution).toHaveLength(21);
    expect(distribution.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // 126 = C(9, 4) arrangements; U = 0 and U = 20 each happen once.
    expect(distribution[0]).toBeCloseTo(1 / 126, 15);
    expect(distribution[20]).toBeCloseTo(1 / 126, 15);
  });

  it('answers p = 1 when every value is the same', () => {
    expect(mannWhitneyU([5, 5, 5], [5, 5])).toMatchObject({ p: 1, u: 3 });
  });

  it('keeps U + U′ = n1·n2 and p in [0, 1] for any samples', () => {
    const sample = fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 25 });
    fc.assert(
      fc.property(sample, sample, (x, y) => {
        const forward = mannWhitneyU(x, y);
        const backward = mannWhitneyU(y, x);
        expect(forward.u + backward.u).toBeCloseTo(x.length * y.length, 9);
        expect(forward.p).toBeGreaterThanOrEqual(0);
        expect(forward.p).toBeLessThanOrEqual(1);
        expect(forward.p).toBeCloseTo(backward.p, 9);
      }),
    );
  });
});

describe('Hodges–Lehmann shift', () => {
  it('matches R: wilcox.test(x, y, conf.int = TRUE) on the chorioamnion data', () => {
    // R: difference in location 0.305, 95 percent confidence interval −0.15 to 0.76.
    const shift = hodgesLehmann(AT_TERM, EARLY);
    expect(shift.method).toBe('exact');
    expect(shift.estimate).toBeCloseTo(0.305, 12);
    expect(shift.lower).toBeCloseTo(-0.15, 12);
    expect(shift.upper).toBeCloseTo(0.76, 12);
  });

  it('finds a pure shift exactly and an interval that holds it', () => {
    const base = Array.from({ length: 60 }, (_, i) => 100 + ((i * 37) % 60) / 4);
    const moved = base.map((v) => v + 12);
    const shift = hodgesLehmann(moved, base, 0.99);
    expect(shift.estimate).toBe(12);
    expect(shift.lower).toBeLessThanOrEqual(12);
    expect(shift.upper).toBeGreaterThanOrEqual(12);
    expect(shift.method).toBe('asymptotic');
    expect(shift.confidence).toBe(0.99);
  });

  it('estimates from a thinned grid when all pairs would not fit in memory', () => {
    // 2,001 × 2,001 pairs is over the 4 million kept: y is thinned to evenly spaced order statistics.
    const x = Array.from({ length: 2001 }, (_, i) => i + 0.5 + 50);
    const y = Array.from({ length: 2001 }, (_, i) => i);
    const shift = hodgesLehmann(x, y);
    expect(shift.method).toBe('asymptotic');
    expect(shift.estimate).toBeCloseTo(50.5, 0);
    expect(shift.lower).toBeLessThan(shift.estimate);
    expect(shift.upper).toBeGreaterThan(shift.estimate);
  });

  it('widens the interval with the confidence', () => {
    const narrow = hodgesLehmann(AT_TERM, EARLY, 0.8);
    const wide = hodgesLehmann(AT_TERM, EARLY, 0.99);
    expect(wide.lower).toBeLessThanOrEqual(narrow.lower);
    expect(wide.upper).toBeGreaterThanOrEqual(narrow.upper);
  });
});

describe('two-sample Kolmogorov–Smirnov', () => {
  it('gives the exact statistic and p-value of SciPy', () => {
    // ks_2samp(x, y, method='exact') on the three examples above.
    expect(ksTwoSample(AT_TERM, EARLY)).toMatchObject({ d: 0.6, method: 'exact' });
    expect(ksTwoSample(AT_TERM, EARLY).p).toBeCloseTo(0.16583416583416583, 12);
    expect(ksTwoSample(MALES, FEMALES).p).toBeCloseTo(0.2857142857142857, 12);
    const tied = ksTwoSample(TIED_X, TIED_Y);
    expect(tied.d).toBeCloseTo(0.6388888888888888, 12);
    expect(tied.p).toBeCloseTo(0.04689428218839984, 12);
  });

  it('uses the Kolmogorov limit beyond the exact size', () => {
    // scipy.stats.kstwobign.sf(1.0), (0.5), (1.5)
    expect(kolmogorovSurvival(1)).toBeCloseTo(0.26999967167735456, 12);
    expect(kolmogorovSurvival(0.5)).toBeCloseTo(0.9639452436648751, 12);
    expect(kolmogorovSurvival(1.5)).toBeCloseTo(0.022217962616525127, 12);
    expect(kolmogorovSurvival(0)).toBe(1);
    const x = Array.from({ length: 1200 }, (_, i) => i);
    const y = Array.from({ length: 1000 }, (_, i) => i + 100.5);
    const result = ksTwoSample(x, y);
    expect(result.method).toBe('asymptotic');
    expect(result.d).toBeCloseTo(100 / 1200 + 0.5 / 1200, 3);
    expect(result.p).toBeLessThan(1e-3);
  });

  it('finds nothing between a sample and itself', () => {
    expect(ksTwoSample(AT_TERM, [...AT_TERM].reverse())).toMatchObject({ d: 0, p: 1 });
  });
});

describe('ranks and medians', () => {
  it('gives tied values the mean of their ranks', () => {
    // Pooled 1 2 2 3: ranks 1, 2.5, 2.5, 4; the first sample holds 1 and one 2.
    expect(poolRanks([1, 2], [2, 3])).toEqual({ rankSumFirst: 3.5, tieTerm: 6, hasTies: true });
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
