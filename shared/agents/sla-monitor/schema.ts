/**
 * Input and output of sla-monitor. The input is SLO definitions (inline
 * `slos`, or YAML / JSON files holding `slos:`) and metric series as files:
 * Prometheus range-query responses, CloudWatch GetMetricData responses or
 * `timestamp,good,total` CSV. Each file is recognised by its content, not its
 * name, so `aiops analyze sla-monitor slo.yaml metrics.json` needs no flags.
 */
import * as z from 'zod';
import { agentResultSchema } from '../contract.js';
import { filesField } from '../scan/files.js';
import { ignoreInputSchema } from '../suppressions.js';

const cloudWatchMetric = z.strictObject({
  namespace: z.string().min(1).max(255),
  metricName: z.string().min(1).max(255),
  dimensions: z.record(z.string(), z.string()).optional(),
  /** The statistic of a count metric; default Sum. */
  stat: z.string().max(40).optional(),
});

/** Shapes only: the meaning (a target under 100, a window that parses) is checked by the agent and reported as findings. */
export const sloSpecSchema = z.looseObject({
  name: z.string().min(1).max(200),
  service: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  /** Percent of good events, `99.9` or `"99.9%"`. */
  target: z.union([z.number(), z.string().max(20)]),
  /** Rolling window, `30d` (default) or `28d`. */
  window: z.string().max(20).optional(),
  sli: z.looseObject({
    kind: z.enum(['availability', 'latency']),
    /** PromQL selectors of the good, bad and total event counters (good or bad, and total). */
    good: z.string().max(1000).optional(),
    bad: z.string().max(1000).optional(),
    total: z.string().max(1000).optional(),
    /** Latency: the histogram (`http_request_duration_seconds` or its `_bucket` selector). */
    histogram: z.string().max(1000).optional(),
    /** Latency: a request is good when it is at most this slow. */
    thresholdMs: z.number().optional(),
  }),
  /** Metric files (path or file name) that feed this SLO; CSV files feed only the SLOs that name them. */
  source: z.union([z.string().max(1000), z.array(z.string().max(1000)).max(100)]).optional(),
  /** The CloudWatch metrics the generated alarms watch; default: the selectors' names in namespace SLO/<service>. */
  cloudwatch: z
    .strictObject({
      good: cloudWatchMetric.optional(),
      bad: cloudWatchMetric.optional(),
      total: cloudWatchMetric.optional(),
      /** Latency: good = TC(:threshold), total = SampleCount of this metric. */
      latency: cloudWatchMetric.extend({ unit: z.enum(['Milliseconds', 'Seconds']).optional() }).optional(),
    })
    .optional(),
  /** Extra labels on the generated alerts (team, runbook). */
  labels: z.record(z.string(), z.string()).optional(),
});
export type SloSpec = z.output<typeof sloSpecSchema>;

export const slaInputSchema = z
  .strictObject({
    slos: z.array(sloSpecSchema).max(1000).optional(),
    files: filesField(
      'SLO files (YAML/JSON with `slos:`), Prometheus range-query JSON, CloudWatch GetMetricData JSON, timestamp,good,total CSV, .aiopsignore files.',
    ),
    ignore: ignoreInputSchema,
  })
  .refine((input) => input.slos !== undefined || input.files !== undefined, {
    message: 'give the SLOs (slos) or files',
    path: ['slos'],
  });
export type SlaInput = z.output<typeof slaInputSchema>;

export const STATUSES = ['ok', 'warning', 'page', 'exhausted', 'no-data', 'invalid'] as const;
export type SloStatus = (typeof STATUSES)[number];

const nullableNumber = z.number().nullable();

export const alertSchema = z.object({
  name: z.enum(['page-fast', 'page-slow', 'ticket-fast', 'ticket-slow']),
  severity: z.enum(['page', 'ticket']),
  longWindow: z.string(),
  shortWindow: z.string(),
  burnRate: z.number().describe('Both windows must burn faster than this.'),
  /** The error ratio both windows must exceed: burnRate × (1 − target). */
  errorRatio: z.number(),
  /** Share of the budget one long window at this burn rate consumes (the workbook's 2 %, 5 %, 10 %). */
  budgetConsumed: z.number(),
  longBurn: nullableNumber,
  shortBurn: nullableNumber,
  /** null: a window had no events, so the condition could not be evaluated. */
  firing: z.boolean().nullable(),
});
export type AlertEvaluation = z.infer<typeof alertSchema>;

export const sloReportSchema = z.object({
  name: z.string(),
  service: z.string().nullable(),
  kind: z.enum(['availability', 'latency']),
  file: z.string().optional(),
  line: z.number().int().optional(),
  target: nullableNumber.describe('Percent.'),
  window: z.string(),
  status: z.enum(STATUSES),
  statusReason: z.string(),
  evaluatedAt: z.string().nullable().describe('The last data point: windows end here.'),
  dataFrom: z.string().nullable(),
  /** Share of the SLO window the data covers (0–1). */
  coverage: z.number(),
  sli: nullableNumber.describe('Percent of good events over the window (the covered part).'),
  events: z.object({ good: z.number(), bad: z.number(), total: z.number() }),
  budget: z.object({
    /** 1 − target. */
    fraction: nullableNumber,
    minutes: nullableNumber,
    /** Bad events the whole window may hold, at the traffic seen. */
    events: nullableNumber,
    consumed: nullableNumber,
    consumedMinutes: nullableNumber,
    consumedEvents: z.number(),
    remaining: nullableNumber,
    remainingMinutes: nullableNumber,
    remainingEvents: nullableNumber,
  }),
  burnRates: z.record(z.string(), nullableNumber),
  alerts: z.array(alertSchema),
  /** At the 1 h burn rate; 0 when exhausted, null when not burning or unknown. */
  timeToExhaustionMinutes: nullableNumber,
  series: z.array(z.object({ role: z.string(), selector: z.string(), matched: z.number().int() })),
});
export type SloReport = z.infer<typeof sloReportSchema>;

export const slaOutputSchema = agentResultSchema.extend({
  score: z.number().int().min(0).max(100),
  metrics: z.record(z.string(), z.number()),
  slos: z.array(sloReportSchema),
  rules: z.object({
    /** Prometheus rule file (recording + alerting rules), YAML. */
    prometheus: z.string(),
    /** CloudFormation resources (AWS::CloudWatch::Alarm, CompositeAlarm): a template CDK's CfnInclude reads. */
    cloudwatch: z.object({
      AWSTemplateFormatVersion: z.literal('2010-09-09'),
      Description: z.string(),
      Resources: z.record(z.string(), z.unknown()),
    }),
  }),
});
export type SlaOutput = z.output<typeof slaOutputSchema>;
