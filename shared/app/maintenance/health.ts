/**
 * The `health.check` job (schedule `health-check`, every 5 minutes) and the
 * deep health report of `GET /v1/health?deep=true`.
 *
 * The job measures the database round trip and every lane's depth and dead
 * letters, and writes each as a `health.*` sample to system_metrics. The
 * report reads the newest sample of each, judges it against the thresholds
 * below (rules as data) and adds a live database check. A check whose newest
 * sample is older than three health-check periods is stale: the job has not
 * run, which is itself a problem.
 *
 * LLM provider reachability is not measured here yet: the LLM layer registers
 * a HealthProbe (the `probes` of HealthCheckService): by default the LLM
 * providers' shared health (llmProviderProbe).
 */
import { sql } from 'kysely';
import { LANES } from '../../core/domain.js';
import { logger } from '../../core/observability.js';
import type { Metric } from '../../db/repositories/system-metrics.js';
import { getSchedule, periodMinutes } from '../../schedules.js';
import type { AppDeps } from '../deps.js';

export const HEALTH_PREFIX = 'health.';

export type HealthStatus = 'ok' | 'degraded' | 'failing';

/** One measurement; stored as the metric `health.<name>`. */
export interface HealthSample {
  name: string;
  value: number;
  unit: string;
  tags?: Record<string, string>;
}

/**
 * A check beyond the database and the lanes, run by every health job. This is
 * where LLM provider reachability plugs in (one probe per configured provider)
 * once the LLM layer exists; give its samples a rule in HEALTH_RULES.
 */
export interface HealthProbe {
  readonly name: string;
  measure(): Promise<HealthSample[]>;
}

/** At or above `degraded` the check is degraded, at or above `failing` it fails. */
export interface HealthThreshold {
  degraded: number;
  failing: number;
}

export interface HealthRule {
  /** Matches sample names (without the `health.` prefix). */
  match: RegExp;
  threshold: HealthThreshold;
  why: string;
}

export const HEALTH_RULES: readonly HealthRule[] = [
  {
    match: /^database\.latency_ms$/,
    threshold: { degraded: 250, failing: 2000 },
    why: 'a slow round trip slows every request; seconds mean the database is saturated or resuming',
  },
  {
    match: /^lane\.[a-z]+\.queued$/,
    threshold: { degraded: 1000, failing: 10_000 },
    why: 'a growing backlog means the lane’s workers cannot keep up',
  },
  {
    match: /^lane\.[a-z]+\.dead_lettered$/,
    threshold: { degraded: 1, failing: 100 },
    why: 'every dead letter is a job that will not run until it is redriven',
  },
  {
    match: /^lane\.[a-z]+\.errors$/,
    threshold: { degraded: 1, failing: 1 },
    why: 'the lane’s queue could not be read',
  },
  {
    match: /^llm\.[a-z]+\.state$/,
    threshold: { degraded: 1, failing: 3 },
    why: 'as every process sees the provider: 1 degraded after a failure, 2 rate-limited, 3 skipped after repeated failures — enrichment fails over to the next provider, or is left out',
  },
];

/** A provider's shared health state as a number the rules can grade. */
export const LLM_STATE_VALUE: Readonly<Record<string, number>> = {
  healthy: 0,
  degraded: 1,
  'rate-limited': 2,
  unavailable: 3,
};

/**
 * LLM provider reachability as the calls themselves measured it (the shared
 * provider health store): no extra request is sent, since every one costs
 * tokens. Configured providers only; offline, it measures nothing.
 */
export function llmProviderProbe(llm: Pick<AppDeps['llm'], 'providers'>): HealthProbe {
  return {
    name: 'llm',
    async measure() {
      const providers = await llm.providers();
      return providers.map((p) => ({
        name: `llm.${p.provider}.state`,
        value: LLM_STATE_VALUE[p.health?.state ?? 'healthy'] ?? 0,
        unit: 'state',
        tags: { provider: p.provider, model: p.model, state: p.health?.state ?? 'healthy' },
      }));
    },
  };
}

export function ruleFor(name: string): HealthRule | undefined {
  return HEALTH_RULES.find((rule) => rule.match.test(name));
}

export function statusOf(name: string, value: number): HealthStatus {
  const threshold = ruleFor(name)?.threshold;
  if (threshold === undefined) return 'ok';
  if (value >= threshold.failing) return 'failing';
  if (value >= threshold.degraded) return 'degraded';
  return 'ok';
}

const SEVERITY: Readonly<Record<HealthStatus, number>> = { ok: 0, degraded: 1, failing: 2 };

export function worst(statuses: Iterable<HealthStatus>): HealthStatus {
  let result: HealthStatus = 'ok';
  for (const status of statuses) if (SEVERITY[status] > SEVERITY[result]) result = status;
  return result;
}

/** A sample older than this many health-check periods is stale. */
const STALE_PERIODS = 3;

