/**
 * log-analyzer: lines → templates (with counts, level mix, first and last
 * seen, a sample) → findings: error and warning templates ranked by count and
 * recency, bursts, templates new against a baseline, and root-cause
 * candidates (the earliest new or error template shortly before a burst).
 */

import { maxOf, minOf } from '../../analysis/extent.js';
import { type AgentContext, type Finding, fingerprint, type Severity } from '../contract.js';
import {
  createLineParser,
  createTemplateMiner,
  type LineParser,
  normaliseTemplate,
  type TemplateMiner,
} from './engine.js';
import { isErrorLike, type Level, levelOf, timestampOf } from './levels.js';
import { RULES } from './rules.js';
import type { LogAnalyzerInput, LogAnalyzerOutput, TemplateSummary } from './schema.js';

interface Line {
  no: number;
  text: string;
  templateId: string;
  level: Level;
  at: number | undefined;
}

interface Group {
  id: string;
  template: string;
  lines: Line[];
  levels: Map<Level, number>;
  errorLike: number;
  isNew: boolean;
  /** The header's component of the first line, when the format has one. */
  component: string | undefined;
}

interface Burst {
  group: Group;
  bucketStart: number;
  /** The first line of the burst, inside its bucket. */
  firstAt: number;
  count: number;
  usual: number;
}

const EVIDENCE = 5;
/** A burst needs at least this many lines in its bucket, and this many times its usual rate. */
const BURST_MIN_COUNT = 5;
const BURST_FACTOR = 4;
/** How far before a burst a root-cause candidate may start. */
const ROOT_CAUSE_LOOKBACK_BUCKETS = 5;

