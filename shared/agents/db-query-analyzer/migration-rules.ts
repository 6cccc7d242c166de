/**
 * The migration-safety checks (MIG0xx, rows in migration-catalog.ts) over
 * libpg_query's tree. Each `.sql` file is read as one migration, its
 * statements in order, with what the file did so far: the tables it created
 * (new and empty: nothing on them is reported), whether a lock_timeout is
 * set, the open transaction blocks, and the NOT NULL checks it validated.
 * Every finding is at its statement's line.
 */
import type { Finding } from '../contract.js';
import { asNode, type Fields, isObject, lastName, list, nodeOf, str, stringNode, walk } from './ast.js';
import { DEFAULT_POSTGRES_VERSION, MIGRATION_RULES, type MigrationRuleId } from './migration-catalog.js';
import type { Statement } from './sql-source.js';

interface Hit {
  ruleId: MigrationRuleId;
  message: string;
  key: string;
  evidence?: Record<string, unknown>;
}

/** What one migration file did before the statement being read. */
interface FileState {
  version: number;
  created: Set<string>;
  lockTimeout: boolean;
  timeoutReported: boolean;
  transactionDepth: number;
  /** Nested BEGINs so far: each one's finding has its own fingerprint. */
  nestedBegins: number;
  /** `table.column` with a validated CHECK (column IS NOT NULL). */
  notNullChecked: Set<string>;
  /** NOT VALID checks of `column IS NOT NULL`, by constraint name → `table.column`. */
  pendingChecks: Map<string, string>;
}

/**
 * Volatile functions (a value per call): a DEFAULT of one rewrites the table.
 * now(), CURRENT_TIMESTAMP, statement_timestamp() are STABLE: evaluated once
 * by the ALTER and stored in the catalog, no rewrite from PostgreSQL 11.
 */
const VOLATILE = new Set([
  'clock_timestamp',
  'timeofday',
  'random',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v4',
  'uuidv4',
  'uuidv7',
  'nextval',
]);
const SERIAL_TYPES = new Set(['serial', 'bigserial', 'smallserial', 'serial4', 'serial8', 'serial2']);

function relationName(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const name = str(value.relname);
  if (name === undefined) return undefined;
  const schema = str(value.schemaname);
  return schema === undefined || schema === 'public' ? name : `${schema}.${name}`;
}

/** Whether an expression calls a volatile function (a DEFAULT that differs per row). */
function isVolatile(expr: unknown): boolean {
  let volatile = false;
  walk(expr, (type, body) => {
    if (type === 'FuncCall' && VOLATILE.has(lastName(body.funcname) ?? '')) volatile = true;
    return !volatile;
  });
  return volatile;
}

function constraintsOf(column: Fields): Fields[] {
  return list(column.constraints)
    .map((c) => asNode(c, 'Constraint'))
    .filter((c): c is Fields => c !== undefined);
}

const SMALL_KEY_TYPES = new Set(['int2', 'int4', 'serial', 'serial4', 'serial2', 'smallserial']);

/** MIG015: the costly-to-change type of one column, if any. */
function typeAdvice(column: Fields, primaryKey: boolean): string | undefined {
  if (!isObject(column.typeName)) return undefined;
  const type = lastName(column.typeName.names) ?? '';
  if (type === 'varchar' && list(column.typeName.typmods).length > 0) return 'varchar(n): prefer text';
  if (type === 'timestamp') return 'timestamp without time zone: prefer timestamptz';
  if (primaryKey && SMALL_KEY_TYPES.has(type)) return `a ${type} primary key: prefer bigint identity`;
  return undefined;
}

/** MIG015 on the columns of a CREATE TABLE or an ADD COLUMN. */
function typeHits(table: string, columns: readonly Fields[], keys: ReadonlySet<string>): Hit[] {
  return columns.flatMap((column) => {
    const name = str(column.colname) ?? '?';
    const primary = keys.has(name) || constraintsOf(column).some((c) => c.contype === 'CONSTR_PRIMARY');
    const advice = typeAdvice(column, primary);
    return advice === undefined
      ? []
      : [
          {
            ruleId: 'MIG015' as const,
            message: `Column ${table}.${name} is ${advice}.`,
            key: `${table}.${name}`,
          },
        ];
  });
}

