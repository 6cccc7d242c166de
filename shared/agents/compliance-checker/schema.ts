/**
 * Input and output of compliance-checker. The evidence arrives as files
 * (configuration and code the source agents scan here, SARIF logs, saved
 * results), as executions the API returned, or as SARIF logs; the policy
 * selects frameworks, excludes controls and waives rules, each with a reason.
 */
import * as z from 'zod';
import { agentResultSchema, SEVERITIES } from '../contract.js';
import { filesField } from '../scan/files.js';
import { ignoreInputSchema } from '../suppressions.js';
import { FRAMEWORK_IDS } from './mappings/index.js';

const MAX_CONTENT_CHARS = 5_000_000;
const justification = z.string().trim().min(1).max(2000).describe('Why: kept in the report.');
const frameworkId = z.enum(FRAMEWORK_IDS);

export const policySchema = z
  .strictObject({
    frameworks: z
      .array(frameworkId)
      .min(1)
      .max(FRAMEWORK_IDS.length)
      .optional()
      .describe(
        'The frameworks the policy requires (default: all are reported, none required). A control of a required ' +
          'framework that could not be assessed is a CMP002 finding.',
      ),
    exclude: z
      .array(z.strictObject({ framework: frameworkId, control: z.string().min(1).max(100), justification }))
      .max(1000)
      .optional()
      .describe(
        'Controls out of scope: reported as excluded with the justification, left out of the scores.',
      ),
    waive: z
      .array(
        z.strictObject({
          rule: z.string().min(1).max(200),
          frameworks: z
            .array(frameworkId)
            .min(1)
            .optional()
            .describe('Only for these frameworks (default all).'),
          justification,
        }),
      )
      .max(1000)
      .optional()
      .describe('Rules whose findings do not fail a control (accepted risk); listed under each control.'),
  })
  .describe('Frameworks required, controls excluded and rules waived.');
export type CompliancePolicy = z.infer<typeof policySchema>;

export const executionInputSchema = z
  .looseObject({
    id: z.string().max(200).optional(),
    agent: z.string().min(1).max(100),
    status: z.string().max(40).optional(),
    result: z.unknown().optional(),
  })
  .describe('An execution as GET /v1/executions/{id} returns it: its agent and its result.');

export const complianceInputSchema = z
  .strictObject({
    files: filesField(
      'Files: configuration and code (run through security-scanner, k8s-optimizer, disaster-recovery, ' +
        'cost-optimizer, db-query-analyzer and code-reviewer), SARIF logs (.sarif) and saved results ' +
        '(aiops analyze --format json, or executions as the API returns them).',
      MAX_CONTENT_CHARS,
    ),
    executions: z.array(executionInputSchema).max(200).optional(),
    sarif: z.array(z.unknown()).max(100).optional().describe('SARIF 2.1.0 logs written by aiops.'),
    policy: policySchema.optional(),
    ignore: ignoreInputSchema,
  })
  .refine((i) => i.files !== undefined || i.executions !== undefined || i.sarif !== undefined, {
    message: 'give the evidence as files, executions or sarif',
    path: ['files'],
  });
export type ComplianceInput = z.infer<typeof complianceInputSchema>;

export const CONTROL_STATUSES = ['pass', 'fail', 'not-assessed', 'excluded'] as const;
/**
 * assessed: run on inputs of its kind; absent: run on everything given, none
 * of its kind; not-run: no result of its agent; unconfirmed: a result of its
 * agent, but without the files that would show the resources it concerns.
 */
export const CHECK_STATES = ['assessed', 'absent', 'not-run', 'unconfirmed'] as const;

const evidenceFindingSchema = z.object({
  agent: z.string(),
  ruleId: z.string(),
  severity: z.enum(SEVERITIES),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  source: z.string(),
});
export type EvidenceFinding = z.infer<typeof evidenceFindingSchema>;

const checkEvidenceSchema = z.object({
  check: z.string(),
  agent: z.string(),
  input: z.string(),
  rationale: z.string(),
  state: z.enum(CHECK_STATES),
  /** Inputs of the check's kind read (files, objects, systems…; for resource checks, files declaring one). */
  read: z.number().int().nonnegative(),
  sources: z.array(z.string()),
});
export type CheckEvidence = z.infer<typeof checkEvidenceSchema>;

const waivedSchema = z.object({
  ruleId: z.string(),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  justification: z.string(),
});

export const controlReportSchema = z.object({
  framework: z.string(),
  id: z.string(),
  title: z.string(),
  status: z.enum(CONTROL_STATUSES),
  /** Why the status, in a sentence. */
  reason: z.string(),
  failing: z.array(evidenceFindingSchema),
  /** All failing findings; `failing` lists the first 20. */
  failingCount: z.number().int().nonnegative(),
  checks: z.array(checkEvidenceSchema),
  waived: z.array(waivedSchema),
});
export type ControlReport = z.infer<typeof controlReportSchema>;

export const frameworkScoreSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  required: z.boolean(),
  total: z.number().int().nonnegative(),
  assessed: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  notAssessed: z.number().int().nonnegative(),
  excluded: z.number().int().nonnegative(),
  /** passed / assessed in percent; null when nothing was assessed. */
  score: z.number().min(0).max(100).nullable(),
  /** assessed / (total − excluded) in percent. */
  coverage: z.number().min(0).max(100),
});
export type FrameworkScore = z.infer<typeof frameworkScoreSchema>;

export const planStepSchema = z.object({
  step: z.number().int().positive(),
  agent: z.string(),
  ruleId: z.string(),
  title: z.string(),
  findings: z.number().int().positive(),
  locations: z.array(z.string()),
  /** Controls that pass once this rule and the steps before it are fixed ('soc2 CC6.1'). */
  clears: z.array(z.string()),
  /** Every failing control the rule's findings fail. */
  affects: z.array(z.string()),
  remediation: z.string().optional(),
});
export type PlanStep = z.infer<typeof planStepSchema>;

export const sourceSchema = z.object({
  agent: z.string(),
  source: z.string(),
  findings: z.number().int().nonnegative(),
  read: z.record(z.string(), z.number()),
});

export const complianceOutputSchema = agentResultSchema.extend({
  frameworks: z.array(frameworkScoreSchema),
  controls: z.array(controlReportSchema),
  plan: z.array(planStepSchema),
  sources: z.array(sourceSchema),
});
export type ComplianceResult = z.infer<typeof complianceOutputSchema>;
