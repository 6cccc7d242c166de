/**
 * The analysis: files are sorted by what they hold (SQL, pg_stat_statements,
 * EXPLAIN plans, `.aiopsignore`); SQL is parsed with PostgreSQL's parser;
 * CREATE statements make the schema; the other statements are grouped by
 * fingerprint into a query log, merged with the statistics. Each distinct
 * query is read once — at its first occurrence — by the statement rules, the
 * index rule and, when DDL is given, the name check in PGlite; a group that
 * repeats with many literals is an N+1. Plans are read node by node.
 * Suppressions are applied last; findings are sorted by severity, then place.
 */
import { loadModule } from 'libpg-query';
import { type AgentContext, countFindings, type Finding, SEVERITIES, type Severity } from '../contract.js';
import { ruleFinding } from '../rules.js';
import {
  applySuppressions,
  fromIgnoreInput,
  mergeSuppressions,
  type ParsedSuppressions,
  parseAiopsIgnore,
  parseInlineAllows,
  type Suppression,
} from '../suppressions.js';
import { queryBlocks } from './blocks.js';
import { indexHits } from './index-advice.js';
import { checkNames } from './name-check.js';
import { planItems, unframePlanText } from './plan-format.js';
import { analyzePlan, type PlanHit, type PlanInput } from './plans.js';
import { type Hit, type IndexSuggestion, statementRuleHits } from './query-rules.js';
import {
  DEFAULT_THRESHOLDS,
  HOT_STATEMENT_SHARE,
  MAX_FINDINGS_PER_RULE,
  MAX_INDEX_SUGGESTIONS,
  MAX_QUERIES_ANALYZED,
  N_PLUS_ONE_HIGH,
  PERFORMANCE_RULES,
  rule,
  SEVERITY_WEIGHTS,
  type Thresholds,
} from './rules.js';
import type { DbQueryInput, DbQueryOutput } from './schema.js';
import { buildSchema } from './schema-model.js';
import {
  DDL_TYPES,
  literalKey,
  normalizedText,
  type ParseProblem,
  parseSqlFile,
  parseStatisticsQuery,
  QUERY_TYPES,
  queryFingerprint,
  type Statement,
  sqlFromServerLog,
} from './sql-source.js';
import { type StatRow, statisticsFromCsv, statisticsFromJson } from './statistics.js';

const MAX_NAME = 80;
const MAX_QUERY_SHOWN = 500;

interface SqlFile {
  path: string;
  content: string;
}

interface Sources {
  sql: SqlFile[];
  statistics: StatRow[];
  plans: PlanInput[];
  ignoreFiles: SqlFile[];
  skipped: { path: string; reason: string }[];
}

interface QueryGroup {
  fingerprint: string;
  /** The statement the rules read: the first in the SQL files, else the first in the statistics. */
  first: Statement;
  /** Occurrences in SQL files (a query log). */
  occurrences: Statement[];
  literals: Set<string>;
  calls?: number;
  totalTimeMs?: number;
  rows?: number;
  findings: Finding[];
}

function baseName(path: string): string {
  return path.replaceAll('\\', '/').split('/').at(-1) ?? path;
}

