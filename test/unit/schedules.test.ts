/** The schedule table and its renderings for EventBridge, croner and Kubernetes CronJobs. */
import { describe, expect, it } from '@jest/globals';
import { Cron } from 'croner';
import { ValidationError } from '../../shared/core/errors.js';
import { DEFAULT_LANE, parseJobEnvelope } from '../../shared/lanes/envelope.js';
import {
  type Cadence,
  checkCadence,
  cronExpression,
  cronerPattern,
  eventBridgeExpression,
  getSchedule,
  lastDue,
  periodMinutes,
  SCHEDULES,
  scheduledJob,
  scheduledJobId,
} from '../../shared/schedules.js';

describe('the schedule table', () => {
  it('runs cleanup hourly, the cost roll-up daily at 00:15 UTC and the health check every 5 minutes', () => {
    // Assess
    expect(
      SCHEDULES.map((s) => [
        s.name,
        s.job,
        s.lane,
        eventBridgeExpression(s.cadence),
        cronExpression(s.cadence),
      ]),
    ).toEqual([
      ['cleanup-old-executions', 'maintenance.cleanup', 'maintenance', 'cron(0 * * * ? *)', '0 * * * *'],
      ['aggregate-daily-costs', 'costs.aggregate', 'maintenance', 'cron(15 0 * * ? *)', '15 0 * * *'],
      ['health-check', 'health.check', 'monitoring', 'rate(5 minutes)', '*/5 * * * *'],
    ]);
  });

  it.each(SCHEDULES.map((s) => [s.name, s] as const))('%s goes to its job type’s lane', (_name, schedule) => {
    // Assess
    expect(schedule.lane).toBe(DEFAULT_LANE[schedule.job]);
  });

  it('finds schedules by name and refuses unknown ones with the names there are', () => {
    // Act
    const attempt = () => getSchedule('vacuum');

    // Assess
    expect(getSchedule('health-check').job).toBe('health.check');
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ path: 'schedule' })] }),
    );
  });
});

describe('renderers', () => {
  it.each<[Cadence, string, string, string]>([
    [{ kind: 'every', minutes: 1 }, 'rate(1 minute)', '* * * * *', '0 * * * * *'],
    [{ kind: 'every', minutes: 5 }, 'rate(5 minutes)', '*/5 * * * *', '0 */5 * * * *'],
    [{ kind: 'every', minutes: 30 }, 'rate(30 minutes)', '*/30 * * * *', '0 */30 * * * *'],
    [{ kind: 'every', minutes: 60 }, 'rate(1 hour)', '0 * * * *', '0 0 * * * *'],
    [{ kind: 'every', minutes: 360 }, 'rate(6 hours)', '0 */6 * * *', '0 0 */6 * * *'],
    [{ kind: 'hourly', minute: 0 }, 'cron(0 * * * ? *)', '0 * * * *', '0 0 * * * *'],
    [{ kind: 'hourly', minute: 45 }, 'cron(45 * * * ? *)', '45 * * * *', '0 45 * * * *'],
    [{ kind: 'daily', hour: 0, minute: 15 }, 'cron(15 0 * * ? *)', '15 0 * * *', '0 15 0 * * *'],
    [{ kind: 'daily', hour: 23, minute: 59 }, 'cron(59 23 * * ? *)', '59 23 * * *', '0 59 23 * * *'],
  ])('%j → EventBridge %s, CronJob %s, croner %s', (cadence, eventBridge, cron, croner) => {
    // Assess
    expect(eventBridgeExpression(cadence)).toBe(eventBridge);
    expect(cronExpression(cadence)).toBe(cron);
    expect(cronerPattern(cadence)).toBe(croner);
  });

  it.each<Cadence>([
    { kind: 'every', minutes: 7 },
    { kind: 'every', minutes: 0 },
    { kind: 'every', minutes: 90 },
    { kind: 'every', minutes: 300 },
    { kind: 'every', minutes: 2.5 },
    { kind: 'hourly', minute: 60 },
    { kind: 'daily', hour: 24, minute: 0 },
    { kind: 'daily', hour: 3, minute: -1 },
  ])('refuses %j, which a cron step cannot repeat evenly or is out of range', (cadence) => {
    // Assess
    expect(() => checkCadence(cadence)).toThrow(ValidationError);
    expect(() => eventBridgeExpression(cadence)).toThrow(ValidationError);
    expect(() => cronExpression(cadence)).toThrow(ValidationError);
  });

  it.each(SCHEDULES.map((s) => [s.name, s] as const))(
    '%s: croner fires its rendering at the instants the cadence means, in UTC',
    (_name, schedule) => {
      // Prepare
      const cron = new Cron(cronerPattern(schedule.cadence), {
        timezone: 'Etc/UTC',
        mode: '6-part',
        paused: true,
      });

      // Act
      const runs = cron.nextRuns(3, new Date('2026-03-29T00:59:59.000Z'));

      // Assess: consecutive firings are one period apart, on the cadence's minute.
      const period = periodMinutes(schedule.cadence) * 60_000;
      expect(runs).toHaveLength(3);
      expect((runs[1]?.getTime() ?? 0) - (runs[0]?.getTime() ?? 0)).toBe(period);
      expect((runs[2]?.getTime() ?? 0) - (runs[1]?.getTime() ?? 0)).toBe(period);
      for (const run of runs) {
        if (schedule.cadence.kind === 'daily') {
          expect([run.getUTCHours(), run.getUTCMinutes()]).toEqual([
            schedule.cadence.hour,
            schedule.cadence.minute,
          ]);
        }
        if (schedule.cadence.kind === 'hourly') expect(run.getUTCMinutes()).toBe(schedule.cadence.minute);
        expect(run.getUTCSeconds()).toBe(0);
      }
      cron.stop();
    },
  );
});

