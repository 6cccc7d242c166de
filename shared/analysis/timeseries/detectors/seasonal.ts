/**
 * Deviation from the same time of day (or week) on previous cycles. Values
 * are remembered by time slot, so missing rows leave gaps instead of shifting
 * the cycle. Two views of the same memory:
 * - `z`: residual against the median of the same slot (±1) on the last cycles,
 *   scaled by the residuals' own robust spread: a persistent departure from the
 *   usual daily shape (a flat day, a missing jump, a holiday).
 * - `nearest`: distance to the closest same-slot value (±2) on those cycles: a
 *   point no previous cycle resembles. A spike that recurs every day at the
 *   same time is close to yesterday's and is not flagged.
 */
import { RollingSorted } from '../rolling.js';
import { iqrScale, type ScaleFloor } from './scale.js';

/** Values by slot over a bounded horizon (a ring indexed by slot). */
export class SlotMemory {
  readonly #slots: Float64Array;
  readonly #values: Float64Array;

  constructor(horizon: number) {
    const size = Math.max(1, Math.floor(horizon));
    this.#slots = new Float64Array(size).fill(Number.NaN);
    this.#values = new Float64Array(size);
  }

  set(slot: number, value: number): void {
    const at = ((slot % this.#slots.length) + this.#slots.length) % this.#slots.length;
    this.#slots[at] = slot;
    this.#values[at] = value;
  }

  get(slot: number): number | undefined {
    const at = ((slot % this.#slots.length) + this.#slots.length) % this.#slots.length;
    return this.#slots[at] === slot ? this.#values[at] : undefined;
  }
}

export interface SeasonalReading {
  readonly z: number;
  readonly nearest: number;
}

const NONE: SeasonalReading = { z: Number.NaN, nearest: Number.NaN };

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? (values[mid] ?? 0) : ((values[mid - 1] ?? 0) + (values[mid] ?? 0)) / 2;
}

export class SeasonalDeviation {
  readonly #period: number;
  readonly #cycles: number;
  readonly #residuals: RollingSorted;
  readonly #floor: ScaleFloor;

  constructor(period: number, cycles: number, residualWindow: number, floor: ScaleFloor) {
    this.#period = period;
    this.#cycles = cycles;
    this.#residuals = new RollingSorted(residualWindow);
    this.#floor = floor;
  }

  /** How far back this detector looks, in slots: the memory it needs. */
  get horizon(): number {
    return this.#period * this.#cycles + 2;
  }

  /** Reads `memory` before the caller stores x at `slot`. */
  update(slot: number, x: number, memory: SlotMemory): SeasonalReading {
    const same: number[] = [];
    let nearest = Number.POSITIVE_INFINITY;
    for (let cycle = 1; cycle <= this.#cycles; cycle++) {
      // A cycle whose neighbourhood starts before the first row would enter
      // the median one slot at a time, moving it on a series that never moved.
      if (slot - cycle * this.#period - 2 < 0) break;
      for (let offset = -2; offset <= 2; offset++) {
        const v = memory.get(slot - cycle * this.#period + offset);
        if (v === undefined) continue;
        if (Math.abs(offset) <= 1) same.push(v);
        nearest = Math.min(nearest, Math.abs(x - v));
      }
    }
    if (same.length < 3) return NONE;
    const residual = x - median(same);
    let reading = NONE;
    if (this.#residuals.size >= 20) {
      const scale = Math.max(iqrScale(this.#residuals), this.#floor.floor(x));
      reading = { z: (residual - this.#residuals.quantile(0.5)) / scale, nearest: nearest / scale };
    }
    this.#residuals.push(residual);
    return reading;
  }
}
