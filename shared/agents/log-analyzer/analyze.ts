/**
 * log-analyzer: lines (of files, at their lines, or given as `lines` or
 * `text`) → templates (with counts, level mix, first and last seen, a
 * sample) → findings of the catalog (rules.ts): error and warning templates,
 * bursts, templates new against a baseline, and root-cause candidates (the
 * earliest new or error templates shortly before a burst), in the one order
 * of every agent's findings; the score is the `error-share` policy.
 */

import { maxOf, minOf } from '../../analysis/extent.js';
import { type AgentContext, countFindings, type Finding, fingerprint, type Severity } from '../contract.js';
import { compareFindings, describeCounts } from '../scan/run.js';
import { createLineParser, createTemplateMiner, normaliseTemplate } from './engine.js';
import { BURST_PENALTY, LOG_RULES, type LogRuleId } from './rules.js';
import type { LogAnalyzerInput, LogAnalyzerOutput, TemplateSummary } from './schema.js';
import {
  type Burst,
  findBursts,
  type Group,
  type Line,
  readTemplates,
  type SourceLine,
} from './templates.js';

const EVIDENCE = 5;
/** How far before a burst a root-cause candidate may start. */
const ROOT_CAUSE_LOOKBACK_BUCKETS = 5;
const MAX_ROOT_CAUSES = 3;

const nonBlank = (line: SourceLine) => line.text.trim() !== '';

/** The non-blank lines: of the files in the order given, each at its line, or of `lines` or `text`. */
function sourceLines(input: LogAnalyzerInput): SourceLine[] {
  if (input.files !== undefined) {
    return input.files.flatMap(({ path, content }) =>
      content
        .split(/\r?\n/)
        .map((text, i) => ({ text, no: i + 1, file: path }))
        .filter(nonBlank),
    );
  }
  const raw = input.lines ?? (input.text ?? '').split(/\r?\n/);
  return raw.filter((text) => text.trim() !== '').map((text, i) => ({ text, no: i + 1 }));
}

/** `app.log:7` for a line of a file, else `line 7`. */
function where(line: SourceLine | undefined): string {
  if (line === undefined) return 'line ?';
  return line.file === undefined ? `line ${line.no}` : `${line.file}:${line.no}`;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function evidence(group: Group): string[] {
  return group.lines
    .slice(0, EVIDENCE)
    .map((l) => `${l.file === undefined ? '' : `${l.file}:`}${l.no}: ${l.text.slice(0, 500)}`);
}

/**
 * A finding on a template, at its first line. The fingerprint is the rule
 * and the normalised template (and `key`: the burst's bucket), so it holds
 * while the template's lines move.
 */
function templateFinding(
  id: LogRuleId,
  group: Group,
  message: string,
  options: { severity?: Severity; key?: number } = {},
): Finding {
  const finding = LOG_RULES.finding(id, {
    message,
    ...(options.severity === undefined ? {} : { severity: options.severity }),
    resource: {
      kind: 'log-template',
      name: group.template.slice(0, 300),
      ...(group.component ? { namespace: group.component } : {}),
      ...(group.lines[0]?.file === undefined ? {} : { file: group.lines[0].file }),
      line: group.lines[0]?.no ?? 1,
    },
    evidence: { count: group.lines.length, lines: evidence(group) },
  });
  const place = options.key === undefined ? [] : [options.key];
  return { ...finding, fingerprint: fingerprint(id, normaliseTemplate(group.template), ...place) };
}

function levelFindings(groups: readonly Group[]): Finding[] {
  const errors = groups
    .filter((g) => g.errorLike > 0)
    .map((g) =>
      templateFinding(
        'LOG001',
        g,
        `${g.errorLike} error line(s) of this template, last at ${where(g.lines.at(-1))}.`,
        {
          severity: (g.levels.get('FATAL') ?? 0) > 0 ? 'critical' : 'high',
        },
      ),
    );
  const warnings = groups
    .filter((g) => g.errorLike === 0 && (g.levels.get('WARN') ?? 0) > 0)
    .map((g) =>
      templateFinding(
        'LOG002',
        g,
        `${g.levels.get('WARN')} warning line(s) of this template, last at ${where(g.lines.at(-1))}.`,
      ),
    );
  return [...errors, ...warnings];
}

function burstFinding(burst: Burst, bucketSeconds: number): Finding {
  return templateFinding(
    'LOG003',
    burst.group,
    `${burst.count} lines in the ${bucketSeconds}s from ${iso(burst.bucketStart)}, against a usual ${burst.usual} per bucket.`,
    { key: burst.bucketStart },
  );
}

function newTemplateFinding(group: Group): Finding {
  return templateFinding(
    'LOG004',
    group,
    `Not in the baseline; ${group.lines.length} line(s), first at ${where(group.lines[0])}.`,
    { severity: group.errorLike > 0 ? 'high' : 'medium' },
  );
}

/** The earliest new or error templates that started within the lookback before the first burst. */
function rootCauseFindings(groups: readonly Group[], burst: Burst | undefined, bucketMs: number): Finding[] {
  if (burst === undefined) return [];
  const windowStart = burst.firstAt - ROOT_CAUSE_LOOKBACK_BUCKETS * bucketMs;
  return groups
    .filter((g) => g !== burst.group && (g.isNew || g.errorLike > 0))
    .map((g) => ({ g, start: g.lines.find((l) => l.at !== undefined)?.at }))
    .filter(
      (c): c is { g: Group; start: number } =>
        c.start !== undefined && c.start >= windowStart && c.start <= burst.firstAt,
    )
    .sort((a, b) => a.start - b.start)
    .slice(0, MAX_ROOT_CAUSES)
    .map(({ g, start }) =>
      templateFinding(
        'LOG005',
        g,
        `First seen ${iso(start)}, ${((burst.firstAt - start) / 1000).toFixed(1)} s before the burst of "${burst.group.template.slice(0, 120)}" began.`,
        { key: burst.bucketStart },
      ),
    );
}

function templateSummary(g: Group, withBaseline: boolean): TemplateSummary {
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
    ...(withBaseline ? { isNew: g.isNew } : {}),
  };
}

