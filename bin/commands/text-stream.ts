/**
 * Reading a text file line by line and writing a large output, for the
 * offline commands that stream files of millions of lines (`logs templates`,
 * `metrics detect`).
 *
 * Lines are handed to a synchronous callback chunk by chunk: an async
 * iterator of lines (readline) pays a promise per line, which on a 100k-line
 * file cost more than mining its templates. Line ends are readline's: `\n`,
 * `\r\n` and a lone `\r` each end a line, and a last line without an end
 * counts when it is not empty. Only one chunk and the line cut at its end are
 * held, whatever the size of the file.
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import type { Writable } from 'node:stream';

/**
 * Bytes read at a time. Larger chunks save nothing measurable, and cost
 * memory: a line is a slice of its chunk, and whatever keeps a piece of a
 * line (a template's tokens) keeps the whole chunk alive.
 */
export const READ_CHUNK = 1 << 16;
/** Output gathered before one write. */
export const WRITE_CHUNK = 1 << 20;

export interface LineReadOptions {
  /** Bytes per read (tests use tiny chunks to put line ends across chunk boundaries). */
  readonly chunkSize?: number;
  /** Runs after the lines of each chunk: flushing output, reporting progress. */
  readonly afterChunk?: () => Promise<void> | void;
  /** Asked after each chunk; true stops the reading there (the lines of that chunk were all handed over). */
  readonly stop?: () => boolean;
}

/** Splits text holding at least one `\r`; returns what follows the last complete line. */
function splitMixed(text: string, onLine: (line: string) => void): string {
  let start = 0;
  let cr = text.indexOf('\r');
  let lf = text.indexOf('\n');
  for (;;) {
    if (cr >= 0 && cr < start) cr = text.indexOf('\r', start);
    if (lf >= 0 && lf < start) lf = text.indexOf('\n', start);
    if (cr >= 0 && (lf < 0 || cr < lf)) {
      // A `\r` last in the text may be the first half of a `\r\n` cut by the chunk boundary.
      if (cr + 1 === text.length) break;
      onLine(text.slice(start, cr));
      start = cr + (text.charCodeAt(cr + 1) === 10 ? 2 : 1);
    } else if (lf >= 0) {
      onLine(text.slice(start, lf));
      start = lf + 1;
    } else break;
  }
  return text.slice(start);
}

function splitLf(text: string, onLine: (line: string) => void): string {
  let start = 0;
  for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
    onLine(text.slice(start, end));
    start = end + 1;
  }
  return text.slice(start);
}

/** Calls `onLine` for every line of a UTF-8 file, in order; returns the number of lines. */
export async function forEachLine(
  path: string,
  onLine: (line: string) => void,
  options: LineReadOptions = {},
): Promise<number> {
  let count = 0;
  const counted = (line: string) => {
    count++;
    onLine(line);
  };
  let rest = '';
  const input = createReadStream(path, { encoding: 'utf8', highWaterMark: options.chunkSize ?? READ_CHUNK });
  for await (const chunk of input as AsyncIterable<string>) {
    const text = rest === '' ? chunk : rest + chunk;
    rest = text.includes('\r') ? splitMixed(text, counted) : splitLf(text, counted);
    await options.afterChunk?.();
    if (options.stop?.()) return count;
  }
  // A trailing `\r` was held back in case a `\n` followed; none did, so it ends a line, empty or not.
  if (rest.endsWith('\r')) counted(rest.slice(0, -1));
  else if (rest !== '') counted(rest);
  return count;
}

/** Output gathered into large writes, waiting for the destination to drain when it asks to. */
export class ChunkedOutput {
  #pending = '';
  readonly #out: Writable;

  constructor(out: Writable) {
    this.#out = out;
  }

  /** Adds text; writes nothing until `flush`, so call it between chunks of work. */
  push(text: string): void {
    this.#pending += text;
  }

  get pendingLength(): number {
    return this.#pending.length;
  }

  /** Writes what was pushed when it reached `atLeast` characters (everything with 0). */
  async flush(atLeast = WRITE_CHUNK): Promise<void> {
    if (this.#pending.length === 0 || this.#pending.length < atLeast) return;
    const text = this.#pending;
    this.#pending = '';
    // once() rejects on 'error', so a failing destination cannot leave us waiting for 'drain'.
    if (!this.#out.write(text)) await once(this.#out, 'drain');
  }
}
