/**
 * Nothing accepted is lost or run forever (#6, #1): a queued execution whose
 * job never reached a lane is sent again, a finished one whose completion was
 * never announced is announced once, and an execution that took its worker
 * down on every attempt is failed and dead-lettered instead of run again.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { runAgent } from '../../../shared/agents/registry.js';
import { ApiKeysService } from '../../../shared/app/api-keys.js';
import { DeliverySweeper, sweepJobId } from '../../../shared/app/delivery.js';
import type { ExecutionCompletedEvent } from '../../../shared/app/events.js';
import { ExecutionsService } from '../../../shared/app/executions.js';
import { createJobHandler } from '../../../shared/app/jobs.js';
import type { Principal } from '../../../shared/app/principal.js';
import { type AgentRunner, ExecutionRunner, POISONED } from '../../../shared/app/runner.js';
import type { DatabaseHandle } from '../../../shared/db/database.js';
import { migrateUp } from '../../../shared/db/migrator.js';
import { createRepositories } from '../../../shared/db/repositories/index.js';
import { newJob } from '../../../shared/lanes/envelope.js';
import { createPgBossLanes, type PgBossLanesPort } from '../../../shared/lanes/pg-boss.js';
import { DeadLetterJobError, type Worker } from '../../../shared/lanes/port.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { openServerSchema } from '../../helpers/databases.js';
import { aUser } from '../../helpers/factories.js';

let app: TestApp;
let executions: ExecutionsService;
let user: Principal;
const announced: ExecutionCompletedEvent[] = [];
const drift = {
  baseline: { replicas: 2, tls: { enabled: true } },
  target: { replicas: 6, tls: { enabled: false } },
};

beforeAll(async () => {
  app = await startTestApp();
  executions = new ExecutionsService(app.deps);
  user = await new ApiKeysService(app.deps).authenticate(app.keys.user);
  app.events.on((event) => announced.push(event));
});

afterAll(async () => {
  await app?.close();
});

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** An execution stored as `aiops api` stores it, whose process died before the job was sent. */
async function insertedNotSent(): Promise<string> {
  const row = await app.deps.repos.executions.create({
    traceId: crypto.randomUUID(),
    userId: user.userId,
    agentName: 'config-drift-detector',
    lane: 'agents',
    input: drift,
    callbackUrl: null,
    metadata: {},
    createdAt: new Date(Date.now() - 5 * 60_000),
  });
  return row.id;
}

/** Works the agents lane with a runner that counts the agent's runs. */
async function work(runs: string[]): Promise<Worker> {
  const counting: AgentRunner = (agent, input, ctx) => {
    runs.push(agent);
    return runAgent(agent, input, ctx);
  };
  return app.lanes.work(
    ['agents'],
    createJobHandler(app.deps, { runner: new ExecutionRunner(app.deps, counting) }),
  );
}

/** Three runs of `id`, each leased by a worker that was killed, then released by the restart's recovery. */
async function crashThreeTimes(id: string): Promise<void> {
  const start = Date.now() - 10 * 60_000;
  for (let crash = 1; crash <= 3; crash += 1) {
    const leasedAt = new Date(start + crash * 60_000);
    const lease = await app.deps.repos.executions.acquireLease(
      id,
      new Date(leasedAt.getTime() + 930_000),
      leasedAt,
    );
    expect(lease?.attempts).toBe(crash);
    await app.deps.repos.executions.releaseAllLeases(new Date(leasedAt.getTime() + 1_000));
  }
}

const statusOf = async (id: string) => (await app.deps.repos.executions.findById(id))?.status;

const serverUrl = process.env.TEST_DATABASE_URL;
const onServer = serverUrl ? describe : describe.skip;

