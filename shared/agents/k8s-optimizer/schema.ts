/**
 * Input and output of k8s-optimizer. Manifests arrive as files (path and
 * text, as `aiops analyze` reads them and as the API carries them) or as
 * `manifests` (one YAML/JSON text, or objects); usage quantities may be
 * numbers (cores, bytes) or Kubernetes quantities (`250m`, `512Mi`).
 */
import * as z from 'zod';
import { agentResultSchema } from '../contract.js';
import { filesField } from '../scan/files.js';
import { ignoreInputSchema } from '../suppressions.js';
import { minorOf } from './api-versions.js';
import { parseQuantity } from './quantity.js';

/** The CLI reads files up to 1 MiB; the API body is capped at 10 MB. */
const MAX_CONTENT_CHARS = 5_000_000;

const quantity = z
  .union([z.number().nonnegative(), z.string().trim().min(1).max(40)])
  .transform((value, ctx) => {
    const parsed = parseQuantity(value);
    if (parsed === undefined || parsed < 0) {
      ctx.addIssue({ code: 'custom', message: 'a non-negative number or quantity such as 250m or 512Mi' });
      return z.NEVER;
    }
    return parsed;
  });

const percentiles = (unit: string) =>
  z
    .object({
      p50: quantity.optional().describe(`Median usage (${unit}).`),
      p95: quantity.describe(`95th percentile usage (${unit}); the request is sized from it.`),
      max: quantity.optional().describe(`Peak usage (${unit}); the limits are sized from it.`),
    })
    .superRefine((p, ctx) => {
      if (p.p50 !== undefined && p.p50 > p.p95) {
        ctx.addIssue({ code: 'custom', path: ['p50'], message: 'p50 must not exceed p95' });
      }
      if (p.max !== undefined && p.max < p.p95) {
        ctx.addIssue({ code: 'custom', path: ['max'], message: 'max must not be below p95' });
      }
    });

export const usageRowSchema = z.object({
  workload: z.string().min(1).max(253).describe('Name of the workload (metadata.name).'),
  kind: z.string().min(1).max(63).optional().describe('Its kind, when names repeat across kinds.'),
  namespace: z.string().min(1).max(63).optional(),
  container: z.string().min(1).max(253).describe('Container name.'),
  cpu: percentiles('CPU cores').optional(),
  memory: percentiles('memory bytes').optional(),
  replicas: z
    .number()
    .positive()
    .max(100_000)
    .optional()
    .describe('Observed average replicas (or nodes, for a DaemonSet) the savings are multiplied by.'),
});

export const k8sOptimizerInputSchema = z
  .strictObject({
    files: filesField(
      'Manifest files (YAML or JSON, several documents and Lists allowed) and `.aiopsignore` files.',
      MAX_CONTENT_CHARS,
    ),
    manifests: z
      .union([z.string().max(MAX_CONTENT_CHARS), z.array(z.record(z.string(), z.unknown())).max(10_000)])
      .optional()
      .describe(
        'Manifests without a file: one YAML/JSON text (lines, but no inline `aiops:allow` comments: those need a ' +
          'file), or a list of objects (no lines).',
      ),
    usage: z
      .array(usageRowSchema)
      .max(20_000)
      .optional()
      .describe('Observed usage per workload and container (p50 / p95 / max): enables K8S016 rightsizing.'),
    kubernetesVersion: z
      .string()
      .refine((v) => minorOf(v) !== undefined, 'a Kubernetes version such as 1.29 or v1.30.2')
      .optional()
      .describe('Target Kubernetes version for removed and deprecated apiVersions (default 1.29).'),
    pricing: z
      .strictObject({
        vcpuMonthUsd: z.number().nonnegative().max(100_000).optional(),
        gibMonthUsd: z.number().nonnegative().max(100_000).optional(),
      })
      .optional()
      .describe(
        'Price of one vCPU and one GiB of memory for a month (default: AWS Fargate on-demand us-east-1 × 730 h).',
      ),
    headroom: z
      .number()
      .min(1)
      .max(10)
      .optional()
      .describe('Multiplier over p95 usage for recommended requests (default 1.2).'),
    ignore: ignoreInputSchema,
  })
  .refine((input) => input.files !== undefined || input.manifests !== undefined, {
    message: 'give the manifests as files or manifests',
    path: ['files'],
  });