/** CREATE TABLE: the table is new (nothing on it is reported later); MIG015 on its columns. */
function createTable(table: string, body: Fields, state: FileState): Hit[] {
  state.created.add(table);
  const elements = list(body.tableElts);
  const columns = elements.map((e) => asNode(e, 'ColumnDef')).filter((c): c is Fields => c !== undefined);
  // A single-column primary key is a surrogate key; a composite one (order_id, line_no) is not.
  const primary = elements.map((e) => asNode(e, 'Constraint')).find((c) => c?.contype === 'CONSTR_PRIMARY');
  const keyColumns = list(primary?.keys).map(stringNode);
  const keys = new Set(keyColumns.length === 1 && keyColumns[0] !== undefined ? [keyColumns[0]] : []);
  return typeHits(table, columns, keys);
}

/** MIG001 / MIG002 on ADD COLUMN. */
function addColumn(table: string, column: Fields, state: FileState): Hit[] {
  const name = str(column.colname) ?? '?';
  const constraints = constraintsOf(column);
  const typeName = isObject(column.typeName) ? (lastName(column.typeName.names) ?? '') : '';
  const defaults = constraints.filter((c) => c.contype === 'CONSTR_DEFAULT');
  const notNull = constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
  const where = `${table}.${name}`;
  if (notNull && defaults.length === 0 && !SERIAL_TYPES.has(typeName) && !isObject(column.identity)) {
    return [
      {
        ruleId: 'MIG001',
        message: `Column ${where} is added NOT NULL without a default: the statement fails on a table with rows.`,
        key: where,
      },
    ];
  }
  const volatile = SERIAL_TYPES.has(typeName) || defaults.some((d) => isVolatile(d.raw_expr));
  if (volatile || (defaults.length > 0 && state.version < 11)) {
    const why = volatile
      ? 'a volatile default (one value per row)'
      : `a default on PostgreSQL ${state.version} (before 11 every default rewrites)`;
    return [
      {
        ruleId: 'MIG002',
        message: `Column ${where} is added with ${why}: the table is rewritten under an ACCESS EXCLUSIVE lock.`,
        key: where,
        evidence: { postgresVersion: state.version },
      },
    ];
  }
  return [];
}

/** `CHECK (col IS NOT NULL)` → col. */
function notNullCheckColumn(constraint: Fields): string | undefined {
  const test = asNode(constraint.raw_expr, 'NullTest');
  if (test?.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const ref = asNode(test.arg, 'ColumnRef');
  return ref === undefined ? undefined : stringNode(list(ref.fields).at(-1));
}

/** MIG007 / MIG008 on ADD CONSTRAINT; remembers NOT VALID NOT NULL checks for MIG009. */
function addConstraint(table: string, constraint: Fields, state: FileState): Hit[] {
  const name = str(constraint.conname) ?? `${table} constraint`;
  const type = str(constraint.contype);
  if (type === 'CONSTR_CHECK') {
    const column = notNullCheckColumn(constraint);
    if (column !== undefined) state.pendingChecks.set(name, `${table}.${column}`);
  }
  if ((type === 'CONSTR_FOREIGN' || type === 'CONSTR_CHECK') && constraint.skip_validation !== true) {
    const what = type === 'CONSTR_FOREIGN' ? 'Foreign key' : 'CHECK constraint';
    return [
      {
        ruleId: 'MIG007',
        message: `${what} ${name} on ${table} is added without NOT VALID: every existing row is checked under the lock.`,
        key: name,
      },
    ];
  }
  if ((type === 'CONSTR_UNIQUE' || type === 'CONSTR_PRIMARY') && str(constraint.indexname) === undefined) {
    return [
      {
        ruleId: 'MIG008',
        message: `${type === 'CONSTR_UNIQUE' ? 'UNIQUE' : 'PRIMARY KEY'} constraint ${name} on ${table} builds its index under an ACCESS EXCLUSIVE lock.`,
        key: name,
      },
    ];
  }
  return [];
}

/** ADD COLUMN … REFERENCES / UNIQUE / PRIMARY KEY (MIG007, MIG008) and the column's type (MIG015). */
function inlineConstraints(table: string, column: Fields, state: FileState): Hit[] {
  const name = str(column.colname) ?? '?';
  const inline = constraintsOf(column)
    .filter(
      (c) =>
        c.contype === 'CONSTR_FOREIGN' || c.contype === 'CONSTR_UNIQUE' || c.contype === 'CONSTR_PRIMARY',
    )
    .flatMap((c) => addConstraint(table, { ...c, conname: str(c.conname) ?? `on column ${name}` }, state));
  return [...inline, ...typeHits(table, [column], new Set())];
}

/** The hits of one ALTER TABLE subcommand on an existing table. */
function alterCommand(table: string, cmd: Fields, state: FileState): Hit[] {
  const column = str(cmd.name) ?? '?';
  const where = `${table}.${column}`;
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const def = asNode(cmd.def, 'ColumnDef');
      return def === undefined
        ? []
        : [...addColumn(table, def, state), ...inlineConstraints(table, def, state)];
    }
    case 'AT_AddConstraint': {
      const def = asNode(cmd.def, 'Constraint');
      return def === undefined ? [] : addConstraint(table, def, state);
    }
    case 'AT_ValidateConstraint': {
      const checked = state.pendingChecks.get(column);
      if (checked !== undefined) state.notNullChecked.add(checked);
      return [];
    }
    case 'AT_AlterColumnType':
      return [
        {
          ruleId: 'MIG006',
          message: `Column ${where} changes type: the table may be rewritten under an ACCESS EXCLUSIVE lock.`,
          key: where,
        },
      ];
    case 'AT_SetNotNull':
      if (state.version >= 12 && state.notNullChecked.has(where)) return [];
      return [
        {
          ruleId: 'MIG009',
          message: `SET NOT NULL on ${where} scans the whole table under an ACCESS EXCLUSIVE lock${state.version >= 12 ? ' (no validated CHECK (… IS NOT NULL) before it)' : ` (PostgreSQL ${state.version} always scans)`}.`,
          key: where,
          evidence: { postgresVersion: state.version },
        },
      ];
    case 'AT_DropColumn':
      return [
        {
          ruleId: 'MIG011',
          message: `Column ${where} is dropped: its data is lost and running code that reads it fails.`,
          key: where,
        },
      ];
    default:
      return [];
  }
}

