/**
 * The finding and the common result every agent returns (docs/architecture.md,
 * The agent contract), apart from the contract so the rule catalogs can build
 * findings without importing the agent definition.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Where a suppression came from (shared/agents/suppressions.ts); SARIF tells in-source from external ones. */
export const SUPPRESSION_SOURCES = [
  'annotation',
  'inline',
  'cloudformation',
  'aiopsignore',
  'input',
] as const;

export const resourceSchema = z.object({
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
});

export const findingSchema = z.object({
  ruleId: z.string().min(1),
  severity: z.enum(SEVERITIES),
  title: z.string().min(1),
  message: z.string(),
  resource: resourceSchema.optional(),
  evidence: z.unknown().optional(),
  remediation: z.string().optional(),
  /** Stable across runs for the same problem in the same place (baselines, dedup). */
  fingerprint: z.string().min(1),
  suppressed: z.boolean().optional(),
  suppressionReason: z.string().optional(),
  suppressionSource: z.enum(SUPPRESSION_SOURCES).optional(),
});
export type Finding = z.infer<typeof findingSchema>;

export const agentResultSchema = z.looseObject({
  summary: z.string(),
  score: z.number().min(0).max(100).optional(),
  findings: z.array(findingSchema),
  metrics: z.record(z.string(), z.number()).optional(),
});
export type AgentResult = z.infer<typeof agentResultSchema>;

export type FindingCounts = Record<Severity, number>;

/** Counts by severity; suppressed findings leave the counts (docs/architecture.md, CLI conventions). */
export function countFindings(findings: readonly Finding[]): FindingCounts {
  const counts: FindingCounts = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) if (!f.suppressed) counts[f.severity] += 1;
  return counts;
}

/** A fingerprint from the parts that identify a problem (rule, place), never from volatile text. */
export function fingerprint(...parts: readonly (string | number | undefined)[]): string {
  return createHash('sha256')
    .update(parts.map((p) => String(p ?? '')).join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}
