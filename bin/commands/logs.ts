/**
 * `aiops logs templates --input FILE [--log-format FORMAT] [--output OUT.csv]`:
 * mines log templates and writes `LineId,EventId,EventTemplate` for every
 * line, in input order. The file is streamed twice, never loaded whole: the
 * first pass learns the templates, the second assigns each line its final
 * one, so every line of an event gets the same id however late the template
 * settled. Memory stays bounded by the miner's template cap.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { csvRow } from '../../shared/analysis/logs/csv.js';
import { compileLogFormat, contentOf, type LogFormat } from '../../shared/analysis/logs/format.js';
import { inferLogFormat } from '../../shared/analysis/logs/infer.js';
import { createMiner, type Miner } from '../../shared/analysis/logs/miner.js';
import { info, UsageError } from '../cli.js';

const INFERENCE_SAMPLE = 2000;
const FLUSH_BYTES = 1 << 16;

interface TemplatesOptions {
  input: string;
  logFormat?: string;
  output?: string;
  maxTemplates: number;
}

async function* lines(path: string): AsyncGenerator<string> {
  const input = createReadStream(path, { encoding: 'utf8' });
  try {
    yield* createInterface({ input, crlfDelay: Infinity });
  } finally {
    // Stopping early (the inference sample) must not leave the file open.
    input.destroy();
  }
}

async function firstLines(path: string, count: number): Promise<string[]> {
  const sample: string[] = [];
  for await (const line of lines(path)) {
    sample.push(line);
    if (sample.length >= count) break;
  }
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

async function write(out: Writable, text: string): Promise<void> {
  // once() rejects on 'error', so a failing destination cannot leave us waiting for 'drain'.
  if (!out.write(text)) await once(out, 'drain');
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

async function assign(
  path: string,
  format: LogFormat | undefined,
  miner: Miner,
  out: Writable,
): Promise<number> {
  const idOf = eventIds();
  let buffer = `${csvRow(['LineId', 'EventId', 'EventTemplate'])}\n`;
  let lineId = 0;
  for await (const line of lines(path)) {
    lineId++;
    const content = contentOf(format, line);
    const { template } = miner.match(content) ?? miner.add(content);
    buffer += `${csvRow([lineId, idOf(template), template])}\n`;
    if (buffer.length >= FLUSH_BYTES) {
      await write(out, buffer);
      buffer = '';
    }
  }
  await write(out, buffer);
  return lineId;
}

async function templates(options: TemplatesOptions): Promise<void> {
  const file = await stat(options.input).catch(() => undefined);
  if (!file?.isFile()) throw new UsageError(`No such file: ${options.input}`);
  const format = await formatFor(options.input, options.logFormat);
  const miner = createMiner({ maxTemplates: options.maxTemplates });
  let learned = 0;
  for await (const line of lines(options.input)) {
    miner.add(contentOf(format, line));
    learned++;
  }
  const out = await openOutput(options.output);
  const written = await assign(options.input, format, miner, out);
  if (out !== process.stdout) {
    out.end();
    await finished(out);
  }
  if (written !== learned) throw new UsageError(`${options.input} changed while it was read`);
  info(
    `${written} lines, ${miner.size} templates${options.output === undefined ? '' : ` → ${options.output}`}`,
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
    .requiredOption('--input <file>', 'the log file, streamed (read twice)')
    .option(
      '--log-format <format>',
      'header format, e.g. "<Date> <Time> <Level> <Component>: <Content>"; inferred when omitted',
    )
    .option('--output <file>', 'CSV file to write; stdout when omitted')
    .option(
      '--max-templates <n>',
      'templates kept in memory; the least recently used go first',
      positiveInteger,
      10_000,
    )
    .action(templates);
}
