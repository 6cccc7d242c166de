/**
 * The query log: statements grouped by fingerprint, with the statistics of
 * the same fingerprint merged in. Each group is read once — at its first
 * occurrence — by the statement rules, the index rule and the N+1 check, and
 * its findings are kept on the group (top queries list the rules that fired).
 */
import { type Finding, SEVERITIES, type Severity } from '../contract.js';
import { queryBlocks } from './blocks.js';
import { indexHits } from './index-advice.js';
import { type Hit, type IndexSuggestion, statementRuleHits } from './query-rules.js';
import {
  HOT_STATEMENT_SHARE,
  N_PLUS_ONE_HIGH,
  PERFORMANCE_RULES,
  SQL_RULES,
  type Thresholds,
} from './rules.js';
import type { SchemaModel } from './schema-model.js';
import { literalKey, normalizedText, QUERY_TYPES, queryFingerprint, type Statement } from './sql-source.js';
import type { StatRow } from './statistics.js';

const MAX_NAME = 80;

export interface QueryGroup {
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

/** A statement from the statistics and the row it came from. */
export interface StatStatement {
  statement: Statement;
  row: StatRow;
}

/** The queries of the SQL files and of the statistics, grouped by fingerprint. */
export function groupQueries(
  sqlStatements: readonly Statement[],
  statStatements: readonly StatStatement[],
): Map<string, QueryGroup> {
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
  return groups;
}

/** Most total time first, then most calls (or occurrences). */
export function byTimeThenCalls(a: QueryGroup, b: QueryGroup): number {
  return (
    (b.totalTimeMs ?? -1) - (a.totalTimeMs ?? -1) ||
    (b.calls ?? b.occurrences.length) - (a.calls ?? a.occurrences.length)
  );
}

export function statementName(statement: Statement): string {
  const text = normalizedText(statement.text);
  return text.length <= MAX_NAME ? text : `${text.slice(0, MAX_NAME - 1)}…`;
}

/** The statement's file and, when it has a file, the line. */
export function place(statement: Statement, line: number | undefined) {
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
  const base = hit.severity ?? SQL_RULES.rule(hit.ruleId).severity;
  const raised = hot && PERFORMANCE_RULES.has(hit.ruleId) && base !== 'high' && base !== 'critical';
  const evidence = {
    ...hit.evidence,
    ...(group.occurrences.length > 1 ? { occurrences: group.occurrences.length } : {}),
    ...(raised
      ? { raisedBecause: `the statement takes ≥ ${HOT_STATEMENT_SHARE * 100}% of the total execution time` }
      : {}),
  };
  return SQL_RULES.finding(hit.ruleId, {
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

/** SQL011: a SELECT repeated with many different literals. */
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

export type Suggestions = Map<string, IndexSuggestion & { statements: Set<string> }>;

export interface GroupReading {
  schema: SchemaModel;
  thresholds: Thresholds;
  /** Σ execution time over the statistics: a group with HOT_STATEMENT_SHARE of it is hot. */
  totalTimeMs: number;
}

/** The statement rules, the index rule and the N+1 check on one group; index suggestions are collected. */
export function readGroup(group: QueryGroup, reading: GroupReading, suggestions: Suggestions): void {
  const { schema, thresholds, totalTimeMs } = reading;
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
    if (hit.suggestion === undefined) continue;
    const entry = suggestions.get(hit.suggestion.ddl) ?? { ...hit.suggestion, statements: new Set() };
    entry.statements.add(group.fingerprint);
    suggestions.set(hit.suggestion.ddl, entry);
  }
}
