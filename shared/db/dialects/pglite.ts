/**
 * A Kysely dialect over PGlite (PostgreSQL compiled to WASM, in process).
 *
 * PGlite is one session. Its own `transaction()` holds a lock that every other
 * query waits for, so a Kysely transaction is run inside one: whatever else
 * shares the instance (pg-boss in the local runtime) can never slip a
 * statement into it. Code inside a transaction must use the transaction
 * object, not the root `db`, or it waits for itself.
 */
import type { PGlite, Results, Transaction } from '@electric-sql/pglite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { DatabaseError } from '../../core/errors.js';

const MODIFYING_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

function toQueryResult<R>(result: Results<R>): QueryResult<R> {
  const modifying = result.command !== undefined && MODIFYING_COMMANDS.has(result.command);
  return modifying
    ? { rows: result.rows, numAffectedRows: BigInt(result.affectedRows ?? result.rowCount ?? 0) }
    : { rows: result.rows };
}

interface OpenTransaction {
  tx: Transaction;
  finish: (outcome: 'commit' | 'rollback') => void;
  done: Promise<void>;
}

class PGliteConnection implements DatabaseConnection {
  #open: OpenTransaction | undefined;

  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const target = this.#open?.tx ?? this.pglite;
    return toQueryResult(await target.query<R>(query.sql, [...query.parameters]));
  }

  // biome-ignore lint/correctness/useYield: PGlite has no server-side cursors for Kysely to stream from.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new DatabaseError('Streaming queries are not supported on PGlite');
  }

  async begin(settings: TransactionSettings): Promise<void> {
    if (this.#open) throw new DatabaseError('A transaction is already open on this connection');
    const ready = Promise.withResolvers<OpenTransaction>();
    const outcome = Promise.withResolvers<'commit' | 'rollback'>();
    const done = this.pglite
      .transaction(async (tx) => {
        if (settings.isolationLevel)
          await tx.query(`set transaction isolation level ${settings.isolationLevel}`);
        if (settings.accessMode) await tx.query(`set transaction ${settings.accessMode}`);
        ready.resolve({ tx, finish: outcome.resolve, done });
        if ((await outcome.promise) === 'rollback') await tx.rollback();
      })
      .then(() => undefined);
    // A failure before `ready` (the settings) is reported by `ready`; later ones by commit / rollback.
    done.catch(ready.reject);
    this.#open = await ready.promise;
  }

  async end(outcome: 'commit' | 'rollback'): Promise<void> {
    const open = this.#open;
    if (!open) throw new DatabaseError(`Cannot ${outcome}: no transaction is open`);
    this.#open = undefined;
    open.finish(outcome);
    await open.done;
  }
}

class PGliteDriver implements Driver {
  constructor(private readonly pglite: PGlite) {}

  async init(): Promise<void> {
    await this.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new PGliteConnection(this.pglite);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await (connection as PGliteConnection).begin(settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).end('commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).end('rollback');
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    // The instance belongs to whoever created it (it may be shared with pg-boss); see closePGlite.
  }
}

export class PGliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}

  createAdapter() {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PGliteDriver(this.pglite);
  }

  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}
