/**
 * Input and output of release-manager. Every part of the input is optional
 * on its own, so a caller can ask only for a risk score (changes), only for a
 * canary verdict (canary), or both; at least one must be there. Files given
 * to `aiops analyze` arrive as `files` and are told apart by name and content
 * (inputs.ts); a file that is none of the known kinds is reported, never
 * dropped.
 */
import * as z from 'zod';
import { agentResultSchema } from '../contract.js';
import { filesField } from '../scan/files.js';
import { ignoreInputSchema } from '../suppressions.js';

const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);
const path = z.string().min(1).max(1000);

export const changedFileSchema = z.looseObject({
  path,
  additions: z.number().int().nonnegative().optional(),
  deletions: z.number().int().nonnegative().optional(),
  /** The unified diff of the file (GitHub's `patch`): versions and SQL statements are read from it. */
  patch: z.string().max(2_000_000).optional(),
});

export const pullRequestSchema = z.looseObject({
  number: z.number().int().optional(),
  title: z.string().max(1000).optional(),
  author: z.union([z.string().max(200), z.looseObject({ login: z.string().max(200) })]).optional(),
  labels: z.array(z.union([z.string().max(200), z.looseObject({ name: z.string().max(200) })])).optional(),
  mergedAt: instant.nullable().optional(),
  merged_at: instant.nullable().optional(),
  files: z.array(changedFileSchema).max(10_000),
});

/** A sample: a value, a `[time, value]` pair, or `{ value }` / `{ v }` (a series point). */
const sample = z.union([
  z.number(),
  z.tuple([z.union([z.number(), z.string()]), z.number()]),
  z.looseObject({ value: z.number() }),
  z.looseObject({ v: z.number() }),
]);
const samples = z.array(sample).max(1_000_000);
export type SampleInput = z.output<typeof sample>;

export const DIRECTIONS = ['lower', 'higher', 'either'] as const;
export const CRITICALITIES = ['critical', 'high', 'normal', 'low'] as const;

export const metricSchema = z.looseObject({
  name: z.string().min(1).max(300),
  /** 'lower is better' (latency, errors), 'higher is better' (throughput, success rate), or either way. */
  direction: z.string().max(40).optional(),
  criticality: z.enum(CRITICALITIES).optional(),
  baseline: samples,
  canary: samples,
});
export type MetricInput = z.output<typeof metricSchema>;

export const incidentSchema = z.looseObject({
  id: z.string().min(1).max(200),
  time: instant,
  files: z.array(path).max(1000).optional(),
  services: z.array(z.string().min(1).max(200)).max(200).optional(),
});

export const OUTCOMES = ['success', 'rollback', 'failed'] as const;

const OUTCOME_WORDS: Readonly<Record<string, (typeof OUTCOMES)[number]>> = {
  success: 'success',
  succeeded: 'success',
  successful: 'success',
  ok: 'success',
  deployed: 'success',
  rollback: 'rollback',
  'rolled-back': 'rollback',
  rolled_back: 'rollback',
  rolledback: 'rollback',
  reverted: 'rollback',
  failed: 'failed',
  failure: 'failed',
  error: 'failed',
};

/** A deploy outcome as CD tools write it (Argo, Spinnaker, GitHub deployments), in our three words. */
export function outcomeOf(word: string): (typeof OUTCOMES)[number] | undefined {
  return OUTCOME_WORDS[word.trim().toLowerCase()];
}

export const deploySchema = z.looseObject({
  id: z.string().max(200).optional(),
  time: instant,
  outcome: z
    .string()
    .refine((word) => outcomeOf(word) !== undefined, {
      message: 'success, rollback or failed (or succeeded, rolled_back, reverted, failure)',
    })
    .describe(
      'success | rollback | failed; also succeeded, ok, rolled_back, rolled-back, reverted, failure, error.',
    ),
  author: z.string().max(200).optional(),
  files: z.array(path).max(10_000).optional(),
});

export const freezeWindowSchema = z.looseObject({
  start: instant,
  end: instant,
  name: z.string().max(300).optional(),
});

