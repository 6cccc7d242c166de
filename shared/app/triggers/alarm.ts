/**
 * The CloudWatch alarm trigger: a "CloudWatch Alarm State Change" event into
 * ALARM → the alarm's metric over the days before the change (GetMetricData,
 * at the alarm's period) → an anomaly-detector execution on the priority
 * lane, owned by the system user.
 *
 * Why days, not the few hours around the alarm: the detector judges a point
 * against the recent level and the same time on previous days, calibrated on
 * the series' own history; six hours of five-minute points is too little
 * history for it to call anything unusual. The window is cut to at most
 * MAX_WINDOW_POINTS points, so a high-resolution metric stays a small input. OK and INSUFFICIENT_DATA transitions are
 * logged and ignored. The execution id derives from the event id, so a
 * redelivered event starts nothing new.
 */
import * as z from 'zod';
import { AiopsError } from '../../core/errors.js';
import { logger } from '../../core/observability.js';
import { fieldErrors } from '../../core/validation.js';
import type { Principal } from '../principal.js';
import {
  eventBridgeEventSchema,
  isStarted,
  startOnce,
  type TriggerDeps,
  type TriggerOutcome,
} from './start.js';
import { derivedExecutionId, ensureSystemUser } from './system-user.js';

const metricStatSchema = z.object({
  metric: z.object({
    namespace: z.string().min(1),
    name: z.string().min(1),
    dimensions: z.record(z.string(), z.string()).optional(),
  }),
  period: z.number().int().positive(),
  stat: z.string().min(1),
  unit: z.string().optional(),
});

/** One entry of `detail.configuration.metrics`: a metric, or a metric-math expression over others. */
const alarmMetricSchema = z.object({
  id: z.string().min(1).max(255),
  metricStat: metricStatSchema.optional(),
  expression: z.string().min(1).max(2048).optional(),
  label: z.string().optional(),
  returnData: z.boolean().optional(),
  period: z.number().int().positive().optional(),
});

const alarmStateSchema = z.object({
  value: z.string().min(1),
  reason: z.string().optional(),
  reasonData: z.string().optional(),
  timestamp: z.string().min(1),
});

export const alarmStateChangeEventSchema = eventBridgeEventSchema(
  'CloudWatch Alarm State Change',
  'aws.cloudwatch',
  z.object({
    alarmName: z.string().min(1).max(255),
    state: alarmStateSchema,
    previousState: alarmStateSchema.optional(),
    configuration: z
      .object({
        description: z.string().nullish(),
        metrics: z.array(alarmMetricSchema).max(20).optional(),
      })
      .optional(),
  }),
);
export type AlarmStateChangeEvent = z.infer<typeof alarmStateChangeEventSchema>;
export type AlarmMetric = z.infer<typeof alarmMetricSchema>;

/** One GetMetricData query, in the alarm's own terms (the adapter maps it to the SDK's). */
export interface MetricQuery {
  id: string;
  metricStat?: z.infer<typeof metricStatSchema> | undefined;
  expression?: string | undefined;
  label?: string | undefined;
  period?: number | undefined;
  returnData: boolean;
}

export interface MetricSeries {
  id: string;
  label?: string | undefined;
  timestamps: string[];
  values: number[];
}

/** GetMetricData on AWS (shared/runtime/aws/cloudwatch-metrics.ts). */
export interface MetricWindowReader {
  /** The series of the queries that return data, in query order, every page read. */
  read(queries: readonly MetricQuery[], window: { from: Date; to: Date }): Promise<MetricSeries[]>;
}

export interface AlarmTriggerOptions {
  metrics: MetricWindowReader;
  /** How far before the state change the window starts (default 72 h, at most MAX_WINDOW_POINTS periods). */
  windowHours?: number;
  /**
   * Starts an incident-triage run for the alarm, when the deployment has one
   * configured: the metric input the anomaly execution got, the state change
   * time and the trace id. Best effort: a failure is logged, never retried.
   */
  startTriage?: (triage: {
    alarm: AlarmStateChangeEvent;
    metrics: unknown;
    changedAt: Date;
    owner: Principal;
    traceId: string;
  }) => Promise<void>;
}

export const ANOMALY_AGENT = 'anomaly-detector';
const DEFAULT_WINDOW_HOURS = 72;
/** About 120 KiB of input as JSON: what an execution row and the Data API carry comfortably. */
export const MAX_WINDOW_POINTS = 5_000;
const DEFAULT_PERIOD_SEC = 60;
/** GetMetricData ids start with a lower-case letter and hold letters, digits and underscores. */
const METRIC_ID = /^[a-z][a-zA-Z0-9_]{0,254}$/;
const TRACE_ID = /^[A-Za-z0-9-]{8,128}$/;

/**
 * The alarm's metrics as queries. An alarm on one metric carries a generated
 * id (a UUID) GetMetricData refuses; such ids are renamed, which is safe
 * because only metric-math alarms refer to ids, and those ids are the user's.
 */
export function metricQueries(metrics: readonly AlarmMetric[]): MetricQuery[] {
  const hasExpressions = metrics.some((m) => m.expression !== undefined);
  return metrics.map((m, index) => ({
    id: METRIC_ID.test(m.id) || hasExpressions ? m.id : `m${index}`,
    metricStat: m.metricStat,
    expression: m.expression,
    label: m.label,
    period: m.period,
    returnData: m.returnData ?? true,
  }));
}

