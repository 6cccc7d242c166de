/**
 * `aiops logs templates --input FILE [--log-format FORMAT] [--output OUT.csv]`:
 * mines log templates and writes `LineId,EventId,EventTemplate` for every
 * line, in input order, each line with its final template, so every line of
 * an event gets the same id however late the template settled.
 *
 * The file is read once, streamed, never loaded whole: learning keeps for
 * each line only the id of the template it was given (4 bytes), and the ids
 * are resolved to the final templates at the end (see finalRows). Only when
 * the miner forgot templates (past --max-templates) is the file read a second
 * time, to match its lines again. The output is written in large chunks.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { csvField, csvRow } from '../../shared/analysis/logs/csv.js';
import { compileLogFormat, contentOf, type LogFormat } from '../../shared/analysis/logs/format.js';
import { inferLogFormat } from '../../shared/analysis/logs/infer.js';
import { createMiner, type Miner } from '../../shared/analysis/logs/miner.js';
import { info, UsageError } from '../cli.js';
import { Progress } from './progress.js';
import { ChunkedOutput, forEachLine } from './text-stream.js';

const INFERENCE_SAMPLE = 2000;

interface TemplatesOptions {
  input: string;
  logFormat?: string;
  output?: string;
  maxTemplates: number;
  /** --progress / --no-progress; undefined lets Progress decide. */
  progress?: boolean;
}

/** The first `count` lines, for inferring the header; reading stops soon after them. */
async function firstLines(path: string, count: number): Promise<string[]> {
  const sample: string[] = [];
  await forEachLine(
    path,
    (line) => {
      if (sample.length < count) sample.push(line);
    },
    { chunkSize: 1 << 16, stop: () => sample.length >= count },
  );
  return sample;
}

async function formatFor(path: string, given: string | undefined): Promise<LogFormat | undefined> {
  if (given !== undefined) return compileLogFormat(given);
  const inferred = inferLogFormat(await firstLines(path, INFERENCE_SAMPLE));
  info(
    inferred === undefined
      ? 'No common header found: each whole line is the message (give one with --log-format).'
      : `Inferred log format: ${inferred}`,
  );
  return inferred === undefined ? undefined : compileLogFormat(inferred);
}

/** Stable ids from the template text (as Drain's, 8 hex digits), longer on the rare clash. */
function eventIds(): (template: string) => string {
  const byTemplate = new Map<string, string>();
  const taken = new Set<string>();
  return (template) => {
    const known = byTemplate.get(template);
    if (known !== undefined) return known;
    const digest = createHash('sha256').update(template).digest('hex');
    let id = digest.slice(0, 8);
    for (let size = 12; taken.has(id); size += 4) id = digest.slice(0, size);
    taken.add(id);
    byTemplate.set(template, id);
    return id;
  };
}

