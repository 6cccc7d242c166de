/**
 * A lost database connection (a server restart, a failover, a terminated
 * backend, a network cut) is a ConnectionError: 503 with Retry-After for an
 * HTTP caller, a retryable failure for a lane job. Every other error passes
 * through as the driver raised it (constraint checks read its SQLSTATE).
 *
 * The dialect wrapper puts this translation under every query, transaction
 * statement and connection checkout of a Kysely instance, so no caller has to
 * remember it.
 */
import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import { ConnectionError, DatabaseError } from '../core/errors.js';

type CompileQuery = QueryCompiler['compileQuery'];

/** What a client should wait before retrying: a restart or failover takes seconds. */
export const RECONNECT_RETRY_AFTER_SECONDS = 2;

/**
 * SQLSTATEs of a server that went away or refuses connections for now: class
 * 08 (connection exception), 57P01-57P03 (admin / crash shutdown, cannot
 * connect now), 53300 (too many connections).
 */
const LOST_SQLSTATE = /^(08...|57P0[123]|53300)$/;
const LOST_SOCKET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);
/** node-postgres reports a dropped socket and a pool that cannot connect only in the message. */
const LOST_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Connection ended unexpectedly',
];

export function isConnectionLost(error: unknown): boolean {
  if (error instanceof ConnectionError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (LOST_SQLSTATE.test(code) || LOST_SOCKET_CODES.has(code))) return true;
  return typeof message === 'string' && LOST_MESSAGES.some((m) => message.includes(m));
}

/** The error to throw for `error`: a ConnectionError when the connection was lost, else `error` itself. */
export function translateConnectionError(error: unknown): unknown {
  if (error instanceof ConnectionError || !isConnectionLost(error)) return error;
  const code = (error as { code?: unknown }).code;
  return new ConnectionError('The database connection was lost; retry shortly', {
    cause: error,
    retryAfterSeconds: RECONNECT_RETRY_AFTER_SECONDS,
    details: typeof code === 'string' ? { code } : {},
  });
}

async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateConnectionError(error);
  }
}

class TranslatingConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return translated(() => this.inner.executeQuery<R>(query));
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize);
    } catch (error) {
      throw translateConnectionError(error);
    }
  }
}

/** The driver's own connection object: its release and transaction methods need it, not the wrapper. */
function unwrap(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof TranslatingConnection ? connection.inner : connection;
}

class TranslatingDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return translated(() => this.inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new TranslatingConnection(await translated(() => this.inner.acquireConnection()));
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return translated(() => this.inner.beginTransaction(unwrap(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return translated(() => this.inner.commitTransaction(unwrap(connection)));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return translated(() => this.inner.rollbackTransaction(unwrap(connection)));
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: CompileQuery): Promise<void> {
    if (this.inner.savepoint === undefined)
      throw new DatabaseError('This database does not support savepoints');
    const inner = this.inner;
    return translated(() => inner.savepoint?.(unwrap(connection), name, compile) ?? Promise.resolve());
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: CompileQuery,
  ): Promise<void> {
    const inner = this.inner;
    return translated(
      () => inner.rollbackToSavepoint?.(unwrap(connection), name, compile) ?? Promise.resolve(),
    );
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: CompileQuery): Promise<void> {
    const inner = this.inner;
    return translated(() => inner.releaseSavepoint?.(unwrap(connection), name, compile) ?? Promise.resolve());
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** `dialect` with lost connections reported as ConnectionError. */
export function withConnectionErrors(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new TranslatingDriver(dialect.createDriver()),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}