onServer('accepting an execution on a PostgreSQL server (TEST_DATABASE_URL)', () => {
  let server: DatabaseHandle & { schema: string };
  let lanes: PgBossLanesPort;
  let service: ExecutionsService;
  let owner: Principal;
  const bossSchema = `pgboss_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;

  beforeAll(async () => {
    server = await openServerSchema(serverUrl ?? '');
    await migrateUp(server.db);
    const scoped = new URL(serverUrl ?? '');
    scoped.searchParams.set('options', `-c search_path=${server.schema}`);
    lanes = await createPgBossLanes({ connectionString: scoped.toString(), schema: bossSchema });
    const repos = createRepositories(server.db);
    service = new ExecutionsService({ ...app.deps, db: server.db, repos, lanes });
    const row = await repos.users.create(aUser());
    owner = { userId: row.id, username: row.username, role: 'user', keyId: crypto.randomUUID() };
  });

  afterAll(async () => {
    await lanes?.close();
    await sql.raw(`drop schema if exists ${bossSchema} cascade`).execute(server.db);
    await server?.close();
  });

  it('#6 stores it and queues its job in one transaction: a job the queue refuses leaves no execution', async () => {
    // Prepare: the queue's own table refuses this one job (as a full disk or a lost connection would)
    const traceId = `trace-refused-${crypto.randomUUID()}`;
    await sql
      .raw(
        `alter table ${bossSchema}.job add constraint refuse_one check ((data->>'traceId') is distinct from '${traceId}')`,
      )
      .execute(server.db);

    // Act
    const refused = await service
      .create(owner, { agent: 'config-drift-detector', input: drift }, { traceId })
      .catch((error: unknown) => error);
    await sql.raw(`alter table ${bossSchema}.job drop constraint refuse_one`).execute(server.db);
    const accepted = await service.create(
      owner,
      { agent: 'config-drift-detector', input: drift },
      { traceId: crypto.randomUUID() },
    );

    // Assess: 503 with nothing stored; the next one is stored with its job
    expect(refused).toMatchObject({ status: 503, retryAfterSeconds: 2 });
    const stored = await server.db
      .selectFrom('agentExecutions')
      .select('id')
      .where('traceId', '=', traceId)
      .execute();
    expect(stored).toEqual([]);
    const id = (accepted.body as { id: string }).id;
    expect([...(await lanes.liveJobIds([id]))]).toEqual([id]);
  });
});

describe('the delivery sweeper', () => {
  it('#6 sends the job of an execution stored but never queued, and it runs once', async () => {
    // Prepare
    const id = await insertedNotSent();
    const runs: string[] = [];
    const worker = await work(runs);

    try {
      // Act
      const first = await new DeliverySweeper(app.deps).sweep();
      const second = await new DeliverySweeper(app.deps).sweep();
      await eventually(async () => ((await statusOf(id)) === 'completed' ? true : undefined));
      const third = await new DeliverySweeper(app.deps).sweep({ queuedForMs: 0, unannouncedForMs: 0 });

      // Assess: sent once (the second sweep finds its job live), run once, announced once
      expect(first.requeued).toBe(1);
      expect(second.requeued).toBe(0);
      expect(third).toEqual({ requeued: 0, announced: 0 });
      expect(runs).toEqual(['config-drift-detector']);
      expect(announced.filter((e) => e.id === id).map((e) => e.status)).toEqual(['completed']);
    } finally {
      await worker.stop();
    }
  });

  it('#6 runs in the scheduled health-check job too, which is how AWS sweeps', async () => {
    // Prepare
    const id = await insertedNotSent();

    // Act
    await createJobHandler(app.deps)(newJob('health.check', {}, { traceId: crypto.randomUUID() }), {
      attempt: 1,
      maxAttempts: 3,
    });

    // Assess: its job is on the lane now
    expect([...((await app.lanes.liveJobIds?.([sweepJobId(id, 0)])) ?? [])]).toEqual([sweepJobId(id, 0)]);
    await app.deps.repos.executions.cancel(id);
  });

  it('#6 leaves alone a queued execution whose job is waiting on its lane', async () => {
    // Prepare: accepted the ordinary way, not yet worked
    const response = await executions.create(
      user,
      { agent: 'config-drift-detector', input: drift },
      { traceId: crypto.randomUUID() },
    );
    const id = (response.body as { id: string }).id;
    const before = await app.lanes.depth('agents');

    // Act
    const report = await new DeliverySweeper(app.deps).sweep({ queuedForMs: 0 });

    // Assess
    expect(response.status).toBe(202);
    expect(report.requeued).toBe(0);
    expect((await app.lanes.depth('agents')).queued).toBe(before.queued);
    await app.deps.repos.executions.cancel(id);
  });

  it('#6 announces an execution whose worker died between storing its result and announcing it', async () => {
    // Prepare: the result is stored, the process dies before the event and the callback job
    const id = await insertedNotSent();
    await app.deps.repos.executions.acquireLease(id, new Date(Date.now() + 60_000));
    await app.deps.repos.executions.complete(id, {
      output: { summary: 'ok', findings: [] },
      findingCounts: {},
    });

    // Act
    const early = await new DeliverySweeper(app.deps).sweep({ unannouncedForMs: 60_000 });
    const due = await new DeliverySweeper(app.deps).sweep({ unannouncedForMs: 0 });
    const again = await new DeliverySweeper(app.deps).sweep({ unannouncedForMs: 0 });

    // Assess: not while the worker may still be announcing it, then exactly once
    expect(early.announced).toBe(0);
    expect(due.announced).toBe(1);
    expect(again.announced).toBe(0);
    expect(announced.filter((e) => e.id === id)).toHaveLength(1);
    expect((await app.deps.repos.executions.findById(id))?.notifiedAt).toBeInstanceOf(Date);
  });
});

describe('a poison execution', () => {
  it('#1 is attempted at most maxAttempts times, then failed and dead-lettered, never run again', async () => {
    // Prepare: accepted, then three times leased by a worker that died (kill -9) and recovered after
    const response = await executions.create(
      user,
      { agent: 'config-drift-detector', input: drift },
      { traceId: crypto.randomUUID() },
    );
    const id = (response.body as { id: string }).id;
    await crashThreeTimes(id);
    const deadBefore = (await app.lanes.depth('agents')).deadLettered;
    const runs: string[] = [];

    // Act: the recovery's next delivery
    const worker = await work(runs);
    try {
      await eventually(async () =>
        (await app.lanes.depth('agents')).deadLettered > deadBefore ? true : undefined,
      );
      const sweep = await new DeliverySweeper(app.deps).sweep({ queuedForMs: 0, leaseExpiredForMs: 0 });

      // Assess
      const execution = await app.deps.repos.executions.findById(id);
      expect(runs).toEqual([]);
      expect(execution?.status).toBe('failed');
      expect(execution?.errorCode).toBe(POISONED);
      expect(execution?.errorMessage).toContain('abandoned 3 times');
      expect(sweep.requeued).toBe(0);
      expect(announced.filter((e) => e.id === id).map((e) => e.status)).toEqual(['failed']);
    } finally {
      await worker.stop();
    }
  });

  it('#1 sends a later copy of a poisoned execution’s job to the dead letters too', async () => {
    // Prepare
    const id = await insertedNotSent();
    await crashThreeTimes(id);
    const runner = new ExecutionRunner(app.deps);
    await expect(runner.execute(id, { attempt: 1, maxAttempts: 3 })).rejects.toBeInstanceOf(
      DeadLetterJobError,
    );

    // Act
    const copy = runner.execute(id, { attempt: 1, maxAttempts: 3 });

    // Assess
    await expect(copy).rejects.toBeInstanceOf(DeadLetterJobError);
    expect(await statusOf(id)).toBe('failed');
  });
});
