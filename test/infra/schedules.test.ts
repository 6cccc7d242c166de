/**
 * The schedules on AWS: one EventBridge rule per row of the schedule table,
 * putting the job envelope straight onto the lane's queue — and the local
 * scheduler fires the same table at the same instants.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { Cron } from 'croner';
import { parseJobEnvelope } from '../../shared/lanes/envelope.js';
import { startScheduler } from '../../shared/runtime/local/scheduler.js';
import { cronerPattern, eventBridgeExpression, SCHEDULES } from '../../shared/schedules.js';
import { sampleEvent } from '../helpers/lambda.js';
import { asList, policyStatements, type SynthesizedApp, synthesizeApp } from './synth.js';

interface RuleTarget {
  Arn: unknown;
  InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string };
  DeadLetterConfig?: { Arn: unknown };
  RetryPolicy?: { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number };
}

interface RuleProperties {
  Name: string;
  ScheduleExpression: string;
  State: string;
  Targets: RuleTarget[];
}

let dev: SynthesizedApp;
let rules: Map<string, RuleProperties>;

beforeAll(() => {
  dev = synthesizeApp({ stage: 'dev' });
  const found = dev.templates.schedules.findResources('AWS::Events::Rule');
  rules = new Map(
    Object.values(found).map((r) => {
      const properties = (r as { Properties: RuleProperties }).Properties;
      return [properties.Name.replace('aiops-dev-schedule-', ''), properties];
    }),
  );
});

function ruleOf(name: string): RuleProperties {
  const rule = rules.get(name);
  if (rule === undefined) throw new Error(`no rule for schedule ${name}`);
  return rule;
}

/** The value at a simple JSONPath (`$.a.b`) of `event`. */
function atPath(event: Record<string, unknown>, path: string): unknown {
  if (!path.startsWith('$.')) throw new Error(`unsupported path ${path}`);
  return path
    .slice(2)
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], event);
}

/**
 * What EventBridge sends for an input transformer: each `<var>` is replaced by
 * the value at its path — as its JSON outside a JSON string, as its raw text
 * inside one (the EventBridge user guide, "Transforming inputs").
 */
function renderInputTemplate(
  transformer: RuleTarget['InputTransformer'],
  event: Record<string, unknown>,
): string {
  const value = (name: string) => {
    const path = transformer.InputPathsMap[name];
    if (path === undefined) throw new Error(`template variable <${name}> has no path`);
    return atPath(event, path);
  };
  return transformer.InputTemplate.replace(/"(?:[^"\\]|\\.)*"|<([\w.-]+)>/g, (token, outside?: string) => {
    if (outside !== undefined) return JSON.stringify(value(outside));
    return token.replace(/<([\w.-]+)>/g, (_m, inside: string) =>
      JSON.stringify(String(value(inside))).slice(1, -1),
    );
  });
}

