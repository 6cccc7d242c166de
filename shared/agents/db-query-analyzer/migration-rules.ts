/**
 * The migration-safety checks (MIG0xx, rows in migration-catalog.ts) over
 * libpg_query's tree. Each `.sql` file is read as one migration, its
 * statements in order, with what the file did so far: the tables it created
 * (new and empty: nothing on them is reported), whether lock_timeout and
 * statement_timeout are set, the open transaction block and what it added NOT
 * VALID, and the NOT NULL checks validated (across files when they are a
 * migration history). A finding is at its statement's line; type advice at
 * its column definition's line.
 */
import type { Finding } from '../contract.js';
import {
  asNode,
  type Fields,
  isObject,
  lastName,
  list,
  names,
  nodeOf,
  rangeVarName,
  str,
  stringNode,
  walk,
} from './ast.js';
import { DEFAULT_POSTGRES_VERSION, MIGRATION_RULES, type MigrationRuleId } from './migration-catalog.js';
import type { Statement } from './sql-source.js';

interface Hit {
  ruleId: MigrationRuleId;
  message: string;
  key: string;
  evidence?: Record<string, unknown>;
  /** A location in the statement's tree (a column definition's): the finding's line; else the statement's. */
  location?: number;
}

/** A CHECK (column IS NOT NULL) constraint: what SET NOT NULL can rely on once it is valid. */
interface NotNullCheck {
  /** `table.column`. */
  column: string;
  valid: boolean;
}

/**
 * What the migrations read so far established, across files when they are a
 * history (read in its order), else within one file: the NOT NULL checks
 * (by `table`, constraint name) and whether each is validated.
 */
interface HistoryState {
  notNullChecks: Map<string, NotNullCheck>;
  /** The files are the steps of a migration history (not one schema file or a dump). */
  steps: boolean;
}

/** What one migration file did before the statement being read. */
interface FileState {
  version: number;
  created: Set<string>;
  lockTimeout: boolean;
  lockTimeoutReported: boolean;
  statementTimeout: boolean;
  statementTimeoutReported: boolean;
  transactionDepth: number;
  /** The migration tool runs the file in a transaction of its own (depth 1 before any BEGIN). */
  toolTransaction: boolean;
  /** The BEGIN of the open transaction block. */
  openedBy: Statement | undefined;
  /** Nested BEGINs and COMMITs with no open block so far: each finding has its own fingerprint. */
  nestedBegins: number;
  strayEnds: number;
  /** CHECK / FOREIGN KEY constraints added NOT VALID in the open transaction block, by `table`, name. */
  notValidInBlock: Map<string, 'CHECK' | 'FOREIGN KEY'>;
  /** Constraints the file dropped with IF EXISTS: adding one of them again is rerunnable. */
  droppedIfExists: Set<string>;
  history: HistoryState;
}

