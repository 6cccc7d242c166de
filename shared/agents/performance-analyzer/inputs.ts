/**
 * Collects what the input holds — inline values and files told apart by
 * their shape — into endpoints, traces, profiles, SLOs and baseline samples.
 * A file that cannot be read becomes a PERF000 problem at its path (and line,
 * for JSON syntax errors), never a failed run.
 */
import type * as z from 'zod';
import { type Locator, type Path, parseWithLines } from '../../analysis/documents/structured.js';
import type { SourceFile } from '../contract.js';
import type { Endpoint } from './endpoints.js';
import { DEFAULT_WINDOW_SECONDS } from './rules.js';
import {
  type CpuProfile,
  cpuProfileSchema,
  type LatencySamples,
  otlpDocumentSchema,
  type PerformanceInput,
  type Slos,
  statisticsDocumentSchema,
  xrayDocumentSchema,
} from './schema.js';
import { otlpTraces, type Trace, xrayTraces } from './spans.js';

export interface Problem {
  file?: string;
  line?: number;
  message: string;
}

export interface Collected {
  endpoints: Endpoint[];
  traces: Trace[];
  profiles: { profile: CpuProfile; file?: string }[];
  slos: Slos;
  baseline: LatencySamples[];
  problems: Problem[];
}

function basename(path: string): string {
  return path.replaceAll('\\', '/').split('/').at(-1) ?? path;
}

/** The line of a JSON.parse error, from V8's "(line L column C)" or "at position P". */
function syntaxErrorLine(error: unknown, text: string): number | undefined {
  const message = error instanceof Error ? error.message : '';
  const line = /line (\d+)/.exec(message);
  if (line !== null) return Number(line[1]);
  const position = /position (\d+)/.exec(message);
  if (position === null) return undefined;
  return text.slice(0, Number(position[1])).split('\n').length;
}

/** The line of a path inside the value read (JSON Lines: the record's line). */
type Locate = (path: Path) => number | undefined;

/** A locator that parses the text with positions only when first asked (statistics files, not large traces). */
function lazyLocator(text: string): Locate {
  let lineOf: Locator | null | undefined;
  return (path) => {
    if (lineOf === undefined) {
      const parsed = parseWithLines(text);
      lineOf = 'lineOf' in parsed ? parsed.lineOf : null;
    }
    return lineOf?.(path) ?? undefined;
  };
}