export type K8sOptimizerInput = z.output<typeof k8sOptimizerInputSchema>;

const count = z.number().int().nonnegative();
const amounts = z.object({ cpu: z.number().optional(), memory: z.number().optional() });
const usagePercentiles = z.object({
  p50: z.number().optional(),
  p95: z.number(),
  max: z.number().optional(),
});

export const k8sOptimizerOutputSchema = agentResultSchema.extend({
  score: z.number().int().min(0).max(100),
  metrics: z.object({
    objects: count.describe('Kubernetes objects read (List items counted one by one).'),
    workloads: count,
    containers: count.describe('Containers of the workloads, init containers included.'),
    skippedDocuments: count.describe('YAML/JSON documents that are not Kubernetes objects.'),
    templatesSkipped: count.describe('Files holding template markers ({{ }}), not analysed.'),
    parseErrors: count,
    ownedObjectsSkipped: count.describe('Objects a controller owns (their owner is checked instead).'),
    patchesSkipped: count.describe('Files a kustomization in the input uses as patches (partial objects).'),
    findingsReliability: count,
    findingsSecurity: count,
    findingsEfficiency: count,
    findingsCost: count,
    findingsCorrectness: count,
    suppressed: count,
    requestedCpuCores: z
      .number()
      .nonnegative()
      .describe('Σ CPU requests × replicas of long-running workloads.'),
    requestedMemoryGiB: z.number().nonnegative(),
    monthlyRequestCostUsd: z
      .number()
      .nonnegative()
      .describe('What those requests cost a month at the pricing used.'),
    containersWithUsage: count.optional(),
    usageRowsUnmatched: count.optional(),
    cpuUtilizationPercent: z
      .number()
      .nonnegative()
      .optional()
      .describe('Σ p95 CPU ÷ Σ CPU requests (× replicas) over containers with usage.'),
    memoryUtilizationPercent: z.number().nonnegative().optional(),
    monthlySavingsUsd: z.number().nonnegative().optional().describe('From open K8S016 findings.'),
    monthlyAdditionalCostUsd: z.number().nonnegative().optional(),
  }),
  workloads: z.array(
    z.object({
      kind: z.string(),
      name: z.string(),
      namespace: z.string().optional(),
      file: z.string().optional(),
      line: z.number().int().positive().optional(),
      replicas: z.number().int().nonnegative().optional(),
      containers: count,
      requests: amounts.describe('Per pod: Σ effective requests of its app containers.'),
      score: z.number().int().min(0).max(100),
      findings: count,
    }),
  ),
  skipped: z
    .array(z.object({ file: z.string(), reason: z.string() }))
    .describe(
      'Files not analysed (unrendered templates), each with why; checks that conclude absence are held back when any is listed.',
    ),
  rightsizing: z
    .array(
      z.object({
        kind: z.string(),
        name: z.string(),
        namespace: z.string().optional(),
        file: z.string().optional(),
        container: z.string(),
        replicas: z.number(),
        perNode: z.boolean(),
        priced: z.boolean(),
        usage: z.object({ cpu: usagePercentiles.optional(), memory: usagePercentiles.optional() }),
        current: z.object({ requests: amounts, limits: amounts }),
        recommended: z.object({ requests: amounts, limits: amounts }),
        monthlySavingsUsd: z.number(),
        monthlyAdditionalCostUsd: z.number(),
        findingFingerprint: z.string().optional(),
      }),
    )
    .optional(),
  settings: z.object({
    kubernetesVersion: z.string(),
    headroom: z.number(),
    pricing: z.object({ vcpuMonthUsd: z.number(), gibMonthUsd: z.number(), source: z.string() }),
  }),
});

export type K8sOptimizerOutput = z.output<typeof k8sOptimizerOutputSchema>;