function constraintKey(table: string, name: string): string {
  return `${table}\u0000${name}`;
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

/** A relation as findings name it: `public` left out. */
function relationName(value: unknown): string | undefined {
  const relation = rangeVarName(value);
  if (relation === undefined) return undefined;
  const { schema, name } = relation;
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

const INT32_TYPES = new Set(['int4', 'serial', 'serial4']);
const INT16_TYPES = new Set(['int2', 'smallserial', 'serial2']);

/** The type advice (MIG015–MIG020) for a column of type `type`: one rule per thing to change. */
function typeAdvice(type: string, typmods: number): { ruleId: MigrationRuleId; advice: string }[] {
  const advice: { ruleId: MigrationRuleId; advice: string }[] = [];
  if (SERIAL_TYPES.has(type))
    advice.push({ ruleId: 'MIG017', advice: `${type}: prefer an identity column (GENERATED … AS IDENTITY)` });
  if (INT32_TYPES.has(type))
    advice.push({
      ruleId: 'MIG015',
      advice: `${type === 'int4' ? 'integer' : type} (32-bit): prefer bigint`,
    });
  if (INT16_TYPES.has(type))
    advice.push({
      ruleId: 'MIG016',
      advice: `${type === 'int2' ? 'smallint' : type} (16-bit): prefer bigint`,
    });
  if (type === 'varchar' && typmods > 0)
    advice.push({ ruleId: 'MIG018', advice: 'varchar(n): prefer text with a length CHECK' });
  if (type === 'bpchar')
    advice.push({ ruleId: 'MIG019', advice: 'char(n): prefer text with a length CHECK' });
  if (type === 'timestamp')
    advice.push({ ruleId: 'MIG020', advice: 'timestamp without time zone: prefer timestamptz' });
  return advice;
}

/** MIG015–MIG020 on the columns of a CREATE TABLE or an ADD COLUMN, each at its column's line. */
function typeHits(table: string, columns: readonly Fields[]): Hit[] {
  return columns.flatMap((column) => {
    if (!isObject(column.typeName)) return [];
    const name = str(column.colname) ?? '?';
    const type = lastName(column.typeName.names) ?? '';
    const location = typeof column.location === 'number' ? { location: column.location } : {};
    return typeAdvice(type, list(column.typeName.typmods).length).map(({ ruleId, advice }) => ({
      ruleId,
      message: `Column ${table}.${name} is ${advice}.`,
      key: `${table}.${name}`,
      ...location,
    }));
  });
}

/** CREATE TABLE: the table is new (nothing on it is reported later); type advice on its columns. */
function createTable(table: string, body: Fields, state: FileState): Hit[] {
  // IF NOT EXISTS: the table may be there already, with rows (a history replayed on a live database).
  if (body.if_not_exists !== true) state.created.add(table);
  // A temporary table ends with the session: no type of it has to be changed later.
  if (isObject(body.relation) && body.relation.relpersistence === 't') return [];
  // A step of a history is rerun after a partial failure; a schema file or a dump is not (no MIG027 there).
  const rerun =
    state.history.steps && state.transactionDepth === 0 && body.if_not_exists !== true
      ? [unrepeatableHit(`CREATE TABLE ${table}`, 'IF NOT EXISTS')]
      : [];
  const columns = list(body.tableElts)
    .map((e) => asNode(e, 'ColumnDef'))
    .filter((c): c is Fields => c !== undefined);
  return [...rerun, ...typeHits(table, columns)];
}

/** MIG001 / MIG002 on ADD COLUMN. */
function addColumn(table: string, column: Fields, state: FileState): Hit[] {
  const name = str(column.colname) ?? '?';
  const constraints = constraintsOf(column);
  const typeName = isObject(column.typeName) ? (lastName(column.typeName.names) ?? '') : '';
  const defaults = constraints.filter((c) => c.contype === 'CONSTR_DEFAULT');
  const notNull = constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
  const where = `${table}.${name}`;
  // A stored generated or an identity column gets a value for every existing row: a rewrite, like a volatile default.
  const computed = constraints.find(
    (c) => c.contype === 'CONSTR_GENERATED' || c.contype === 'CONSTR_IDENTITY',
  );
  if (
    notNull &&
    defaults.length === 0 &&
    computed === undefined &&
    !SERIAL_TYPES.has(typeName) &&
    !isObject(column.identity)
  ) {
    return [
      {
        ruleId: 'MIG001',
        message: `Column ${where} is added NOT NULL without a default: the statement fails on a table with rows.`,
        key: where,
      },
    ];
  }
  const volatile = SERIAL_TYPES.has(typeName) || defaults.some((d) => isVolatile(d.raw_expr));
  if (volatile || computed !== undefined || (defaults.length > 0 && state.version < 11)) {
    const why =
      computed?.contype === 'CONSTR_GENERATED'
        ? 'a stored generated value (computed for every row)'
        : computed !== undefined
          ? 'identity values (one for every row)'
          : volatile
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

/** MIG021: a foreign key validated while it is added, which locks the referenced table too. */
function foreignKeyHit(table: string, name: string, constraint: Fields, inline: boolean): Hit {
  const referenced = relationName(constraint.pktable) ?? 'the referenced table';
  const how = inline
    ? `declared on an added column (NOT VALID cannot be written there): ${table} is under ACCESS EXCLUSIVE (the ADD COLUMN) and ${referenced} under SHARE ROW EXCLUSIVE while every row is checked`
    : `added without NOT VALID: ${table} and ${referenced} are under SHARE ROW EXCLUSIVE while every row is checked`;
  return {
    ruleId: 'MIG021',
    message: `Foreign key ${name} on ${table} is ${how}; writes to both wait.`,
    key: name,
  };
}

/** MIG007 / MIG008 / MIG021 on ADD CONSTRAINT (or a constraint on an added column); remembers NOT NULL checks for MIG009. */
function addConstraint(table: string, constraint: Fields, state: FileState, inline = false): Hit[] {
  const name = str(constraint.conname) ?? `${table} constraint`;
  const type = str(constraint.contype);
  const notValid = constraint.skip_validation === true;
  if (type === 'CONSTR_CHECK') {
    const column = notNullCheckColumn(constraint);
    if (column !== undefined)
      state.history.notNullChecks.set(constraintKey(table, name), {
        column: `${table}.${column}`,
        valid: !notValid,
      });
  }
  if (type === 'CONSTR_FOREIGN' || type === 'CONSTR_CHECK') {
    const kind = type === 'CONSTR_FOREIGN' ? 'FOREIGN KEY' : 'CHECK';
    if (notValid) {
      if (state.transactionDepth > 0) state.notValidInBlock.set(constraintKey(table, name), kind);
      return [];
    }
    const hits: Hit[] = [];
    if (!inline) {
      const what = type === 'CONSTR_FOREIGN' ? 'Foreign key' : 'CHECK constraint';
      hits.push({
        ruleId: 'MIG007',
        message: `${what} ${name} on ${table} is added without NOT VALID: every existing row is checked under the lock.`,
        key: name,
      });
    }
    if (type === 'CONSTR_FOREIGN') hits.push(foreignKeyHit(table, name, constraint, inline));
    return hits;
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

/** ADD COLUMN … REFERENCES / UNIQUE / PRIMARY KEY (MIG021, MIG008) and the column's type (MIG015–MIG020). */
function inlineConstraints(table: string, column: Fields, state: FileState): Hit[] {
  const name = str(column.colname) ?? '?';
  const inline = constraintsOf(column)
    .filter(
      (c) =>
        c.contype === 'CONSTR_FOREIGN' || c.contype === 'CONSTR_UNIQUE' || c.contype === 'CONSTR_PRIMARY',
    )
    .flatMap((c) =>
      addConstraint(table, { ...c, conname: str(c.conname) ?? `on column ${name}` }, state, true),
    );
  return [...inline, ...typeHits(table, [column])];
}

/** VALIDATE CONSTRAINT: MIG007 when the open transaction added it NOT VALID; a NOT NULL check becomes valid. */
function validateConstraint(table: string, name: string, state: FileState): Hit[] {
  const key = constraintKey(table, name);
  const check = state.history.notNullChecks.get(key);
  if (check !== undefined) check.valid = true;
  const kind = state.notValidInBlock.get(key);
  if (kind === undefined) return [];
  const lock =
    kind === 'CHECK'
      ? `ACCESS EXCLUSIVE lock (no reads or writes of ${table})`
      : `SHARE ROW EXCLUSIVE locks (no writes to ${table} or the referenced table)`;
  return [
    {
      ruleId: 'MIG007',
      message: `${kind} ${name} on ${table} is validated in the transaction that added it NOT VALID: the transaction keeps the ADD CONSTRAINT's ${lock} through the scan, until COMMIT.`,
      key: `${name} validated`,
    },
  ];
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
    case 'AT_ValidateConstraint':
      return validateConstraint(table, column, state);
    case 'AT_DropConstraint':
      state.history.notNullChecks.delete(constraintKey(table, column));
      if (cmd.missing_ok === true) state.droppedIfExists.add(constraintKey(table, column));
      return [];
    case 'AT_AlterColumnType':
      return [
        {
          ruleId: 'MIG006',
          message: `Column ${where} changes type: the table may be rewritten under an ACCESS EXCLUSIVE lock.`,
          key: where,
        },
        ...typeHits(table, changedColumns(cmd)),
      ];
    case 'AT_SetNotNull':
      if (state.version >= 12 && provenNotNull(where, state)) return [];
      return [
        {
          ruleId: 'MIG009',
          message: `SET NOT NULL on ${where} scans the whole table under an ACCESS EXCLUSIVE lock${state.version >= 12 ? ' (no validated CHECK (… IS NOT NULL) before it)' : ` (PostgreSQL ${state.version} always scans)`}.`,
          key: where,
          evidence: { postgresVersion: state.version },
        },
      ];
    case 'AT_DropNotNull':
      return [
        {
          ruleId: 'MIG022',
          message: `DROP NOT NULL on ${where}: code of the running release, and every reader of the column, may now get NULLs it assumes cannot be there.`,
          key: where,
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

function provenNotNull(where: string, state: FileState): boolean {
  for (const check of state.history.notNullChecks.values())
    if (check.valid && check.column === where) return true;
  return false;
}

/** MIG027: the subcommands of an ALTER TABLE outside a transaction block that a rerun fails on. */
function unrepeatableCommands(table: string, cmds: readonly Fields[], state: FileState): string[] {
  return cmds.flatMap((cmd) => {
    const name = str(cmd.name);
    switch (cmd.subtype) {
      case 'AT_AddColumn':
        return cmd.missing_ok === true
          ? []
          : [`ADD COLUMN ${str(asNode(cmd.def, 'ColumnDef')?.colname) ?? '?'} (IF NOT EXISTS)`];
      case 'AT_DropColumn':
        return cmd.missing_ok === true ? [] : [`DROP COLUMN ${name ?? '?'} (IF EXISTS)`];
      case 'AT_DropConstraint':
        return cmd.missing_ok === true ? [] : [`DROP CONSTRAINT ${name ?? '?'} (IF EXISTS)`];
      case 'AT_AddConstraint': {
        const constraint = str(asNode(cmd.def, 'Constraint')?.conname);
        if (constraint !== undefined && state.droppedIfExists.has(constraintKey(table, constraint)))
          return [];
        return [`ADD CONSTRAINT ${constraint ?? '…'} (DROP CONSTRAINT IF EXISTS before it)`];
      }
      default:
        return [];
    }
  });
}

function alterTable(body: Fields, state: FileState): Hit[] {
  const table = relationName(body.relation);
  if (table === undefined || body.objtype !== 'OBJECT_TABLE') return [];
  const cmds = list(body.cmds)
    .map((c) => asNode(c, 'AlterTableCmd'))
    .filter((c): c is Fields => c !== undefined);
  // A table the file created is new and empty: only the types it is given are worth a word.
  if (state.created.has(table)) return cmds.flatMap((cmd) => typeHits(table, changedColumns(cmd)));
  const hits = cmds.flatMap((cmd) => alterCommand(table, cmd, state));
  if (state.transactionDepth === 0) {
    const unrepeatable = unrepeatableCommands(table, cmds, state);
    if (unrepeatable.length > 0) hits.push(unrepeatableHit(`ALTER TABLE ${table}`, unrepeatable.join(', ')));
  }
  return hits;
}

/** The column definitions an ALTER TABLE subcommand gives a type: ADD COLUMN, ALTER COLUMN … TYPE. */
function changedColumns(cmd: Fields): Fields[] {
  if (cmd.subtype !== 'AT_AddColumn' && cmd.subtype !== 'AT_AlterColumnType') return [];
  const def = asNode(cmd.def, 'ColumnDef');
  if (def === undefined) return [];
  // ALTER COLUMN … TYPE names its column on the command, not on the definition.
  return [{ ...def, colname: str(def.colname) ?? str(cmd.name) }];
}

/** MIG027; `concurrent`: the statement cannot run in a transaction block, so IF [NOT] EXISTS is the only way. */
function unrepeatableHit(what: string, fix: string, concurrent = false): Hit {
  const instead = concurrent ? '' : ', or run it in BEGIN … COMMIT';
  return {
    ruleId: 'MIG027',
    message: `${what} runs outside a transaction block and fails when run again: if the migration stops after it, the rerun stops here. Add ${fix}${instead}.`,
    key: what,
  };
}

function concurrentHits(what: string, concurrent: boolean, state: FileState, plain: Hit): Hit[] {
  if (!concurrent) return [plain];
  if (state.transactionDepth === 0) return [];
  return [
    {
      ruleId: 'MIG005',
      message: `${what} ${plain.key} … CONCURRENTLY inside a transaction block fails${state.transactionDepth === 1 && state.toolTransaction ? ' (the migration tool runs this file in a transaction: mark it non-transactional)' : ''}.`,
      key: plain.key,
    },
  ];
}

function createIndex(body: Fields, state: FileState): Hit[] {
  const table = relationName(body.relation);
  if (table === undefined) return [];
  const created = state.created.has(table);
  const concurrent = body.concurrent === true;
  const name = str(body.idxname);
  const index = name ?? `index on ${table}`;
  const hits: Hit[] = created
    ? []
    : concurrentHits('CREATE INDEX', concurrent, state, {
        ruleId: 'MIG003',
        message: `CREATE INDEX ${index} without CONCURRENTLY blocks writes to ${table} for the whole build.`,
        key: index,
      });
  // On a table the file created, only a history's rerun meets the index again.
  const rerunnable = created && !state.history.steps;
  if (state.transactionDepth === 0 && body.if_not_exists !== true && !rerunnable) {
    const fix = name === undefined ? 'an index name and IF NOT EXISTS' : 'IF NOT EXISTS';
    const why = concurrent ? ' (a failed CONCURRENTLY build leaves an INVALID index of that name)' : '';
    hits.push({
      ...unrepeatableHit(`CREATE INDEX ${index}${why}`, fix, concurrent),
      key: `CREATE INDEX ${index}`,
    });
  }
  return hits;
}

/** `DROP …` object names, schema `public` left out. */
function droppedNames(body: Fields): string[] {
  const objects = list(body.objects).map((o) => (Array.isArray(o) ? o : list(asNode(o, 'List')?.items)));
  return objects.map((parts) =>
    parts
      .map(stringNode)
      .filter((n) => n !== undefined)
      .join('.')
      .replace(/^public\./, ''),
  );
}

function dropStatement(body: Fields, state: FileState): Hit[] {
  const named = droppedNames(body);
  const hits: Hit[] = [];
  if (body.removeType === 'OBJECT_INDEX') {
    const index = named.join(', ') || 'index';
    hits.push(
      ...concurrentHits('DROP INDEX', body.concurrent === true, state, {
        ruleId: 'MIG004',
        message: `DROP INDEX ${index} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table.`,
        key: index,
      }),
    );
  }
  const existing = body.removeType === 'OBJECT_TABLE' ? named.filter((t) => !state.created.has(t)) : named;
  if (body.removeType === 'OBJECT_TABLE')
    hits.push(
      ...existing.map((table) => ({
        ruleId: 'MIG011' as const,
        message: `Table ${table} is dropped: its data is lost and running code that reads it fails.`,
        key: table,
      })),
    );
  if (state.transactionDepth === 0 && body.missing_ok !== true && existing.length > 0) {
    const kind =
      str(body.removeType)
        ?.replace(/^OBJECT_/, '')
        .replace(/_/g, ' ') ?? 'object';
    const what = `DROP ${kind} ${existing.join(', ')}`;
    hits.push(unrepeatableHit(what, 'IF EXISTS', body.concurrent === true));
  }
  return hits;
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

function transaction(statement: Statement, state: FileState): Hit[] {
  const kind = str(statement.body.kind);
  if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') {
    state.transactionDepth += 1;
    if (state.transactionDepth === 1) {
      state.openedBy = statement;
      state.notValidInBlock.clear();
      return [];
    }
    state.nestedBegins += 1;
    return [
      {
        ruleId: 'MIG014',
        message: 'BEGIN inside an open transaction block: the first COMMIT ends both.',
        key: `nested BEGIN ${state.nestedBegins}`,
      },
    ];
  }
  if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK' || kind === 'TRANS_STMT_PREPARE') {
    const endsToolTransaction =
      state.toolTransaction && state.transactionDepth === 1 && state.openedBy === undefined;
    if (state.transactionDepth === 0 || endsToolTransaction) {
      state.transactionDepth = 0;
      state.strayEnds += 1;
      const word = kind === 'TRANS_STMT_ROLLBACK' ? 'ROLLBACK' : 'COMMIT';
      return [
        {
          ruleId: 'MIG014',
          message: `${word} with no open transaction block: an earlier COMMIT already ended it (a nested BEGIN), or it ends a transaction the file did not begin (the migration tool's).`,
          key: `${word} outside a block ${state.strayEnds}`,
        },
      ];
    }
    state.transactionDepth = 0;
    state.openedBy = undefined;
    state.notValidInBlock.clear();
  }
  return [];
}

function alterDomain(body: Fields): Hit[] {
  if (body.subtype !== 'C') return [];
  const domain =
    names(body.typeName)
      .join('.')
      .replace(/^public\./, '') || 'domain';
  const constraint = asNode(body.def, 'Constraint');
  const name = str(constraint?.conname) ?? `${domain} constraint`;
  const when =
    constraint?.skip_validation === true
      ? 'NOT VALID defers the scan to VALIDATE CONSTRAINT, which reads them all the same'
      : 'every stored value is checked now, under a lock on each of those tables';
  return [
    {
      ruleId: 'MIG024',
      message: `ALTER DOMAIN ${domain} ADD CONSTRAINT ${name} checks every column of every table that uses the domain: ${when}.`,
      key: `${domain}.${name}`,
    },
  ];
}

function createDomain(body: Fields): Hit[] {
  const kinds = list(body.constraints)
    .map((c) => str(asNode(c, 'Constraint')?.contype))
    .filter((k) => k === 'CONSTR_CHECK' || k === 'CONSTR_NOTNULL')
    .map((k) => (k === 'CONSTR_CHECK' ? 'CHECK' : 'NOT NULL'));
  if (kinds.length === 0) return [];
  const domain =
    names(body.domainname)
      .join('.')
      .replace(/^public\./, '') || 'domain';
  return [
    {
      ruleId: 'MIG023',
      message: `Domain ${domain} is created with ${[...new Set(kinds)].join(' and ')}: adding a column of it rewrites the table, and changing the constraint later checks every table that uses it.`,
      key: domain,
    },
  ];
}

/**
 * MIG026: statements whose time under their lock grows with the data and
 * cannot be bounded from the text: any ALTER TABLE of an existing table
 * (which subcommands rewrite or scan depends on types, defaults, partitions
 * and triggers the file does not show), index builds (CREATE INDEX, also
 * CONCURRENTLY, and REINDEX) on existing tables, a domain constraint added or
 * validated, CLUSTER, VACUUM FULL and REFRESH MATERIALIZED VIEW. Not DML
 * (data migrations bound themselves by batches), not CREATE on new objects.
 */
function slowStatement(statement: Statement, state: FileState): string | undefined {
  const { body, type } = statement;
  const existing = (value: unknown): string | undefined => {
    const table = relationName(value);
    return table !== undefined && !state.created.has(table) ? table : undefined;
  };
  switch (type) {
    case 'AlterTableStmt': {
      const table = body.objtype === 'OBJECT_TABLE' ? existing(body.relation) : undefined;
      return table === undefined ? undefined : `ALTER TABLE ${table}`;
    }
    case 'IndexStmt': {
      const table = existing(body.relation);
      return table === undefined ? undefined : `CREATE INDEX on ${table}`;
    }
    case 'ReindexStmt':
      return 'REINDEX';
    case 'AlterDomainStmt':
      return body.subtype === 'C' || body.subtype === 'V' ? 'ALTER DOMAIN' : undefined;
    case 'ClusterStmt':
      return 'CLUSTER';
    case 'RefreshMatViewStmt':
      return 'REFRESH MATERIALIZED VIEW';
    case 'VacuumStmt':
      return list(body.options).some((o) => str(asNode(o, 'DefElem')?.defname) === 'full')
        ? 'VACUUM FULL'
        : undefined;
    default:
      return undefined;
  }
}

/**
 * MIG013: what a statement locks that queries wait behind while it waits for
 * its lock — an existing relation altered, renamed, dropped, truncated,
 * indexed or reindexed (not CONCURRENTLY: that lock lets reads and writes
 * through), given a trigger, clustered, vacuumed FULL, refreshed, or LOCKed.
 */
function lockingStatement(statement: Statement, state: FileState): string | undefined {
  const { body, type } = statement;
  const existing = (value: unknown): string | undefined => {
    const table = relationName(value);
    return table !== undefined && !state.created.has(table) ? table : undefined;
  };
  const on = (what: string, table: string | undefined) =>
    table === undefined ? undefined : `${what} ${table}`;
  switch (type) {
    case 'AlterTableStmt':
      return (
        on('ALTER TABLE', existing(body.relation)) ??
        on('a foreign key locks', referencedExisting(body, state))
      );
    case 'CreateStmt':
      return on('a foreign key locks', referencedExisting(body, state));
    case 'RenameStmt':
      return on('ALTER … RENAME on', existing(body.relation));
    case 'IndexStmt':
      return body.concurrent === true ? undefined : on('CREATE INDEX on', existing(body.relation));
    case 'CreateTrigStmt':
      return on('CREATE TRIGGER on', existing(body.relation));
    case 'TruncateStmt':
      return on('TRUNCATE', existing(asNode(list(body.relations)[0], 'RangeVar')));
    case 'LockStmt':
      return on('LOCK', existing(asNode(list(body.relations)[0], 'RangeVar')));
    case 'DropStmt': {
      if (body.concurrent === true || !LOCKED_ON_DROP.has(str(body.removeType) ?? '')) return undefined;
      const name = droppedNames(body).find((n) => !state.created.has(n));
      return name === undefined ? undefined : `DROP ${name}`;
    }
    default: {
      const slow = slowStatement(statement, state);
      return slow === 'ALTER DOMAIN' ? undefined : slow;
    }
  }
}

/**
 * The first table a statement's foreign keys reference that the file did not
 * create: adding the key takes a SHARE ROW EXCLUSIVE lock on it (writes to it
 * wait), even from a new table.
 */
function referencedExisting(body: Fields, state: FileState): string | undefined {
  const self = relationName(body.relation);
  let found: string | undefined;
  walk(body, (type, node) => {
    if (type !== 'Constraint' || node.contype !== 'CONSTR_FOREIGN') return found === undefined;
    const table = relationName(node.pktable);
    if (table !== undefined && table !== self && !state.created.has(table)) found = table;
    return found === undefined;
  });
  return found;
}

/** DROP of these takes an ACCESS EXCLUSIVE lock on a relation (or, for an index, its table). */
const LOCKED_ON_DROP = new Set([
  'OBJECT_TABLE',
  'OBJECT_INDEX',
  'OBJECT_VIEW',
  'OBJECT_MATVIEW',
  'OBJECT_SEQUENCE',
  'OBJECT_FOREIGN_TABLE',
  'OBJECT_TRIGGER',
]);

function lockTimeoutHits(statement: Statement, state: FileState): Hit[] {
  if (state.lockTimeout || state.lockTimeoutReported) return [];
  const what = lockingStatement(statement, state);
  if (what === undefined) return [];
  state.lockTimeoutReported = true;
  return [
    {
      ruleId: 'MIG013',
      message: `${what} runs with no lock_timeout set in the file: waiting for its lock, it blocks every query on the table.`,
      key: what,
    },
  ];
}

function statementTimeoutHits(statement: Statement, state: FileState): Hit[] {
  if (state.statementTimeout || state.statementTimeoutReported) return [];
  // statement_timeout also bounds the wait for a lock: every statement that needs a lock_timeout needs it too.
  const what = slowStatement(statement, state) ?? lockingStatement(statement, state);
  if (what === undefined) return [];
  state.statementTimeoutReported = true;
  return [
    {
      ruleId: 'MIG026',
      message: `${what} runs with no statement_timeout set in the file: nothing bounds how long it holds its lock.`,
      key: what,
    },
  ];
}

/** SET lock_timeout / statement_timeout (any value, 0 included: a choice); RESET or SET … TO DEFAULT undo it. */
function setting(body: Fields, state: FileState): void {
  const kind = str(body.kind);
  if (kind === 'VAR_RESET_ALL') {
    state.lockTimeout = false;
    state.statementTimeout = false;
    return;
  }
  const value = kind === 'VAR_SET_VALUE';
  if (!value && kind !== 'VAR_RESET' && kind !== 'VAR_SET_DEFAULT') return;
  if (str(body.name) === 'lock_timeout') state.lockTimeout = value;
  if (str(body.name) === 'statement_timeout') state.statementTimeout = value;
}

/** The hits of one statement; updates the file's state. */
function statementHits(statement: Statement, state: FileState): Hit[] {
  const { body } = statement;
  const timeout = [...lockTimeoutHits(statement, state), ...statementTimeoutHits(statement, state)];
  switch (statement.type) {
    case 'CreateStmt':
    case 'CreateTableAsStmt': {
      const table = relationName(body.relation ?? (isObject(body.into) ? body.into.rel : undefined));
      return table === undefined ? timeout : [...createTable(table, body, state), ...timeout];
    }
    case 'VariableSetStmt':
      setting(body, state);
      return [];
    case 'TransactionStmt':
      return transaction(statement, state);
    case 'AlterTableStmt':
      return [...alterTable(body, state), ...timeout];
    case 'IndexStmt':
      return [...createIndex(body, state), ...timeout];
    case 'DropStmt':
      return [...dropStatement(body, state), ...timeout];
    case 'ReindexStmt':
      return [...reindex(body, state), ...timeout];
    case 'CreateDomainStmt':
      return createDomain(body);
    case 'AlterDomainStmt':
      return [...alterDomain(body), ...timeout];
    default:
      return [...otherHits(statement.type, body, state), ...timeout];
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

function newFileState(version: number, history: HistoryState, toolTransaction: boolean): FileState {
  return {
    toolTransaction,
    version,
    created: new Set(),
    lockTimeout: false,
    lockTimeoutReported: false,
    statementTimeout: false,
    statementTimeoutReported: false,
    transactionDepth: toolTransaction ? 1 : 0,
    openedBy: undefined,
    nestedBegins: 0,
    strayEnds: 0,
    notValidInBlock: new Map(),
    droppedIfExists: new Set(),
    history,
  };
}

type Order = (a: Statement, b: Statement) => number;

/**
 * The MIG0xx findings of the SQL files' statements. Each file is read in
 * statement order with its own state (tables it created, timeouts, transaction
 * blocks). With `order` (the files are a migration history: analyze.ts
 * migrationHistory) the statements are read in that order and what a migration
 * established carries into the later ones: a NOT NULL check validated in one
 * migration lets a later SET NOT NULL skip its scan. `inToolTransaction`: the
 * files the migration tool runs in a transaction of its own (history.ts).
 */
export function migrationFindings(
  statements: readonly Statement[],
  postgresVersion: number = DEFAULT_POSTGRES_VERSION,
  order?: Order,
  inToolTransaction: (file: string) => boolean = () => false,
): Finding[] {
  const states = new Map<string, FileState>();
  const shared: HistoryState | undefined =
    order === undefined ? undefined : { notNullChecks: new Map(), steps: true };
  const findings: Finding[] = [];
  const push = (statement: Statement & { file: string }, hit: Hit) =>
    findings.push(
      MIGRATION_RULES.finding(hit.ruleId, {
        message: hit.message,
        resource: {
          kind: 'Statement',
          name: hit.key,
          file: statement.file,
          line: statement.lineOf(hit.location),
        },
        ...(hit.evidence === undefined ? {} : { evidence: hit.evidence }),
        key: [hit.key],
      }),
    );
  const migrations = statements.filter(
    (s): s is Statement & { file: string } =>
      s.source === 'sql' && isMigrationFile(s.file) && nodeOf({ [s.type]: s.body }) !== undefined,
  );
  for (const statement of order === undefined ? migrations : [...migrations].sort(order)) {
    let state = states.get(statement.file);
    if (state === undefined) {
      state = newFileState(
        postgresVersion,
        shared ?? { notNullChecks: new Map(), steps: false },
        inToolTransaction(statement.file),
      );
      states.set(statement.file, state);
    }
    for (const hit of statementHits(statement, state)) push(statement, hit);
  }
  for (const [file, state] of states) {
    if (state.openedBy === undefined) continue;
    push(
      { ...state.openedBy, file },
      {
        ruleId: 'MIG025',
        message: `BEGIN at line ${state.openedBy.line} is never committed: the file ends inside the transaction, and the session that ran it is left holding its locks (or its work is rolled back when it closes).`,
        key: 'uncommitted BEGIN',
      },
    );
  }
  return findings;
}
