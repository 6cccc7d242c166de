/**
 * A Kysely dialect for the Aurora PostgreSQL RDS Data API.
 *
 * The Data API is stateless HTTP: there is no session, only an optional
 * transactionId that ties statements together. Parameters are named and typed
 * (`SqlParameter`), and rows come back as typed `Field`s plus column metadata,
 * so this module owns the value mapping in both directions.
 */
import type {
  ArrayValue,
  ColumnMetadata,
  Field,
  RDSDataClient,
  SqlParameter,
} from '@aws-sdk/client-rds-data';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type MigrationLockOptions,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
  sql,
  type TransactionSettings,
} from 'kysely';
import { AiopsError, ConnectionError, DatabaseError } from '../../core/errors.js';
import { lazy } from '../../core/lazy.js';

/** The SDK's commands, imported with the first request: loading the client package is a large share of a cold start. */
const dataApiCommands = lazy(() => import('@aws-sdk/client-rds-data'));

export interface DataApiDialectConfig {
  client: RDSDataClient;
  resourceArn: string;
  secretArn: string;
  database: string;
}

export class DataApiDialect implements Dialect {
  readonly #config: DataApiDialectConfig;

  constructor(config: DataApiDialectConfig) {
    this.#config = { ...config };
  }

  createDriver(): Driver {
    return new DataApiDriver(this.#config);
  }

  createQueryCompiler(): QueryCompiler {
    return new DataApiQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new DataApiAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

// --- query compiler ------------------------------------------------------------

/** The Data API only accepts named parameters; `:pN` keeps kysely's positional numbering. */
class DataApiQueryCompiler extends PostgresQueryCompiler {
  protected override getCurrentParameterPlaceholder(): string {
    return `:p${this.numParameters}`;
  }
}

// --- adapter -------------------------------------------------------------------

/**
 * kysely 0.29's PostgresAdapter takes a session-level advisory lock in one
 * statement and releases it in another. Outside a Data API transaction every
 * statement may land on a different pooled backend, so the unlock would miss
 * and the lock would leak on the Data API's pool, hanging every later migration.
 *
 * Inside a transaction (a Migrator given `db: trx`) all statements share one
 * backend, so a transaction-scoped lock is correct and ends with the transaction.
 * Outside one no lock can be held; the Migrator still runs the migrations in a
 * transaction, and PostgreSQL's transactional DDL plus the primary key on the
 * migration table make a concurrent second run fail and roll back rather than
 * apply anything twice.
 */
class DataApiAdapter extends PostgresAdapter {
  override async acquireMigrationLock(db: Kysely<unknown>, _options: MigrationLockOptions): Promise<void> {
    if (db.isTransaction) {
      await sql`select pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK_ID)})`.execute(db);
    }
  }

  override async releaseMigrationLock(_db: Kysely<unknown>, _options: MigrationLockOptions): Promise<void> {
    // The transaction-scoped lock is released by the transaction's commit or rollback.
  }
}

/** Same lock id as kysely's PostgresAdapter, so mixed pg / Data API migrators exclude each other. */
const MIGRATION_LOCK_ID = BigInt('3853314791062309107');

// --- driver --------------------------------------------------------------------

class DataApiDriver implements Driver {
  readonly #config: DataApiDialectConfig;

  constructor(config: DataApiDialectConfig) {
    this.#config = config;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    // A fresh object per acquisition keeps concurrent transactions' ids apart.
    return new DataApiConnection(this.#config);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await asDataApiConnection(connection).beginTransaction(settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await asDataApiConnection(connection).commitTransaction();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await asDataApiConnection(connection).rollbackTransaction();
  }

  // The Data API exposes no savepoint operation; failing loudly beats kysely's generic Error.
  async savepoint(): Promise<void> {
    throw new DatabaseError(SAVEPOINTS_UNSUPPORTED);
  }

  async rollbackToSavepoint(): Promise<void> {
    throw new DatabaseError(SAVEPOINTS_UNSUPPORTED);
  }

  async releaseSavepoint(): Promise<void> {
    throw new DatabaseError(SAVEPOINTS_UNSUPPORTED);
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    // The RDSDataClient belongs to the caller, who may share it; it is not ours to destroy.
  }
}

const SAVEPOINTS_UNSUPPORTED = 'savepoints are not supported by the Data API';

function asDataApiConnection(connection: DatabaseConnection): DataApiConnection {
  if (!(connection instanceof DataApiConnection)) {
    throw new DatabaseError('connection was not created by the Data API driver');
  }
  return connection;
}

const ISOLATION_LEVELS: Readonly<Record<string, string>> = {
  'read uncommitted': 'read uncommitted',
  'read committed': 'read committed',
  'repeatable read': 'repeatable read',
  serializable: 'serializable',
};
const ACCESS_MODES: Readonly<Record<string, string>> = {
  'read only': 'read only',
  'read write': 'read write',
};

/** Commands whose result carries an affected-row count, as in kysely's PostgresDriver. */
const ROW_MODIFYING_NODES = new Set([
  'InsertQueryNode',
  'UpdateQueryNode',
  'DeleteQueryNode',
  'MergeQueryNode',
]);
const ROW_MODIFYING_SQL = /^\s*(?:insert|update|delete|merge)\b/i;

class DataApiConnection implements DatabaseConnection {
  readonly #config: DataApiDialectConfig;
  #transactionId: string | undefined;

  constructor(config: DataApiDialectConfig) {
    this.#config = config;
  }

  async beginTransaction(settings: TransactionSettings): Promise<void> {
    if (this.#transactionId !== undefined) {
      throw new DatabaseError('a transaction is already open on this connection');
    }
    // Validated before BeginTransaction so a bad setting cannot leave a transaction open.
    const characteristics = transactionCharacteristics(settings);
    const { resourceArn, secretArn, database } = this.#config;
    const { BeginTransactionCommand } = await dataApiCommands();
    const output = await callDataApi(() =>
      this.#config.client.send(new BeginTransactionCommand({ resourceArn, secretArn, database })),
    );
    if (output.transactionId === undefined || output.transactionId === '') {
      throw new DatabaseError('BeginTransaction returned no transactionId');
    }
    this.#transactionId = output.transactionId;

    if (characteristics === undefined) {
      return;
    }
    try {
      await this.executeQuery(CompiledQuery.raw(`set transaction ${characteristics}`));
    } catch (error) {
      // kysely only rolls back transactions whose begin succeeded; without this the
      // Data API would hold the transaction open until its own timeout.
      await this.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  }

  async commitTransaction(): Promise<void> {
    const transactionId = this.#requireTransactionId();
    const { resourceArn, secretArn } = this.#config;
    const { CommitTransactionCommand } = await dataApiCommands();
    await callDataApi(() =>
      this.#config.client.send(new CommitTransactionCommand({ resourceArn, secretArn, transactionId })),
    );
    // Cleared only on success: kysely rolls back after a failed commit and needs the id.
    this.#transactionId = undefined;
  }

  async rollbackTransaction(): Promise<void> {
    const transactionId = this.#requireTransactionId();
    const { resourceArn, secretArn } = this.#config;
    try {
      const { RollbackTransactionCommand } = await dataApiCommands();
      await this.#config.client.send(
        new RollbackTransactionCommand({ resourceArn, secretArn, transactionId }),
      );
    } catch (error) {
      // The Data API ends a transaction itself on timeouts and some failures; the
      // rollback's goal is then already met, and rethrowing would mask the error
      // that made kysely roll back in the first place.
      if (errorName(error) !== 'TransactionNotFoundException') {
        throw toDatabaseError(error);
      }
    } finally {
      this.#transactionId = undefined;
    }
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { client, resourceArn, secretArn, database } = this.#config;
    const parameters = compiledQuery.parameters.map((value, index) => toSqlParameter(`p${index + 1}`, value));
    const transactionId = this.#transactionId;
    const { ExecuteStatementCommand } = await dataApiCommands();
    const output = await callDataApi(() =>
      client.send(
        new ExecuteStatementCommand({
          resourceArn,
          secretArn,
          database,
          ...(transactionId === undefined ? {} : { transactionId }),
          includeResultMetadata: true,
          sql: compiledQuery.sql,
          parameters,
        }),
      ),
    );

    // The Data API does not check row shapes either; R is the caller's claim, as with pg.
    const rows = fromRecords(output.columnMetadata ?? [], output.records ?? []) as R[];
    if (!isRowModifying(compiledQuery)) {
      return { rows };
    }
    // With RETURNING the Data API reports numberOfRecordsUpdated = 0 and returns the
    // rows instead; PostgreSQL returns exactly one row per affected row.
    const updated = output.numberOfRecordsUpdated ?? 0;
    return { rows, numAffectedRows: BigInt(updated > 0 ? updated : rows.length) };
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new DatabaseError('streaming is not supported by the Data API');
  }

  #requireTransactionId(): string {
    if (this.#transactionId === undefined) {
      throw new DatabaseError('no transaction is open on this connection');
    }
    return this.#transactionId;
  }
}

function transactionCharacteristics(settings: TransactionSettings): string | undefined {
  const parts: string[] = [];
  if (settings.isolationLevel !== undefined) {
    const level = ISOLATION_LEVELS[settings.isolationLevel];
    if (level === undefined) {
      throw new DatabaseError('isolation level is not supported by PostgreSQL', {
        details: { isolationLevel: settings.isolationLevel },
      });
    }
    parts.push(`isolation level ${level}`);
  }
  if (settings.accessMode !== undefined) {
    const mode = ACCESS_MODES[settings.accessMode];
    if (mode === undefined) {
      throw new DatabaseError('transaction access mode is not supported', {
        details: { accessMode: settings.accessMode },
      });
    }
    parts.push(mode);
  }
  return parts.length === 0 ? undefined : parts.join(' ');
}

function isRowModifying(compiledQuery: CompiledQuery): boolean {
  const kind = compiledQuery.query.kind;
  if (ROW_MODIFYING_NODES.has(kind)) {
    return true;
  }
  return kind === 'RawNode' && ROW_MODIFYING_SQL.test(compiledQuery.sql);
}

// --- parameter encoding ----------------------------------------------------------

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Maps one kysely parameter to a typed Data API parameter. Error messages name
 * the parameter and its kind, never its value.
 */
export function toSqlParameter(name: string, value: unknown): SqlParameter {
  if (value === null || value === undefined) {
    return { name, value: { isNull: true } };
  }
  switch (typeof value) {
    case 'boolean':
      return { name, value: { booleanValue: value } };
    case 'number':
      if (Number.isSafeInteger(value)) {
        return { name, value: { longValue: value } };
      }
      if (Number.isFinite(value)) {
        return { name, value: { doubleValue: value } };
      }
      // NaN and ±Infinity have no JSON form, so the Data API cannot carry them.
      throw new DatabaseError(`parameter ${name} is not a finite number`, { details: { parameter: name } });
    case 'bigint':
      if (value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER)) {
        // longValue travels as a JSON number, which would silently lose precision.
        throw new DatabaseError(`parameter ${name} is a bigint outside the safe integer range`, {
          details: { parameter: name },
        });
      }
      return { name, value: { longValue: Number(value) } };
    case 'string':
      return UUID_PATTERN.test(value)
        ? { name, value: { stringValue: value }, typeHint: 'UUID' }
        : { name, value: { stringValue: value } };
    case 'object':
      return objectParameter(name, value);
    default:
      throw new DatabaseError(`parameter ${name} has unsupported type ${typeof value}`, {
        details: { parameter: name },
      });
  }
}

function objectParameter(name: string, value: object): SqlParameter {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      throw new DatabaseError(`parameter ${name} is an invalid Date`, { details: { parameter: name } });
    }
    return { name, value: { stringValue: formatTimestamp(value) }, typeHint: 'TIMESTAMP' };
  }
  if (value instanceof Uint8Array) {
    return { name, value: { blobValue: value } };
  }
  if (Array.isArray(value) || isPlainObject(value)) {
    let json: string;
    try {
      json = JSON.stringify(value);
    } catch (error) {
      throw new DatabaseError(`parameter ${name} cannot be serialised as JSON`, {
        details: { parameter: name },
        cause: error,
      });
    }
    return { name, value: { stringValue: json }, typeHint: 'JSON' };
  }
  throw new DatabaseError(`parameter ${name} has unsupported type ${value.constructor?.name ?? 'object'}`, {
    details: { parameter: name },
  });
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC: the format the TIMESTAMP type hint accepts. */
function formatTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

// --- record decoding ---------------------------------------------------------------

/** Data API timestamps: UTC, no offset, optional fraction of up to microseconds. */
const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/;

/** Turns Data API records into row objects keyed by column label (alias) or name. */
export function fromRecords(
  columnMetadata: readonly ColumnMetadata[],
  records: readonly (readonly Field[])[],
): Record<string, unknown>[] {
  const columns = columnMetadata.map((column, index) => ({
    key: column.label ?? column.name ?? `column${index + 1}`,
    typeName: (column.typeName ?? '').toLowerCase(),
  }));
  return records.map((record) => {
    const row: Record<string, unknown> = {};
    columns.forEach((column, index) => {
      row[column.key] = decodeField(record[index], column.typeName);
    });
    return row;
  });
}

function decodeField(field: Field | undefined, typeName: string): unknown {
  if (field === undefined || field.isNull === true) {
    return null;
  }
  if (field.stringValue !== undefined) {
    return decodeString(field.stringValue, typeName);
  }
  if (field.longValue !== undefined) {
    return field.longValue;
  }
  if (field.doubleValue !== undefined) {
    return field.doubleValue;
  }
  if (field.booleanValue !== undefined) {
    return field.booleanValue;
  }
  if (field.blobValue !== undefined) {
    return field.blobValue;
  }
  if (field.arrayValue !== undefined) {
    // PostgreSQL names array types after their element type with a leading underscore.
    return decodeArray(field.arrayValue, typeName.replace(/^_/, ''));
  }
  throw new DatabaseError('the Data API returned a field of an unknown kind', {
    details: { typeName },
  });
}

function decodeArray(array: ArrayValue, elementTypeName: string): unknown[] {
  if (array.stringValues !== undefined) {
    return array.stringValues.map((value) => (value === null ? null : decodeString(value, elementTypeName)));
  }
  if (array.arrayValues !== undefined) {
    return array.arrayValues.map((value) => (value === null ? null : decodeArray(value, elementTypeName)));
  }
  return array.longValues ?? array.doubleValues ?? array.booleanValues ?? [];
}

function decodeString(value: string, typeName: string): unknown {
  switch (typeName) {
    case 'timestamptz':
    case 'timestamp':
      return parseTimestamp(value);
    case 'json':
    case 'jsonb':
      return JSON.parse(value);
    default:
      // numeric/decimal stay strings (as in node-postgres) so no precision is lost;
      // date stays a string because a calendar day has no time zone.
      return value;
  }
}

function parseTimestamp(value: string): Date | string {
  const match = TIMESTAMP_PATTERN.exec(value);
  if (match === null) {
    // `infinity`, BC dates and the like have no faithful Date; hand them over untouched.
    return value;
  }
  const [, year, month, day, hour, minute, second, fraction = ''] = match;
  return new Date(
    Date.UTC(
      Number(year),
      Number(month) - 1,
      Number(day),
      Number(hour),
      Number(minute),
      Number(second),
      // Date holds milliseconds; microseconds are truncated like node-postgres does.
      Number(fraction.slice(0, 3).padEnd(3, '0')),
    ),
  );
}

// --- errors -----------------------------------------------------------------------

/** Data API failures where the same request can succeed a little later. */
const TRANSIENT_ERROR_NAMES = new Set([
  'StatementTimeoutException',
  'ServiceUnavailableError',
  'ThrottlingException',
  'DatabaseResumingException',
  'DatabaseUnavailableException',
]);
/** Older Aurora Serverless reported resuming through BadRequestException with these messages. */
const TRANSIENT_MESSAGE = /resuming after being auto-paused|communications link failure/i;
const SQL_STATE = /SQLState:\s*([0-9A-Z]{5})/i;

async function callDataApi<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toDatabaseError(error);
  }
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function toDatabaseError(error: unknown): AiopsError {
  if (error instanceof AiopsError) {
    return error;
  }
  const name = errorName(error) ?? 'UnknownError';
  const rawMessage = error instanceof Error ? error.message : String(error);
  const message = redactValues(rawMessage);
  if (TRANSIENT_ERROR_NAMES.has(name) || TRANSIENT_MESSAGE.test(rawMessage)) {
    return new ConnectionError(`Data API unavailable (${name}): ${message}`, {
      cause: error,
      details: { errorName: name },
    });
  }
  const sqlState = SQL_STATE.exec(rawMessage)?.[1];
  return new DatabaseError(message, {
    cause: error,
    details: sqlState === undefined ? { errorName: name } : { errorName: name, sqlState },
  });
}

/**
 * PostgreSQL echoes offending values in its messages (`invalid input syntax for
 * type uuid: "…"`, `Detail: Key (email)=(…) already exists`); those are often our
 * parameters, which must not reach logs through the message.
 */
function redactValues(message: string): string {
  return message
    .replace(/\n?\s*(?:Detail|Where):[\s\S]*?(?=;\s*SQLState:|\n\s*(?:Hint|Position):|$)/g, '')
    .replace(/: "(?:[^"]|"")*"/g, ': "[redacted]"');
}