function alterTable(body: Fields, state: FileState): Hit[] {
  const table = relationName(body.relation);
  if (table === undefined || body.objtype !== 'OBJECT_TABLE' || state.created.has(table)) return [];
  const hits = list(body.cmds).flatMap((c) => {
    const cmd = asNode(c, 'AlterTableCmd');
    return cmd === undefined ? [] : alterCommand(table, cmd, state);
  });
  if (!state.lockTimeout && !state.timeoutReported) {
    state.timeoutReported = true;
    hits.push({
      ruleId: 'MIG013',
      message: `ALTER TABLE ${table} runs with no lock_timeout set in the file: waiting for its lock, it blocks every query on the table.`,
      key: table,
    });
  }
  return hits;
}

function concurrentHits(what: string, concurrent: boolean, state: FileState, plain: Hit): Hit[] {
  if (!concurrent) return [plain];
  if (state.transactionDepth === 0) return [];
  return [
    {
      ruleId: 'MIG005',
      message: `${what} ${plain.key} … CONCURRENTLY inside a transaction block fails.`,
      key: plain.key,
    },
  ];
}

function createIndex(body: Fields, state: FileState): Hit[] {
  const table = relationName(body.relation);
  if (table === undefined) return [];
  const concurrent = body.concurrent === true;
  if (!concurrent && state.created.has(table)) return [];
  const index = str(body.idxname) ?? `index on ${table}`;
  return concurrentHits('CREATE INDEX', concurrent, state, {
    ruleId: 'MIG003',
    message: `CREATE INDEX ${index} without CONCURRENTLY blocks writes to ${table} for the whole build.`,
    key: index,
  });
}

function dropStatement(body: Fields, state: FileState): Hit[] {
  const objects = list(body.objects).map((o) => (Array.isArray(o) ? o : list(asNode(o, 'List')?.items)));
  const named = objects.map((parts) =>
    parts
      .map(stringNode)
      .filter((n) => n !== undefined)
      .join('.')
      .replace(/^public\./, ''),
  );
  if (body.removeType === 'OBJECT_INDEX') {
    const index = named.join(', ') || 'index';
    return concurrentHits('DROP INDEX', body.concurrent === true, state, {
      ruleId: 'MIG004',
      message: `DROP INDEX ${index} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table.`,
      key: index,
    });
  }
  if (body.removeType !== 'OBJECT_TABLE') return [];
  return named
    .filter((table) => !state.created.has(table))
    .map((table) => ({
      ruleId: 'MIG011' as const,
      message: `Table ${table} is dropped: its data is lost and running code that reads it fails.`,
      key: table,
    }));
}

function reindex(body: Fields, state: FileState): Hit[] {
  const concurrent = list(body.params).some((p) => str(asNode(p, 'DefElem')?.defname) === 'concurrently');
  const target = relationName(body.relation) ?? str(body.name) ?? 'index';
  return concurrentHits('REINDEX', concurrent, state, {
    ruleId: 'MIG004',
    message: `REINDEX ${target} without CONCURRENTLY blocks writes (and queries using the index) for the rebuild.`,
    key: target,
  });
}