describe('lastDue', () => {
  const cadences: Cadence[] = [
    ...SCHEDULES.map((s) => s.cadence),
    { kind: 'every', minutes: 1 },
    { kind: 'every', minutes: 20 },
    { kind: 'every', minutes: 180 },
    { kind: 'hourly', minute: 59 },
    { kind: 'daily', hour: 23, minute: 45 },
  ];
  const instants = [
    '2026-03-10T00:15:00.000Z',
    '2026-03-10T00:14:59.999Z',
    '2026-03-10T00:00:00.000Z',
    '2026-03-10T13:07:31.250Z',
    '2026-03-01T00:05:00.001Z',
    '2024-02-29T23:59:59.999Z',
  ];

  it.each(cadences.flatMap((c) => instants.map((at) => [JSON.stringify(c), at, c] as const)))(
    '%s at %s: the instant croner last fired at',
    (_label, at, cadence) => {
      // Prepare
      const now = new Date(at);
      const cron = new Cron(cronerPattern(cadence), { timezone: 'Etc/UTC', mode: '6-part', paused: true });

      // Act
      const due = lastDue(cadence, now);

      // Assess: croner's previous run strictly before now + 1 ms is the last at or before now.
      expect(due.toISOString()).toBe(cron.previousRuns(1, new Date(now.getTime() + 1))[0]?.toISOString());
      cron.stop();
    },
  );
});

describe('scheduledJob', () => {
  it('builds a valid envelope whose id is the schedule and the instant it was due', () => {
    // Prepare
    const schedule = getSchedule('aggregate-daily-costs');
    const due = new Date('2026-03-10T00:15:00.000Z');

    // Act
    const first = scheduledJob(schedule, due, { now: new Date('2026-03-10T00:15:00.120Z') });
    const again = scheduledJob(schedule, due, { now: new Date('2026-03-10T00:15:03.000Z') });
    const next = scheduledJob(schedule, new Date('2026-03-11T00:15:00.000Z'));

    // Assess
    expect(parseJobEnvelope(first)).toEqual({
      jobId: 'schedule:aggregate-daily-costs:2026-03-10T00:15:00.000Z',
      type: 'costs.aggregate',
      lane: 'maintenance',
      payload: { schedule: 'aggregate-daily-costs', scheduledAt: '2026-03-10T00:15:00.000Z' },
      traceId: expect.any(String),
      enqueuedAt: '2026-03-10T00:15:00.120Z',
    });
    expect(again.jobId).toBe(first.jobId);
    expect(next.jobId).not.toBe(first.jobId);
    expect(next.enqueuedAt).toBe('2026-03-11T00:15:00.000Z');
    expect(scheduledJobId(schedule, due)).toBe(first.jobId);
  });

  it('keeps every job id within the envelope’s 128 characters', () => {
    // Assess
    for (const schedule of SCHEDULES) {
      expect(scheduledJobId(schedule, new Date('2026-12-31T23:59:00.000Z')).length).toBeLessThanOrEqual(128);
    }
  });
});
