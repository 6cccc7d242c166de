/**
 * The lanes port on pg-boss (../../docs/architecture.md, Lanes), for the local runtime (on
 * the process's PGlite) and Kubernetes (on PostgreSQL). Lane `x` is the queue
 * `aiops-x`, with the dead letter queue `aiops-x-dlq`.
 *
 * Retries: a handler that throws fails the job, and pg-boss makes it available
 * again after between one and two times `backoffSec × 2^(attempt−1)` (its own
 * jitter, not the full jitter SQS gets), at most `maxBackoffSec`. After
 * `maxAttempts` it is failed and copied to the dead letter queue. A job still
 * running after `timeoutSec` is failed by its worker and retried the same way.
 * A worker touches its running jobs (pg-boss heartbeats) every third of
 * `heartbeatSec`; if its process died or lost the database for longer, pg-boss's
 * supervisor fails the job within `heartbeatSec` + `superviseIntervalSeconds`,
 * not after the whole `timeoutSec`. Settling a job (complete, fail) that fails
 * on a database blip is retried with backoff, the job touched meanwhile.
 *
 * Duplicates: the pg-boss id of a job is its jobId when that is a UUID, or a UUID
 * derived from it, so sending a jobId again is a no-op for as long as pg-boss
 * keeps the first job (7 days after it completes).
 *
 * Latency and load: a lane runs `concurrency` pg-boss workers of one job each
 * (slots). pg-boss would have each wait out its polling interval after every
 * job, capping a lane at `concurrency / interval` jobs a second, and poll the
 * database `concurrency` times per interval while idle. Instead a slot fetches
 * again at once after a job, a job fetched wakes one idle slot in case more are
 * waiting, a send from this process wakes idle slots directly, and one idle
 * slot per lane polls each `pollingIntervalSeconds` for what no send here
 * announced: jobs from other processes, retries whose backoff has ended,
 * redriven jobs.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import {
  type ConstructorOptions,
  fromPglite,
  type Job,
  type JobAttempt,
  type JobResult,
  PgBoss,
  type Queue,
  type WorkOptions,
} from 'pg-boss';
import * as z from 'zod';
import { LANES, type Lane } from '../core/domain.js';
import {
  AiopsError,
  ConfigurationError,
  DatabaseError,
  isAiopsError,
  ValidationError,
} from '../core/errors.js';
import { logger, withTraceContext } from '../core/observability.js';
import { fieldErrors } from '../core/validation.js';
import { type JobEnvelope, jobEnvelopeSchema, parseJobEnvelope } from './envelope.js';
import {
  DeadLetterJobError,
  type JobHandler,
  type LaneDepth,
  type LaneSettings,
  type LanesPort,
  type SqlExecutor,
  type Worker,
} from './port.js';
import { LANE_SETTINGS } from './settings.js';

/** Where pg-boss keeps its tables: the process's PGlite, or a PostgreSQL server. */
export type PgBossConnection = ({ pglite: PGlite } | { connectionString: string }) & {
  /** pg-boss's schema; default `pgboss`. */
  schema?: string;
};

export type PgBossLanesOptions = PgBossConnection & {
  /** How often an idle slot looks for jobs it was not woken for. Default 0.5 s, pg-boss's least. */
  pollingIntervalSeconds?: number;
  /** How often pg-boss's supervisor fails the jobs of workers that died. Default 60 s. */
  superviseIntervalSeconds?: number;
};

const DEFAULT_SCHEMA = 'pgboss';
const DEFAULT_POLLING_INTERVAL_SECONDS = 0.5;
/** SQS's longest retention, so a dead letter lasts as long locally as on AWS. */
const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 60 * 60;
/** pg-boss's least heartbeat; 30 s by default: a lost job is retried within a minute or so. */
const MIN_HEARTBEAT_SEC = 10;
const DEFAULT_HEARTBEAT_SEC = 30;
/** Settling a job retries with backoff from 0.5 s up to 10 s between tries, about two minutes in all. */
const SETTLE_ATTEMPTS = 15;
const SETTLE_MAX_DELAY_MS = 10_000;
const SETTLE_ATTEMPTS_STOPPING = 3;
/** Rows per insert or redrive statement: one statement each keeps a chunk all-or-nothing. */
const CHUNK = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function pgBossQueueName(lane: Lane): string {
  return `aiops-${lane}`;
}

