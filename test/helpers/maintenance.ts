/**
 * What the maintenance jobs depend on, over one test database (PGlite or a server): real repositories, real pg-boss lanes in a schema
 * of their own, in-process events, and a clock the test moves.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppDeps } from '../../shared/app/deps.js';
import { InProcessEvents } from '../../shared/app/events.js';
import type { Clock } from '../../shared/core/clock.js';
import type { DatabaseHandle } from '../../shared/db/database.js';
import { migrateUp } from '../../shared/db/migrator.js';
import { createRepositories } from '../../shared/db/repositories/index.js';
import { createPgBossLanes, type PgBossLanesPort } from '../../shared/lanes/pg-boss.js';
import type { DatabaseTarget } from './databases.js';

/** A clock that stands still until the test sets it. */
export class TestClock implements Clock {
  #at: number;

  constructor(at: Date | string) {
    this.#at = new Date(at).getTime();
  }

  now(): Date {
    return new Date(this.#at);
  }

  set(at: Date | string): void {
    this.#at = new Date(at).getTime();
  }
}

/** What the maintenance services take (createJobHandler's full AppDeps comes from startTestApp). */
export type MaintenanceDeps = Pick<AppDeps, 'db' | 'repos' | 'lanes' | 'events' | 'clock' | 'settings'>;

export interface MaintenanceFixture {
  handle: DatabaseHandle;
  lanes: PgBossLanesPort;
  /** The lanes' pg-boss schema, to read the jobs they hold. */
  pgBossSchema: string;
  events: InProcessEvents;
  clock: TestClock;
  deps: MaintenanceDeps;
  close(): Promise<void>;
}

export async function openMaintenanceFixture(
  target: DatabaseTarget,
  settings: Partial<AppDeps['settings']> = {},
): Promise<MaintenanceFixture> {
  const handle = await target.open();
  await migrateUp(handle.db);
  const schema = `pgboss_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const lanes = await createPgBossLanes(
    handle.pglite
      ? { pglite: handle.pglite, schema }
      : { connectionString: process.env.TEST_DATABASE_URL ?? '', schema },
  );
  const events = new InProcessEvents();
  const clock = new TestClock('2026-03-10T12:00:00.000Z');
  const deps: MaintenanceDeps = {
    db: handle.db,
    repos: createRepositories(handle.db),
    lanes,
    events,
    clock,
    settings: {
      rateLimitPerMinute: 100_000,
      callbackSecret: undefined,
      retention: { days: 30, auditDays: 365 },
      budgets: { dailyUsd: undefined, monthlyUsd: undefined },
      maxObjectBytes: 64 * 1024 * 1024,
      ...settings,
    },
  };
  return {
    handle,
    lanes,
    pgBossSchema: schema,
    events,
    clock,
    deps,
    close: async () => {
      await lanes.close();
      await sql.raw(`drop schema if exists ${schema} cascade`).execute(handle.db);
      await handle.close();
    },
  };
}
