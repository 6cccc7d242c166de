/**
 * |mean of the last k signed z-scores|: a shift too small to stand out on one
 * row stands out when it lasts. Each z is clipped so one spike cannot pass for
 * a lasting shift.
 */
import { RollingMean } from '../rolling.js';

export class SustainedDeviation {
  readonly #mean: RollingMean;

  constructor(length: number) {
    this.#mean = new RollingMean(length);
  }

  /** NaN in → NaN out and nothing remembered: a gap neither helps nor hides a shift. */
  update(z: number): number {
    if (Number.isNaN(z)) return Number.NaN;
    const mean = this.#mean.push(Math.max(-10, Math.min(10, z)));
    return this.#mean.full ? Math.abs(mean) : Number.NaN;
  }
}
