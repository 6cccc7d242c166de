import * as z from 'zod';
import { agentResultSchema } from '../contract.js';

export const MAX_POINTS = 200_000;

const timestamp = z.union([z.iso.datetime({ offset: true }), z.number().finite()]);

const point = z.strictObject({
  timestamp,
  value: z.number().finite().nullable(),
  /** Where the point was read (a CSV's path and line): findings on it name them. */
  file: z.string().min(1).max(1000).optional(),
  line: z.number().int().positive().optional(),
});

/** The shape of CloudWatch GetMetricData's MetricDataResults (newest first, as CloudWatch returns them by default). */
const cloudWatchResult = z.looseObject({
  Id: z.string().optional(),
  Label: z.string().optional(),
  Timestamps: z.array(z.union([z.string(), z.number()])),
  Values: z.array(z.number()),
});

export const anomalyInputSchema = z
  .strictObject({
    /** Points in any order; timestamps as ISO-8601 or epoch milliseconds; null for a missing value. */
    points: z.array(point).max(MAX_POINTS).optional(),
    /** Or a GetMetricData response (its first result is analysed). */
    cloudwatch: z.looseObject({ MetricDataResults: z.array(cloudWatchResult).min(1) }).optional(),
    metric: z.string().max(200).optional(),
    sensitivity: z.enum(['low', 'medium', 'high']).default('medium'),
    /** When given, the time the metric is projected to cross it (failure prediction). */
    threshold: z
      .strictObject({ value: z.number().finite(), direction: z.enum(['above', 'below']).default('above') })
      .optional(),
  })
  .refine((v) => (v.points === undefined) !== (v.cloudwatch === undefined), {
    message: 'give the series as `points` or as a `cloudwatch` GetMetricData result, not both',
    path: ['points'],
  });
export type AnomalyInput = z.output<typeof anomalyInputSchema>;

export const anomalySchema = z.object({
  time: z.string(),
  value: z.number(),
  expected: z.object({ low: z.number(), high: z.number() }),
  score: z.number().min(0).max(1),
  severity: z.enum(['critical', 'high', 'medium', 'low', 'info']),
});

export const anomalyOutputSchema = agentResultSchema.extend({
  metric: z.string().nullable(),
  anomalies: z.array(anomalySchema),
  prediction: z
    .object({
      threshold: z.number(),
      direction: z.enum(['above', 'below']),
      /** Already across the threshold at the last point. */
      crossed: z.boolean(),
      crossesAt: z.string().nullable(),
      slopePerHour: z.number(),
    })
    .optional(),
  metrics: z.object({ points: z.number().int(), missing: z.number().int(), anomalies: z.number().int() }),
});
export type AnomalyOutput = z.infer<typeof anomalyOutputSchema>;
