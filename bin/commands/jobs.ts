/**
 * `aiops jobs`: the schedule table from the command line.
 *   list                    the schedules: name, job, lane, EventBridge expression, cron
 *   enqueue <schedule>      put that schedule's job on its lane now — what a Kubernetes
 *                           CronJob runs (on AWS, EventBridge rules put the jobs on SQS)
 * The job id is derived from the schedule and the instant it was last due, so a
 * CronJob that is retried, or runs twice, queues one job on pg-boss, and one
 * the handlers recognise on SQS (which does not deduplicate).
 */
import { type Command, Option } from 'commander';
import { type Config, getConfig } from '../../shared/core/config.js';
import type { JobEnvelope } from '../../shared/lanes/envelope.js';
import {
  cronExpression,
  eventBridgeExpression,
  getSchedule,
  lastDue,
  SCHEDULES,
  scheduledJob,
} from '../../shared/schedules.js';
import { info, type OutputFormat, printResult, renderTable, UsageError } from '../cli.js';

function list(options: { format: OutputFormat }): void {
  const rows = SCHEDULES.map((s) => ({
    name: s.name,
    job: s.job,
    lane: s.lane,
    eventBridge: eventBridgeExpression(s.cadence),
    cron: cronExpression(s.cadence),
    description: s.description,
  }));
  printResult(options.format, rows, () =>
    renderTable(
      ['name', 'job', 'lane', 'EventBridge', 'cron (UTC)'],
      rows.map((r) => [r.name, r.job, r.lane, r.eventBridge, r.cron]),
    ),
  );
}

/**
 * Puts the job of schedule `name`, last due at or before `now`, on its lane:
 * the SQS queues when AIOPS_LANES_DRIVER=sqs (Kubernetes next to the Lambda
 * functions), else pg-boss in DATABASE_URL's database — or in the embedded
 * database of `aiops serve` while it is stopped.
 */
export async function enqueueScheduled(
  config: Config,
  name: string,
  now: Date = new Date(),
): Promise<JobEnvelope> {
  const schedule = getSchedule(name);
  const job = scheduledJob(schedule, lastDue(schedule.cadence, now), { now });
  if (config.env.AIOPS_LANES_DRIVER === 'sqs') {
    const { sqsLanesFor } = await import('../../shared/runtime/local/runtime.js');
    const lanes = await sqsLanesFor(config);
    try {
      await lanes.send(job);
    } finally {
      await lanes.close();
    }
    return job;
  }
  if (config.database.kind === 'data-api') {
    throw new UsageError(
      'On AWS the EventBridge rules put scheduled jobs on the SQS lanes; set DATABASE_URL to enqueue onto pg-boss lanes, or AIOPS_LANES_DRIVER=sqs',
    );
  }
  const { openDatabase } = await import('../../shared/db/database.js');
  const { createPgBossLanes } = await import('../../shared/lanes/pg-boss.js');
  const handle = await openDatabase(config.database);
  try {
    const lanes = await createPgBossLanes(
      handle.pglite
        ? { pglite: handle.pglite }
        : { connectionString: config.database.kind === 'pg' ? config.database.url : '' },
    );
    try {
      await lanes.send(job);
    } finally {
      await lanes.close();
    }
  } finally {
    await handle.close();
  }
  return job;
}

async function enqueue(name: string): Promise<void> {
  const job = await enqueueScheduled(getConfig(), name);
  info(`queued ${job.type} on the ${job.lane} lane as ${job.jobId}`);
  const { schedule, scheduledAt } = job.payload;
  process.stdout.write(
    `${JSON.stringify({ schedule, jobId: job.jobId, type: job.type, lane: job.lane, scheduledAt, traceId: job.traceId })}\n`,
  );
}

export function registerJobs(program: Command): void {
  const jobs = program
    .command('jobs')
    .description('the schedule table: list it, or queue a scheduled job now');
  jobs
    .command('list')
    .description('the schedules: name, job, lane, EventBridge expression and cron (UTC)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(list);
  jobs
    .command('enqueue')
    .description(
      "put a schedule's job on its lane now (what a Kubernetes CronJob runs): pg-boss in DATABASE_URL (or the embedded database while `aiops serve` is stopped), or SQS with AIOPS_LANES_DRIVER=sqs",
    )
    .argument('<schedule>', `one of ${SCHEDULES.map((s) => s.name).join(', ')}`)
    .action(enqueue);
}