export const releaseOptionsSchema = z
  .strictObject({
    confidence: z
      .number()
      .min(0.5)
      .max(0.999)
      .optional()
      .describe('Confidence of the canary tests and shift intervals (default 0.95).'),
    tolerance: z
      .number()
      .min(0)
      .max(10)
      .optional()
      .describe(
        'A significant shift smaller than this share of the baseline median still passes (default 0.1).',
      ),
    minSamples: z
      .number()
      .int()
      .min(3)
      .max(10_000)
      .optional()
      .describe('Fewer values than this in either group: the metric is not assessed (default 10).'),
    passScore: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .describe('The canary score (0–100) at or above which the canary is a go (default 95).'),
    lookbackDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .optional()
      .describe('How far back incidents and deploys count (default 90).'),
  })
  .optional();

export const releaseInputSchema = z
  .strictObject({
    changes: z
      .string()
      .max(20_000_000)
      .optional()
      .describe('`git diff --numstat`, `git diff --stat` or unified diff text of the release.'),
    pullRequests: z
      .array(pullRequestSchema)
      .max(5000)
      .optional()
      .describe('The pull requests of the release.'),
    canary: z
      .array(metricSchema)
      .max(1000)
      .optional()
      .describe('Per metric: baseline and canary samples, direction, criticality.'),
    incidents: z.array(incidentSchema).max(10_000).optional(),
    deploys: z.array(deploySchema).max(100_000).optional().describe('Deploy history with outcomes.'),
    freezeWindows: z.array(freezeWindowSchema).max(1000).optional(),
    plannedAt: instant
      .optional()
      .describe('When the deploy is planned (an offset gives the local time); default: the run time.'),
    author: z.string().max(200).optional().describe('Author of the release when no pull request names one.'),
    files: filesField(
      'Diffs and numstat / stat text, pull-request, canary, incident, deploy and freeze-window JSON or YAML, canary CSV.',
    ),
    options: releaseOptionsSchema,
    ignore: ignoreInputSchema,
  })
  .refine(
    (input) =>
      input.changes !== undefined ||
      input.pullRequests !== undefined ||
      input.canary !== undefined ||
      input.files !== undefined,
    { message: 'give the changes, pull requests, canary metrics or files', path: ['changes'] },
  );
export type ReleaseInput = z.output<typeof releaseInputSchema>;

const reasonSchema = z.object({
  factor: z.string(),
  points: z.number(),
  max: z.number(),
  why: z.string(),
  evidence: z.array(z.string()),
});

const stepSchema = z.object({ percent: z.number(), bakeMinutes: z.number() });

const metricVerdictSchema = z.object({
  name: z.string(),
  direction: z.enum(DIRECTIONS),
  criticality: z.enum(CRITICALITIES),
  classification: z.enum(['pass', 'high', 'low', 'not-assessed']),
  failed: z.boolean(),
  reason: z.string(),
  baseline: z.object({ n: z.number().int(), median: z.number().nullable() }),
  canary: z.object({ n: z.number().int(), median: z.number().nullable() }),
  mannWhitney: z
    .object({ u: z.number(), p: z.number(), z: z.number(), method: z.enum(['exact', 'asymptotic']) })
    .optional(),
  shift: z
    .object({
      estimate: z.number(),
      lower: z.number(),
      upper: z.number(),
      confidence: z.number(),
      relative: z.number().nullable(),
    })
    .optional(),
  ks: z.object({ d: z.number(), p: z.number(), method: z.enum(['exact', 'asymptotic']) }).optional(),
});

export const releaseOutputSchema = agentResultSchema.extend({
  score: z.number().int().min(0).max(100).describe('100 − risk: higher is safer.'),
  risk: z.object({
    score: z.number().int().min(0).max(100),
    level: z.enum(['low', 'medium', 'high', 'critical']),
    reasons: z.array(reasonSchema),
  }),
  strategy: z.object({
    kind: z.enum(['canary', 'blue-green', 'feature-flag', 'hold']),
    steps: z.array(stepSchema),
    reasons: z.array(z.string()),
  }),
  canary: z
    .object({
      verdict: z.enum(['go', 'no-go', 'inconclusive']),
      score: z.number().nullable(),
      passScore: z.number(),
      metrics: z.array(metricVerdictSchema),
    })
    .optional(),
  decision: z.enum(['go', 'no-go', 'hold']),
  metrics: z.record(z.string(), z.number()),
});
export type ReleaseOutput = z.output<typeof releaseOutputSchema>;
export type MetricVerdict = z.output<typeof metricVerdictSchema>;
export type RiskReason = z.output<typeof reasonSchema>;
