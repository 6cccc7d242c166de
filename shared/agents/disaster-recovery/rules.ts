/**
 * The disaster-recovery rules as one catalog (../scan/catalog.ts), with the
 * inventories and templates each rule is shown on (./samples.ts). Severities
 * rise with the system's tier where the rule text says so (tier 1 = most
 * critical). Score policy: `unit-mean` — each system scores 100 minus the
 * weights of its open findings, the agent's score is their mean.
 */
import { defineRules } from '../scan/catalog.js';
import type { SeverityWeights } from '../scan/score.js';
import { SAMPLES } from './samples.js';

export const DR_RULES = defineRules('disaster-recovery', [
  {
    id: 'DR000',
    severity: 'medium',
    category: 'correctness',
    title: 'Inventory or template does not parse',
    description:
      'A systems inventory or CloudFormation template that could not be read; its systems were not assessed.',
    remediation: 'Fix the file at the reported line.',
    samples: SAMPLES.DR000,
  },
  {
    id: 'DR001',
    severity: 'high',
    category: 'reliability',
    title: 'Stale backup',
    description:
      'The last successful backup is older than 48 hours (`staleBackupHours`) at the time of the run: a ' +
      'restore now loses at least that much data, and a failing backup job has gone unnoticed.',
    remediation:
      'Find why the backup job stopped (AWS Backup job status, snapshot schedule), run one now, and alarm on failed jobs.',
    samples: SAMPLES.DR001,
  },
  {
    id: 'DR002',
    severity: 'medium',
    category: 'reliability',
    title: 'Backup never restore-tested',
    description:
      'A backup that has not been restored in a test (or not in the last 90 days) is a hope, not a recovery ' +
      'point: restores fail on missing keys, permissions, engine versions and sizes. High for tier 1.',
    remediation:
      'Schedule restore tests (AWS Backup restore testing) and record the measured restore time as the RTO evidence.',
    samples: SAMPLES.DR002,
  },
  {
    id: 'DR003',
    severity: 'high',
    category: 'reliability',
    title: 'Tier-1 system without a cross-region copy',
    description:
      'A tier-1 system whose backups are not copied to another region and that has no cross-region replica ' +
      'cannot be recovered during a region outage.',
    remediation:
      'Copy backups to a second region (AWS Backup copy action, cross-region automated backups) or add a ' +
      'cross-region replica (Aurora Global Database, DynamoDB global table, S3 replication).',
    samples: SAMPLES.DR003,
  },
  {
    id: 'DR004',
    severity: 'high',
    category: 'reliability',
    title: 'RPO target unattainable with the backup frequency',
    description:
      'The data lost in a restore is up to one backup interval (about 5 minutes with point-in-time recovery): ' +
      'a backup interval longer than the RPO target cannot meet it.',
    remediation:
      'Enable point-in-time recovery / continuous backups, or back up at least as often as the RPO target.',
    samples: SAMPLES.DR004,
  },
  {
    id: 'DR005',
    severity: 'medium',
    category: 'reliability',
    title: 'Single-AZ database',
    description:
      'A database (or EFS One Zone file system) in one Availability Zone with no replica: losing the zone or ' +
      'the instance means a restore from backup instead of a failover in minutes. High for tier 1.',
    remediation: 'Enable Multi-AZ (RDS), add a reader in another AZ (Aurora), or use EFS Regional storage.',
    samples: SAMPLES.DR005,
  },
  {
    id: 'DR006',
    severity: 'medium',
    category: 'reliability',
    title: 'No deletion protection or retain policy',
    description:
      'A data store that one API call or one stack deletion can destroy: no deletion protection and a ' +
      'DeletionPolicy that deletes (CloudFormation default). High for tier 1. A bucket that holds objects ' +
      'cannot be deleted that way; for buckets the rule names what can lose the data: permanent deletes and ' +
      'overwrites without versioning, lifecycle expiration, no Object Lock (or MFA delete).',
    remediation:
      'Turn on deletion protection and set DeletionPolicy / UpdateReplacePolicy to Retain or Snapshot (CDK RemovalPolicy.RETAIN / SNAPSHOT); for buckets, versioning and Object Lock.',
    samples: SAMPLES.DR006,
  },
  {
    id: 'DR007',
    severity: 'medium',
    category: 'reliability',
    title: 'Bucket without versioning',
    description:
      'Without versioning an overwritten or deleted object is gone: no recovery from a bad deploy, a bug or ' +
      'ransomware that rewrites objects. Replication also requires it.',
    remediation:
      'Enable versioning with a lifecycle rule expiring noncurrent versions; consider Object Lock for ransomware.',
    samples: SAMPLES.DR007,
  },
  {
    id: 'DR008',
    severity: 'high',
    category: 'reliability',
    title: 'No backup',
    description:
      'A data store with no backup at all (no snapshots, no point-in-time recovery, no AWS Backup plan, RDS ' +
      'retention 0): its RPO is unbounded. Critical for tier 1.',
    remediation:
      'Enable automated backups / point-in-time recovery or add the resource to an AWS Backup plan.',
    samples: SAMPLES.DR008,
  },
  {
    id: 'DR009',
    severity: 'high',
    category: 'reliability',
    title: 'Empty backup',
    description:
      'The last backup is empty (0 bytes): the job ran but captured nothing, so there is nothing to restore.',
    remediation: 'Check the backup selection and the source; run a backup and verify its size and a restore.',
    samples: SAMPLES.DR009,
  },
  {
    id: 'DR010',
    severity: 'low',
    category: 'reliability',
    title: 'A replacement deletes the data',
    description:
      'The resource is kept on stack deletion (Retain) or snapshotted before it is deleted (Snapshot, the ' +
      'RDS default) but its UpdateReplacePolicy is Delete (the default): an update that replaces it (a ' +
      'renamed table, a changed key schema) deletes the old data store with no snapshot.',
    remediation: 'Set UpdateReplacePolicy to Retain or Snapshot as well (CDK RemovalPolicy sets both).',
    samples: SAMPLES.DR010,
  },
  {
    id: 'DR011',
    severity: 'high',
    category: 'reliability',
    title: 'RTO target unattainable',
    description:
      'The estimated recovery time of the worst scenario the tier must survive (failover, restore from backup, ' +
      'recovery in another region; see the model in the README) exceeds the RTO target.',
    remediation:
      'Add a standby (Multi-AZ, replica, cross-region replica) or shorten restores (smaller stores, warm standby), then test.',
    samples: SAMPLES.DR011,
  },
  {
    id: 'DR012',
    severity: 'low',
    category: 'reliability',
    title: 'Backup retention under 7 days',
    description:
      'Backups kept less than 7 days (RDS defaults to 1) leave no clean recovery point when corruption or ' +
      'ransomware is found after a few days. Medium for tiers 1 and 2.',
    remediation: 'Keep backups at least 7 days (35 for tier 1), with a longer monthly copy.',
    samples: SAMPLES.DR012,
  },
  {
    id: 'DR013',
    severity: 'medium',
    category: 'reliability',
    title: 'Data store not assessed',
    description:
      'A resource that holds data in a type the agent does not model (Redshift, OpenSearch, FSx, MemoryDB, ' +
      'Kinesis, MSK, …): its backups, replicas and failover were not assessed, so the readiness grade is ' +
      'capped below A and its confidence lowered.',
    remediation:
      'Assess it by hand or describe it in a systems inventory (type, tier, backups, replication) and suppress this finding with a reason.',
    samples: SAMPLES.DR013,
  },
] as const);

export type DrRuleId = (typeof DR_RULES.rules)[number]['id'];

/** Points a system loses per open finding (`unit-mean` over systems). */
export const SYSTEM_WEIGHTS: SeverityWeights = { critical: 40, high: 20, medium: 8, low: 3, info: 0 };

/** Targets assumed when none are given, by tier (minutes). */
export const TIER_TARGETS: Readonly<Record<number, { rtoMinutes: number; rpoMinutes: number }>> = {
  1: { rtoMinutes: 60, rpoMinutes: 15 },
  2: { rtoMinutes: 240, rpoMinutes: 60 },
  3: { rtoMinutes: 1440, rpoMinutes: 1440 },
  4: { rtoMinutes: 4320, rpoMinutes: 10080 },
};

export const STALE_BACKUP_HOURS = 48;
export const RESTORE_TEST_MAX_AGE_DAYS = 90;
export const MIN_RETENTION_DAYS = 7;
export const DEFAULT_TIER = 2;