export function pgBossDeadLetterQueueName(lane: Lane): string {
  return `aiops-${lane}-dlq`;
}

/** The jobId itself when it is a UUID (pg-boss ids are), else a UUID derived from it (version 8, name-based). */
export function pgBossJobId(jobId: string): string {
  if (UUID.test(jobId)) return jobId.toLowerCase();
  const bytes = createHash('sha256').update(`aiops.job:${jobId}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function createPgBossLanes(
  options: PgBossLanesOptions,
  settings: Readonly<Record<Lane, LaneSettings>> = LANE_SETTINGS,
): Promise<PgBossLanesPort> {
  for (const lane of LANES) assertWholeSettings(lane, settings[lane]);
  const boss = await startPgBoss(options);
  try {
    for (const lane of LANES) {
      const dlq = pgBossDeadLetterQueueName(lane);
      await boss.createQueue(dlq, { retentionSeconds: DEAD_LETTER_RETENTION_SECONDS });
      const queue = queueOptions(settings[lane], dlq);
      await boss.createQueue(pgBossQueueName(lane), queue);
      // createQueue leaves an existing queue as it was created; this applies settings changed since.
      await boss.updateQueue(pgBossQueueName(lane), queue);
    }
  } catch (cause) {
    await boss.stop({ graceful: false });
    throw asDatabaseError('Cannot create the lane queues', cause);
  }
  return new PgBossLanes(
    boss,
    options.schema ?? DEFAULT_SCHEMA,
    settings,
    options.pollingIntervalSeconds ?? DEFAULT_POLLING_INTERVAL_SECONDS,
    'pglite' in options,
  );
}

/** pg-boss counts attempts, seconds and slots in whole numbers, and would reject the queue otherwise. */
function assertWholeSettings(lane: Lane, settings: LaneSettings): void {
  const { maxAttempts, concurrency, timeoutSec, backoffSec, maxBackoffSec } = settings;
  const wrong = Object.entries({ maxAttempts, concurrency, timeoutSec, backoffSec, maxBackoffSec }).filter(
    ([name, value]) =>
      !Number.isInteger(value) || value < (name === 'backoffSec' || name === 'maxBackoffSec' ? 0 : 1),
  );
  if (wrong.length > 0) {
    throw new ConfigurationError(`Invalid settings for the ${lane} lane`, {
      details: {
        lane,
        invalid: Object.fromEntries(wrong),
        expected: 'whole numbers, attempts and slots ≥ 1',
      },
    });
  }
}

export function heartbeatSeconds(settings: LaneSettings): number {
  return Math.max(MIN_HEARTBEAT_SEC, Math.round(settings.heartbeatSec ?? DEFAULT_HEARTBEAT_SEC));
}

function queueOptions(settings: LaneSettings, deadLetter: string): Omit<Queue, 'name'> {
  return {
    retryLimit: settings.maxAttempts - 1,
    retryDelay: settings.backoffSec,
    retryBackoff: true,
    retryDelayMax: settings.maxBackoffSec,
    expireInSeconds: settings.timeoutSec,
    heartbeatSeconds: heartbeatSeconds(settings),
    deadLetter,
  };
}

async function startPgBoss(options: PgBossLanesOptions): Promise<PgBoss> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) {
    throw new ValidationError(`Invalid pg-boss schema name: ${schema}`, [
      { path: 'schema', message: 'lower-case letters, digits and underscores, at most 63' },
    ]);
  }
  const supervise = options.superviseIntervalSeconds;
  const common: ConstructorOptions = {
    schema,
    // Nothing here is scheduled with cron, so the timekeeper's polling would be wasted.
    schedule: false,
    // Expiry of a dead worker's jobs runs on the monitor pass, which is gated by both intervals.
    ...(supervise === undefined
      ? {}
      : { superviseIntervalSeconds: supervise, monitorIntervalSeconds: supervise }),
  };
  const boss = new PgBoss(
    'pglite' in options
      ? { ...common, backend: 'pglite', db: fromPglite(options.pglite) }
      : { ...common, connectionString: options.connectionString },
  );
  // Without a listener an 'error' event (a failed poll or maintenance pass) would crash the process.
  boss.on('error', (error) => logger.error('aiops.lanes.pg_boss_error', { error }));
  boss.on('warning', (warning) => logger.warn('aiops.lanes.pg_boss_warning', { warning }));
  try {
    await boss.start();
  } catch (cause) {
    throw asDatabaseError('Cannot start pg-boss', cause);
  }
  return boss;
}

/**
 * Runs one lane's jobs in this process: keeps up to `concurrency` in flight,
 * fetching as many jobs as there are free slots in one statement, and settles
 * finished jobs in batches. One fetch and one completion statement serve many
 * jobs under load, which is what the embedded database's throughput turns on.
 */
class LaneLoop {
  readonly #boss: PgBoss;
  readonly #queue: string;
  readonly #settings: LaneSettings;
  readonly #handler: JobHandler;
  readonly #pollMs: number;
  readonly #inFlight = new Set<Promise<void>>();
  /** Jobs fetched and not yet settled, touched on every heartbeat. */
  readonly #held = new Map<string, JobAttempt>();
  #heartbeat: NodeJS.Timeout | undefined;
  #completed: JobAttempt[] = [];
  #flushing: Promise<void> = Promise.resolve();
  #flushScheduled = false;
  #running = true;
  #signal: (() => void) | undefined;
  /** Starts true: jobs may have waited for this process to start. */
  #maybeMore = true;
  #done: Promise<void> = Promise.resolve();

  constructor(
    boss: PgBoss,
    readonly lane: Lane,
    settings: LaneSettings,
    handler: JobHandler,
    pollMs: number,
  ) {
    this.#boss = boss;
    this.#queue = pgBossQueueName(lane);
    this.#settings = settings;
    this.#handler = handler;
    this.#pollMs = pollMs;
  }

  start(): void {
    this.#done = this.#loop();
    const everyMs = (heartbeatSeconds(this.#settings) * 1000) / 3;
    this.#heartbeat = setInterval(() => void this.#touch(), everyMs);
    // The heartbeat alone must not keep a process alive that has nothing else to do.
    this.#heartbeat.unref();
  }

  /** Tells pg-boss this process still holds its jobs; a missed beat is made up by the next one. */
  async #touch(): Promise<void> {
    const held = [...this.#held.values()];
    if (held.length === 0) return;
    try {
      await this.#boss.touch(this.#queue, held);
    } catch (error) {
      logger.warn('aiops.lanes.heartbeat_failed', { lane: this.lane, jobs: held.length, error });
    }
  }

  /** Jobs may be waiting (a send from this process, a full fetch, the poll): fetch at the next chance. */
  wake(): void {
    this.#maybeMore = true;
    this.#signal?.();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#signal?.();
    await this.#done;
    await Promise.all(this.#inFlight);
    await this.#flushing;
    await this.#flush();
    clearInterval(this.#heartbeat);
  }

  /**
   * Fetches only when jobs may be waiting, and then as many as there are free
   * slots: an empty fetch costs as much as a full one, so a finished job does
   * not trigger one by itself, and sends in the same tick share one fetch.
   */
  async #loop(): Promise<void> {
    let lastPoll = Date.now();
    while (this.#running) {
      const free = this.#settings.concurrency - this.#inFlight.size;
      const pollDue = Date.now() - lastPoll >= this.#pollMs;
      if (free <= 0 || (!this.#maybeMore && !pollDue)) {
        await this.#pause(free <= 0 ? undefined : this.#pollMs - (Date.now() - lastPoll));
        continue;
      }
      // Let the sends of this tick land first, so one fetch takes them all.
      await new Promise((resolve) => setImmediate(resolve));
      this.#maybeMore = false;
      lastPoll = Date.now();
      let jobs: Job<unknown>[];
      try {
        jobs = await this.#boss.fetch<unknown>(this.#queue, { batchSize: free });
      } catch (error) {
        logger.error('aiops.lanes.fetch_failed', { lane: this.lane, error });
        await this.#pause(this.#pollMs);
        continue;
      }
      if (jobs.length === free) this.#maybeMore = true;
      for (const job of jobs) {
        this.#held.set(job.id, { id: job.id, retryCount: job.retryCount });
        const running = this.#run(job).finally(() => {
          this.#inFlight.delete(running);
          // A slot came free: worth a fetch only if jobs may be waiting.
          if (this.#maybeMore) this.#signal?.();
        });
        this.#inFlight.add(running);
      }
    }
  }

  /** Waits for a wake-up or `ms`, whichever comes first. */
  async #pause(ms?: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(finish, Math.max(0, ms));
      function finish() {
        if (timer) clearTimeout(timer);
        resolve();
      }
      this.#signal = () => {
        this.#signal = undefined;
        finish();
      };
    });
  }

  async #run(job: Job<unknown>): Promise<void> {
    const result = await this.#withinTimeout(job);
    const attempt: JobAttempt = { id: job.id, retryCount: job.retryCount };
    if (result.status === 'completed') {
      this.#completed.push(attempt);
      this.#scheduleFlush();
      return;
    }
    await this.#settle([attempt], async () => {
      if (result.status === 'deadletter') {
        // Poison goes to the dead letter queue as it came, and leaves the lane for good.
        const data = typeof job.data === 'object' && job.data !== null ? job.data : { poison: job.data };
        // Keyed on the job, so a retried settle does not dead-letter it twice.
        await this.#boss.insert(pgBossDeadLetterQueueName(this.lane), [{ id: deadLetterId(job.id), data }]);
        await this.#boss.complete(this.#queue, attempt);
      } else {
        await this.#boss.fail(this.#queue, attempt, result.output ?? null);
      }
    });
  }

  /**
   * Settles `attempts` with `action`, retried with backoff while the database
   * is away (a blip must not leave finished jobs active until their timeout).
   * The jobs are touched until then; given up, they go quiet and pg-boss's
   * heartbeat check retries them, which the handlers' idempotency makes harmless.
   */
  async #settle(attempts: readonly JobAttempt[], action: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await action();
        break;
      } catch (error) {
        // Stopping, a few tries only: shutdown must not wait minutes for a database that is away.
        if (attempt >= (this.#running ? SETTLE_ATTEMPTS : SETTLE_ATTEMPTS_STOPPING)) {
          logger.error('aiops.lanes.settle_failed', { lane: this.lane, jobs: attempts.length, error });
          break;
        }
        logger.warn('aiops.lanes.settle_retrying', {
          lane: this.lane,
          jobs: attempts.length,
          attempt,
          error,
        });
        await sleep(Math.min(SETTLE_MAX_DELAY_MS, 500 * 2 ** (attempt - 1)));
      }
    }
    for (const { id } of attempts) this.#held.delete(id);
  }

  /**
   * A handler that outlives the lane's timeout loses its job: the attempt is
   * failed (and retried) and its slot freed, as pg-boss's own workers do. The
   * handler cannot be killed; the execution lease keeps a late finish from
   * completing twice.
   */
  async #withinTimeout(job: Job<unknown>): Promise<JobResult> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<JobResult>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            id: job.id,
            status: 'failed',
            output: { message: `Timed out after ${this.#settings.timeoutSec} s` },
          }),
        this.#settings.timeoutSec * 1000,
      );
    });
    try {
      return await Promise.race([runJob(job, this.lane, this.#settings, this.#handler), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flushing = this.#flushing.then(() => this.#flush());
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#completed;
    if (batch.length === 0) return;
    this.#completed = [];
    await this.#settle(batch, () => this.#boss.complete(this.#queue, batch));
  }
}

/** The lanes on pg-boss, plus what only a sole owner of the queue may do. */
export interface PgBossLanesPort extends LanesPort {
  /**
   * Fails every job left active by a process that died, so each is retried now
   * rather than when its timeout expires. Only safe when no other process can
   * be working the lanes — `aiops serve` on its locked embedded database.
   */
  recoverAbandoned(): Promise<number>;
  liveJobIds(jobIds: readonly string[]): Promise<ReadonlySet<string>>;
}

class PgBossLanes implements PgBossLanesPort {
  readonly #boss: PgBoss;
  readonly #schema: string;
  readonly #settings: Readonly<Record<Lane, LaneSettings>>;
  readonly #pollingIntervalSeconds: number;
  readonly #loops = new Set<LaneLoop>();
  readonly #workers = new Set<Worker>();

  constructor(
    boss: PgBoss,
    schema: string,
    settings: Readonly<Record<Lane, LaneSettings>>,
    pollingIntervalSeconds: number,
    sharedSession: boolean,
  ) {
    this.#boss = boss;
    this.#schema = schema;
    this.#settings = settings;
    this.#pollingIntervalSeconds = pollingIntervalSeconds;
    this.sendInTransaction = sharedSession ? undefined : (job, tx) => this.#sendInTransaction(job, tx);
  }

  send(job: JobEnvelope): Promise<void> {
    return this.sendMany([job]);
  }

  /**
   * Validates every job, then inserts each lane's jobs in statements of up to
   * 1000. A failure part-way leaves the jobs inserted before it queued; sending
   * the same jobs again is safe, since a jobId already queued is skipped.
   */
  async sendMany(jobs: readonly JobEnvelope[]): Promise<void> {
    const envelopes = jobs.map((job, index) => parseJobEnvelope(job, jobs.length === 1 ? '' : String(index)));
    const byLane = new Map<Lane, Map<string, JobEnvelope>>();
    for (const envelope of envelopes) {
      const lane = byLane.get(envelope.lane) ?? new Map<string, JobEnvelope>();
      byLane.set(envelope.lane, lane);
      // pg-boss rejects a batch that names an id twice; the first copy wins, as a second send would.
      const id = pgBossJobId(envelope.jobId);
      if (!lane.has(id)) lane.set(id, envelope);
    }
    for (const [lane, byId] of byLane) {
      const rows = [...byId].map(([id, data]) => ({ id, data }));
      for (let start = 0; start < rows.length; start += CHUNK) {
        try {
          await this.#boss.insert(pgBossQueueName(lane), rows.slice(start, start + CHUNK));
        } catch (cause) {
          throw asDatabaseError(`Cannot enqueue jobs on the ${lane} lane`, cause);
        }
      }
      this.#wake(lane, rows.length);
    }
  }

  /**
   * Only on a PostgreSQL server: pg-boss reads its queue settings on its own
   * connection while inserting, and the embedded database is one session that
   * the caller's transaction holds, so there the two would wait on each other.
   * The embedded runtime needs it least: its start-up sweep sends what a crash
   * left unsent.
   */
  readonly sendInTransaction: ((job: JobEnvelope, tx: SqlExecutor) => Promise<() => void>) | undefined;

  async #sendInTransaction(job: JobEnvelope, tx: SqlExecutor): Promise<() => void> {
    const envelope = parseJobEnvelope(job, '');
    try {
      await this.#boss.insert(
        pgBossQueueName(envelope.lane),
        [{ id: pgBossJobId(envelope.jobId), data: envelope }],
        {
          db: tx,
        },
      );
    } catch (cause) {
      throw asDatabaseError(`Cannot enqueue a job on the ${envelope.lane} lane`, cause);
    }
    return () => this.#wake(envelope.lane, 1);
  }

  async work(lanes: readonly Lane[], handler: JobHandler): Promise<Worker> {
    const loops = [...new Set(lanes)].map(
      (lane) =>
        new LaneLoop(this.#boss, lane, this.#settings[lane], handler, this.#pollingIntervalSeconds * 1000),
    );
    for (const loop of loops) {
      this.#loops.add(loop);
      loop.start();
    }
    const worker: Worker = {
      stop: async () => {
        this.#workers.delete(worker);
        await Promise.all(
          loops.map(async (loop) => {
            this.#loops.delete(loop);
            await loop.stop();
          }),
        );
      },
    };
    this.#workers.add(worker);
    return worker;
  }

  async recoverAbandoned(): Promise<number> {
    let recovered = 0;
    try {
      for (const lane of LANES) {
        const queue = pgBossQueueName(lane);
        const { rows } = await this.#boss
          .getDb()
          .executeSql(
            `select id, retry_count as "retryCount" from ${this.#schema}.job where name = $1 and state = 'active'`,
            [queue],
          );
        const attempts = abandonedRows.parse(rows);
        if (attempts.length === 0) continue;
        await this.#boss.fail(queue, attempts, { message: 'Abandoned by a process that stopped' });
        recovered += attempts.length;
        this.#wake(lane, attempts.length);
      }
    } catch (cause) {
      throw asDatabaseError('Cannot recover abandoned jobs', cause);
    }
    return recovered;
  }

  async liveJobIds(jobIds: readonly string[]): Promise<ReadonlySet<string>> {
    if (jobIds.length === 0) return new Set();
    const byPgBossId = new Map(jobIds.map((id) => [pgBossJobId(id), id]));
    try {
      const { rows } = await this.#boss
        .getDb()
        .executeSql(
          `select id from ${this.#schema}.job where id = any($1::uuid[]) and state in ('created', 'retry', 'active')`,
          [[...byPgBossId.keys()]],
        );
      return new Set(
        liveRows.parse(rows).flatMap(({ id }) => {
          const jobId = byPgBossId.get(id);
          return jobId === undefined ? [] : [jobId];
        }),
      );
    } catch (cause) {
      throw asDatabaseError('Cannot read which jobs are live', cause);
    }
  }

  async depth(lane: Lane): Promise<LaneDepth> {
    // Counted here rather than read from getQueueStats, which serves a cache up to a minute old.
    const sql = `select
        (count(*) filter (where name = $1 and state < 'active'))::int as queued,
        (count(*) filter (where name = $1 and state = 'active'))::int as active,
        (count(*) filter (where name = $2 and state < 'active'))::int as "deadLettered"
      from ${this.#schema}.job where name in ($1, $2)`;
    try {
      const { rows } = await this.#boss
        .getDb()
        .executeSql(sql, [pgBossQueueName(lane), pgBossDeadLetterQueueName(lane)]);
      return { lane, ...depthRow.parse(rows[0]) };
    } catch (cause) {
      throw asDatabaseError(`Cannot read the depth of the ${lane} lane`, cause);
    }
  }

  /**
   * Moves up to `limit` dead letters (all of them by default, oldest first) back
   * onto the lane, as new jobs with the same envelope and a fresh attempt count.
   * Each chunk moves in one statement, so a job is never lost or doubled; if the
   * call is interrupted, what it did not move stays in the dead letter queue.
   */
  async redrive(lane: Lane, options: { limit?: number } = {}): Promise<number> {
    const { limit } = options;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
      throw new ValidationError('The redrive limit must be a whole number ≥ 1', [
        { path: 'limit', message: 'must be a whole number ≥ 1' },
      ]);
    }
    // Bounded by what is there now, so jobs that fail again while this runs are not moved round in circles.
    const waiting = (await this.depth(lane)).deadLettered;
    const wanted = Math.min(waiting, limit ?? waiting);
    let moved = 0;
    try {
      while (moved < wanted) {
        const chunk = Math.min(CHUNK, wanted - moved);
        const count = await this.#boss.redrive(pgBossDeadLetterQueueName(lane), {
          destination: pgBossQueueName(lane),
          limit: chunk,
        });
        moved += count;
        if (count < chunk) break;
      }
    } catch (cause) {
      throw asDatabaseError(`Cannot redrive the ${lane} lane after moving ${moved} job(s)`, cause);
    } finally {
      this.#wake(lane, moved);
    }
    return moved;
  }

  /** Stops the workers still running, waiting for their jobs, then pg-boss. */
  async close(): Promise<void> {
    await Promise.all([...this.#workers].map((worker) => worker.stop()));
    await this.#boss.stop({ graceful: true });
  }

  /** Wakes this process's loops of `lane` to fetch now instead of at their next poll. */
  #wake(lane: Lane, count: number): void {
    if (count <= 0) return;
    for (const loop of this.#loops) if (loop.lane === lane) loop.wake();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The dead letter of a job: one per job, however often settling it is retried. */
function deadLetterId(jobId: string): string {
  return pgBossJobId(`dead-letter:${jobId}`);
}

const liveRows = z.array(z.object({ id: z.string() }));

const abandonedRows = z.array(z.object({ id: z.string(), retryCount: z.number() }));

const depthRow = z.object({ queued: z.number(), active: z.number(), deadLettered: z.number() });

/**
 * One delivery of one job. A job whose data is not an envelope can never succeed,
 * so it goes to the dead letter queue at once; a handler that throws fails this
 * attempt, and pg-boss retries or dead-letters it.
 */
async function runJob(
  job: Job<unknown>,
  lane: Lane,
  settings: LaneSettings,
  handler: JobHandler,
): Promise<JobResult> {
  const parsed = jobEnvelopeSchema.safeParse(job.data);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error.issues, '');
    logger.error('aiops.lanes.poison_job', { lane, pgBossJobId: job.id, errors });
    return { id: job.id, status: 'deadletter', output: { message: 'Not a job envelope', errors } };
  }
  const envelope = parsed.data;
  const context = { attempt: job.retryCount + 1, maxAttempts: settings.maxAttempts };
  try {
    await withTraceContext(envelope.traceId, () => handler(envelope, context));
    return { id: job.id, status: 'completed' };
  } catch (error) {
    const details = { lane, jobId: envelope.jobId, type: envelope.type, ...context, error };
    if (error instanceof DeadLetterJobError) {
      withTraceContext(envelope.traceId, () => logger.error('aiops.lanes.job_dead_lettered', details));
      return { id: job.id, status: 'deadletter', output: errorOutput(error) };
    }
    withTraceContext(envelope.traceId, () => {
      if (context.attempt >= context.maxAttempts) logger.error('aiops.lanes.job_dead_lettered', details);
      else logger.warn('aiops.lanes.job_retrying', details);
    });
    return { id: job.id, status: 'failed', output: errorOutput(error) };
  }
}

function errorOutput(error: unknown): Record<string, unknown> {
  if (isAiopsError(error)) return error.toJSON();
  return error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) };
}

