/**
 * The one schedule table (../docs/architecture.md, Layout): what runs on its own, when,
 * as which job on which lane. Every place that fires schedules derives from
 * it — EventBridge rules on AWS (infra/stacks/schedules-stack.ts), the
 * in-process scheduler of `aiops serve` (runtime/local/scheduler.ts) and the
 * Kubernetes CronJobs that run `aiops jobs enqueue <name>` — so a schedule is
 * changed here, once.
 *
 * Cadences are neutral (every N minutes, hourly at :MM, daily at HH:MM UTC)
 * and rendered for each target by the functions below.
 */
import { randomUUID } from 'node:crypto';
import type { Lane } from './core/domain.js';
import { ValidationError } from './core/errors.js';
import { DEFAULT_LANE, type JobEnvelope, type JobType } from './lanes/envelope.js';

export type Cadence =
  /** Every `minutes` minutes, counted from the hour (a divisor of 60) or from midnight (a multiple of 60 dividing 1440). */
  | { readonly kind: 'every'; readonly minutes: number }
  /** Once an hour at minute `minute`. */
  | { readonly kind: 'hourly'; readonly minute: number }
  /** Once a day at `hour`:`minute` UTC. */
  | { readonly kind: 'daily'; readonly hour: number; readonly minute: number };

export interface Schedule {
  readonly name: string;
  readonly description: string;
  readonly job: JobType;
  readonly lane: Lane;
  readonly cadence: Cadence;
}

export const SCHEDULES = [
  {
    name: 'cleanup-old-executions',
    description:
      'Deletes finished executions, audit logs and metrics past retention, expired API keys and hot state',
    job: 'maintenance.cleanup',
    lane: DEFAULT_LANE['maintenance.cleanup'],
    cadence: { kind: 'hourly', minute: 0 },
  },
  {
    name: 'aggregate-daily-costs',
    description: 'Rolls LLM costs up per day, user, agent, provider and model; raises budget alerts',
    job: 'costs.aggregate',
    lane: DEFAULT_LANE['costs.aggregate'],
    cadence: { kind: 'daily', hour: 0, minute: 15 },
  },
  {
    name: 'health-check',
    description: 'Measures database round trip, lane depths and dead letters into system_metrics',
    job: 'health.check',
    lane: DEFAULT_LANE['health.check'],
    cadence: { kind: 'every', minutes: 5 },
  },
] as const satisfies readonly Schedule[];

export type ScheduleName = (typeof SCHEDULES)[number]['name'];

export const SCHEDULE_NAMES: readonly ScheduleName[] = SCHEDULES.map((s) => s.name);

export function findSchedule(name: string): Schedule | undefined {
  return SCHEDULES.find((s) => s.name === name);
}

/** The schedule called `name`, or a ValidationError listing the names there are. */
export function getSchedule(name: string): Schedule {
  const schedule = findSchedule(name);
  if (schedule === undefined) {
    throw new ValidationError(`Unknown schedule "${name}"`, [
      { path: 'schedule', message: `must be one of ${SCHEDULE_NAMES.join(', ')}` },
    ]);
  }
  return schedule;
}