function transaction(body: Fields, state: FileState): Hit[] {
  const kind = str(body.kind);
  if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') {
    state.transactionDepth += 1;
    if (state.transactionDepth > 1) {
      state.nestedBegins += 1;
      return [
        {
          ruleId: 'MIG014',
          message: 'BEGIN inside an open transaction block: the first COMMIT ends both.',
          key: `nested BEGIN ${state.nestedBegins}`,
        },
      ];
    }
  }
  if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK') state.transactionDepth = 0;
  return [];
}

/** The hits of one statement; updates the file's state. */
function statementHits(statement: Statement, state: FileState): Hit[] {
  const { body } = statement;
  switch (statement.type) {
    case 'CreateStmt':
    case 'CreateTableAsStmt': {
      const table = relationName(body.relation ?? (isObject(body.into) ? body.into.rel : undefined));
      return table === undefined ? [] : createTable(table, body, state);
    }
    case 'VariableSetStmt':
      if (str(body.name) === 'lock_timeout') state.lockTimeout = true;
      return [];
    case 'TransactionStmt':
      return transaction(body, state);
    case 'AlterTableStmt':
      return alterTable(body, state);
    case 'IndexStmt':
      return createIndex(body, state);
    case 'DropStmt':
      return dropStatement(body, state);
    case 'ReindexStmt':
      return reindex(body, state);
    default:
      return otherHits(statement.type, body, state);
  }
}

function otherHits(type: string, body: Fields, state: FileState): Hit[] {
  if (type === 'DropdbStmt') {
    const name = str(body.dbname) ?? 'database';
    return [{ ruleId: 'MIG011', message: `Database ${name} is dropped, with everything in it.`, key: name }];
  }
  if (type === 'TruncateStmt' && body.behavior === 'DROP_CASCADE') {
    const tables = list(body.relations).map((r) => relationName(asNode(r, 'RangeVar')) ?? '?');
    return [
      {
        ruleId: 'MIG012',
        message: `TRUNCATE ${tables.join(', ')} CASCADE also empties every table that references them.`,
        key: tables.join(','),
      },
    ];
  }
  if (type === 'RenameStmt' && (body.renameType === 'OBJECT_COLUMN' || body.renameType === 'OBJECT_TABLE')) {
    const table = relationName(body.relation) ?? '?';
    if (state.created.has(table)) {
      // A table the file created keeps being new under its new name.
      const renamed = str(body.newname);
      if (body.renameType === 'OBJECT_TABLE' && renamed !== undefined)
        state.created.add(
          table.includes('.') ? `${table.slice(0, table.lastIndexOf('.'))}.${renamed}` : renamed,
        );
      return [];
    }
    const what =
      body.renameType === 'OBJECT_COLUMN' ? `Column ${table}.${str(body.subname) ?? '?'}` : `Table ${table}`;
    return [
      {
        ruleId: 'MIG010',
        message: `${what} is renamed to ${str(body.newname) ?? '?'}: code of the running release still uses the old name.`,
        key: `${what}`,
      },
    ];
  }
  return [];
}

/** A file read as a migration: a `.sql` file (not a server log or statistics). */
function isMigrationFile(file: string | undefined): file is string {
  return file !== undefined && /\.sql$/i.test(file);
}

/** The MIG0xx findings of the SQL files' statements, file by file in order. */
export function migrationFindings(
  statements: readonly Statement[],
  postgresVersion: number = DEFAULT_POSTGRES_VERSION,
): Finding[] {
  const states = new Map<string, FileState>();
  const findings: Finding[] = [];
  for (const statement of statements) {
    if (
      statement.source !== 'sql' ||
      !isMigrationFile(statement.file) ||
      nodeOf({ [statement.type]: statement.body }) === undefined
    )
      continue;
    let state = states.get(statement.file);
    if (state === undefined) {
      state = {
        version: postgresVersion,
        created: new Set(),
        lockTimeout: false,
        timeoutReported: false,
        transactionDepth: 0,
        nestedBegins: 0,
        notNullChecked: new Set(),
        pendingChecks: new Map(),
      };
      states.set(statement.file, state);
    }
    for (const hit of statementHits(statement, state)) {
      findings.push(
        MIGRATION_RULES.finding(hit.ruleId, {
          message: hit.message,
          resource: { kind: 'Statement', name: hit.key, file: statement.file, line: statement.line },
          ...(hit.evidence === undefined ? {} : { evidence: hit.evidence }),
          key: [hit.key],
        }),
      );
    }
  }
  return findings;
}
