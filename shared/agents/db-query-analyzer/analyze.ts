/**
 * The analysis, as the checks of the scan pipeline (shared/agents/scan/run.ts):
 * files are sorted by what they hold (sources.ts); SQL is parsed with
 * PostgreSQL's parser; CREATE statements make the schema; the other
 * statements are grouped by fingerprint into a query log, merged with the
 * statistics (query-log.ts). Each distinct query is read once by the
 * statement rules, the index rule and, when DDL is given, the name check
 * against the schema it defines (name-check.ts); a group that repeats with
 * many literals is an N+1. Plans are read node by node. The pipeline suppresses and sorts; the result lists at most
 * MAX_FINDINGS_PER_RULE findings of each rule, the score (`deduction`)
 * counts them all.
 */
import { loadModule } from 'libpg-query';
import {
  type AgentContext,
  type Finding,
  type FindingCounts,
  SEVERITIES,
  type SourceFile,
} from '../contract.js';
import { plural, runScan } from '../scan/run.js';
import { deductionScore } from '../scan/score.js';
import {
  mergeSuppressions,
  type ParsedSuppressions,
  parseInlineAllows,
  type Suppression,
} from '../suppressions.js';
import { downMigrations, migrationHistory, type Order, toolTransactions } from './history.js';
import { migrationFindings } from './migration-rules.js';
import { checkNames, REPLAYED_TYPES } from './name-check.js';
import { analyzePlan, type PlanHit, type PlanInput } from './plans.js';
import {
  byTimeThenCalls,
  groupQueries,
  place,
  type QueryGroup,
  readGroup,
  type StatStatement,
  type Suggestions,
  statementName,
} from './query-log.js';
import {
  DEFAULT_THRESHOLDS,
  MAX_FINDINGS_PER_RULE,
  MAX_INDEX_SUGGESTIONS,
  MAX_QUERIES_ANALYZED,
  SEVERITY_WEIGHTS,
  SQL_RULES,
  type Thresholds,
} from './rules.js';
import type { DbQueryInput, DbQueryOutput } from './schema.js';
import { buildSchema, type SchemaModel } from './schema-model.js';
import { type Sources, sortSources } from './sources.js';
import {
  DDL_TYPES,
  normalizedText,
  type ParseProblem,
  parseSqlFile,
  parseStatisticsQuery,
  queryFingerprint,
  type Statement,
} from './sql-source.js';

const MAX_NAME = 80;
const MAX_QUERY_SHOWN = 500;

function thresholdsOf(input: DbQueryInput): Thresholds {
  return {
    largeOffset: input.options?.largeOffset ?? DEFAULT_THRESHOLDS.largeOffset,
    nPlusOneMin: input.options?.nPlusOneMin ?? DEFAULT_THRESHOLDS.nPlusOneMin,
    largeScanRows: input.options?.largeScanRows ?? DEFAULT_THRESHOLDS.largeScanRows,
    largeOuterRows: input.options?.largeOuterRows ?? DEFAULT_THRESHOLDS.largeOuterRows,
  };
}

interface Statements {
  sql: Statement[];
  statistics: StatStatement[];
  problems: ParseProblem[];
}

/** The SQL files' statements and the statistics' queries, parsed; what does not parse is a problem. */
function readStatements(sources: Sources, signal: AbortSignal | undefined): Statements {
  const read: Statements = { sql: [], statistics: [], problems: [] };
  for (const file of sources.sql) {
    signal?.throwIfAborted();
    const parsed = parseSqlFile(file.path, file.content);
    read.sql.push(...parsed.statements);
    read.problems.push(...parsed.problems);
  }
  for (const row of sources.statistics) {
    const parsed = parseStatisticsQuery(row.query, {
      ...(row.file === undefined ? {} : { file: row.file }),
      line: row.line,
      multiline: row.multiline,
    });
    read.problems.push(...parsed.problems);
    for (const statement of parsed.statements) read.statistics.push({ statement, row });
  }
  return read;
}

