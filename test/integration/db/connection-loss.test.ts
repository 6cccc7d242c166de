/**
 * #3: a PostgreSQL connection that drops (server restart, failover, a
 * terminated backend) never crashes the process; what was running fails with a
 * retryable ConnectionError (503 + Retry-After over HTTP) and the next query
 * connects afresh. Simulated by terminating this suite's own backends: the
 * shared test server is never restarted.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import pg from 'pg';
import { ConnectionError } from '../../../shared/core/errors.js';
import { isConnectionLost, translateConnectionError } from '../../../shared/db/connection-errors.js';
import type { DatabaseHandle } from '../../../shared/db/database.js';
import { openServerSchema } from '../../helpers/databases.js';

const serverUrl = process.env.TEST_DATABASE_URL;
const onServer = serverUrl ? describe : describe.skip;

describe('lost database connections', () => {
  it.each([
    [
      '57P01 admin_shutdown',
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ],
    ['08006 connection_failure', Object.assign(new Error('connection failure'), { code: '08006' })],
    ['ECONNRESET', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    [
      'ECONNREFUSED',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    ['a dropped socket', new Error('Connection terminated unexpectedly')],
  ])('#3 reports %s as a retryable 503 with Retry-After', (_name, error) => {
    // Act
    const translated = translateConnectionError(error);

    // Assess
    expect(translated).toBeInstanceOf(ConnectionError);
    expect(translated).toMatchObject({ status: 503, retryable: true, retryAfterSeconds: 2, cause: error });
  });

  it('#3 leaves other database errors as the driver raised them', () => {
    // Prepare
    const unique = Object.assign(new Error('duplicate key value violates unique constraint'), {
      code: '23505',
    });

    // Act / Assess
    expect(isConnectionLost(unique)).toBe(false);
    expect(translateConnectionError(unique)).toBe(unique);
  });
});

onServer('a PostgreSQL server connection that drops (TEST_DATABASE_URL)', () => {
  const url = serverUrl ?? '';
  const applicationName = `aiops_conn_loss_${process.pid}`;
  let handle: DatabaseHandle;

  async function terminateOwnBackends(): Promise<number> {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        'select pg_terminate_backend(pid) as done from pg_stat_activity where application_name = $1',
        [applicationName],
      );
      return rows.length;
    } finally {
      await admin.end();
    }
  }

  async function waitForBackends(count: number): Promise<void> {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
        const { rows } = await admin.query(
          "select count(*)::int as n from pg_stat_activity where application_name = $1 and state = 'active'",
          [applicationName],
        );
        if ((rows[0] as { n: number }).n >= count) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('the query never started');
    } finally {
      await admin.end();
    }
  }

  /** A query right after a drop may still meet a pooled connection the drop killed (a 503); the pool then replaces it. */
  async function servesAgain(): Promise<unknown[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return (await sql<{ ok: number }>`select 1 as ok`.execute(handle.db)).rows;
      } catch (error) {
        if (!(error instanceof ConnectionError) || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  beforeAll(async () => {
    handle = await openServerSchema(url, { applicationName });
  });

  afterAll(async () => {
    await handle?.close();
  });

  it('#3 fails a running query with a ConnectionError and serves the next one', async () => {
    // Prepare: a query in flight
    const running = sql`select pg_sleep(30)`.execute(handle.db);
    const outcome = running.then(
      () => 'finished',
      (error: unknown) => error,
    );
    await waitForBackends(1);

    // Act
    expect(await terminateOwnBackends()).toBeGreaterThanOrEqual(1);
    const failure = await outcome;
    const next = await servesAgain();

    // Assess
    expect(failure).toBeInstanceOf(ConnectionError);
    expect(failure).toMatchObject({ status: 503, retryAfterSeconds: 2 });
    expect(next).toEqual([{ ok: 1 }]);
  });

  it('#3 survives a drop while a transaction holds its connection between statements', async () => {
    // Prepare: a transaction that waits, connection checked out and idle, while its backend is terminated
    const outcome = handle.db
      .transaction()
      .execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await terminateOwnBackends();
        // The checked-out client hears the drop here, between two statements of the transaction.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await sql`select 2`.execute(trx);
        return 'committed';
      })
      .catch((error: unknown) => error);

    // Act
    const failure = await outcome;
    const next = await servesAgain();

    // Assess: the process is still here, the transaction failed retryably, and the pool reconnected
    expect(failure).toBeInstanceOf(ConnectionError);
    expect(next).toEqual([{ ok: 1 }]);
  });
});
