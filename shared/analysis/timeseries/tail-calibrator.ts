/**
 * Turns a raw anomaly statistic into a calibrated surprise, −log10 p, where p
 * is how often this series produced a statistic at least as large before: the
 * conformal p-value over a rolling history. Beyond the top few percent the
 * history is too thin to rank, so the tail is extrapolated with an exponential
 * fitted to the excesses over that level (the peaks-over-threshold idea of
 * SPOT, Siffer et al. 2017). Because every detector is judged against its own
 * past on the same series, one alarm level fits noisy and quiet series alike.
 */
import { RollingSorted } from './rolling.js';

export interface TailCalibratorOptions {
  /** Statistics remembered. */
  history: number;
  /** Statistics needed before any surprise is reported. */
  minHistory: number;
  /** Share of the history treated as the tail. */
  tailFraction: number;
}

export const DEFAULT_TAIL_CALIBRATOR: TailCalibratorOptions = {
  history: 4000,
  minHistory: 200,
  tailFraction: 0.02,
};

export class TailCalibrator {
  readonly #options: TailCalibratorOptions;
  readonly #history: RollingSorted;

  constructor(options: Partial<TailCalibratorOptions> = {}) {
    this.#options = { ...DEFAULT_TAIL_CALIBRATOR, ...options };
    this.#history = new RollingSorted(this.#options.history);
  }

  /** −log10 of the tail probability of `x` (0 while the history is short), then remembers `x`. */
  update(x: number): number {
    if (!Number.isFinite(x)) return 0;
    const surprise = this.surprise(x);
    this.#history.push(x);
    return surprise;
  }

  surprise(x: number): number {
    const n = this.#history.size;
    if (n < this.#options.minHistory) return 0;
    const k = Math.max(5, Math.floor(n * this.#options.tailFraction));
    const u = this.#history.largest(k);
    if (x <= u) return -Math.log10((this.#history.countAtLeast(x) + 1) / (n + 1));
    const meanExcess = (this.#history.sumLargest(k) - k * u) / k;
    // A tail with no spread (many equal maxima) would make any excess infinitely surprising.
    const beta = Math.max(meanExcess, 1e-9 + 1e-6 * Math.abs(u));
    return -Math.log10(k / (n + 1)) + (x - u) / beta / Math.LN10;
  }
}
