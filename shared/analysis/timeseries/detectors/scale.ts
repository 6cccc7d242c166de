/**
 * A lower bound for robust scales. A window whose interquartile range is zero
 * (a flat or quantised stretch) would otherwise make the next small wiggle
 * infinitely surprising; the bound ties the scale to the spread the series has
 * shown over a longer stretch, and to its magnitude when it never moved.
 */
import { RollingSorted } from '../rolling.js';

export class ScaleFloor {
  readonly #long: RollingSorted;
  readonly #share: number;

  constructor(longWindow: number, share: number) {
    this.#long = new RollingSorted(longWindow);
    this.#share = share;
  }

  observe(x: number): void {
    this.#long.push(x);
  }

  floor(magnitude: number): number {
    // (q90 − q10) / 2.56 estimates a standard deviation for Gaussian data.
    const spread = this.#long.size >= 20 ? (this.#long.quantile(0.9) - this.#long.quantile(0.1)) / 2.56 : 0;
    return Math.max(this.#share * spread, 1e-6 * Math.abs(magnitude), 1e-9);
  }
}

/** (q75 − q25) / 1.349: the standard deviation of Gaussian data, robust to outliers. */
export function iqrScale(window: RollingSorted): number {
  return (window.quantile(0.75) - window.quantile(0.25)) / 1.349;
}