function splitLines(input: LogAnalyzerInput): string[] {
  const raw = input.lines ?? (input.text ?? '').split(/\r?\n/);
  return raw.filter((line) => line.trim() !== '');
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function readLines(texts: readonly string[], parser: LineParser, miner: TemplateMiner, year: number) {
  let unparsed = 0;
  const read = texts.map((text, index) => {
    const parsed = parser.parse(text);
    if (!parsed.matched) unparsed += 1;
    miner.add(parsed.content);
    const level = levelOf(parsed.fields, text);
    const line: Line = {
      no: index + 1,
      text,
      templateId: '',
      level,
      at: timestampOf(parsed.fields, text, year),
    };
    const component = parsed.fields.Component?.trim() || undefined;
    return { line, content: parsed.content, component, errorLike: isErrorLike(level, parsed.content) };
  });
  // Grouped only once every line is in: templates widen and merge as lines arrive.
  const groups = new Map<string, Group>();
  const lines: Line[] = [];
  for (const { line, content, component, errorLike } of read) {
    const template = miner.templateOf(content);
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
    lines.push(line);
  }
  return { lines, groups: [...groups.values()], unparsed };
}

function findBursts(groups: readonly Group[], bucketMs: number): Burst[] {
  const bursts: Burst[] = [];
  const allTimes = groups
    .flatMap((g) => g.lines.map((l) => l.at))
    .filter((t): t is number => t !== undefined);
  if (allTimes.length === 0) return bursts;
  const first = Math.floor(minOf(allTimes) / bucketMs);
  const last = Math.floor(maxOf(allTimes) / bucketMs);
  const buckets = last - first + 1;
  if (buckets < 3) return bursts;
  for (const group of groups) {
    const counts = new Map<number, number>();
    const firstInBucket = new Map<number, number>();
    for (const line of group.lines) {
      if (line.at === undefined) continue;
      const bucket = Math.floor(line.at / bucketMs);
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
      firstInBucket.set(bucket, Math.min(firstInBucket.get(bucket) ?? line.at, line.at));
    }
    if (counts.size === 0) continue;
    // The usual rate counts empty buckets too: a template silent most of the time that floods one bucket is a burst.
    const perBucket = Array.from({ length: buckets }, (_, i) => counts.get(first + i) ?? 0);
    const usual = median(perBucket);
    let best: Burst | undefined;
    for (const [bucket, count] of counts) {
      if (
        count >= BURST_MIN_COUNT &&
        count >= BURST_FACTOR * Math.max(usual, 1) &&
        (!best || count > best.count)
      ) {
        best = {
          group,
          bucketStart: bucket * bucketMs,
          firstAt: firstInBucket.get(bucket) ?? bucket * bucketMs,
          count,
          usual,
        };
      }
    }
    if (best) bursts.push(best);
  }
  return bursts.sort((a, b) => a.bucketStart - b.bucketStart || b.count - a.count);
}

function evidence(group: Group): string[] {
  return group.lines.slice(0, EVIDENCE).map((l) => `${l.no}: ${l.text.slice(0, 500)}`);
}

function templateFinding(
  rule: (typeof RULES)[keyof typeof RULES],
  group: Group,
  message: string,
  severity: Severity = rule.severity,
): Finding {
  return {
    ruleId: rule.id,
    severity,
    title: rule.title,
    message,
    resource: {
      kind: 'log-template',
      name: group.template.slice(0, 300),
      ...(group.component ? { namespace: group.component } : {}),
      line: group.lines[0]?.no ?? 1,
    },
    evidence: { count: group.lines.length, lines: evidence(group) },
    remediation: rule.remediation,
    fingerprint: fingerprint(rule.id, normaliseTemplate(group.template)),
  };
}

export function analyzeLogs(input: LogAnalyzerInput, context: AgentContext): LogAnalyzerOutput {
  const texts = splitLines(input);
  const parser = createLineParser(input.format, texts);
  const miner = createTemplateMiner();
  const { lines, groups, unparsed } = readLines(texts, parser, miner, context.now.getUTCFullYear());
  const known = new Set((input.baseline?.templates ?? []).map(normaliseTemplate));
  if (input.baseline) for (const g of groups) g.isNew = !known.has(normaliseTemplate(g.template));

  const lastLine = lines.length;
  const recency = (g: Group) => (g.lines.at(-1)?.no ?? 0) / Math.max(lastLine, 1);
  const byImportance = (a: Group, b: Group) =>
    b.lines.length * (1 + recency(b)) - a.lines.length * (1 + recency(a));

  const findings: Finding[] = [];
  const errorGroups = groups.filter((g) => g.errorLike > 0).sort(byImportance);
  for (const g of errorGroups) {
    const fatal = (g.levels.get('FATAL') ?? 0) > 0;
    findings.push(
      templateFinding(
        RULES.errors,
        g,
        `${g.errorLike} error line(s) of this template, last at line ${g.lines.at(-1)?.no}.`,
        fatal ? 'critical' : 'high',
      ),
    );
  }
  const warnGroups = groups
    .filter((g) => g.errorLike === 0 && (g.levels.get('WARN') ?? 0) > 0)
    .sort(byImportance);
  for (const g of warnGroups) {
    findings.push(
      templateFinding(
        RULES.warnings,
        g,
        `${g.levels.get('WARN')} warning line(s) of this template, last at line ${g.lines.at(-1)?.no}.`,
      ),
    );
  }
  const bucketMs = input.bucketSeconds * 1000;
  const bursts = findBursts(groups, bucketMs);
  for (const b of bursts) {
    findings.push({
      ...templateFinding(
        RULES.burst,
        b.group,
        `${b.count} lines in the ${input.bucketSeconds}s from ${iso(b.bucketStart)}, against a usual ${b.usual} per bucket.`,
      ),
      fingerprint: fingerprint(RULES.burst.id, normaliseTemplate(b.group.template), b.bucketStart),
    });
  }
  const newGroups = groups.filter((g) => g.isNew);
  for (const g of newGroups) {
    findings.push(
      templateFinding(
        RULES.newTemplate,
        g,
        `Not in the baseline; ${g.lines.length} line(s), first at line ${g.lines[0]?.no}.`,
        g.errorLike > 0 ? 'high' : 'medium',
      ),
    );
  }
  const firstBurst = bursts[0];
  if (firstBurst) {
    const windowStart = firstBurst.firstAt - ROOT_CAUSE_LOOKBACK_BUCKETS * bucketMs;
    const candidates = groups
      .filter((g) => g !== firstBurst.group && (g.isNew || g.errorLike > 0))
      .map((g) => ({ g, start: g.lines.find((l) => l.at !== undefined)?.at }))
      .filter(
        (c): c is { g: Group; start: number } =>
          c.start !== undefined && c.start >= windowStart && c.start <= firstBurst.firstAt,
      )
      .sort((a, b) => a.start - b.start)
      .slice(0, 3);
    for (const { g, start } of candidates) {
      findings.push({
        ...templateFinding(
          RULES.rootCause,
          g,
          `First seen ${iso(start)}, ${((firstBurst.firstAt - start) / 1000).toFixed(1)} s before the burst of "${firstBurst.group.template.slice(0, 120)}" began.`,
        ),
        fingerprint: fingerprint(RULES.rootCause.id, normaliseTemplate(g.template), firstBurst.bucketStart),
      });
    }
  }

  const templates: TemplateSummary[] = [...groups]
    .sort((a, b) => b.lines.length - a.lines.length || (a.lines[0]?.no ?? 0) - (b.lines[0]?.no ?? 0))
    .slice(0, input.maxTemplates)
    .map((g) => {
      const times = g.lines.map((l) => l.at).filter((t): t is number => t !== undefined);
      return {
        id: g.id,
        template: g.template,
        count: g.lines.length,
        levels: Object.fromEntries(g.levels),
        ...(times.length > 0 ? { firstSeen: iso(minOf(times)), lastSeen: iso(maxOf(times)) } : {}),
        firstLine: g.lines[0]?.no ?? 0,
        lastLine: g.lines.at(-1)?.no ?? 0,
        sample: g.lines[0]?.text.slice(0, 1000) ?? '',
        ...(g.component ? { component: g.component } : {}),
        ...(input.baseline ? { isNew: g.isNew } : {}),
      };
    });
  const errorLines = groups.reduce((n, g) => n + g.errorLike, 0);
  const warningLines = groups.reduce((n, g) => n + (g.levels.get('WARN') ?? 0), 0);
  const summary =
    `${lines.length} lines, ${groups.length} templates; ${errorLines} error and ${warningLines} warning lines` +
    `${bursts.length > 0 ? `; ${bursts.length} burst(s), the first at ${iso(firstBurst?.bucketStart)}` : ''}` +
    `${input.baseline ? `; ${newGroups.length} template(s) new against the baseline` : ''}.`;
  const healthy = lines.length === 0 ? 100 : Math.round(100 * (1 - errorLines / lines.length));
  return {
    summary,
    score: Math.max(0, Math.min(100, healthy - 10 * bursts.length)),
    findings,
    format: parser.format,
    templates,
    metrics: {
      lines: lines.length,
      unparsedLines: unparsed,
      templates: groups.length,
      errorLines,
      warningLines,
      timestampedLines: lines.filter((l) => l.at !== undefined).length,
      newTemplates: newGroups.length,
      bursts: bursts.length,
    },
  };
}