/** What each file holds, by name, then by content for JSON. */
function sortSources(input: DbQueryInput): Sources {
  const sources: Sources = { sql: [], statistics: [], plans: [], ignoreFiles: [], skipped: [] };
  for (const file of input.files ?? []) {
    const name = baseName(file.path).toLowerCase();
    if (name === '.aiopsignore') {
      sources.ignoreFiles.push(file);
    } else if (name.endsWith('.csv')) {
      const rows = statisticsFromCsv(file.path, file.content);
      if (rows === undefined) {
        sources.skipped.push({
          path: file.path,
          reason: 'CSV without query and calls/time columns (not pg_stat_statements)',
        });
      } else {
        sources.statistics.push(...rows);
      }
    } else if (name.endsWith('.json')) {
      const text = unframePlanText(file.content);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        sources.skipped.push({ path: file.path, reason: 'not valid JSON' });
        continue;
      }
      const rows = planItems(value) === undefined ? statisticsFromJson(file.path, value, text) : undefined;
      if (planItems(value) !== undefined)
        sources.plans.push({ name: file.path, file: file.path, value, text });
      else if (rows !== undefined) sources.statistics.push(...rows);
      else
        sources.skipped.push({
          path: file.path,
          reason: 'neither EXPLAIN (FORMAT JSON) output nor pg_stat_statements rows',
        });
    } else {
      // A server log is read as the statements it records, on their lines.
      sources.sql.push(
        name.endsWith('.log') ? { path: file.path, content: sqlFromServerLog(file.content) } : file,
      );
    }
  }
  if (input.sql !== undefined) sources.sql.push({ path: 'input.sql', content: input.sql });
  if (input.statistics !== undefined)
    sources.statistics.push(...(statisticsFromJson(undefined, input.statistics) ?? []));
  input.plans?.forEach((plan, i) => {
    sources.plans.push({
      name: `plans[${i}]`,
      value: plan.value,
      ...(plan.text === undefined ? {} : { text: plan.text }),
    });
  });
  return sources;
}

function statementName(statement: Statement): string {
  const text = normalizedText(statement.text);
  return text.length <= MAX_NAME ? text : `${text.slice(0, MAX_NAME - 1)}…`;
}

function place(statement: Statement, line: number | undefined) {
  return {
    ...(statement.file === undefined ? {} : { file: statement.file }),
    ...(statement.file === undefined || line === undefined ? {} : { line }),
  };
}

function raise(severity: Severity): Severity {
  const index = SEVERITIES.indexOf(severity);
  return SEVERITIES[Math.max(0, index - 1)] ?? severity;
}

function hitFinding(group: QueryGroup, hit: Hit, hot: boolean): Finding {
  const statement = group.first;
  const base = hit.severity ?? rule(hit.ruleId).severity;
  const raised = hot && PERFORMANCE_RULES.has(hit.ruleId) && base !== 'high' && base !== 'critical';
  const evidence = {
    ...hit.evidence,
    ...(group.occurrences.length > 1 ? { occurrences: group.occurrences.length } : {}),
    ...(raised
      ? { raisedBecause: `the statement takes ≥ ${HOT_STATEMENT_SHARE * 100}% of the total execution time` }
      : {}),
  };
  return ruleFinding(rule(hit.ruleId), {
    message: hit.message,
    severity: raised ? raise(base) : base,
    resource: {
      kind: 'Statement',
      name: statementName(statement),
      ...place(statement, statement.lineOf(hit.location)),
    },
    ...(Object.keys(evidence).length === 0 ? {} : { evidence }),
    key: [group.fingerprint, ...(hit.key ?? [])],
  });
}

