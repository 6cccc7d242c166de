/**
 * Two-sample statistics for comparing a canary with its baseline (or any
 * before / after pair): rank tests, a robust shift estimate with its interval,
 * and the distribution-shape test. Pure functions of numbers, no I/O.
 */
export { hodgesLehmann, type ShiftEstimate } from './hodges-lehmann.js';
export { type KolmogorovSmirnovResult, kolmogorovSurvival, ksTwoSample } from './kolmogorov-smirnov.js';
export { type MannWhitneyResult, mannWhitneyU, uDistribution } from './mann-whitney.js';
export { erfc, normalQuantile, normalSurvival } from './normal.js';
export { median, poolRanks } from './ranks.js';
