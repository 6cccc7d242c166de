/**
 * Composes the system for one process: `aiops serve` (everything, on PGlite),
 * `aiops api` and `aiops worker` (one role each, on a PostgreSQL server).
 * Shutdown order matters: stop taking requests, let workers finish their
 * jobs, then close the queue and the database.
 */

import { join } from 'node:path';
import { listCatalog } from '../../agents/catalog.js';
import { appSettings, composeAppDeps } from '../../app/compose.js';
import { DeliverySweeper, startDeliverySweeper } from '../../app/delivery.js';
import type { AppDeps } from '../../app/deps.js';
import { InProcessEvents } from '../../app/events.js';
import { createApiHandler } from '../../app/http/handler.js';
import { createJobHandler } from '../../app/jobs.js';
import { llmGatewayFor } from '../../app/llm.js';
import type { ObjectStore } from '../../app/objects.js';
import { systemClock } from '../../core/clock.js';
import type { Config } from '../../core/config.js';
import { LANES, type Lane } from '../../core/domain.js';
import { ConfigurationError } from '../../core/errors.js';
import { logger } from '../../core/observability.js';
import { type DatabaseHandle, openDatabase } from '../../db/database.js';
import { PostgresIdempotencyStore, PostgresRateLimiter } from '../../db/hot-state.js';
import { migrateUp } from '../../db/migrator.js';
import { createPgBossLanes, type PgBossLanesPort } from '../../lanes/pg-boss.js';
import type { LanesPort, Worker } from '../../lanes/port.js';
import { agentPoolFor } from '../pool/agent-pool.js';
import { type BootstrapResult, ensureBootstrapKey } from './bootstrap.js';
import { lockDataDir, makePrivateDir, tightenModes } from './data-dir.js';
import { FsObjectStore } from './fs-objects.js';
import { type RunningServer, startHttpServer } from './http-server.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import { type LocalScheduler, startScheduler } from './scheduler.js';
import { InProcessWorkflowEngine } from './workflow-engine.js';

export interface RuntimeOptions {
  /** Serve the HTTP API. */
  api: boolean;
  /** Lanes to work; empty for an API-only process. */
  lanes: readonly Lane[];
  /** `aiops serve`: embedded PostgreSQL, migrations and the bootstrap key. */
  embedded: boolean;
  /** Without the API, still answer `GET /v1/health` and `/v1/health/ready` on the port (`aiops worker`). */
  probes?: boolean;
  /** Fire the schedule table in process (default: when embedded; `aiops invoke` runs without). */
  schedules?: boolean;
  /** `aiops serve --inbox DIR`: files dropped in DIR are routed as S3 Object Created events. */
  inbox?: string | undefined;
  /** Told of each step of the start as it begins or ends, in words for the person waiting (`aiops serve`). */
  progress?: (step: string) => void;
}

export interface Runtime {
  deps: AppDeps;
  events: InProcessEvents;
  url: string | undefined;
  bootstrap: BootstrapResult | undefined;
  /** The in-process schedule table, when this process fires it. */
  scheduler: LocalScheduler | undefined;
  stop(): Promise<void>;
}

async function openFor(
  config: Config,
  embedded: boolean,
  progress: (step: string) => void,
): Promise<DatabaseHandle> {
  if (embedded) {
    // One process per data directory, readable by its owner only (data-dir.ts).
    await makePrivateDir(config.dataDir);
    const lock = await lockDataDir(config.dataDir);
    // Told once the directory is this process's: a second `aiops serve` says only why it cannot start.
    progress(
      `opening the embedded PostgreSQL in ${config.dataDir}/data (the first start creates it: up to a minute)`,
    );
    try {
      const handle = await openDatabase({ kind: 'pglite', dataDir: `${config.dataDir}/data` });
      await tightenModes(config.dataDir);
      return {
        ...handle,
        close: async () => {
          try {
            await handle.close();
          } finally {
            await lock.release();
          }
        },
      };
    } catch (error) {
      await lock.release();
      throw error;
    }
  }
  if (config.database.kind !== 'pg') {
    throw new ConfigurationError(
      'DATABASE_URL is required: `aiops api` and `aiops worker` share a PostgreSQL server (the embedded one is single-process; use `aiops serve`)',
      { details: { problems: [{ path: 'DATABASE_URL', message: 'is required' }] } },
    );
  }
  progress('connecting to the database');
  return openDatabase(config.database);
}