function dedupeHits(hits: readonly Hit[]): Hit[] {
  const seen = new Set<string>();
  return hits.filter((hit) => {
    const key = JSON.stringify([hit.ruleId, ...(hit.key ?? [hit.location])]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function nPlusOne(group: QueryGroup, thresholds: Thresholds): Hit | undefined {
  const { occurrences } = group;
  if (group.first.type !== 'SelectStmt' || group.literals.size < thresholds.nPlusOneMin) return undefined;
  const lines = occurrences.slice(0, 10).map((s) => (s.file === undefined ? s.line : `${s.file}:${s.line}`));
  return {
    ruleId: 'SQL011',
    ...(occurrences.length >= N_PLUS_ONE_HIGH ? { severity: 'high' as const } : {}),
    message:
      `The same query runs ${occurrences.length} times with ${group.literals.size} different literal values ` +
      '(one query per row, N+1): fetch them in one query with = ANY($1) or a JOIN.',
    evidence: { occurrences: occurrences.length, distinctLiterals: group.literals.size, lines },
    key: ['n+1'],
  };
}

function parseProblemFinding(problem: ParseProblem): Finding {
  const fromStatistics = problem.source === 'statistics';
  const name = problem.text.replace(/\s+/g, ' ').slice(0, MAX_NAME) || 'statement';
  return ruleFinding(rule('SQL000'), {
    message: fromStatistics
      ? `A query in the statistics does not parse (${problem.message}); it may have been cut at track_activity_query_size.`
      : `The statement does not parse: ${problem.message}.`,
    ...(fromStatistics ? { severity: 'info' as const } : {}),
    resource: {
      kind: 'Statement',
      name,
      ...(problem.file === undefined ? {} : { file: problem.file, line: problem.line }),
    },
    key: [problem.message],
  });
}

function planFinding(plan: PlanInput, hit: PlanHit): Finding {
  return ruleFinding(rule(hit.ruleId), {
    message: hit.message,
    ...(hit.severity === undefined ? {} : { severity: hit.severity }),
    resource: {
      kind: 'PlanNode',
      name: plan.file === undefined ? `${plan.name}: ${hit.node}` : hit.node,
      ...(plan.file === undefined ? {} : { file: plan.file }),
      ...(plan.file === undefined || hit.line === undefined ? {} : { line: hit.line }),
    },
    ...(hit.evidence === undefined ? {} : { evidence: hit.evidence }),
    key: hit.key ?? [],
  });
}

/**
 * Inline `-- aiops:allow RULE reason` covers the statement it sits on or
 * above, all of its lines: a finding inside a long statement is on a later
 * line than the comment's target.
 */
function inlineSuppressions(files: readonly SqlFile[], statements: readonly Statement[]): ParsedSuppressions {
  const parsed = mergeSuppressions(
    ...files.map((file) => parseInlineAllows(file.path, file.content, ['--', '/*'])),
  );
  const spread: Suppression[] = [];
  for (const suppression of parsed.suppressions) {
    spread.push(suppression);
    const statement = statements.find(
      (s) =>
        s.file === suppression.file &&
        suppression.line !== undefined &&
        s.line <= suppression.line &&
        suppression.line <= s.endLine,
    );
    if (statement === undefined) continue;
    for (let line = statement.line; line <= statement.endLine; line += 1) {
      if (line !== suppression.line) spread.push({ ...suppression, line });
    }
  }
  return { suppressions: spread, problems: parsed.problems };
}

function bySeverityThenPlace(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    (a.resource?.file ?? '').localeCompare(b.resource?.file ?? '') ||
    (a.resource?.line ?? 0) - (b.resource?.line ?? 0) ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

function lineInText(statement: Statement, position: number | undefined): number | undefined {
  if (position === undefined || statement.checkText === undefined) return undefined;
  const offset = statement.text.length - statement.checkText.length;
  const before = statement.text.slice(0, Math.max(0, offset + position - 1));
  return statement.line + (before.match(/\n/g)?.length ?? 0);
}

export async function analyzeDbQueries(input: DbQueryInput, context: AgentContext): Promise<DbQueryOutput> {
  await loadModule();
  const thresholds: Thresholds = {
    largeOffset: input.options?.largeOffset ?? DEFAULT_THRESHOLDS.largeOffset,
    nPlusOneMin: input.options?.nPlusOneMin ?? DEFAULT_THRESHOLDS.nPlusOneMin,
    largeScanRows: input.options?.largeScanRows ?? DEFAULT_THRESHOLDS.largeScanRows,
    largeOuterRows: input.options?.largeOuterRows ?? DEFAULT_THRESHOLDS.largeOuterRows,
  };
  const sources = sortSources(input);
  const findings: Finding[] = [];

  const sqlStatements: Statement[] = [];
  const problems: ParseProblem[] = [];
  for (const file of sources.sql) {
    context.signal?.throwIfAborted();
    const parsed = parseSqlFile(file.path, file.content);
    sqlStatements.push(...parsed.statements);
    problems.push(...parsed.problems);
  }
  const statStatements: { statement: Statement; row: StatRow }[] = [];
  for (const row of sources.statistics) {
    const parsed = parseStatisticsQuery(row.query, {
      ...(row.file === undefined ? {} : { file: row.file }),
      line: row.line,
      multiline: row.multiline,
    });
    problems.push(...parsed.problems);
    for (const statement of parsed.statements) statStatements.push({ statement, row });
  }
  findings.push(...problems.map(parseProblemFinding));

  const ddl = sqlStatements.filter((s) => DDL_TYPES.has(s.type));
  const schema = buildSchema(ddl);

  // The query log: statements grouped by fingerprint, statistics merged in.
  const groups = new Map<string, QueryGroup>();
  const groupOf = (statement: Statement): QueryGroup => {
    const fingerprint = queryFingerprint(statement.text);
    let group = groups.get(fingerprint);
    if (group === undefined) {
      group = { fingerprint, first: statement, occurrences: [], literals: new Set(), findings: [] };
      groups.set(fingerprint, group);
    }
    return group;
  };
  for (const statement of sqlStatements) {
    if (!QUERY_TYPES.has(statement.type)) continue;
    const group = groupOf(statement);
    if (group.occurrences.length === 0) group.first = statement;
    group.occurrences.push(statement);
    group.literals.add(literalKey(statement.text));
  }
  for (const { statement, row } of statStatements) {
    if (!QUERY_TYPES.has(statement.type)) continue;
    const group = groupOf(statement);
    if (row.calls !== undefined) group.calls = (group.calls ?? 0) + row.calls;
    if (row.totalTimeMs !== undefined) group.totalTimeMs = (group.totalTimeMs ?? 0) + row.totalTimeMs;
    if (row.rows !== undefined) group.rows = (group.rows ?? 0) + row.rows;
  }
  const totalTimeMs = [...groups.values()].reduce((sum, g) => sum + (g.totalTimeMs ?? 0), 0);

  // Work is bounded per input: the queries that take the most time (or occur most often) are read by
  // the rules and the name check; the rest are counted in the SQL015 finding.
  const ranked = [...groups.values()].sort(byTimeThenCalls);
  const analyzed = ranked.slice(0, MAX_QUERIES_ANALYZED);
  const analyzedSet = new Set(analyzed);

  const suggestions = new Map<string, IndexSuggestion & { statements: Set<string> }>();
  for (const group of groups.values()) {
    if (!analyzedSet.has(group)) continue;
    context.signal?.throwIfAborted();
    const blocks = queryBlocks(group.first.type, group.first.body, schema);
    const hits = dedupeHits([
      ...statementRuleHits(blocks, { schema, thresholds }),
      ...blocks.flatMap(indexHits),
    ]);
    const n1 = nPlusOne(group, thresholds);
    if (n1 !== undefined) hits.push(n1);
    const hot = totalTimeMs > 0 && (group.totalTimeMs ?? 0) / totalTimeMs >= HOT_STATEMENT_SHARE;
    for (const hit of hits) {
      group.findings.push(hitFinding(group, hit, hot));
      if (hit.suggestion !== undefined) {
        const entry = suggestions.get(hit.suggestion.ddl) ?? { ...hit.suggestion, statements: new Set() };
        entry.statements.add(group.fingerprint);
        suggestions.set(hit.suggestion.ddl, entry);
      }
    }
  }

  // Names, when there is DDL to check them against.
  let namesChecked = 0;
  let ddlFailures = 0;
  const representatives = [...groups.values()].filter((g) => analyzedSet.has(g)).map((g) => g.first);
  if ((schema.tables.size > 0 || schema.views.size > 0) && representatives.length > 0) {
    const checked = await checkNames(ddl, representatives, context.signal);
    namesChecked = checked.checked;
    ddlFailures = checked.ddlFailures.length;
    for (const problem of checked.problems) {
      const group = groups.get(queryFingerprint(problem.statement.text));
      if (group === undefined) continue;
      const what = problem.ruleId === 'SQL013' ? 'relation' : 'column';
      group.findings.push(
        ruleFinding(rule(problem.ruleId), {
          message: `${problem.message} in the DDL given (checked in PGlite): the statement would fail.`,
          resource: {
            kind: 'Statement',
            name: statementName(problem.statement),
            ...place(
              problem.statement,
              lineInText(problem.statement, problem.position) ?? problem.statement.line,
            ),
          },
          evidence: { [what]: problem.name },
          key: [group.fingerprint, problem.name],
        }),
      );
    }
  }
  for (const group of groups.values()) findings.push(...group.findings);

  let planNodes = 0;
  let planCount = 0;
  for (const plan of sources.plans) {
    const { hits, summary } = analyzePlan(plan, thresholds);
    planNodes += summary.nodes;
    planCount += summary.plans;
    findings.push(...hits.map((hit) => planFinding(plan, hit)));
  }

  const suppressions = mergeSuppressions(
    inlineSuppressions(sources.sql, sqlStatements),
    ...sources.ignoreFiles.map((file) => parseAiopsIgnore(file.content, file.path)),
    { suppressions: fromIgnoreInput(input.ignore), problems: [] },
  );
  const all = applySuppressions([...findings].sort(bySeverityThenPlace), suppressions);
  const { kept, leftOut } = capPerRule(all);
  const truncation = truncationFinding(groups.size - analyzed.length, leftOut, suggestions.size);
  const result = truncation === undefined ? kept : [...kept, truncation];

  // The score counts every finding, also those left out of the list.
  const counts = countFindings(all);
  const penalty = SEVERITIES.reduce(
    (sum, severity) => sum + counts[severity] * SEVERITY_WEIGHTS[severity],
    0,
  );
  const score = Math.max(0, 100 - penalty);

  const activeRules = (group: QueryGroup) => {
    const ids = new Set(group.findings.map((f) => f.fingerprint));
    return [
      ...new Set(result.filter((f) => ids.has(f.fingerprint) && !f.suppressed).map((f) => f.ruleId)),
    ].sort();
  };
  const topQueries = ranked.slice(0, input.options?.top ?? 10).map((group, i) => {
    const text = normalizedText(group.first.text);
    return {
      rank: i + 1,
      fingerprint: group.fingerprint,
      query: text.length <= MAX_QUERY_SHOWN ? text : `${text.slice(0, MAX_QUERY_SHOWN - 1)}…`,
      calls: Math.round(group.calls ?? group.occurrences.length),
      ...(group.totalTimeMs === undefined ? {} : { totalTimeMs: round(group.totalTimeMs) }),
      ...(group.totalTimeMs !== undefined && group.calls
        ? { meanTimeMs: round(group.totalTimeMs / group.calls) }
        : {}),
      ...(group.rows === undefined ? {} : { rows: group.rows }),
      ...(group.totalTimeMs !== undefined && totalTimeMs > 0
        ? { sharePercent: round((100 * group.totalTimeMs) / totalTimeMs) }
        : {}),
      ...place(group.first, group.first.line),
      ruleIds: activeRules(group),
    };
  });

  const indexSuggestions = [...suggestions.values()]
    .map(({ statements, ...suggestion }) => ({ ...suggestion, statements: statements.size }))
    .sort((a, b) => b.statements - a.statements || a.ddl.localeCompare(b.ddl))
    .slice(0, MAX_INDEX_SUGGESTIONS);

  const metrics = {
    files: sources.sql.length + sources.plans.filter((p) => p.file !== undefined).length,
    statements: sqlStatements.length + statStatements.length,
    queries: groups.size,
    ddlStatements: ddl.length,
    tables: schema.tables.size,
    indexes: [...schema.tables.values()].reduce((sum, t) => sum + t.indexes.length, 0),
    parseErrors: problems.length,
    statisticsRows: sources.statistics.length,
    plans: planCount,
    planNodes,
    namesChecked,
    ddlFailures,
    totalExecTimeMs: round(totalTimeMs),
    queriesNotAnalyzed: groups.size - analyzed.length,
    findingsLeftOut: [...leftOut.values()].reduce((sum, n) => sum + n, 0),
  };
  return {
    summary:
      summarize(metrics, counts, topQueries[0], sources.skipped.length) +
      (truncation === undefined ? '' : ` ${truncation.message}`),
    score,
    findings: result,
    metrics,
    topQueries,
    indexSuggestions,
    skipped: sources.skipped,
  };
}

function byTimeThenCalls(a: QueryGroup, b: QueryGroup): number {
  return (
    (b.totalTimeMs ?? -1) - (a.totalTimeMs ?? -1) ||
    (b.calls ?? b.occurrences.length) - (a.calls ?? a.occurrences.length)
  );
}

/** The first MAX_FINDINGS_PER_RULE findings of each rule (the list is sorted most severe first), and how many of each were left out. */
function capPerRule(findings: readonly Finding[]): { kept: Finding[]; leftOut: Map<string, number> } {
  const seen = new Map<string, number>();
  const leftOut = new Map<string, number>();
  const kept = findings.filter((finding) => {
    const n = (seen.get(finding.ruleId) ?? 0) + 1;
    seen.set(finding.ruleId, n);
    if (n <= MAX_FINDINGS_PER_RULE) return true;
    leftOut.set(finding.ruleId, (leftOut.get(finding.ruleId) ?? 0) + 1);
    return false;
  });
  return { kept, leftOut };
}

/** SQL015: what the bounds left out, or undefined when the whole input was analysed and listed. */
function truncationFinding(
  queriesNotAnalyzed: number,
  leftOut: ReadonlyMap<string, number>,
  suggestions: number,
): Finding | undefined {
  const parts: string[] = [];
  if (queriesNotAnalyzed > 0) {
    parts.push(
      `${queriesNotAnalyzed} distinct quer${queriesNotAnalyzed === 1 ? 'y was' : 'ies were'} not analysed ` +
        `(the ${MAX_QUERIES_ANALYZED} taking the most time or occurring most often were)`,
    );
  }
  const rules = [...leftOut.entries()].sort(([a], [b]) => a.localeCompare(b));
  if (rules.length > 0) {
    parts.push(
      `findings beyond ${MAX_FINDINGS_PER_RULE} per rule were left out of the list (${rules
        .map(([id, n]) => `${n} ${id}`)
        .join(', ')})`,
    );
  }
  if (suggestions > MAX_INDEX_SUGGESTIONS) {
    parts.push(
      `${suggestions - MAX_INDEX_SUGGESTIONS} index suggestions beyond ${MAX_INDEX_SUGGESTIONS} were left out`,
    );
  }
  if (parts.length === 0) return undefined;
  return ruleFinding(rule('SQL015'), {
    message: `Analysis truncated to bound its time and result size: ${parts.join('; ')}.`,
    resource: { kind: 'Analysis', name: 'input' },
    evidence: {
      queriesNotAnalyzed,
      maxQueriesAnalyzed: MAX_QUERIES_ANALYZED,
      findingsLeftOut: Object.fromEntries(rules),
      maxFindingsPerRule: MAX_FINDINGS_PER_RULE,
    },
    key: ['truncated'],
  });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function summarize(
  metrics: DbQueryOutput['metrics'],
  counts: ReturnType<typeof countFindings>,
  top: DbQueryOutput['topQueries'][number] | undefined,
  skipped: number,
): string {
  const found = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const parts = [
    `${metrics.queries} distinct quer${metrics.queries === 1 ? 'y' : 'ies'} in ${metrics.statements} statement${metrics.statements === 1 ? '' : 's'}`,
  ];
  if (metrics.tables > 0)
    parts.push(`checked against ${metrics.tables} table${metrics.tables === 1 ? '' : 's'} of DDL`);
  if (metrics.plans > 0)
    parts.push(`${metrics.plans} plan${metrics.plans === 1 ? '' : 's'} (${metrics.planNodes} nodes)`);
  let summary = `Analyzed ${parts.join(', ')}: ${found.length === 0 ? 'no findings' : `${found.join(', ')} finding${found.length === 1 && found[0]?.startsWith('1 ') ? '' : 's'}`}.`;
  if (top?.sharePercent !== undefined) {
    summary += ` Top query by total time takes ${top.sharePercent}%: ${top.query.slice(0, 80)}`;
  }
  if (skipped > 0) summary += ` ${skipped} file${skipped === 1 ? '' : 's'} skipped.`;
  return summary;
}
