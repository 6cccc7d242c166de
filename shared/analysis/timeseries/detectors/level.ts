/**
 * Deviation from the recent level: (x − rolling median) / rolling robust
 * scale. Catches spikes, dips and level shifts the moment they happen.
 */
import { RollingSorted } from '../rolling.js';
import { iqrScale, type ScaleFloor } from './scale.js';

export class LevelDeviation {
  readonly #window: RollingSorted;
  readonly #floor: ScaleFloor;

  constructor(window: number, floor: ScaleFloor) {
    this.#window = new RollingSorted(window);
    this.#floor = floor;
  }

  /** Signed robust z-score of x against the values before it (NaN until 20 are known). */
  update(x: number): number {
    let z = Number.NaN;
    if (this.#window.size >= 20) {
      const median = this.#window.quantile(0.5);
      z = (x - median) / Math.max(iqrScale(this.#window), this.#floor.floor(median));
    }
    this.#window.push(x);
    return z;
  }
}