/** `<data dir>/objects`, or the S3 bucket when one is configured (Kubernetes on AWS). */
async function objectStoreFor(config: Config): Promise<ObjectStore> {
  const bucket = config.env.AIOPS_OBJECTS_BUCKET;
  if (bucket === undefined) return new FsObjectStore(join(config.dataDir, 'objects'));
  const { S3ObjectStore } = await import('../aws/s3-objects.js');
  return new S3ObjectStore({ bucket, region: config.env.AWS_REGION });
}

/** `AIOPS_LANES_DRIVER=sqs`: the lanes are the SQS queues of `AIOPS_LANE_QUEUES`, long-polled by `work()`. */
export async function sqsLanesFor(config: Config): Promise<LanesPort> {
  const queues = config.env.AIOPS_LANE_QUEUES;
  if (queues === undefined) {
    throw new ConfigurationError('AIOPS_LANES_DRIVER=sqs needs the queues: set AIOPS_LANE_QUEUES', {
      details: {
        problems: [{ path: 'AIOPS_LANE_QUEUES', message: 'is required when AIOPS_LANES_DRIVER=sqs' }],
      },
    });
  }
  const [{ SQSClient }, { createSqsLanes }] = await Promise.all([
    import('@aws-sdk/client-sqs'),
    import('../../lanes/sqs.js'),
  ]);
  const client = new SQSClient(config.env.AWS_REGION === undefined ? {} : { region: config.env.AWS_REGION });
  const pick = (key: 'url' | 'deadLetterUrl') =>
    Object.fromEntries(LANES.map((lane) => [lane, queues[lane][key]])) as Record<Lane, string>;
  return createSqsLanes({ client, queueUrls: pick('url'), deadLetterUrls: pick('deadLetterUrl') });
}