function issuesText(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length === 0 ? '(top level)' : issue.path.join('.')}: ${issue.message}`)
    .join('; ');
}

export class InputCollector implements Collected {
  endpoints: Endpoint[] = [];
  traces: Trace[] = [];
  profiles: { profile: CpuProfile; file?: string }[] = [];
  slos: Slos = {};
  baseline: LatencySamples[] = [];
  problems: Problem[] = [];

  constructor(private readonly windowSeconds: number) {}

  addFile(path: string, content: string): void {
    if (/\.(jsonl|ndjson)$/.test(basename(path).toLowerCase())) {
      for (const [index, line] of content.split('\n').entries()) {
        if (line.trim() === '') continue;
        this.addText(line, path, index + 1);
      }
      return;
    }
    this.addText(content, path, undefined);
  }

  private addText(text: string, file: string, line: number | undefined): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const at = line ?? syntaxErrorLine(error, text);
      this.problems.push({
        file,
        ...(at === undefined ? {} : { line: at }),
        message: `${file} is not JSON${error instanceof Error ? ` (${error.message})` : ''}`,
      });
      return;
    }
    this.addValue(value, file, line, line === undefined ? lazyLocator(text) : () => line);
  }

  /** Told apart by shape: resourceSpans / batches, Traces, nodes, endpoints (or a list of them). */
  addValue(value: unknown, file: string | undefined, line?: number, locate?: Locate): void {
    for (const message of this.load(value, file, locate)) {
      this.problems.push({
        ...(file === undefined ? {} : { file }),
        ...(line === undefined ? {} : { line }),
        message,
      });
    }
  }

  /** Adds what the value holds; returns what is wrong with it. */
  private load(value: unknown, file: string | undefined, locate: Locate | undefined): string[] {
    const record =
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    const where = file ?? 'input';
    if (record !== undefined && ('resourceSpans' in record || 'batches' in record)) {
      const parsed = otlpDocumentSchema.safeParse(value);
      if (!parsed.success) return [`${where}: not an OTLP/JSON trace document: ${issuesText(parsed.error)}`];
      this.traces.push(...otlpTraces(parsed.data, file));
      return [];
    }
    if (record !== undefined && 'Traces' in record) {
      const parsed = xrayDocumentSchema.safeParse(value);
      if (!parsed.success) return [`${where}: not X-Ray BatchGetTraces output: ${issuesText(parsed.error)}`];
      const { traces, problems } = xrayTraces(parsed.data, file);
      this.traces.push(...traces);
      return problems.map((p) => `${where}: ${p.message}`);
    }
    if (record !== undefined && 'nodes' in record) {
      const parsed = cpuProfileSchema.safeParse(value);
      if (!parsed.success) return [`${where}: not a V8 CPU profile: ${issuesText(parsed.error)}`];
      this.profiles.push({ profile: parsed.data, ...(file === undefined ? {} : { file }) });
      return [];
    }
    if (Array.isArray(value) || (record !== undefined && 'endpoints' in record)) {
      const parsed = statisticsDocumentSchema.safeParse(value);
      if (!parsed.success) return [`${where}: not endpoint statistics: ${issuesText(parsed.error)}`];
      const doc = Array.isArray(parsed.data) ? { endpoints: parsed.data } : parsed.data;
      const window =
        'windowSeconds' in doc && doc.windowSeconds !== undefined ? doc.windowSeconds : this.windowSeconds;
      const prefix = Array.isArray(parsed.data) ? [] : ['endpoints'];
      this.addEndpoints(doc.endpoints, file, window, (i) => locate?.([...prefix, i]));
      if ('slos' in doc && doc.slos !== undefined) this.addSlos(doc.slos, false);
      if ('baseline' in doc && doc.baseline !== undefined) this.baseline.push(...doc.baseline);
      return [];
    }
    return [
      `${where} is none of: OTLP/JSON traces (resourceSpans), X-Ray traces (Traces), a V8 CPU profile (nodes), endpoint statistics (endpoints)`,
    ];
  }

  /** `lineOf(i)`: the line of the i-th endpoint in its file. */
  addEndpoints(
    stats: PerformanceInput['endpoints'] & object,
    file: string | undefined,
    windowSeconds: number,
    lineOf?: (index: number) => number | undefined,
  ): void {
    stats.forEach((stat, i) => {
      const line = file === undefined ? undefined : lineOf?.(i);
      this.endpoints.push({
        stat,
        ...(file === undefined ? {} : { file }),
        ...(line === undefined ? {} : { line }),
        windowSeconds: stat.windowSeconds ?? windowSeconds,
      });
    });
  }

  /** Inline SLOs win over those in files: their route entries come first and their defaults replace. */
  addSlos(slos: Slos, inline: boolean): void {
    const first = inline ? slos : this.slos;
    const second = inline ? this.slos : slos;
    const p99Ms = first.p99Ms ?? second.p99Ms;
    const errorRatePercent = first.errorRatePercent ?? second.errorRatePercent;
    this.slos = {
      ...(p99Ms === undefined ? {} : { p99Ms }),
      ...(errorRatePercent === undefined ? {} : { errorRatePercent }),
      routes: [...(first.routes ?? []), ...(second.routes ?? [])],
    };
  }
}

/** The input's values and `files` (the scan's, without `.aiopsignore`). */
export function collectInput(input: PerformanceInput, files: readonly SourceFile[]): Collected {
  const collector = new InputCollector(input.windowSeconds ?? DEFAULT_WINDOW_SECONDS);
  for (const file of files) collector.addFile(file.path, file.content);
  if (input.endpoints !== undefined) {
    collector.addEndpoints(input.endpoints, undefined, input.windowSeconds ?? DEFAULT_WINDOW_SECONDS);
  }
  for (const document of input.traces ?? []) collector.addValue(document, undefined);
  for (const profile of input.profiles ?? []) collector.profiles.push({ profile });
  if (input.slos !== undefined) collector.addSlos(input.slos, true);
  if (input.baseline !== undefined) collector.baseline.unshift(...input.baseline);
  return collector;
}