function asDatabaseError(message: string, cause: unknown): AiopsError {
  return cause instanceof AiopsError ? cause : new DatabaseError(message, { cause });
}

export interface PgBossRate {
  jobs: number;
  seconds: number;
  jobsPerSecond: number;
}

/**
 * Raw pg-boss throughput on the lanes' database, the baseline for the lanes'
 * own numbers: sends `jobs` jobs one at a time to a scratch queue and times
 * until a pg-boss worker (`work` options; default one worker fetching 10 at a
 * time) has handled them all. The queue is deleted after; use a `schema` of its
 * own to leave the lanes' tables untouched. A benchmark runs, on one database,
 *
 *   const raw = await measurePgBossRate({ pglite, schema: 'pgboss_bench' });
 *
 * then times `lanes.send` (or `sendMany`) of as many jobs to a `lanes.work`
 * handler that counts them, and compares the two rates.
 */
export async function measurePgBossRate(
  connection: PgBossConnection,
  options: { jobs?: number; work?: WorkOptions } = {},
): Promise<PgBossRate> {
  const jobs = options.jobs ?? 500;
  const work = options.work ?? { batchSize: 10, burstWhenBatchFull: true, pollingIntervalSeconds: 0.5 };
  const boss = await startPgBoss(connection);
  const queue = `aiops-bench-${randomUUID()}`;
  try {
    await boss.createQueue(queue);
    let handled = 0;
    const { promise: allHandled, resolve } = Promise.withResolvers<void>();
    await boss.work(queue, work, async (batch: Job<unknown>[]) => {
      handled += batch.length;
      if (handled >= jobs) resolve();
    });
    const started = performance.now();
    for (let i = 0; i < jobs; i++) await boss.send(queue, { i });
    await allHandled;
    const seconds = (performance.now() - started) / 1000;
    await boss.offWork(queue, { wait: true });
    await boss.deleteQueue(queue);
    return { jobs, seconds, jobsPerSecond: jobs / seconds };
  } finally {
    await boss.stop({ graceful: true });
  }
}