function parseProblemFinding(problem: ParseProblem): Finding {
  const fromStatistics = problem.source === 'statistics';
  const name = problem.text.replace(/\s+/g, ' ').slice(0, MAX_NAME) || 'statement';
  if (problem.templateStatements !== undefined) {
    const count = plural(problem.templateStatements, 'statement');
    return SQL_RULES.finding('SQL000', {
      message: `The file is a template (Go text/template or Jinja tags): ${count} still did not parse with each tag read as a name, and were not analyzed (the first is here: ${problem.message}).`,
      severity: 'info',
      resource: {
        kind: 'Statement',
        name,
        ...(problem.file === undefined ? {} : { file: problem.file, line: problem.line }),
      },
      key: ['template', String(problem.templateStatements)],
    });
  }
  return SQL_RULES.finding('SQL000', {
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
  return SQL_RULES.finding(hit.ruleId, {
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
function inlineSuppressions(
  files: readonly SourceFile[],
  statements: readonly Statement[],
): ParsedSuppressions {
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

function lineInText(statement: Statement, position: number | undefined): number | undefined {
  if (position === undefined || statement.checkText === undefined) return undefined;
  const offset = statement.text.length - statement.checkText.length;
  const before = statement.text.slice(0, Math.max(0, offset + position - 1));
  return statement.line + (before.match(/\n/g)?.length ?? 0);
}

interface NameCheck {
  checked: number;
  ddlFailures: number;
}

/**
 * SQL013 and SQL014 on the groups read, when there is DDL to check their names against. `replayed`:
 * the DDL and the statements that change how names resolve (SET search_path), in file order.
 */
function checkGroupNames(
  replayed: readonly Statement[],
  schema: SchemaModel,
  groups: ReadonlyMap<string, QueryGroup>,
  analyzed: readonly QueryGroup[],
  signal: AbortSignal | undefined,
  order: Order | undefined,
): NameCheck {
  const representatives = analyzed.map((g) => g.first);
  if ((schema.tables.size === 0 && schema.views.size === 0) || representatives.length === 0)
    return { checked: 0, ddlFailures: 0 };
  const checked = checkNames(replayed, representatives, signal, order);
  for (const problem of checked.problems) {
    const group = groups.get(queryFingerprint(problem.statement.text));
    if (group === undefined) continue;
    const what = problem.ruleId === 'SQL013' ? 'relation' : 'column';
    group.findings.push(
      SQL_RULES.finding(problem.ruleId, {
        message: `${problem.message} in the schema the DDL given defines at this statement: the statement would fail.`,
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
  return { checked: checked.checked, ddlFailures: checked.ddlFailures.length };
}

interface PlanReading {
  findings: Finding[];
  plans: number;
  nodes: number;
}

function readPlans(plans: readonly PlanInput[], thresholds: Thresholds): PlanReading {
  const reading: PlanReading = { findings: [], plans: 0, nodes: 0 };
  for (const plan of plans) {
    const { hits, summary } = analyzePlan(plan, thresholds);
    reading.nodes += summary.nodes;
    reading.plans += summary.plans;
    reading.findings.push(...hits.map((hit) => planFinding(plan, hit)));
  }
  return reading;
}

/** Everything the checks read and found, for the result's lists and metrics. */
interface Analysis {
  sources: Sources;
  statements: Statements;
  ddl: Statement[];
  schema: SchemaModel;
  groups: Map<string, QueryGroup>;
  /** The groups by time, then calls. */
  ranked: QueryGroup[];
  analyzed: number;
  totalTimeMs: number;
  suggestions: Suggestions;
  names: NameCheck;
  plans: PlanReading;
  findings: Finding[];
}

async function analyzeSources(
  sources: Sources,
  thresholds: Thresholds,
  context: AgentContext,
): Promise<Analysis> {
  const statements = readStatements(sources, context.signal);
  // A down migration undoes its step: the schema the later steps (and the queries) see is built without it.
  const isDown = downMigrations(sources.sql);
  const ddl = statements.sql.filter((s) => DDL_TYPES.has(s.type) && !isDown(s));
  const schema = buildSchema(ddl);
  const groups = groupQueries(statements.sql, statements.statistics);
  const totalTimeMs = [...groups.values()].reduce((sum, g) => sum + (g.totalTimeMs ?? 0), 0);
  // Work is bounded per input: the queries that take the most time (or occur most often) are read by
  // the rules and the name check; the rest are counted in the SQL015 finding.
  const ranked = [...groups.values()].sort(byTimeThenCalls);
  const analyzedSet = new Set(ranked.slice(0, MAX_QUERIES_ANALYZED));
  const analyzed = [...groups.values()].filter((g) => analyzedSet.has(g));
  const suggestions: Suggestions = new Map();
  for (const group of analyzed) {
    context.signal?.throwIfAborted();
    readGroup(group, { schema, thresholds, totalTimeMs }, suggestions);
  }
  const order = migrationHistory(sources.sql)?.order;
  // A down migration's queries run after its own DDL, which the replay leaves out: they are not name-checked.
  const replayed = statements.sql.filter((s) => REPLAYED_TYPES.has(s.type) && !isDown(s));
  const checkable = analyzed.filter((g) => !isDown(g.first));
  const names = checkGroupNames(replayed, schema, groups, checkable, context.signal, order);
  const plans = readPlans(sources.plans, thresholds);
  const findings = [
    ...statements.problems.map(parseProblemFinding),
    ...[...groups.values()].flatMap((g) => g.findings),
    ...plans.findings,
  ];
  const result = { sources, statements, ddl, schema, groups, ranked, totalTimeMs, suggestions, names, plans };
  return { ...result, analyzed: analyzed.length, findings };
}

type TopQuery = DbQueryOutput['topQueries'][number];

/** The rules with open findings listed for the group. */
function activeRules(group: QueryGroup, listed: readonly Finding[]): string[] {
  const ids = new Set(group.findings.map((f) => f.fingerprint));
  return [
    ...new Set(listed.filter((f) => ids.has(f.fingerprint) && !f.suppressed).map((f) => f.ruleId)),
  ].sort();
}

function topQuery(
  group: QueryGroup,
  rank: number,
  totalTimeMs: number,
  listed: readonly Finding[],
): TopQuery {
  const text = normalizedText(group.first.text);
  return {
    rank,
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
    ruleIds: activeRules(group, listed),
  };
}

function indexSuggestionsOf(suggestions: Suggestions): DbQueryOutput['indexSuggestions'] {
  return [...suggestions.values()]
    .map(({ statements, ...suggestion }) => ({ ...suggestion, statements: statements.size }))
    .sort((a, b) => b.statements - a.statements || a.ddl.localeCompare(b.ddl))
    .slice(0, MAX_INDEX_SUGGESTIONS);
}

function metricsOf(analysis: Analysis, leftOut: ReadonlyMap<string, number>): DbQueryOutput['metrics'] {
  const { sources, statements, groups, schema, plans, names } = analysis;
  return {
    files: sources.sql.length + sources.plans.filter((p) => p.file !== undefined).length,
    statements: statements.sql.length + statements.statistics.length,
    queries: groups.size,
    ddlStatements: analysis.ddl.length,
    tables: schema.tables.size,
    indexes: [...schema.tables.values()].reduce((sum, t) => sum + t.indexes.length, 0),
    parseErrors: statements.problems.length,
    statisticsRows: sources.statistics.length,
    plans: plans.plans,
    planNodes: plans.nodes,
    namesChecked: names.checked,
    ddlFailures: names.ddlFailures,
    totalExecTimeMs: round(analysis.totalTimeMs),
    queriesNotAnalyzed: groups.size - analysis.analyzed,
    findingsLeftOut: [...leftOut.values()].reduce((sum, n) => sum + n, 0),
  };
}

export async function analyzeDbQueries(input: DbQueryInput, context: AgentContext): Promise<DbQueryOutput> {
  await loadModule();
  const thresholds = thresholdsOf(input);
  let analysis: Analysis | undefined;
  const scan = await runScan({
    files: input.files ?? [],
    ignore: input.ignore,
    // SQL comments are read below: an allow covers every line of its statement.
    inline: false,
    async check(files) {
      analysis = await analyzeSources(sortSources(input, files), thresholds, context);
      const inline = inlineSuppressions(analysis.sources.sql, analysis.statements.sql);
      const migrations = migrationFindings(
        analysis.statements.sql,
        input.options?.postgresVersion,
        migrationHistory(analysis.sources.sql)?.order,
        toolTransactions(analysis.sources.sql, input.options?.assumeInTransaction),
      );
      return { findings: [...analysis.findings, ...migrations], suppressions: [inline] };
    },
  });
  if (analysis === undefined) throw new Error('db-query-analyzer: the scan ran no checks');
  const { kept, leftOut } = capPerRule(scan.findings);
  const truncation = truncationFinding(
    analysis.groups.size - analysis.analyzed,
    leftOut,
    analysis.suggestions.size,
  );
  const findings = truncation === undefined ? kept : [...kept, truncation];
  const topQueries = analysis.ranked
    .slice(0, input.options?.top ?? 10)
    .map((group, i) => topQuery(group, i + 1, analysis?.totalTimeMs ?? 0, findings));
  const metrics = metricsOf(analysis, leftOut);
  return {
    summary:
      summarize(metrics, scan.counts, topQueries[0], analysis.sources.skipped.length) +
      (truncation === undefined ? '' : ` ${truncation.message}`),
    // The score counts every finding, also those left out of the list.
    score: deductionScore(scan.findings, SEVERITY_WEIGHTS),
    findings,
    metrics,
    topQueries,
    indexSuggestions: indexSuggestionsOf(analysis.suggestions),
    skipped: analysis.sources.skipped,
  };
}

/**
 * The first MAX_FINDINGS_PER_RULE findings of each rule (the list is sorted most severe first), and how
 * many of each were left out. A migration rule is capped per file: a history's every step is reviewed,
 * and one file's findings stay bounded.
 */
function capPerRule(findings: readonly Finding[]): { kept: Finding[]; leftOut: Map<string, number> } {
  const seen = new Map<string, number>();
  const leftOut = new Map<string, number>();
  const kept = findings.filter((finding) => {
    const key = finding.ruleId.startsWith('MIG')
      ? `${finding.ruleId}\u0000${finding.resource?.file ?? ''}`
      : finding.ruleId;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
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
  return SQL_RULES.finding('SQL015', {
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
  counts: FindingCounts,
  top: TopQuery | undefined,
  skipped: number,
): string {
  const found = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const parts = [
    `${plural(metrics.queries, 'distinct query', 'distinct queries')} in ${plural(metrics.statements, 'statement')}`,
  ];
  if (metrics.tables > 0) parts.push(`checked against ${plural(metrics.tables, 'table')} of DDL`);
  if (metrics.plans > 0) parts.push(`${plural(metrics.plans, 'plan')} (${metrics.planNodes} nodes)`);
  const oneFinding = found.length === 1 && found[0]?.startsWith('1 ');
  let summary = `Analyzed ${parts.join(', ')}: ${found.length === 0 ? 'no findings' : `${found.join(', ')} finding${oneFinding ? '' : 's'}`}.`;
  if (top?.sharePercent !== undefined) {
    summary += ` Top query by total time takes ${top.sharePercent}%: ${top.query.slice(0, 80)}`;
  }
  if (skipped > 0) summary += ` ${plural(skipped, 'file')} skipped.`;
  return summary;
}
