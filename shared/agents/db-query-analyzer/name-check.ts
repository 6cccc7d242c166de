/**
 * SQL013 / SQL014: each query checked against the DDL given, in an embedded
 * PostgreSQL (PGlite, WASM). The engine never reaches the platform's database
 * (../../../docs/architecture.md, The agent contract): one in-memory instance per process,
 * started on first use (~3 s) and reused; each analysis runs in a transaction
 * that is rolled back, so nothing it creates outlives it, and PGlite runs one
 * transaction at a time, so concurrent analyses do not see each other's DDL.
 *
 * The DDL runs statement by statement (CREATE INDEX is skipped: indexes do not
 * change which names resolve). A CREATE TABLE that fails (a type from an
 * extension PGlite lacks) is retried with every column as text; a relation
 * whose DDL still fails is "unverifiable" and no name finding is made about a
 * query that reads one. Each query is then PREPAREd — parsed, analysed and
 * planned, never run — and only "relation does not exist" (42P01) and "column
 * does not exist" (42703) errors are findings: a type or function error says
 * nothing about names.
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { asNode, type Fields, isObject, list, str, walk } from './ast.js';
import type { Statement } from './sql-source.js';

/** DDL that PGlite runs to build the schema; the rest of DDL_TYPES is read, not run. */
const RUN_TYPES = new Set([
  'CreateSchemaStmt',
  'CreateExtensionStmt',
  'CreateEnumStmt',
  'CreateDomainStmt',
  'CompositeTypeStmt',
  'DefineStmt',
  'CreateSeqStmt',
  'AlterSeqStmt',
  'AlterEnumStmt',
  'CreateStmt',
  'AlterTableStmt',
  'ViewStmt',
  'CreateFunctionStmt',
  'RenameStmt',
  'DropStmt',
]);

export interface NameProblem {
  statement: Statement;
  ruleId: 'SQL013' | 'SQL014';
  /** The missing relation or column, as PostgreSQL names it. */
  name: string;
  message: string;
  /** 1-based character position in the query text, when PostgreSQL gives one. */
  position?: number;
}

export interface NameCheckResult {
  problems: NameProblem[];
  checked: number;
  /** DDL statements PGlite could not run (after the all-text retry). */
  ddlFailures: { statement: Statement; message: string }[];
}

let instance: Promise<PGlite> | undefined;

/** The process's PGlite, started once. */
async function database(): Promise<PGlite> {
  if (instance === undefined) {
    instance = import('@electric-sql/pglite').then(({ PGlite }) => PGlite.create());
    instance.catch(() => {
      instance = undefined;
    });
  }
  return instance;
}

/** Stops the process's PGlite, if started (tests, and hosts that shut down cleanly); the next check starts another. */
export async function closeNameCheckDatabase(): Promise<void> {
  const started = instance;
  instance = undefined;
  if (started !== undefined) await (await started.catch(() => undefined))?.close();
}

interface PgError {
  code?: string;
  message: string;
  position?: string | number;
}

