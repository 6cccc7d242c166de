/**
 * The sampling interval of a stream and the slot of each row, learnt online:
 * the median of the first intervals, then frozen. Slots count intervals since
 * the first row, so missing rows leave gaps and the daily and weekly cycles
 * stay aligned.
 */

export const DAY_MS = 86_400_000;

export class SampleClock {
  readonly #learn: number;
  readonly #intervals: number[] = [];
  #first = Number.NaN;
  #previous = Number.NaN;
  #interval = Number.NaN;

  /** `learn`: how many intervals to see before the interval is fixed. */
  constructor(learn = 32) {
    this.#learn = learn;
  }

  /** Milliseconds between rows, NaN while still learning or when times are unknown. */
  get interval(): number {
    return this.#interval;
  }

  observe(time: number): void {
    if (!Number.isFinite(time)) return;
    if (Number.isNaN(this.#first)) this.#first = time;
    if (Number.isNaN(this.#interval) && Number.isFinite(this.#previous) && time > this.#previous) {
      this.#intervals.push(time - this.#previous);
      if (this.#intervals.length >= this.#learn) {
        const sorted = [...this.#intervals].sort((a, b) => a - b);
        this.#interval = sorted[sorted.length >> 1] ?? Number.NaN;
      }
    }
    this.#previous = time;
  }

  /** Intervals since the first row; NaN until the interval is known. */
  slot(time: number): number {
    if (Number.isNaN(this.#interval) || !Number.isFinite(time)) return Number.NaN;
    return Math.round((time - this.#first) / this.#interval);
  }

  /** Slots in one `durationMs` cycle, NaN until the interval is known. */
  slotsPer(durationMs: number): number {
    return Math.round(durationMs / this.#interval);
  }
}
