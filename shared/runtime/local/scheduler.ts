/**
 * The schedule table (../../schedules.ts) fired in process, for `aiops serve`:
 * one croner job per schedule, in UTC, each firing putting the schedule's job
 * on its lane — what EventBridge rules do on AWS and CronJobs on Kubernetes.
 *
 * A firing's job id is derived from the schedule and the instant it was due,
 * so two processes (or a firing retried) put one job on the lane, not two.
 */
import { Cron } from 'croner';
import { type Clock, systemClock } from '../../core/clock.js';
import { ValidationError } from '../../core/errors.js';
import { logger } from '../../core/observability.js';
import type { JobEnvelope } from '../../lanes/envelope.js';
import type { LanesPort } from '../../lanes/port.js';
import { cronerPattern, SCHEDULES, type Schedule, scheduledJob } from '../../schedules.js';

export interface LocalScheduler {
  /** The croner pattern each schedule runs on, by schedule name. */
  readonly patterns: Readonly<Record<string, string>>;
  /** Puts the job of schedule `name` due at `at` on its lane: what croner's callback does. */
  fire(name: string, at: Date): Promise<JobEnvelope>;
  /** The next `count` instants schedule `name` fires at after `after`, as croner computes them. */
  nextRuns(name: string, count: number, after: Date): Date[];
  /** Fires schedule `name` now through croner, as its timer would. */
  trigger(name: string): Promise<void>;
  stop(): void;
}

export interface SchedulerOptions {
  schedules?: readonly Schedule[];
  clock?: Clock;
  /** Create the timers without starting them (tests drive `fire` and `trigger`). */
  paused?: boolean;
}

function unknownSchedule(name: string, schedules: readonly Schedule[]): ValidationError {
  return new ValidationError(`Unknown schedule "${name}"`, [
    { path: 'schedule', message: `must be one of ${schedules.map((s) => s.name).join(', ')}` },
  ]);
}

export function startScheduler(
  lanes: Pick<LanesPort, 'send'>,
  options: SchedulerOptions = {},
): LocalScheduler {
  const schedules = options.schedules ?? SCHEDULES;
  const clock = options.clock ?? systemClock;
  const byName = new Map(schedules.map((s) => [s.name, s]));

  async function fire(name: string, at: Date): Promise<JobEnvelope> {
    const schedule = byName.get(name);
    if (schedule === undefined) throw unknownSchedule(name, schedules);
    const job = scheduledJob(schedule, at, { now: clock.now() });
    await lanes.send(job);
    logger.info('schedule fired', { schedule: name, scheduledAt: at.toISOString(), jobId: job.jobId });
    return job;
  }

  const crons = new Map(
    schedules.map((schedule) => {
      const cron = new Cron(
        cronerPattern(schedule.cadence),
        {
          timezone: 'Etc/UTC',
          mode: '6-part',
          paused: options.paused ?? false,
          // A firing still sending when the next is due is not doubled.
          protect: true,
          // The HTTP server and the workers keep the process alive, not the timers.
          unref: true,
          catch: (error: unknown) =>
            logger.error('schedule could not put its job on the lane', { schedule: schedule.name, error }),
        },
        async (self: Cron) => {
          // The instant that was due, not the moment the timer ran: the job id is derived from it.
          const ran = self.currentRun() ?? clock.now();
          const [due] = self.previousRuns(1, new Date(ran.getTime() + 1));
          await fire(schedule.name, due ?? ran);
        },
      );
      return [schedule.name, cron] as const;
    }),
  );

  function cronOf(name: string): Cron {
    const cron = crons.get(name);
    if (cron === undefined) throw unknownSchedule(name, schedules);
    return cron;
  }

  return {
    patterns: Object.fromEntries([...crons].map(([name, cron]) => [name, cron.getPattern() ?? ''])),
    fire,
    nextRuns: (name, count, after) => cronOf(name).nextRuns(count, after),
    trigger: (name) => cronOf(name).trigger(),
    stop() {
      for (const cron of crons.values()) cron.stop();
    },
  };
}
