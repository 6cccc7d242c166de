/**
 * Progress of a long pass over a file, on stderr: lines so far and lines per
 * second, about once a second. Asked for (`--progress`) it always shows;
 * left to itself it shows only on a terminal and only once the file has
 * proved long (over a million lines), so short runs and pipelines stay quiet.
 * On a terminal the line is rewritten in place; elsewhere (a log file, CI)
 * each report is a line of its own.
 */

/** Lines after which progress shows by itself on a terminal. */
export const AUTO_PROGRESS_LINES = 1_000_000;
const INTERVAL_MS = 1000;

/** Where progress goes: process.stderr, or anything that looks like it. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

const count = (n: number) => Math.round(n).toLocaleString('en');

export class Progress {
  readonly #label: string;
  readonly #asked: boolean | undefined;
  readonly #stream: ProgressStream;
  readonly #started = performance.now();
  #last = this.#started;
  #shown = false;

  /** `asked`: true for --progress, false for --no-progress, undefined to decide by itself. */
  constructor(label: string, asked: boolean | undefined, stream: ProgressStream = process.stderr) {
    this.#label = label;
    this.#asked = asked;
    this.#stream = stream;
  }

  #enabled(lines: number): boolean {
    if (this.#asked !== undefined) return this.#asked;
    return this.#stream.isTTY === true && lines > AUTO_PROGRESS_LINES;
  }

  #report(lines: number, now: number, final: boolean): void {
    const seconds = (now - this.#started) / 1000;
    const rate = seconds > 0 ? lines / seconds : 0;
    const text = final
      ? `${this.#label}: ${count(lines)} lines in ${seconds.toFixed(1)} s, ${count(rate)} lines/s`
      : `${this.#label}: ${count(lines)} lines, ${count(rate)} lines/s`;
    if (this.#stream.isTTY) this.#stream.write(`\r${text}\x1b[K${final ? '\n' : ''}`);
    else this.#stream.write(`${text}\n`);
    this.#shown = true;
  }

  /** Call often (every chunk); reports when a second has passed since the last report. */
  update(lines: number): void {
    const now = performance.now();
    if (now - this.#last < INTERVAL_MS || !this.#enabled(lines)) return;
    this.#last = now;
    this.#report(lines, now, false);
  }

  /** The closing report: always when asked for, else only when progress had been showing. */
  done(lines: number): void {
    if (this.#asked === false || (this.#asked === undefined && !this.#shown)) return;
    this.#report(lines, performance.now(), true);
  }
}