function whole(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/**
 * Throws unless every target can express `cadence` exactly: a cron step only
 * repeats evenly when it divides its field's range, so "every 7 minutes" is
 * refused rather than rendered as a cron that fires at :56 and again at :00.
 */
export function checkCadence(cadence: Cadence): void {
  const ok = (() => {
    switch (cadence.kind) {
      case 'every':
        return cadence.minutes < 60
          ? whole(cadence.minutes, 1, 59) && 60 % cadence.minutes === 0
          : whole(cadence.minutes, 60, 1440) &&
              cadence.minutes % 60 === 0 &&
              24 % (cadence.minutes / 60) === 0;
      case 'hourly':
        return whole(cadence.minute, 0, 59);
      case 'daily':
        return whole(cadence.hour, 0, 23) && whole(cadence.minute, 0, 59);
    }
  })();
  if (!ok) {
    throw new ValidationError('Invalid cadence', [
      {
        path: 'cadence',
        message:
          'every: a divisor of 60 minutes, or whole hours dividing 24; hourly: minute 0–59; daily: hour 0–23, minute 0–59',
      },
    ]);
  }
}

/** Minutes between two firings. */
export function periodMinutes(cadence: Cadence): number {
  checkCadence(cadence);
  switch (cadence.kind) {
    case 'every':
      return cadence.minutes;
    case 'hourly':
      return 60;
    case 'daily':
      return 24 * 60;
  }
}

/** Minute and hour fields shared by the cron renderings. */
function cronFields(cadence: Cadence): { minute: string; hour: string } {
  checkCadence(cadence);
  switch (cadence.kind) {
    case 'every':
      if (cadence.minutes === 1) return { minute: '*', hour: '*' };
      if (cadence.minutes < 60) return { minute: `*/${cadence.minutes}`, hour: '*' };
      if (cadence.minutes === 60) return { minute: '0', hour: '*' };
      return { minute: '0', hour: `*/${cadence.minutes / 60}` };
    case 'hourly':
      return { minute: String(cadence.minute), hour: '*' };
    case 'daily':
      return { minute: String(cadence.minute), hour: String(cadence.hour) };
  }
}

/**
 * The EventBridge schedule expression: `rate()` for "every N minutes", else
 * `cron()` in its six fields (minute hour day-of-month month day-of-week
 * year, one of the two day fields `?`). EventBridge evaluates cron in UTC.
 */
export function eventBridgeExpression(cadence: Cadence): string {
  checkCadence(cadence);
  if (cadence.kind === 'every') {
    const hours = cadence.minutes / 60;
    if (Number.isInteger(hours)) return hours === 1 ? 'rate(1 hour)' : `rate(${hours} hours)`;
    return cadence.minutes === 1 ? 'rate(1 minute)' : `rate(${cadence.minutes} minutes)`;
  }
  const { minute, hour } = cronFields(cadence);
  return `cron(${minute} ${hour} * * ? *)`;
}

/** Standard five-field cron (minute hour day month weekday), as a Kubernetes CronJob's `schedule` with `timeZone: Etc/UTC`. */
export function cronExpression(cadence: Cadence): string {
  const { minute, hour } = cronFields(cadence);
  return `${minute} ${hour} * * *`;
}

/** The pattern the local scheduler gives croner: six fields, seconds first and pinned to 0, read in UTC. */
export function cronerPattern(cadence: Cadence): string {
  return `0 ${cronExpression(cadence)}`;
}

/**
 * The latest instant at or before `now` that `cadence` fires at. A Kubernetes
 * CronJob runs `aiops jobs enqueue` a little after that instant, and a retried
 * pod computes the same one, so its job id (hence its job) is the same.
 */
export function lastDue(cadence: Cadence, now: Date): Date {
  checkCadence(cadence);
  const minute = 60_000;
  const at = now.getTime();
  switch (cadence.kind) {
    case 'every': {
      // Each period divides an hour or a day, so multiples since the epoch fall on the hour or midnight UTC.
      const period = cadence.minutes * minute;
      return new Date(Math.floor(at / period) * period);
    }
    case 'hourly': {
      const due = Math.floor(at / (60 * minute)) * 60 * minute + cadence.minute * minute;
      return new Date(due <= at ? due : due - 60 * minute);
    }
    case 'daily': {
      const day = 24 * 60 * minute;
      const due = Math.floor(at / day) * day + (cadence.hour * 60 + cadence.minute) * minute;
      return new Date(due <= at ? due : due - day);
    }
  }
}

/** What a schedule's job carries: which schedule fired, and the instant it was due. */
export interface ScheduledPayload {
  schedule: string;
  scheduledAt: string;
}

/** One id per schedule and due instant: two firings of the same instant are one job. */
export function scheduledJobId(schedule: Schedule, scheduledAt: Date): string {
  return `schedule:${schedule.name}:${scheduledAt.toISOString()}`;
}

/**
 * The job envelope for one firing of `schedule`, due at `scheduledAt`. The
 * EventBridge rule builds the same shape with an input transformer, its job
 * id taken from the event id instead (EventBridge already fires once per instant).
 */
export function scheduledJob(
  schedule: Schedule,
  scheduledAt: Date,
  options: { now?: Date; traceId?: string } = {},
): JobEnvelope {
  const payload: ScheduledPayload = { schedule: schedule.name, scheduledAt: scheduledAt.toISOString() };
  return {
    jobId: scheduledJobId(schedule, scheduledAt),
    type: schedule.job,
    lane: schedule.lane,
    payload: { ...payload },
    traceId: options.traceId ?? randomUUID(),
    enqueuedAt: (options.now ?? scheduledAt).toISOString(),
  };
}
