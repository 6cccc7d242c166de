/**
 * Log lines grouped by their mined template (with level mix, error count and
 * component), and the bursts of each template: a bucket whose count jumped
 * far above the template's usual count per bucket.
 */
import { maxOf, minOf } from '../../analysis/extent.js';
import { fingerprint } from '../contract.js';
import type { LineParser, TemplateMiner } from './engine.js';
import { isErrorLike, type Level, levelOf, timestampOf } from './levels.js';

/** A non-blank log line, where it was read. */
export interface SourceLine {
  text: string;
  /** Its line in its file (or in the text); for `lines` input, its position among them. */
  no: number;
  file?: string;
}

export interface Line extends SourceLine {
  templateId: string;
  level: Level;
  at: number | undefined;
}

export interface Group {
  id: string;
  template: string;
  lines: Line[];
  levels: Map<Level, number>;
  errorLike: number;
  isNew: boolean;
  /** The header's component of the first line, when the format has one. */
  component: string | undefined;
}

export interface Burst {
  group: Group;
  bucketStart: number;
  /** The first line of the burst, inside its bucket. */
  firstAt: number;
  count: number;
  usual: number;
}

/** A burst needs at least this many lines in its bucket, and this many times its usual rate. */
const BURST_MIN_COUNT = 5;
const BURST_FACTOR = 4;

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

interface ReadLine {
  line: Line;
  content: string;
  /** Fixed by the line's shape (an access-log request), else mined. */
  template: string | undefined;
  component: string | undefined;
  errorLike: boolean;
  matched: boolean;
}

function readLine(source: SourceLine, parser: LineParser, year: number): ReadLine {
  const { text } = source;
  const parsed = parser.parse(text);
  const level = levelOf(parsed.fields, text);
  const line: Line = {
    ...source,
    templateId: '',
    level,
    at: timestampOf(parsed.fields, text, year),
  };
  const component = parsed.fields.Component?.trim() || undefined;
  const errorLike = isErrorLike(level, parsed.content);
  return {
    line,
    content: parsed.content,
    template: parsed.template,
    component,
    errorLike,
    matched: parsed.matched,
  };
}

export interface ReadTemplates {
  lines: Line[];
  groups: Group[];
  unparsed: number;
}

/** Every line parsed and mined, then grouped by its final template. */
export function readTemplates(
  sources: readonly SourceLine[],
  parser: LineParser,
  miner: TemplateMiner,
  year: number,
): ReadTemplates {
  const read = sources.map((source) => {
    const one = readLine(source, parser, year);
    if (one.template === undefined) miner.add(one.content);
    return one;
  });
  const unparsed = read.filter((r) => !r.matched).length;
  // Grouped only once every line is in: templates widen and merge as lines arrive.
  const groups = new Map<string, Group>();
  for (const { line, content, template: fixed, component, errorLike } of read) {
    const template = fixed ?? miner.templateOf(content);
    let group = groups.get(template);
    if (!group) {
      const id = fingerprint('template', template).slice(0, 12);
      group = { id, template, lines: [], levels: new Map(), errorLike: 0, isNew: false, component };
      groups.set(template, group);
    }
    line.templateId = group.id;
    group.lines.push(line);
    group.levels.set(line.level, (group.levels.get(line.level) ?? 0) + 1);
    if (errorLike) group.errorLike += 1;
  }
  return { lines: read.map((r) => r.line), groups: [...groups.values()], unparsed };
}

/** The template's strongest burst over the buckets first..first+buckets-1, if any. */
function burstOf(group: Group, bucketMs: number, first: number, buckets: number): Burst | undefined {
  const counts = new Map<number, number>();
  const firstInBucket = new Map<number, number>();
  for (const line of group.lines) {
    if (line.at === undefined) continue;
    const bucket = Math.floor(line.at / bucketMs);
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    firstInBucket.set(bucket, Math.min(firstInBucket.get(bucket) ?? line.at, line.at));
  }
  if (counts.size === 0) return undefined;
  // The usual rate counts empty buckets too: a template silent most of the time that floods one bucket is a burst.
  const usual = median(Array.from({ length: buckets }, (_, i) => counts.get(first + i) ?? 0));
  let best: Burst | undefined;
  for (const [bucket, count] of counts) {
    const burst = count >= BURST_MIN_COUNT && count >= BURST_FACTOR * Math.max(usual, 1);
    if (!burst || (best && count <= best.count)) continue;
    const bucketStart = bucket * bucketMs;
    best = { group, bucketStart, firstAt: firstInBucket.get(bucket) ?? bucketStart, count, usual };
  }
  return best;
}

/** Each template's strongest burst, earliest first; none over fewer than 3 buckets. */
export function findBursts(groups: readonly Group[], bucketMs: number): Burst[] {
  const allTimes = groups
    .flatMap((g) => g.lines.map((l) => l.at))
    .filter((t): t is number => t !== undefined);
  if (allTimes.length === 0) return [];
  const first = Math.floor(minOf(allTimes) / bucketMs);
  const buckets = Math.floor(maxOf(allTimes) / bucketMs) - first + 1;
  if (buckets < 3) return [];
  return groups
    .flatMap((group) => burstOf(group, bucketMs, first, buckets) ?? [])
    .sort((a, b) => a.bucketStart - b.bucketStart || b.count - a.count);
}
