/**
 * Input and output of cost-optimizer. Resources come as JSON objects
 * (`resources`) or as files: JSON / YAML inventories (a list, or
 * `{ resources, dailyCosts }`) and AWS Cost and Usage Report CSVs (legacy
 * `lineItem/UnblendedCost` or CUR 2.0 `line_item_unblended_cost` headers).
 * Utilisation is in percent of capacity for CPU and memory; network in MB/s.
 */
import * as z from 'zod';
import { agentResultSchema, SEVERITIES } from '../contract.js';
import { filesField } from '../scan/files.js';
import { ignoreInputSchema } from '../suppressions.js';

const percentiles = z
  .object({
    p50: z.number().nonnegative().optional(),
    p95: z.number().nonnegative(),
    max: z.number().nonnegative().optional(),
  })
  .describe('Utilisation percentiles.');

const utilisation = z
  .object({
    cpu: percentiles.optional().describe('CPU utilisation, percent.'),
    memory: percentiles.optional().describe('Memory utilisation, percent.'),
    network: percentiles.optional().describe('Network throughput, MB/s.'),
  })
  .optional();

export const resourceSchema = z.looseObject({
  type: z
    .string()
    .min(1)
    .max(100)
    .describe(
      'ec2, rds, elasticache, ebs, snapshot, eip, s3, lambda, fargate, … (CloudFormation names such as AWS::EC2::Instance are understood).',
    ),
  id: z.string().min(1).max(2048),
  name: z.string().max(1000).optional(),
  region: z.string().max(40).optional().describe('Default us-east-1.'),
  instanceType: z.string().max(100).optional().describe('m5.xlarge, db.r5.large, cache.m5.large, …'),
  pricingModel: z.string().max(40).optional().describe('on-demand (default), reserved, savings-plan, spot.'),
  monthlyCost: z.number().nonnegative().max(1e9).optional().describe('USD per month.'),
  uptime: z.number().min(0).max(100).optional().describe('Percent of the hours it ran in the period.'),
  age: z.number().nonnegative().optional().describe('Days since creation.'),
  createdAt: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  attached: z.boolean().optional().describe('Volumes and Elastic IPs: attached / associated.'),
  utilisation,
  utilization: utilisation.describe('Alias of utilisation.'),
  architecture: z.string().max(20).optional().describe('x86_64 or arm64 (from the type when absent).'),
  platform: z.string().max(40).optional().describe('linux (default) or windows.'),
  engine: z.string().max(60).optional().describe('RDS engine: postgres, mysql, sqlserver-se, oracle-ee, …'),
  volumeType: z.string().max(20).optional().describe('gp2, gp3, io1, io2, st1, sc1, standard.'),
  sizeGiB: z.number().nonnegative().optional(),
  lifecycleRules: z
    .union([z.boolean(), z.number().int().nonnegative(), z.array(z.unknown())])
    .optional()
    .describe('S3: whether (or how many) lifecycle rules the bucket has.'),
});
export type CostResource = z.output<typeof resourceSchema>;

export const dailyCostSchema = z.object({
  date: z.iso.date(),
  cost: z.number().nonnegative(),
});

export const costInputSchema = z
  .strictObject({
    resources: z.array(resourceSchema).max(100_000).optional(),
    files: filesField('JSON/YAML inventories, Cost and Usage Report CSVs, .aiopsignore files.'),
    dailyCosts: z
      .array(dailyCostSchema)
      .max(3660)
      .optional()
      .describe('Total cost per day, for the forecast (trend + weekly seasonality).'),
    options: z
      .strictObject({
        headroom: z.number().min(1).max(10).optional().describe('Multiplier over p95 (default 1.2).'),
        snapshotMaxAgeDays: z.number().int().positive().max(3650).optional().describe('Default 90.'),
        forecastDays: z.number().int().positive().max(366).optional().describe('Default 30.'),
        discounts: z
          .record(z.string(), z.number().min(0).max(0.9))
          .optional()
          .describe('Commitment discount rate per service (ec2, rds, elasticache, fargate, lambda).'),
      })
      .optional(),
    ignore: ignoreInputSchema,
  })
  .refine((input) => input.resources !== undefined || input.files !== undefined, {
    message: 'give the inventory as resources or files',
    path: ['resources'],
  });
export type CostInput = z.output<typeof costInputSchema>;

const usd = z.number();
export const recommendationSchema = z.object({
  ruleId: z.string(),
  resourceId: z.string(),
  type: z.string(),
  region: z.string(),
  current: z.string().optional(),
  recommended: z.string().optional(),
  monthlySavingsUsd: usd,
  fingerprint: z.string(),
  suppressed: z.boolean(),
});

export const forecastSchema = z.object({
  method: z.string(),
  horizonDays: z.number().int(),
  historyDays: z.number().int(),
  totalUsd: usd.describe('Σ forecast daily costs over the horizon.'),
  lowerUsd: usd,
  upperUsd: usd,
  trendUsdPerDay: usd,
  weekly: z.record(z.string(), usd).optional().describe('Additive weekday effect, USD.'),
  daily: z.array(z.object({ date: z.string(), cost: usd })),
});
export type Forecast = z.output<typeof forecastSchema>;

export const costOutputSchema = agentResultSchema.extend({
  score: z
    .number()
    .int()
    .min(0)
    .max(100)
    .optional()
    .describe('Absent when no resource has a known cost (input not understood, templates priced by usage).'),
  metrics: z.record(z.string(), z.number()),
  totals: z.object({
    currentMonthlyUsd: usd,
    savingsMonthlyUsd: usd,
    savingsPercent: usd,
    byRule: z.record(z.string(), usd),
    byPriority: z.record(z.enum(SEVERITIES), usd),
  }),
  recommendations: z.array(recommendationSchema),
  templateResources: z
    .array(
      z.object({
        file: z.string(),
        line: z.number().int().optional(),
        id: z.string(),
        type: z.string(),
        monthlyUsd: usd.optional(),
        basis: z.string().describe('How it is priced: the catalog price used, or "priced by usage".'),
      }),
    )
    .optional()
    .describe('CloudFormation template resources that will cost money.'),
  notes: z
    .array(z.string())
    .optional()
    .describe('What the readers decided, e.g. an earlier Cost and Usage Report delivery left out.'),
  forecast: forecastSchema.optional(),
  settings: z.object({
    headroom: z.number(),
    snapshotMaxAgeDays: z.number(),
    discounts: z.record(z.string(), z.number()),
    pricingSource: z.string(),
  }),
});
export type CostOutput = z.output<typeof costOutputSchema>;
