/**
 * Opens the database the configuration points at: a PostgreSQL server through
 * `pg`, Aurora through the RDS Data API, or an embedded PGlite. Everything
 * above this file sees one `Kysely<Database>` and the same value conventions
 * (see schema.ts).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, type KyselyPlugin } from 'kysely';
import type { DatabaseTarget } from '../core/config.js';
import { ConnectionError } from '../core/errors.js';
import { logger } from '../core/observability.js';
import { isProcessAlive } from '../core/processes.js';
import { withConnectionErrors } from './connection-errors.js';
import type { Database } from './schema.js';

/** int8 (counts, sums of integers) read as a JS number by every dialect; our int8 values stay far below 2^53. */
const INT8_OID = 20;

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseTarget['kind'];
  /** The embedded instance, for what must share it (pg-boss locally); only when kind is 'pglite'. */
  pglite?: PGlite;
  close(): Promise<void>;
}

/** Shared by every handle: snake_case in SQL, camelCase in code, jsonb contents untouched. */
export function databasePlugins(): KyselyPlugin[] {
  return [new CamelCasePlugin({ maintainNestedObjectKeys: true })];
}

/** A driver error as logged: its code and message, never the statement or its parameters. */
function describeError(error: Error): { code?: string; message: string } {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? { code, message: error.message } : { message: error.message };
}

/**
 * PGlite is one process's database: two processes on one data directory would
 * corrupt it. A lock file holding the owner's pid keeps a second one out; a
 * lock left by a process that died (kill -9) is taken over.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && isProcessAlive(owner)) {
        throw new ConnectionError(
          `The embedded database in ${dataDir} is in use by process ${owner} (an aiops serve?); stop it or use its HTTP API`,
          { details: { dataDir, pid: owner } },
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new ConnectionError(`Cannot lock the embedded database in ${dataDir}`, { details: { dataDir } });
}

export async function openDatabase(
  target: DatabaseTarget | { kind: 'pglite-memory' },
): Promise<DatabaseHandle> {
  switch (target.kind) {
    case 'pg': {
      const [{ default: pg }, { PostgresDialect }] = await Promise.all([import('pg'), import('kysely')]);
      const pool = new pg.Pool({
        connectionString: target.url,
        max: target.poolMax,
        types: {
          getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
            oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
        },
      });
      // A client's error (server restart, terminated backend, network cut) must never crash the
      // process: the pool drops that client and the next query connects afresh. The pool hears idle
      // clients only; a checked-out client (a query or transaction running) emits 'error' on itself,
      // which unheard is an uncaught exception, so every client gets its own listener for life.
      pool.on('error', (error) => logger.warn('aiops.db.idle_client_error', { error: describeError(error) }));
      pool.on('connect', (client) => {
        client.on('error', (error) => logger.warn('aiops.db.client_error', { error: describeError(error) }));
      });
      const db = new Kysely<Database>({
        dialect: withConnectionErrors(new PostgresDialect({ pool })),
        plugins: databasePlugins(),
      });
      return { db, kind: 'pg', close: () => db.destroy() };
    }
    case 'data-api': {
      const [{ RDSDataClient }, { DataApiDialect }] = await Promise.all([
        import('@aws-sdk/client-rds-data'),
        import('./dialects/data-api.js'),
      ]);
      const client = new RDSDataClient(target.region === undefined ? {} : { region: target.region });
      const dialect = new DataApiDialect({
        client,
        resourceArn: target.clusterArn,
        secretArn: target.secretArn,
        database: target.database,
      });
      const db = new Kysely<Database>({ dialect, plugins: databasePlugins() });
      return { db, kind: 'data-api', close: () => db.destroy() };
    }
    case 'pglite':
    case 'pglite-memory': {
      const [{ PGlite: PGliteClass }, { PGliteDialect }] = await Promise.all([
        import('@electric-sql/pglite'),
        import('./dialects/pglite.js'),
      ]);
      const dataDir = target.kind === 'pglite' ? target.dataDir : undefined;
      let unlock = async () => {};
      if (dataDir !== undefined) {
        await mkdir(dataDir, { recursive: true });
        unlock = await lockDataDir(dataDir);
      }
      let pglite: PGlite;
      try {
        pglite = await PGliteClass.create(dataDir, { parsers: { [INT8_OID]: Number } });
      } catch (cause) {
        await unlock();
        throw new ConnectionError(`Cannot open the embedded database in ${dataDir ?? 'memory'}`, {
          cause,
          details: { dataDir },
        });
      }
      const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), plugins: databasePlugins() });
      return {
        db,
        kind: 'pglite',
        pglite,
        close: async () => {
          await db.destroy();
          await pglite.close();
          await unlock();
        },
      };
    }
  }
}