/** The most frequent templates first (then the earliest). */
function templateSummaries(groups: readonly Group[], input: LogAnalyzerInput): TemplateSummary[] {
  return [...groups]
    .sort((a, b) => b.lines.length - a.lines.length || (a.lines[0]?.no ?? 0) - (b.lines[0]?.no ?? 0))
    .slice(0, input.maxTemplates)
    .map((g) => templateSummary(g, input.baseline !== undefined));
}

/** `error-share`: 100 × the share of lines that are not errors, minus BURST_PENALTY per burst. */
function errorShareScore(lines: number, errorLines: number, bursts: number): number {
  const healthy = lines === 0 ? 100 : Math.round(100 * (1 - errorLines / lines));
  return Math.max(0, Math.min(100, healthy - BURST_PENALTY * bursts));
}

type Metrics = LogAnalyzerOutput['metrics'];

function metricsOf(
  lines: readonly Line[],
  groups: readonly Group[],
  unparsed: number,
  bursts: number,
): Metrics {
  return {
    lines: lines.length,
    unparsedLines: unparsed,
    templates: groups.length,
    errorLines: groups.reduce((n, g) => n + g.errorLike, 0),
    warningLines: groups.reduce((n, g) => n + (g.levels.get('WARN') ?? 0), 0),
    timestampedLines: lines.filter((l) => l.at !== undefined).length,
    newTemplates: groups.filter((g) => g.isNew).length,
    bursts,
  };
}

function summarise(
  metrics: Metrics,
  findings: readonly Finding[],
  firstBurst: Burst | undefined,
  withBaseline: boolean,
): string {
  const { lines, templates, errorLines, warningLines, bursts, newTemplates } = metrics;
  return (
    `${lines} lines, ${templates} templates; ${errorLines} error and ${warningLines} warning lines` +
    `${bursts > 0 ? `; ${bursts} burst(s), the first at ${iso(firstBurst?.bucketStart)}` : ''}` +
    `${withBaseline ? `; ${newTemplates} template(s) new against the baseline` : ''}` +
    `; ${describeCounts(countFindings(findings))}.`
  );
}

export function analyzeLogs(input: LogAnalyzerInput, context: AgentContext): LogAnalyzerOutput {
  const sources = sourceLines(input);
  const parser = createLineParser(
    input.format,
    sources.map((l) => l.text),
  );
  const { lines, groups, unparsed } = readTemplates(
    sources,
    parser,
    createTemplateMiner(),
    context.now.getUTCFullYear(),
  );
  const known = new Set((input.baseline?.templates ?? []).map(normaliseTemplate));
  if (input.baseline) for (const g of groups) g.isNew = !known.has(normaliseTemplate(g.template));

  const bucketMs = input.bucketSeconds * 1000;
  const bursts = findBursts(groups, bucketMs);
  const findings = [
    ...levelFindings(groups),
    ...bursts.map((b) => burstFinding(b, input.bucketSeconds)),
    ...groups.filter((g) => g.isNew).map(newTemplateFinding),
    ...rootCauseFindings(groups, bursts[0], bucketMs),
  ].sort(compareFindings);
  const metrics = metricsOf(lines, groups, unparsed, bursts.length);
  return {
    summary: summarise(metrics, findings, bursts[0], input.baseline !== undefined),
    score: errorShareScore(metrics.lines, metrics.errorLines, metrics.bursts),
    findings,
    format: parser.format,
    templates: templateSummaries(groups, input),
    metrics,
  };
}
