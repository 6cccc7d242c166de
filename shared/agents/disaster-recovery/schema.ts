/**
 * Input and output of disaster-recovery: a systems inventory (`systems`, or
 * JSON / YAML files holding a list or `{ systems }`) and / or CloudFormation
 * templates (JSON or YAML with short-form intrinsics, CDK synth output).
 */
import * as z from 'zod';
import { agentResultSchema } from '../contract.js';
import { filesField } from '../scan/files.js';
import { ignoreInputSchema } from '../suppressions.js';

const minutes = z.number().nonnegative().max(10_000_000);
const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const backupsSchema = z.looseObject({
  last: instant.nullable().optional().describe('When the last successful backup finished.'),
  frequency: z
    .union([z.number().positive(), z.string().max(60)])
    .optional()
    .describe(
      'Hours between backups, or hourly | daily | weekly | continuous | an ISO 8601 duration (PT15M, P1D) | 15m / 4h / 1d.',
    ),
  frequencyMinutes: minutes.optional(),
  tested: z
    .union([z.boolean(), instant])
    .optional()
    .describe('Restore-tested (true) or the date of the last restore test.'),
  crossRegionCopy: z.boolean().optional(),
  retentionDays: z.number().nonnegative().optional(),
  pitr: z.boolean().optional().describe('Point-in-time recovery / continuous backups.'),
  sizeGb: z.number().nonnegative().optional().describe('Size of the last backup; 0 = empty.'),
  empty: z.boolean().optional(),
});

export const replicationSchema = z.union([
  z.boolean(),
  z.looseObject({
    type: z.string().max(40).optional().describe('sync | async | none'),
    crossRegion: z.boolean().optional(),
    regions: z.array(z.string()).optional(),
    lagSeconds: z.number().nonnegative().optional(),
  }),
]);

export const systemSchema = z.looseObject({
  name: z.string().min(1).max(500),
  type: z.string().max(100).optional().describe('rds, aurora, dynamodb, s3, efs, ebs, database, service, …'),
  tier: z
    .union([z.number().int().min(1).max(4), z.string().max(20)])
    .optional()
    .describe('1 (most critical) to 4; "tier-1", "critical" … understood. Default 2.'),
  rtoMinutes: minutes.optional(),
  rpoMinutes: minutes.optional(),
  region: z.string().max(40).optional(),
  backups: backupsSchema.nullable().optional(),
  replication: replicationSchema.optional(),
  multiAz: z.boolean().optional(),
  deletionProtection: z.boolean().optional(),
  versioning: z.boolean().optional(),
  dataSizeGb: z.number().nonnegative().optional(),
  dependsOn: z.array(z.string()).optional(),
});
export type SystemInput = z.output<typeof systemSchema>;

export const drInputSchema = z
  .strictObject({
    systems: z.array(systemSchema).max(10_000).optional(),
    files: filesField('Systems inventories (JSON/YAML), CloudFormation templates, .aiopsignore files.'),
    defaults: z
      .strictObject({
        tier: z.number().int().min(1).max(4).optional(),
        rtoMinutes: minutes.optional(),
        rpoMinutes: minutes.optional(),
      })
      .optional()
      .describe('Tier and targets of template resources without Metadata.aiops.dr (default tier 2).'),
    ignore: ignoreInputSchema,
  })
  .refine((input) => input.systems !== undefined || input.files !== undefined, {
    message: 'give the systems or files',
    path: ['systems'],
  });
export type DrInput = z.output<typeof drInputSchema>;

const estimate = z.object({ rtoMinutes: z.number().nullable(), rpoMinutes: z.number().nullable() });

export const drOutputSchema = agentResultSchema.extend({
  score: z.number().int().min(0).max(100),
  grade: z.enum(['A', 'B', 'C', 'D', 'F']),
  confidence: z
    .enum(['high', 'medium', 'low'])
    .describe('Lower when data stores of types the agent does not model were found (no A grade then).'),
  metrics: z.record(z.string(), z.number()),
  systems: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      tier: z.number().int(),
      file: z.string().optional(),
      line: z.number().int().optional(),
      targets: z.object({ rtoMinutes: z.number(), rpoMinutes: z.number(), assumed: z.boolean() }),
      achievable: estimate.describe('Worst of the scenarios the tier must survive; null = unbounded.'),
      byScenario: z.record(z.string(), estimate),
      meetsRto: z.boolean(),
      meetsRpo: z.boolean(),
      score: z.number().int(),
      findings: z.number().int(),
    }),
  ),
  scenarios: z.array(
    z.object({
      id: z.enum(['database-failure', 'region-outage', 'ransomware']),
      title: z.string(),
      affected: z.array(z.string()),
      estimatedRtoMinutes: z.number().nullable(),
      estimatedRpoMinutes: z.number().nullable(),
      steps: z.array(
        z.object({ order: z.number().int(), system: z.string().optional(), action: z.string() }),
      ),
      gaps: z.array(z.string()),
    }),
  ),
});
export type DrOutput = z.output<typeof drOutputSchema>;