function pgError(error: unknown): PgError {
  if (isObject(error) && typeof error.message === 'string') return error as unknown as PgError;
  return { message: String(error) };
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function relationName(relation: unknown): string | undefined {
  const body = isObject(relation) ? (asNode(relation, 'RangeVar') ?? relation) : undefined;
  const name = str(body?.relname);
  const schema = str(body?.schemaname);
  if (name === undefined) return undefined;
  return schema === undefined ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** CREATE TABLE with every column as text: the names survive a type PGlite does not know. */
function allTextTable(body: Fields): string | undefined {
  const name = relationName(body.relation);
  const columns = list(body.tableElts)
    .map((element) => str(asNode(element, 'ColumnDef')?.colname))
    .filter((c): c is string => c !== undefined);
  if (name === undefined) return undefined;
  return `CREATE TABLE ${name} (${columns.map((c) => `${quoteIdent(c)} text`).join(', ')})`;
}

/** The relations a DDL statement defines or changes (what becomes unverifiable when it fails). */
function definedRelations(statement: Statement): string[] {
  const found: string[] = [];
  const { body } = statement;
  for (const key of ['relation', 'view']) {
    const rel = body[key];
    const name = isObject(rel) ? str((asNode(rel, 'RangeVar') ?? rel).relname) : undefined;
    if (name !== undefined) found.push(name);
  }
  if (statement.type === 'CreateTableAsStmt' && isObject(body.into)) {
    const name = str((body.into.rel as Fields | undefined)?.relname);
    if (name !== undefined) found.push(name);
  }
  return found;
}

/** Relations a query names (its CTE names are not relations). */
function namedRelations(statement: Statement): Set<string> {
  const names = new Set<string>();
  walk(statement.body, (type, body) => {
    if (type === 'RangeVar') {
      const name = str(body.relname);
      if (name !== undefined) names.add(name);
    }
    return undefined;
  });
  const relation = str((statement.body.relation as Fields | undefined)?.relname);
  if (relation !== undefined) names.add(relation);
  return names;
}

async function attempt(tx: Transaction, sql: string): Promise<PgError | undefined> {
  await tx.exec('SAVEPOINT aiops_step');
  try {
    await tx.exec(sql);
    await tx.exec('RELEASE SAVEPOINT aiops_step');
    return undefined;
  } catch (error) {
    await tx.exec('ROLLBACK TO SAVEPOINT aiops_step');
    return pgError(error);
  }
}

/** PREPAREs a query inside a savepoint and deallocates it; the error when it does not prepare. */
async function prepared(tx: Transaction, prefix: string, text: string): Promise<PgError | undefined> {
  try {
    await tx.exec(`${prefix}${text}`);
  } catch (error) {
    await tx.exec('ROLLBACK TO SAVEPOINT aiops_step');
    return pgError(error);
  }
  await tx.exec('DEALLOCATE aiops_check; RELEASE SAVEPOINT aiops_step');
  return undefined;
}

async function runDdl(
  tx: Transaction,
  statement: Statement,
  unverifiable: Set<string>,
  result: NameCheckResult,
): Promise<void> {
  if (!RUN_TYPES.has(statement.type)) {
    // CREATE TABLE … AS / MATERIALIZED VIEW would run their query: their names are kept, unchecked.
    if (statement.type === 'CreateTableAsStmt')
      for (const n of definedRelations(statement)) unverifiable.add(n);
    return;
  }
  let error = await attempt(tx, statement.text);
  if (error !== undefined && statement.type === 'CreateStmt') {
    const fallback = allTextTable(statement.body);
    if (fallback !== undefined) error = await attempt(tx, fallback);
  }
  if (error !== undefined) {
    result.ddlFailures.push({ statement, message: error.message });
    for (const name of definedRelations(statement)) unverifiable.add(name);
  }
}

async function checkQuery(
  tx: Transaction,
  statement: Statement,
  unverifiable: ReadonlySet<string>,
  result: NameCheckResult,
): Promise<void> {
  const text = statement.checkText;
  if (text === undefined) return;
  const relations = namedRelations(statement);
  if ([...relations].some((name) => unverifiable.has(name))) return;
  result.checked += 1;
  // One round trip per query when it prepares (the common case): the savepoint, PREPARE and clean-up
  // travel together; the position PostgreSQL reports counts from the start of what was sent.
  const prefix = 'SAVEPOINT aiops_step; PREPARE aiops_check AS ';
  const error = await prepared(tx, prefix, text);
  if (error === undefined) return;
  if (error.code !== '42P01' && error.code !== '42703') return;
  const position = Number(error.position);
  // `relation "x" does not exist`, `column "x" does not exist`, `column t.x does not exist`,
  // `column "x" of relation "t" does not exist` (an UPDATE's SET or an INSERT's column list)
  const name = /^(?:relation|column) "?([^"]+?)"?(?: of relation "[^"]*")? does not exist/.exec(
    error.message,
  );
  result.problems.push({
    statement,
    ruleId: error.code === '42P01' ? 'SQL013' : 'SQL014',
    name: name?.[1] ?? '?',
    message: error.message,
    ...(Number.isFinite(position) && position > prefix.length ? { position: position - prefix.length } : {}),
  });
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

/** Runs the DDL and PREPAREs each query (see steps); everything is rolled back. */
export async function checkNames(
  ddl: readonly Statement[],
  queries: readonly Statement[],
  signal?: AbortSignal,
  order?: (a: Statement, b: Statement) => number,
): Promise<NameCheckResult> {
  const db = await database();
  const result: NameCheckResult = { problems: [], checked: 0, ddlFailures: [] };
  await db.transaction(async (tx) => {
    const unverifiable = new Set<string>();
    // Function bodies refer to tables that may come later in the file: check them when called, not here.
    await tx.exec('SET LOCAL check_function_bodies = off');
    for (const step of steps(ddl, queries, order)) {
      signal?.throwIfAborted();
      if (step.query) await checkQuery(tx, step.statement, unverifiable, result);
      else await runDdl(tx, step.statement, unverifiable, result);
    }
    await tx.rollback();
  });
  return result;
}
