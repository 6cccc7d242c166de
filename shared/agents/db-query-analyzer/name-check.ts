/**
 * SQL013 / SQL014: each query's relation and column names checked against the
 * schema the DDL given defines at that point, without a database: the DDL is
 * replayed statement by statement on a catalog of names (name-ddl.ts,
 * name-catalog.ts) and each query is resolved against it as PostgreSQL's
 * parse analysis would (name-resolve.ts). One pass over the statements; a
 * query costs one walk of its tree.
 *
 * What the replay cannot follow leaves names unjudged, never a finding: a
 * relation whose columns it cannot derive, a schema the DDL does not create,
 * system catalogs, dynamic SQL in a DO block.
 */
import { Catalog } from './name-catalog.js';
import { DdlReplay } from './name-ddl.js';
import { NameResolver } from './name-resolve.js';
import type { Statement } from './sql-source.js';

export { REPLAYED_TYPES } from './name-ddl.js';

export interface NameProblem {
  statement: Statement;
  ruleId: 'SQL013' | 'SQL014';
  /** The missing relation or column, as PostgreSQL names it. */
  name: string;
  /** PostgreSQL's error message for it. */
  message: string;
  /** 1-based character position in the query text (`checkText`), when known. */
  position?: number;
}

export interface NameCheckResult {
  problems: NameProblem[];
  checked: number;
  /** DDL statements that would fail (an ALTER of a relation never created, a CREATE of one that exists). */
  ddlFailures: { statement: Statement; message: string }[];
}

/**
 * The DDL and the queries as one sequence: all DDL first (the schema as the input finally defines
 * it), or, with `order` (a migration history), each query after the DDL that precedes it, so it is
 * judged against the schema as it stood at that point.
 */
function steps(
  ddl: readonly Statement[],
  queries: readonly Statement[],
  order: ((a: Statement, b: Statement) => number) | undefined,
): { statement: Statement; query: boolean }[] {
  const all = [
    ...ddl.map((statement) => ({ statement, query: false })),
    ...queries.map((statement) => ({ statement, query: true })),
  ];
  return order === undefined ? all : all.sort((a, b) => order(a.statement, b.statement));
}

/** A tree location (bytes into the parsed text) as a 1-based character position in `checkText`. */
function positionOf(statement: Statement, location: number | undefined): number | undefined {
  if (location === undefined || statement.offset === undefined || statement.checkText === undefined)
    return undefined;
  const bytes = Buffer.from(statement.text, 'utf8');
  const into = location - statement.offset;
  if (into < 0 || into > bytes.length) return undefined;
  const chars = bytes.subarray(0, into).toString('utf8').length;
  const position = chars - (statement.text.length - statement.checkText.length) + 1;
  return position >= 1 ? position : undefined;
}

/** Replays the DDL and resolves each query's names (see steps); the first name each query lacks. */
export function checkNames(
  ddl: readonly Statement[],
  queries: readonly Statement[],
  signal?: AbortSignal,
  order?: (a: Statement, b: Statement) => number,
): NameCheckResult {
  const catalog = new Catalog();
  const replay = new DdlReplay(catalog);
  const result: NameCheckResult = { problems: [], checked: 0, ddlFailures: replay.failures };
  for (const { statement, query } of steps(ddl, queries, order)) {
    signal?.throwIfAborted();
    if (!query) {
      replay.apply(statement);
      continue;
    }
    if (statement.checkText === undefined) continue;
    result.checked += 1;
    const resolver = new NameResolver(catalog);
    const outputs = resolver.query({ [statement.type]: statement.body });
    // PostgreSQL stops at the first name it cannot resolve: one finding per query.
    const [issue] = resolver.issues;
    if (issue !== undefined) {
      const position = positionOf(statement, issue.location);
      result.problems.push({
        statement,
        ruleId: issue.ruleId,
        name: issue.name,
        message: issue.message,
        ...(position === undefined ? {} : { position }),
      });
    } else if (statement.type === 'SelectStmt' && statement.body.intoClause !== undefined) {
      replay.selectInto(statement.body.intoClause, outputs);
    }
  }
  return result;
}