async function openOutput(path: string | undefined): Promise<Writable> {
  if (path === undefined) return process.stdout;
  const out = createWriteStream(path);
  try {
    await once(out, 'open');
  } catch (error) {
    throw new UsageError(`Cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return out;
}

/** Grows a typed array of per-line template ids: 4 bytes a line, however long the lines. */
class IdList {
  #ids = new Int32Array(1 << 16);
  length = 0;

  push(id: number): void {
    if (this.length === this.#ids.length) {
      const grown = new Int32Array(this.#ids.length * 2);
      grown.set(this.#ids);
      this.#ids = grown;
    }
    this.#ids[this.length++] = id;
  }

  at(index: number): number {
    return this.#ids[index] ?? 0;
  }
}

/**
 * A copy of a line that does not keep the file chunk it was cut from alive
 * (V8 slices point into their parent string).
 */
function detached(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}

interface Learned {
  readonly lines: number;
  /** The template id `add` returned for each line, in order. */
  readonly ids: IdList;
  /** The message of the first line each id was returned for. */
  readonly firstMessage: Map<number, string>;
  /** Whether the miner reached its template cap, and so may have forgotten templates lines were given. */
  readonly forgot: boolean;
}

async function learn(
  path: string,
  format: LogFormat | undefined,
  miner: Miner,
  maxTemplates: number,
  progress: Progress,
): Promise<Learned> {
  const ids = new IdList();
  const firstMessage = new Map<number, string>();
  let forgot = false;
  const lines = await forEachLine(
    path,
    (line) => {
      const content = contentOf(format, line);
      const { templateId } = miner.add(content);
      ids.push(templateId);
      if (!firstMessage.has(templateId)) firstMessage.set(templateId, detached(content));
      if (miner.size >= maxTemplates) forgot = true;
    },
    { afterChunk: () => progress.update(ids.length) },
  );
  return { lines, ids, firstMessage, forgot };
}

/**
 * The row ending (`,EventId,EventTemplate` and the line end) of every id the
 * learning pass returned, or undefined when one has no live template left.
 *
 * A line's template only changes by merging into a more general one, and
 * every line the miner handed the same id follows the same merges; so
 * matching the first message that got an id against the final templates
 * gives what matching each of its lines again would. Ids are resolved in
 * the order of their first line, the order the second pass met them in, so
 * event ids (and their rare clash suffixes) come out the same. One case can
 * differ: past the miner's cache of masked messages (100,000 distinct), a
 * message it dropped is searched for again, and may land on another template
 * as specific that also covers it; here every line of an id takes what the
 * id's first message matches.
 */
function finalRows(miner: Miner, firstMessage: Map<number, string>): string[] | undefined {
  const idOf = eventIds();
  const rows: string[] = [];
  for (const [id, message] of firstMessage) {
    const match = miner.match(message);
    if (match === undefined) return undefined;
    rows[id] = `,${idOf(match.template)},${csvField(match.template)}\n`;
  }
  return rows;
}

async function writeRows(learned: Learned, rows: readonly string[], out: ChunkedOutput): Promise<void> {
  const { ids } = learned;
  for (let i = 0; i < ids.length; i++) {
    out.push(`${i + 1}${rows[ids.at(i)]}`);
    if ((i & 0x3fff) === 0) await out.flush();
  }
}

/**
 * The second pass over the file, as the command made it before learning kept
 * the template of every line: needed only when the miner forgot templates
 * (past --max-templates), whose lines must then be matched or learned again.
 */
async function reassign(
  path: string,
  format: LogFormat | undefined,
  miner: Miner,
  out: ChunkedOutput,
): Promise<number> {
  const idOf = eventIds();
  let lineId = 0;
  return forEachLine(
    path,
    (line) => {
      const content = contentOf(format, line);
      const { template } = miner.match(content) ?? miner.add(content);
      out.push(`${++lineId},${idOf(template)},${csvField(template)}\n`);
    },
    { afterChunk: () => out.flush() },
  );
}

async function templates(options: TemplatesOptions): Promise<void> {
  const file = await stat(options.input).catch(() => undefined);
  if (!file?.isFile()) throw new UsageError(`No such file: ${options.input}`);
  const format = await formatFor(options.input, options.logFormat);
  const miner = createMiner({ maxTemplates: options.maxTemplates });
  const progress = new Progress('logs templates', options.progress);
  const learned = await learn(options.input, format, miner, options.maxTemplates, progress);
  progress.done(learned.lines);
  const destination = await openOutput(options.output);
  const out = new ChunkedOutput(destination);
  out.push(`${csvRow(['LineId', 'EventId', 'EventTemplate'])}\n`);
  const rows = learned.forgot ? undefined : finalRows(miner, learned.firstMessage);
  if (rows !== undefined) await writeRows(learned, rows, out);
  else {
    const written = await reassign(options.input, format, miner, out);
    if (written !== learned.lines) throw new UsageError(`${options.input} changed while it was read`);
  }
  await out.flush(0);
  if (destination !== process.stdout) {
    destination.end();
    await finished(destination);
  }
  info(
    `${learned.lines} lines, ${miner.size} templates${options.output === undefined ? '' : ` → ${options.output}`}`,
  );
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
}

export function registerLogs(program: Command): void {
  const logs = program.command('logs').description('log analysis, offline');
  logs
    .command('templates')
    .description('mine log templates: LineId,EventId,EventTemplate for every line of a log file, as CSV')
    .requiredOption('--input <file>', 'the log file, streamed')
    .option(
      '--log-format <format>',
      'header format, e.g. "<Date> <Time> <Level> <Component>: <Content>"; inferred when omitted',
    )
    .option('--output <file>', 'CSV file to write; stdout when omitted')
    .option(
      '--max-templates <n>',
      'templates kept in memory; the least recently used go first (the file is then read twice)',
      positiveInteger,
      10_000,
    )
    .option(
      '--progress',
      'report lines and lines/s on stderr every second (default: on a terminal, past 1M lines)',
    )
    .option('--no-progress', 'never report progress')
    .action(templates);
}