export interface CheckView {
  status: HealthStatus;
  value: number;
  unit: string | null;
  recordedAt?: string;
  /** The newest sample is older than three health-check periods. */
  stale?: boolean;
  threshold?: HealthThreshold;
  tags?: Record<string, string>;
}

export interface DeepHealth {
  status: HealthStatus;
  checkedAt: string;
  /** When the health job last wrote a sample; null before its first run. */
  lastRunAt: string | null;
  checks: Record<string, CheckView | { status: HealthStatus; latencyMs: number }>;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

export class HealthCheckService {
  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'repos' | 'lanes' | 'clock'> & Partial<Pick<AppDeps, 'llm'>>,
    private readonly probes: readonly HealthProbe[] = deps.llm ? [llmProviderProbe(deps.llm)] : [],
  ) {}

  async databaseLatencyMs(): Promise<number> {
    const started = performance.now();
    await sql`select 1`.execute(this.deps.db);
    return round(performance.now() - started);
  }

  /** Measures and stores every sample; a job delivered again (same jobId) stores nothing more. */
  async run(context: { jobId: string }): Promise<HealthSample[]> {
    const now = this.deps.clock.now();
    const since = new Date(now.getTime() - 24 * 60 * 60 * 1000);
    const marker = `${HEALTH_PREFIX}database.latency_ms`;
    if (await this.deps.repos.metrics.hasTagged(marker, { key: 'jobId', value: context.jobId }, since)) {
      logger.info('health check already recorded for this job', { jobId: context.jobId });
      return [];
    }
    const samples: HealthSample[] = [
      { name: 'database.latency_ms', value: await this.databaseLatencyMs(), unit: 'ms' },
      ...(await Promise.all(LANES.map((lane) => this.#lane(lane)))).flat(),
      ...(await Promise.all(this.probes.map((probe) => probe.measure()))).flat(),
    ];
    await this.deps.repos.metrics.recordMany(
      samples.map((s) => ({
        recordedAt: now,
        metricName: `${HEALTH_PREFIX}${s.name}`,
        metricValue: s.value,
        metricUnit: s.unit,
        tags: { ...s.tags, jobId: context.jobId },
      })),
    );
    const status = worst(samples.map((s) => statusOf(s.name, s.value)));
    const log = status === 'ok' ? logger.info.bind(logger) : logger.warn.bind(logger);
    log('health check recorded', {
      status,
      samples: Object.fromEntries(samples.map((s) => [s.name, s.value])),
    });
    return samples;
  }

  async #lane(lane: (typeof LANES)[number]): Promise<HealthSample[]> {
    const tags = { lane };
    try {
      const depth = await this.deps.lanes.depth(lane);
      return [
        { name: `lane.${lane}.queued`, value: depth.queued, unit: 'count', tags },
        { name: `lane.${lane}.active`, value: depth.active, unit: 'count', tags },
        { name: `lane.${lane}.dead_lettered`, value: depth.deadLettered, unit: 'count', tags },
        { name: `lane.${lane}.errors`, value: 0, unit: 'count', tags },
      ];
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.warn('lane depth unavailable', { lane, error: message });
      return [
        {
          name: `lane.${lane}.errors`,
          value: 1,
          unit: 'count',
          tags: { ...tags, error: message.slice(0, 200) },
        },
      ];
    }
  }

  /** The newest stored sample of each check, judged, with a live database round trip. */
  async report(): Promise<DeepHealth> {
    const now = this.deps.clock.now();
    const latencyMs = await this.databaseLatencyMs();
    const staleAfterMs = STALE_PERIODS * periodMinutes(getSchedule('health-check').cadence) * 60_000;
    const checks: DeepHealth['checks'] = {
      database: { status: statusOf('database.latency_ms', latencyMs), latencyMs },
    };
    let lastRun: Date | undefined;
    for (const metric of await this.deps.repos.metrics.latest(HEALTH_PREFIX)) {
      checks[metric.metricName.slice(HEALTH_PREFIX.length)] = this.#view(metric, now, staleAfterMs);
      if (lastRun === undefined || metric.recordedAt > lastRun) lastRun = metric.recordedAt;
    }
    return {
      status: worst(Object.values(checks).map((c) => c.status)),
      checkedAt: now.toISOString(),
      lastRunAt: lastRun?.toISOString() ?? null,
      checks,
    };
  }

  #view(metric: Metric, now: Date, staleAfterMs: number): CheckView {
    const name = metric.metricName.slice(HEALTH_PREFIX.length);
    const stale = now.getTime() - metric.recordedAt.getTime() > staleAfterMs;
    const judged = statusOf(name, metric.metricValue);
    const { jobId: _jobId, ...tags } = metric.tags;
    const threshold = ruleFor(name)?.threshold;
    return {
      status: stale ? worst([judged, 'degraded']) : judged,
      value: metric.metricValue,
      unit: metric.metricUnit,
      recordedAt: metric.recordedAt.toISOString(),
      ...(stale ? { stale: true } : {}),
      ...(threshold === undefined ? {} : { threshold }),
      ...(Object.keys(tags).length > 0 ? { tags } : {}),
    };
  }
}