describe('schedule rules', () => {
  it('has exactly one enabled rule per schedule of the table', () => {
    // Assess
    expect([...rules.keys()].sort()).toEqual(SCHEDULES.map((s) => s.name).sort());
    for (const rule of rules.values()) expect(rule.State).toBe('ENABLED');
  });

  it.each(SCHEDULES.map((s) => [s.name, s] as const))(
    '%s: its schedule expression is the table’s rendering',
    (name, schedule) => {
      // Assess
      expect(ruleOf(name).ScheduleExpression).toBe(eventBridgeExpression(schedule.cadence));
    },
  );

  it.each(SCHEDULES.map((s) => [s.name, s] as const))(
    '%s: targets its lane’s queue directly',
    (name, schedule) => {
      // Prepare: the lanes stack exports the queue's ARN under a name derived from its logical id.
      const queue = dev.stacks.lanes.lanes[schedule.lane].queue;
      const logicalId = dev.stacks.lanes.getLogicalId(queue.node.defaultChild as CfnQueue);

      // Assess
      const targets = ruleOf(name).Targets;
      expect(targets).toHaveLength(1);
      const arn = JSON.stringify(targets[0]?.Arn);
      expect(arn).toContain('Fn::ImportValue');
      expect(arn).toContain(`FnGetAtt${logicalId}Arn`);
      expect(dev.templates.schedules.findResources('AWS::Lambda::Function')).toEqual({});
    },
  );

  it.each(SCHEDULES.map((s) => [s.name, s] as const))(
    '%s: turns the sample scheduled event into a job envelope the lane worker accepts',
    (name, schedule) => {
      // Prepare
      const event = sampleEvent<Record<string, unknown>>('eventbridge-scheduled.json');
      const transformer = ruleOf(name).Targets[0]?.InputTransformer;
      if (transformer === undefined) throw new Error('no input transformer');

      // Act
      const body = renderInputTemplate(transformer, event);

      // Assess
      expect(parseJobEnvelope(JSON.parse(body))).toEqual({
        jobId: event.id,
        type: schedule.job,
        lane: schedule.lane,
        payload: { schedule: name, scheduledAt: event.time },
        traceId: event.id,
        enqueuedAt: event.time,
      });
    },
  );

  it('matches the SQS sample the maintenance lane worker receives after the cleanup rule fired', () => {
    // Prepare
    const event = sampleEvent<Record<string, unknown>>('eventbridge-scheduled.json');
    const transformer = ruleOf('cleanup-old-executions').Targets[0]?.InputTransformer;
    const [record] = sampleEvent<{ Records: { body: string }[] }>('sqs-scheduled-cleanup.json').Records;
    if (transformer === undefined || record === undefined) throw new Error('sample or transformer missing');

    // Assess
    expect(JSON.parse(renderInputTemplate(transformer, event))).toEqual(JSON.parse(record.body));
  });

  it('retries delivery, then keeps undeliverable firings in a dead letter queue of their own', () => {
    // Assess
    for (const rule of rules.values()) {
      const target = rule.Targets[0];
      expect(target?.RetryPolicy).toEqual({ MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 });
      expect(JSON.stringify(target?.DeadLetterConfig)).toContain('TargetDlq');
    }
    dev.templates.schedules.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'aiops-dev-schedules-dlq',
      SqsManagedSseEnabled: true,
    });
  });

  it('lets EventBridge send to the scheduled lanes’ queues for this stage’s schedule rules only', () => {
    // Assess
    const policies = Object.values(dev.templates.lanes.findResources('AWS::SQS::QueuePolicy')).map((p) =>
      JSON.stringify(p),
    );
    const allowing = policies.filter((p) => p.includes('events.amazonaws.com'));
    expect(allowing).toHaveLength(new Set(SCHEDULES.map((s) => s.lane)).size);
    for (const policy of allowing) {
      expect(policy).toContain('sqs:SendMessage');
      expect(policy).toContain('ArnLike');
      expect(policy).toContain(':rule/aiops-dev-schedule-*');
    }
  });

  it('#6 lets the health check’s worker send swept executions again to every lane an agent runs on', () => {
    // Assess
    const sends = policyStatements(dev.templates.lanes).filter((s) =>
      asList(s.Action).includes('sqs:SendMessage'),
    );
    const resources = sends.flatMap((s) => asList(s.Resource).map((r) => JSON.stringify(r)));
    for (const name of ['agents', 'monitoring', 'priority'] as const) {
      const queue = dev.stacks.lanes.lanes[name].queue;
      const id = dev.stacks.lanes.getLogicalId(queue.node.defaultChild as CfnQueue);
      expect(resources.some((r) => r.includes(id))).toBe(true);
    }
  });

  it('lets the health check’s worker read every queue’s depth', () => {
    // Assess
    const reads = policyStatements(dev.templates.lanes).filter((s) =>
      asList(s.Action).includes('sqs:GetQueueAttributes'),
    );
    const resources = reads.flatMap((s) => asList(s.Resource).map((r) => JSON.stringify(r)));
    for (const lane of Object.values(dev.stacks.lanes.lanes)) {
      for (const queue of [lane.queue, lane.deadLetterQueue]) {
        const id = dev.stacks.lanes.getLogicalId(queue.node.defaultChild as CfnQueue);
        expect(resources.some((r) => r.includes(id))).toBe(true);
      }
    }
  });
});

describe('one table, two schedulers', () => {
  /** The croner pattern an EventBridge expression means: cron() fields, or a rate's period. */
  function firings(expression: string, from: Date, count: number): Date[] {
    const rate = /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(expression);
    if (rate) {
      // A rate fires every period from whenever the rule was created: compare the spacing only.
      const period = Number(rate[1]) * (rate[2]?.startsWith('hour') ? 3_600_000 : 60_000);
      return Array.from({ length: count }, (_v, i) => new Date(from.getTime() + i * period));
    }
    const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(expression);
    if (!cron) throw new Error(`not an EventBridge schedule expression: ${expression}`);
    const [, minute, hour, day, month, weekday] = cron;
    const job = new Cron(`0 ${minute} ${hour} ${day} ${month} ${weekday === '?' ? '*' : weekday}`, {
      timezone: 'Etc/UTC',
      paused: true,
    });
    return job.nextRuns(count, from);
  }

  it('fires every rule at the instants the local scheduler fires the same schedule', () => {
    // Prepare: only the croner jobs are read; nothing is fired, so nothing is sent.
    const local = startScheduler({ send: async () => undefined }, { paused: true });
    const from = new Date('2026-03-29T00:59:00.000Z');

    // Assess
    for (const schedule of SCHEDULES) {
      const expression = ruleOf(schedule.name).ScheduleExpression;
      const here = local.nextRuns(schedule.name, 4, from);
      const there = firings(expression, here[0] ?? from, 4);
      expect(local.patterns[schedule.name]).toBe(cronerPattern(schedule.cadence));
      if (expression.startsWith('rate(')) {
        const spacing = (runs: Date[]) =>
          runs.slice(1).map((d, i) => d.getTime() - (runs[i]?.getTime() ?? 0));
        expect(spacing(here)).toEqual(spacing(there));
      } else {
        expect(here.map((d) => d.toISOString())).toEqual(
          firings(expression, from, 4).map((d) => d.toISOString()),
        );
      }
    }
    local.stop();
  });
});