/** The threshold and its direction, from the state's reason (`reasonData` JSON, "greater/less than" text). */
export function thresholdOf(
  state: z.infer<typeof alarmStateSchema>,
): { value: number; direction: 'above' | 'below' } | undefined {
  let value: unknown;
  try {
    value = (JSON.parse(state.reasonData ?? '{}') as { threshold?: unknown }).threshold;
  } catch {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const reason = state.reason ?? '';
  if (/less than/i.test(reason)) return { value, direction: 'below' };
  if (/greater than/i.test(reason)) return { value, direction: 'above' };
  return undefined;
}

function metricLabel(alarmName: string, metrics: readonly AlarmMetric[]): string {
  const stat = metrics.find((m) => m.metricStat !== undefined)?.metricStat;
  if (stat === undefined) return alarmName.slice(0, 200);
  const dims = Object.entries(stat.metric.dimensions ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `${alarmName}: ${stat.metric.namespace} ${stat.metric.name}${dims ? ` (${dims})` : ''}`.slice(
    0,
    200,
  );
}

export class AlarmTrigger {
  constructor(
    private readonly deps: TriggerDeps,
    private readonly options: AlarmTriggerOptions,
  ) {}

  async handle(event: unknown): Promise<TriggerOutcome> {
    const parsed = alarmStateChangeEventSchema.safeParse(event);
    if (!parsed.success) {
      const problems = fieldErrors(parsed.error.issues).slice(0, 3);
      logger.warn('dropped an event that is not a CloudWatch Alarm State Change', { problems });
      const text = problems.map((p) => `${p.path || 'event'}: ${p.message}`).join('; ');
      return { status: 'dropped', reason: `not a CloudWatch Alarm State Change (${text})` };
    }
    const alarm = parsed.data;
    const { alarmName, state, configuration } = alarm.detail;
    if (state.value !== 'ALARM') {
      logger.info('alarm left ALARM or has no data; nothing to analyse', { alarmName, state: state.value });
      return { status: 'ignored', reason: `${alarmName} is ${state.value}, not ALARM` };
    }
    const metrics = configuration?.metrics ?? [];
    if (metrics.length === 0) {
      // A composite alarm: its state comes from other alarms, which trigger their own analysis.
      logger.info('alarm has no metrics (composite); nothing to analyse', { alarmName });
      return { status: 'ignored', reason: `${alarmName} has no metrics to fetch` };
    }
    const changedAt = Date.parse(state.timestamp) || Date.parse(alarm.time);
    if (!Number.isFinite(changedAt)) {
      logger.warn('dropped an alarm event without a readable time', { alarmName });
      return { status: 'dropped', reason: 'the state change has no readable time' };
    }
    const period =
      metrics.find((m) => m.metricStat)?.metricStat?.period ?? metrics[0]?.period ?? DEFAULT_PERIOD_SEC;
    const windowMs = Math.min(
      (this.options.windowHours ?? DEFAULT_WINDOW_HOURS) * 3_600_000,
      MAX_WINDOW_POINTS * period * 1000,
    );
    const window = { from: new Date(changedAt - windowMs), to: new Date(changedAt + period * 1000) };
    let series: MetricSeries[];
    try {
      series = await this.options.metrics.read(metricQueries(metrics), window);
    } catch (error) {
      // A query CloudWatch refuses (a deleted metric, a malformed expression) will be refused again.
      if (error instanceof AiopsError && !error.retryable) {
        logger.warn('dropped an alarm whose metrics cannot be read', { alarmName, error });
        return { status: 'dropped', reason: `the metrics of ${alarmName} cannot be read: ${error.message}` };
      }
      throw error;
    }
    const first = series.find((s) => s.values.length > 0);
    if (first === undefined) {
      logger.info('alarm metric has no datapoints in the window', { alarmName, ...window });
      return { status: 'ignored', reason: `${alarmName} has no datapoints in the window` };
    }
    const threshold = thresholdOf(state);
    const input = {
      cloudwatch: {
        MetricDataResults: [
          {
            Id: first.id,
            Label: first.label ?? first.id,
            Timestamps: first.timestamps,
            Values: first.values,
          },
        ],
      },
      metric: metricLabel(alarmName, metrics),
      ...(threshold === undefined ? {} : { threshold }),
    };
    const owner = await ensureSystemUser(this.deps.repos);
    const executionId = derivedExecutionId('alarm', alarm.id, ANOMALY_AGENT);
    const traceId = TRACE_ID.test(alarm.id) ? alarm.id : crypto.randomUUID();
    const started = await startOnce(
      this.deps,
      owner,
      { agent: ANOMALY_AGENT, input, priority: true },
      { executionId, traceId },
    );
    if (!isStarted(started)) {
      logger.warn('alarm trigger could not start the analysis', { alarmName, rejected: started });
      return { status: 'started', executions: [], rejected: [started] };
    }
    // Once per alarm: a redelivered event finds its execution there and starts no second triage.
    if (started.created && this.options.startTriage !== undefined) {
      try {
        await this.options.startTriage({
          alarm,
          metrics: input,
          changedAt: new Date(changedAt),
          owner,
          traceId,
        });
      } catch (error) {
        logger.error('incident triage for the alarm could not be started', { alarmName, error });
      }
    }
    logger.info('alarm analysis started', { alarmName, executionId, created: started.created });
    return { status: 'started', executions: [started], rejected: [] };
  }
}