export async function startRuntime(config: Config, options: RuntimeOptions): Promise<Runtime> {
  const progress = options.progress ?? (() => {});
  const handle = await openFor(config, options.embedded, progress);
  const closers: (() => Promise<void>)[] = [() => handle.close()];
  const closeAll = async () => {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        logger.error('shutdown step failed', { error });
      }
    }
  };
  try {
    if (options.embedded) {
      progress('applying database migrations');
      const applied = await migrateUp(handle.db);
      progress(applied.length === 0 ? 'database schema up to date' : `${applied.length} migrations applied`);
    }
    // Embedded, the lanes are always pg-boss on the embedded database; containers may use SQS (AIOPS_LANES_DRIVER).
    const pgBoss =
      options.embedded || config.env.AIOPS_LANES_DRIVER === 'pg'
        ? await createPgBossLanes(
            handle.pglite
              ? { pglite: handle.pglite }
              : { connectionString: config.database.kind === 'pg' ? config.database.url : '' },
          )
        : undefined;
    if (options.embedded || options.lanes.length > 0) progress('starting the lanes (job queues)');
    const lanes: LanesPort = pgBoss ?? (await sqsLanesFor(config));
    closers.push(() => lanes.close());
    const events = new InProcessEvents();
    events.on((event) => logger.info('aiops.execution.completed', { event }));
    // A process that works lanes runs agents in threads, off the event loop that serves the API and the lanes.
    // Closed after the lane workers stop (closers run in reverse), so runs in flight finish first.
    const agents = options.lanes.length > 0 ? agentPoolFor(config) : undefined;
    if (agents) {
      closers.push(() => agents.close());
      progress(`${listCatalog().length} agents, run in worker threads off the event loop`);
    }
    const deps = composeAppDeps(
      {
        db: handle.db,
        lanes,
        rateLimiter: options.embedded ? new MemoryRateLimiter() : new PostgresRateLimiter(handle.db),
        idempotency: new PostgresIdempotencyStore(handle.db),
        events,
        objects: await objectStoreFor(config),
        // CloudWatch Logs sources need AWS; here they are refused when the execution is created.
        logEvents: undefined,
        // Runs on a `workflow.run` job with aws-local-stepfunctions: the same definitions as Step Functions.
        workflows: (view) => new InProcessWorkflowEngine(view),
        // Offline unless AIOPS_LLM_PROVIDERS names providers; API keys from the environment.
        llm: await llmGatewayFor(config, handle.db, systemClock),
        agents,
      },
      appSettings(config.env),
    );
    if (options.embedded && pgBoss) await recoverAfterCrash(deps, pgBoss);
    if (options.api || options.lanes.length > 0) {
      // Every process that serves or works sweeps for work a crash or a blip left owed, wherever it happened.
      const sweeper = startDeliverySweeper(deps);
      closers.push(() => sweeper.stop());
    }
    const bootstrap = options.embedded
      ? await ensureBootstrapKey(deps, {
          dataDir: config.dataDir,
          fromEnv: config.env.AIOPS_BOOTSTRAP_API_KEY,
        })
      : undefined;

    let worker: Worker | undefined;
    if (options.lanes.length > 0) {
      worker = await lanes.work(options.lanes, createJobHandler(deps));
      progress(`working the lanes ${options.lanes.join(', ')}`);
      // Registered after the queue's closer, so it runs before it: in-flight jobs finish first.
      closers.push(() => worker?.stop() ?? Promise.resolve());
    }
    let scheduler: LocalScheduler | undefined;
    if (options.schedules ?? options.embedded) {
      scheduler = startScheduler(lanes, { clock: deps.clock });
      // Stopped before the workers and the queue: no firing lands on a closing lane.
      closers.push(async () => scheduler?.stop());
    }
    let server: RunningServer | undefined;
    if (options.api || options.probes) {
      // A worker alone answers only its probes (liveness, readiness) on the port; `aiops invoke` serves nothing.
      const handler = createApiHandler(deps, { probesOnly: !options.api });
      server = await startHttpServer(handler, config.host, config.port);
      closers.push(() => server?.close() ?? Promise.resolve());
    }
    if (options.inbox !== undefined) {
      const [{ startInbox }, { ObjectTrigger }] = await Promise.all([
        import('./inbox.js'),
        import('../../app/triggers/s3.js'),
      ]);
      const inbox = await startInbox({
        dir: options.inbox,
        objects: deps.objects,
        trigger: new ObjectTrigger(deps),
        maxBytes: deps.settings.maxObjectBytes,
      });
      // Stopped first: no new file is taken while the workers finish.
      closers.push(() => inbox.stop());
    }
    return { deps, events, url: server?.url, bootstrap, scheduler, stop: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * The embedded runtime owns its database alone (the data directory is locked),
 * so whatever a previous process left half-done is abandoned for certain:
 * leases are released and active jobs retried now, then one sweep with no
 * grace period re-sends what no job carries (a crash between insert and send)
 * and announces what finished unannounced. An execution that keeps taking its
 * worker down is stopped by its attempt count (the runner's poison check), not
 * re-run on every start.
 */
async function recoverAfterCrash(deps: AppDeps, lanes: PgBossLanesPort): Promise<void> {
  const leases = await deps.repos.executions.releaseAllLeases(deps.clock.now());
  const jobs = await lanes.recoverAbandoned();
  const swept = await new DeliverySweeper(deps).sweep({
    queuedForMs: 0,
    leaseExpiredForMs: 0,
    unannouncedForMs: 0,
  });
  if (leases + jobs + swept.requeued + swept.announced > 0) {
    logger.warn('recovered work left by a previous process', { leases, jobs, ...swept });
  }
}
