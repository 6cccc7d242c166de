/**
 * The systems disaster-recovery assesses: from an inventory (the input's
 * `systems`, or JSON / YAML files holding a list or `{ systems }`) and from
 * CloudFormation templates read through shared/analysis/iac, each data store
 * with its tier, targets, backups, replicas and protection, and the line of
 * every field a finding can point at.
 */
import type { Locator, Path } from '../../analysis/documents/structured.js';
import { type InputProblem, readDocumentOf } from '../../analysis/documents/structured.js';
import {
  looksLikeTemplate,
  readTemplate,
  refersTo,
  type Template,
  type TemplateResource,
} from '../../analysis/iac/template.js';
import { type ParsedSuppressions, parseCloudFormationIgnore } from '../suppressions.js';
import { DEFAULT_TIER, RESTORE_TEST_MAX_AGE_DAYS, TIER_TARGETS } from './rules.js';
import { type DrInput, type SystemInput, systemSchema } from './schema.js';

export type Kind = 'database' | 'table' | 'bucket' | 'filesystem' | 'volume' | 'other';

export interface DrSystem {
  name: string;
  /** Inventory type or CloudFormation resource type (the finding's resource kind). */
  type: string;
  kind: Kind;
  tier: number;
  targets: { rtoMinutes: number; rpoMinutes: number; assumed: boolean };
  backup: {
    exists: boolean;
    lastAt?: number;
    intervalMinutes?: number;
    /** true, false, or 'stale' (last test older than 90 days); undefined: unknown (templates). */
    tested?: boolean | 'stale';
    crossRegionCopy: boolean;
    retentionDays?: number;
    pitr: boolean;
    empty: boolean;
  };
  multiAz?: boolean;
  replica: { sameRegion: boolean; crossRegion: boolean; lagMinutes?: number };
  deletionProtected?: boolean;
  /** CloudFormation DeletionPolicy keeps the data (Retain, Snapshot, RetainExceptOnCreate). */
  retainPolicy?: boolean;
  /** The effective CloudFormation DeletionPolicy (the type's default when none is written). */
  deletionPolicy?: string;
  /**
   * How an instance or Availability Zone failure is survived, where the type
   * decides it (Aurora, read replicas, ElastiCache): the estimate, the runbook
   * step, and the single-AZ weakness (DR005) when there is one.
   */
  failover?: { rtoMinutes: number; rpoMinutes: number; step: string; weakness?: string };
  /** Days after which a bucket lifecycle rule expires current objects. */
  expiresAfterDays?: number;
  replacePolicyDeletes?: boolean;
  versioning?: boolean;
  objectLock?: boolean;
  sizeGb?: number;
  dependsOn: string[];
  file?: string;
  source: 'inventory' | 'cloudformation';
  lineOf(field: string): number | undefined;
}

/** A resource that holds data in a type this agent does not model: not assessed, so no A grade. */
export interface Unassessed {
  name: string;
  type: string;
  file: string;
  line?: number;
}

export interface ReadResult {
  systems: DrSystem[];
  unassessed: Unassessed[];
  problems: InputProblem[];
  suppressions: ParsedSuppressions[];
  skipped: string[];
}

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function tierOf(value: SystemInput['tier'], fallback: number): number {
  if (typeof value === 'number') return value;
  if (value === undefined) return fallback;
  const digit = /[1-4]/.exec(value)?.[0];
  if (digit !== undefined) return Number(digit);
  if (/critical|gold|mission/i.test(value)) return 1;
  if (/high|silver|important/i.test(value)) return 2;
  if (/low|bronze/i.test(value)) return 3;
  return fallback;
}

/** Minutes between backups from hours, keywords, ISO 8601 durations and 15m / 4h / 1d. */
export function frequencyMinutes(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value * 60;
  const v = value.trim().toLowerCase();
  const words: Record<string, number> = {
    continuous: 5,
    hourly: 60,
    daily: 1440,
    nightly: 1440,
    weekly: 10080,
    monthly: 43200,
  };
  if (words[v] !== undefined) return words[v];
  const short = /^(\d+(?:\.\d+)?)\s*(m|min|minutes?|h|hours?|d|days?)$/.exec(v);
  if (short) {
    const unit = short[2]?.[0] === 'm' ? 1 : short[2]?.[0] === 'h' ? 60 : 1440;
    return Number(short[1]) * unit;
  }
  const iso = /^p(?:(\d+)w)?(?:(\d+)d)?(?:t(?:(\d+)h)?(?:(\d+)m)?)?$/.exec(v);
  if (iso && v !== 'p' && v !== 'pt') {
    const [, w = '0', d = '0', h = '0', m = '0'] = iso;
    return Number(w) * 10080 + Number(d) * 1440 + Number(h) * 60 + Number(m);
  }
  return undefined;
}

function kindOfType(type: string | undefined, system: SystemInput): Kind {
  const t = (type ?? '').toLowerCase();
  if (/dynamo/.test(t)) return 'table';
  if (/s3|bucket/.test(t)) return 'bucket';
  if (/efs|file ?system|fsx/.test(t)) return 'filesystem';
  if (/ebs|volume/.test(t)) return 'volume';
  if (/rds|aurora|postgres|mysql|maria|sql|database|^db|mongo|docdb|oracle|elasticache|redis/.test(t))
    return 'database';
  if (t === '' && system.multiAz !== undefined) return 'database';
  if (t === '' && system.versioning !== undefined) return 'bucket';
  return 'other';
}

function fromInventory(system: SystemInput, file: string | undefined, lineOf: Locator, now: Date): DrSystem {
  const tier = tierOf(system.tier, DEFAULT_TIER);
  const defaults = TIER_TARGETS[tier] ?? TIER_TARGETS[DEFAULT_TIER] ?? { rtoMinutes: 240, rpoMinutes: 60 };
  const backups = system.backups ?? undefined;
  const lastAt = backups?.last == null ? undefined : Date.parse(backups.last);
  let tested: boolean | 'stale' = false;
  if (backups?.tested === true) tested = true;
  else if (typeof backups?.tested === 'string') {
    tested =
      now.getTime() - Date.parse(backups.tested) > RESTORE_TEST_MAX_AGE_DAYS * 86_400_000 ? 'stale' : true;
  }
  const replication = system.replication;
  const rep = typeof replication === 'object' ? replication : undefined;
  const replicated = replication === true || (rep !== undefined && !/^none$/i.test(rep.type ?? ''));
  const crossRegion =
    rep?.crossRegion === true ||
    (rep?.regions !== undefined && new Set(rep.regions.filter((r) => r !== system.region)).size > 0);
  const pitr = backups?.pitr === true || /continuous/i.test(String(backups?.frequency ?? ''));
  const interval = backups?.frequencyMinutes ?? frequencyMinutes(backups?.frequency);
  const exists = backups != null && (lastAt !== undefined || pitr || interval !== undefined);
  return {
    name: system.name,
    type: system.type ?? 'system',
    kind: kindOfType(system.type, system),
    tier,
    targets: {
      rtoMinutes: system.rtoMinutes ?? defaults.rtoMinutes,
      rpoMinutes: system.rpoMinutes ?? defaults.rpoMinutes,
      assumed: system.rtoMinutes === undefined || system.rpoMinutes === undefined,
    },
    backup: {
      exists,
      ...(lastAt === undefined || Number.isNaN(lastAt) ? {} : { lastAt }),
      ...(pitr ? { intervalMinutes: 5 } : interval === undefined ? {} : { intervalMinutes: interval }),
      ...(exists ? { tested } : {}),
      crossRegionCopy: backups?.crossRegionCopy === true,
      ...(backups?.retentionDays === undefined ? {} : { retentionDays: backups.retentionDays }),
      pitr,
      empty: backups?.empty === true || backups?.sizeGb === 0,
    },
    ...(system.multiAz === undefined ? {} : { multiAz: system.multiAz }),
    replica: {
      sameRegion: replicated && !crossRegion,
      crossRegion: replicated && crossRegion,
      ...(rep?.lagSeconds === undefined ? {} : { lagMinutes: rep.lagSeconds / 60 }),
    },
    ...(system.deletionProtection === undefined ? {} : { deletionProtected: system.deletionProtection }),
    ...(system.versioning === undefined ? {} : { versioning: system.versioning }),
    ...(system.dataSizeGb === undefined ? {} : { sizeGb: system.dataSizeGb }),
    dependsOn: system.dependsOn ?? [],
    ...(file === undefined ? {} : { file }),
    source: 'inventory',
    lineOf: (field) => lineOf(field.split('.')),
  };
}

// --- CloudFormation -------------------------------------------------------------

const truth = (v: unknown) => v === true || v === 'true' || v === 'True';
const RETAIN = new Set(['Retain', 'Snapshot', 'RetainExceptOnCreate']);

/** Minutes between runs of an AWS Backup / EventBridge schedule expression. */
export function scheduleMinutes(expression: unknown): number {
  if (typeof expression !== 'string') return 1440;
  const rate = /^rate\((\d+)\s+(minute|hour|day)s?\)$/i.exec(expression.trim());
  if (rate)
    return Number(rate[1]) * ({ minute: 1, hour: 60, day: 1440 }[rate[2]?.toLowerCase() ?? 'day'] ?? 1440);
  const cron = /^cron\((.+)\)$/i.exec(expression.trim())?.[1]?.trim().split(/\s+/);
  if (!cron || cron.length < 5) return 1440;
  const [, hour = '*', dom = '*', , dow = '*'] = cron;
  if (hour === '*') return 60;
  const step = /\/(\d+)$/.exec(hour);
  if (step) return Number(step[1]) * 60;
  if (hour.includes(',')) return 1440 / hour.split(',').length;
  if (dow !== '*' && dow !== '?') return 10080 / dow.split(',').length;
  if (dom !== '*' && dom !== '?') return 43200;
  return 1440;
}

interface BackupCoverage {
  intervalMinutes: number;
  retentionDays?: number;
  crossRegionCopy: boolean;
  continuous: boolean;
}

const deleteAfterDays = (rule: Json) =>
  isJson(rule.Lifecycle) && typeof rule.Lifecycle.DeleteAfterDays === 'number'
    ? rule.Lifecycle.DeleteAfterDays
    : undefined;

function planCoverage(plan: TemplateResource): BackupCoverage | undefined {
  const spec = plan.properties.BackupPlan;
  const rules = isJson(spec) && Array.isArray(spec.BackupPlanRule) ? spec.BackupPlanRule.filter(isJson) : [];
  if (rules.length === 0) return undefined;
  const retention = rules.map(deleteAfterDays);
  return {
    intervalMinutes: Math.min(...rules.map((rule) => scheduleMinutes(rule.ScheduleExpression))),
    ...(retention.some((d) => d !== undefined)
      ? { retentionDays: Math.max(...retention.map((d) => d ?? 0)) }
      : {}),
    crossRegionCopy: rules.some((rule) => Array.isArray(rule.CopyActions) && rule.CopyActions.length > 0),
    continuous: rules.some((rule) => truth(rule.EnableContinuousBackup)),
  };
}

function backupCoverage(resources: readonly TemplateResource[]): (id: string) => BackupCoverage | undefined {
  const plans = new Map<string, BackupCoverage>();
  for (const r of resources) {
    const coverage = r.type === 'AWS::Backup::BackupPlan' ? planCoverage(r) : undefined;
    if (coverage !== undefined) plans.set(r.id, coverage);
  }
  const selections = resources.filter((r) => r.type === 'AWS::Backup::BackupSelection');
  return (id) => {
    for (const { properties: props } of selections) {
      const plan = [...plans.entries()].find(([planId]) => refersTo(props.BackupPlanId, planId))?.[1];
      if (plan === undefined) continue;
      const spec = isJson(props.BackupSelection) ? props.BackupSelection : {};
      const byTags = spec.ListOfTags !== undefined || spec.Conditions !== undefined;
      const wildcard = JSON.stringify(spec.Resources ?? []).includes('*');
      if (byTags || wildcard || refersTo(spec.Resources, id)) return plan;
    }
    return undefined;
  };
}

interface CfnContext {
  resources: readonly TemplateResource[];
  plan?: BackupCoverage;
  /** Whether the DeletionPolicy keeps the data; `defaultRetains` when none is set. */
  retain(defaultRetains: boolean): boolean;
  replaceDeletes: boolean;
  backup(pitr: boolean, retentionDays?: number): DrSystem['backup'];
}

type CfnAspects = Omit<
  DrSystem,
  'name' | 'type' | 'tier' | 'targets' | 'dependsOn' | 'file' | 'source' | 'lineOf'
>;
type CfnBuild = (r: TemplateResource, ctx: CfnContext) => CfnAspects | undefined;

function planBackup(
  plan: BackupCoverage | undefined,
  pitr: boolean,
  retentionDays?: number,
): DrSystem['backup'] {
  const continuous = pitr || plan?.continuous === true;
  const retention = retentionDays ?? plan?.retentionDays;
  return {
    exists: pitr || plan !== undefined,
    pitr: continuous,
    crossRegionCopy: plan?.crossRegionCopy === true,
    empty: false,
    ...(continuous
      ? { intervalMinutes: 5 }
      : plan === undefined
        ? {}
        : { intervalMinutes: plan.intervalMinutes }),
    ...(retention === undefined ? {} : { retentionDays: retention }),
  };
}

/** Instances of a cluster in the template (Aurora, Neptune and DocumentDB instances name their cluster). */
const membersOf = (ctx: CfnContext, clusterId: string, instanceType: string) =>
  ctx.resources.filter(
    (m) => m.type === instanceType && refersTo(m.properties.DBClusterIdentifier, clusterId),
  ).length;

/** A cluster whose storage spans three Availability Zones (Aurora, Neptune, DocumentDB). */
function sharedStorageFailover(name: string, engine: string, members: number): DrSystem['failover'] {
  if (members >= 2) {
    return {
      rtoMinutes: 1,
      rpoMinutes: 0,
      step: `Confirm ${engine} promoted a reader of ${name} to writer (about 30 s) and the cluster endpoint points at it; if not, fail over the cluster`,
    };
  }
  return {
    rtoMinutes: 10,
    rpoMinutes: 0,
    step: `${name} has one instance: its storage spans three Availability Zones, so wait for ${engine} to replace the instance (minutes, no data lost) or add a reader and fail over to it`,
    weakness: `runs one instance: its storage spans three Availability Zones, but an instance or AZ failure waits minutes for ${engine} to replace it; a reader in another AZ fails over in about 30 s`,
  };
}

const dbCluster: CfnBuild = (r, ctx) => {
  const p = r.properties;
  const members = membersOf(ctx, r.id, 'AWS::RDS::DBInstance');
  const retention = typeof p.BackupRetentionPeriod === 'number' ? p.BackupRetentionPeriod : 1;
  const engine = typeof p.Engine === 'string' ? p.Engine : 'aurora';
  const aurora = /^aurora/i.test(engine) || p.DBClusterInstanceClass === undefined;
  const serverlessV1 = p.EngineMode === 'serverless';
  // A Multi-AZ DB cluster (RDS for MySQL / PostgreSQL) runs a writer and two readable standbys.
  const failover: DrSystem['failover'] = aurora
    ? serverlessV1
      ? {
          rtoMinutes: 10,
          rpoMinutes: 0,
          step: `${r.id} is Aurora Serverless v1: Aurora recreates its capacity in another Availability Zone (minutes, no data lost); confirm it answers`,
        }
      : sharedStorageFailover(r.id, 'Aurora', members)
    : {
        rtoMinutes: 1,
        rpoMinutes: 0,
        step: `Confirm the Multi-AZ DB cluster ${r.id} failed over to a standby (under a minute)`,
      };
  return {
    kind: 'database',
    backup: ctx.backup(true, retention),
    multiAz: aurora ? members >= 2 : true,
    replica: { sameRegion: members >= 2, crossRegion: p.GlobalClusterIdentifier !== undefined },
    failover,
    deletionProtected: truth(p.DeletionProtection),
    retainPolicy: ctx.retain(true),
    replacePolicyDeletes: ctx.replaceDeletes,
  };
};

/** Neptune and DocumentDB clusters: shared storage like Aurora, point-in-time restore within retention. */
const graphOrDocumentCluster =
  (engine: string, instanceType: string): CfnBuild =>
  (r, ctx) => {
    const p = r.properties;
    const members = membersOf(ctx, r.id, instanceType);
    const retention = typeof p.BackupRetentionPeriod === 'number' ? p.BackupRetentionPeriod : 1;
    return {
      kind: 'database',
      backup: ctx.backup(true, retention),
      multiAz: members >= 2,
      replica: { sameRegion: members >= 2, crossRegion: p.GlobalClusterIdentifier !== undefined },
      failover: sharedStorageFailover(r.id, engine, members),
      deletionProtected: truth(p.DeletionProtection),
      retainPolicy: ctx.retain(false),
      replacePolicyDeletes: ctx.replaceDeletes,
    };
  };

/** Read replicas in the template of each RDS instance (SourceDBInstanceIdentifier names the primary). */
function readReplicasOf(ctx: CfnContext, primaryId: string) {
  return ctx.resources.filter(
    (m) => m.type === 'AWS::RDS::DBInstance' && refersTo(m.properties.SourceDBInstanceIdentifier, primaryId),
  );
}

const dbInstance: CfnBuild = (r, ctx) => {
  const p = r.properties;
  if (p.DBClusterIdentifier !== undefined || p.SourceDBInstanceIdentifier !== undefined) return undefined;
  // A computed retention (a parameter, a mapping) is unknown: backups are taken as on, length unknown.
  const written = p.BackupRetentionPeriod ?? 1;
  const retention = typeof written === 'object' ? undefined : Number(written);
  const backups = retention === undefined || retention > 0;
  const replicas = readReplicasOf(ctx, r.id);
  // A replica with SourceRegion is created in another region than its source.
  const crossRegion = replicas.filter((m) => m.properties.SourceRegion !== undefined);
  const sameRegion = replicas.filter((m) => m.properties.SourceRegion === undefined);
  const multiAz = truth(p.MultiAZ);
  const [replica] = sameRegion;
  return {
    kind: 'database',
    backup: ctx.backup(backups, retention !== undefined && retention > 0 ? retention : undefined),
    multiAz,
    replica: { sameRegion: sameRegion.length > 0, crossRegion: crossRegion.length > 0 },
    ...(multiAz || replica === undefined
      ? {}
      : {
          failover: {
            // Promotion is manual and replication asynchronous: minutes, and the last seconds of writes.
            rtoMinutes: 10,
            rpoMinutes: 1,
            step: `Promote the read replica ${replica.id} of ${r.id} (it becomes a standalone writer in a few minutes), then point the clients at it`,
          },
        }),
    deletionProtected: truth(p.DeletionProtection),
    retainPolicy: ctx.retain(true),
    replacePolicyDeletes: ctx.replaceDeletes,
  };
};

/** Days between ElastiCache snapshots' retention: 0 (the default) takes none. */
const snapshotBackup = (ctx: CfnContext, limit: unknown): DrSystem['backup'] => {
  const days = Number(limit ?? 0);
  const backup = ctx.backup(false);
  return days > 0
    ? {
        ...backup,
        exists: true,
        intervalMinutes: Math.min(backup.intervalMinutes ?? 1440, 1440),
        retentionDays: days,
      }
    : backup;
};

const inGlobalDatastore = (ctx: CfnContext, id: string) =>
  ctx.resources.some(
    (g) => g.type === 'AWS::ElastiCache::GlobalReplicationGroup' && refersTo(g.properties.Members, id),
  );

const replicationGroup: CfnBuild = (r, ctx) => {
  const p = r.properties;
  const groups = Array.isArray(p.NodeGroupConfiguration) ? p.NodeGroupConfiguration.filter(isJson) : [];
  const replicas =
    Number(p.NumCacheClusters ?? 1) > 1 ||
    Number(p.ReplicasPerNodeGroup ?? 0) > 0 ||
    groups.some((g) => Number(g.ReplicaCount ?? 0) > 0);
  const automatic = truth(p.AutomaticFailoverEnabled);
  const multiAz = replicas && automatic && truth(p.MultiAZEnabled);
  const failover: DrSystem['failover'] | undefined = !replicas
    ? undefined
    : automatic
      ? {
          rtoMinutes: 2,
          rpoMinutes: 1,
          step: `Confirm ElastiCache promoted a replica of ${r.id} (automatic failover, about a minute; the last writes may be lost)`,
          ...(multiAz
            ? {}
            : {
                weakness:
                  'has replicas and automatic failover but Multi-AZ is off: its nodes may share one Availability Zone',
              }),
        }
      : {
          rtoMinutes: 10,
          rpoMinutes: 1,
          step: `Promote a replica of ${r.id} by hand (automatic failover is off), then repoint its clients`,
          weakness:
            'has replicas but automatic failover is off: a primary failure waits for a manual promotion',
        };
  return {
    kind: 'database',
    backup: snapshotBackup(ctx, p.SnapshotRetentionLimit),
    multiAz,
    replica: { sameRegion: replicas, crossRegion: inGlobalDatastore(ctx, r.id) },
    ...(failover === undefined ? {} : { failover }),
    retainPolicy: ctx.retain(false),
    replacePolicyDeletes: ctx.replaceDeletes,
  };
};

const cacheCluster: CfnBuild = (r, ctx) => {
  const p = r.properties;
  // Memcached keeps nothing to back up: it is rebuilt and warms up again.
  if (/memcached/i.test(String(p.Engine ?? ''))) return undefined;
  return {
    kind: 'database',
    backup: snapshotBackup(ctx, p.SnapshotRetentionLimit),
    multiAz: false,
    replica: { sameRegion: false, crossRegion: false },
    retainPolicy: ctx.retain(false),
    replacePolicyDeletes: ctx.replaceDeletes,
  };
};

const serverlessCache: CfnBuild = (r, ctx) => ({
  kind: 'database',
  backup: snapshotBackup(ctx, r.properties.SnapshotRetentionLimit),
  multiAz: true,
  replica: { sameRegion: true, crossRegion: false },
  failover: {
    rtoMinutes: 1,
    rpoMinutes: 0,
    step: `ElastiCache Serverless ${r.id} runs across Availability Zones: confirm it answers`,
  },
  retainPolicy: ctx.retain(false),
  replacePolicyDeletes: ctx.replaceDeletes,
});

const table: CfnBuild = (r, ctx) => {
  const p = r.properties;
  const replicas = Array.isArray(p.Replicas) ? p.Replicas.filter(isJson) : [];
  const pitrOf = (spec: unknown) => isJson(spec) && truth(spec.PointInTimeRecoveryEnabled);
  const pitr =
    pitrOf(p.PointInTimeRecoverySpecification) ||
    replicas.some((x) => pitrOf(x.PointInTimeRecoverySpecification));
  return {
    kind: 'table',
    backup: ctx.backup(pitr),
    multiAz: true,
    replica: { sameRegion: false, crossRegion: replicas.length > 1 },
    deletionProtected:
      truth(p.DeletionProtectionEnabled) ||
      (replicas.length > 0 && replicas.every((x) => truth(x.DeletionProtectionEnabled))),
    retainPolicy: ctx.retain(false),
    replacePolicyDeletes: ctx.replaceDeletes,
  };
};

const bucket: CfnBuild = (r, ctx) => {
  const p = r.properties;
  const versioning = isJson(p.VersioningConfiguration) && p.VersioningConfiguration.Status === 'Enabled';
  const rules = isJson(p.LifecycleConfiguration) ? p.LifecycleConfiguration.Rules : undefined;
  const expiries = (Array.isArray(rules) ? rules.filter(isJson) : [])
    .filter((rule) => rule.Status !== 'Disabled')
    .flatMap((rule) =>
      typeof rule.ExpirationInDays === 'number'
        ? [rule.ExpirationInDays]
        : rule.ExpirationDate !== undefined
          ? [0]
          : [],
    );
  return {
    ...(expiries.length === 0 ? {} : { expiresAfterDays: Math.min(...expiries) }),
    kind: 'bucket',
    backup: { ...ctx.backup(false), exists: versioning || ctx.plan !== undefined },
    replica: { sameRegion: false, crossRegion: p.ReplicationConfiguration !== undefined },
    retainPolicy: ctx.retain(false),
    replacePolicyDeletes: ctx.replaceDeletes,
    versioning,
    objectLock: truth(p.ObjectLockEnabled),
  };
};

const fileSystem: CfnBuild = (r, ctx) => {
  const p = r.properties;
  const policy = isJson(p.BackupPolicy) && p.BackupPolicy.Status === 'ENABLED';
  const backup = ctx.backup(false);
  return {
    kind: 'filesystem',
    backup: policy
      ? {
          ...backup,
          exists: true,
          intervalMinutes: Math.min(backup.intervalMinutes ?? 1440, 1440),
          retentionDays: backup.retentionDays ?? 35,
        }
      : backup,
    multiAz: p.AvailabilityZoneName === undefined,
    replica: { sameRegion: false, crossRegion: p.ReplicationConfiguration !== undefined },
    retainPolicy: ctx.retain(false),
    replacePolicyDeletes: ctx.replaceDeletes,
  };
};

const volume: CfnBuild = (_r, ctx) => {
  const dlm = ctx.resources.some((x) => x.type === 'AWS::DLM::LifecyclePolicy');
  const backup = ctx.backup(false);
  return {
    kind: 'volume',
    backup: dlm && !backup.exists ? { ...backup, exists: true, intervalMinutes: 1440 } : backup,
    replica: { sameRegion: false, crossRegion: false },
    retainPolicy: ctx.retain(false),
    replacePolicyDeletes: ctx.replaceDeletes,
  };
};

const CFN_SYSTEMS: Readonly<Record<string, CfnBuild>> = {
  'AWS::RDS::DBCluster': dbCluster,
  'AWS::RDS::DBInstance': dbInstance,
  'AWS::DynamoDB::Table': table,
  'AWS::DynamoDB::GlobalTable': table,
  'AWS::S3::Bucket': bucket,
  'AWS::EFS::FileSystem': fileSystem,
  'AWS::EC2::Volume': volume,
  'AWS::Neptune::DBCluster': graphOrDocumentCluster('Neptune', 'AWS::Neptune::DBInstance'),
  'AWS::DocDB::DBCluster': graphOrDocumentCluster('DocumentDB', 'AWS::DocDB::DBInstance'),
  'AWS::ElastiCache::ReplicationGroup': replicationGroup,
  'AWS::ElastiCache::CacheCluster': cacheCluster,
  'AWS::ElastiCache::ServerlessCache': serverlessCache,
};

/**
 * Types that hold data this agent does not model: they are listed as not
 * assessed (lower confidence, never an A) instead of passing silently.
 * Members of a modelled store (cluster instances, replicas) are not here.
 */
const UNMODELLED_STATEFUL =
  /^AWS::(?:Redshift::Cluster|RedshiftServerless::Namespace|OpenSearchService::Domain|Elasticsearch::Domain|FSx::(?:FileSystem|Volume)|MemoryDB::Cluster|Kinesis::Stream|MSK::(?:Cluster|ServerlessCluster)|QLDB::Ledger|Timestream::(?:Database|Table)|Cassandra::Table|NeptuneGraph::Graph|Lightsail::(?:Database|Disk|Bucket)|S3Express::DirectoryBucket|Cognito::UserPool|CodeCommit::Repository|SimpleDB::Domain|DynamoDB::\w+|RDS::\w*Cluster\w*|DocDBElastic::Cluster|EMR::Cluster)$/;
const DATA_NAMED = /::(?:DB\w*|\w*Database|\w*FileSystem|\w*Ledger|\w*Bucket|\w*Volume)$/;
const NOT_DATA =
  /^AWS::(?:RDS::DB(?:SubnetGroup|ParameterGroup|ClusterParameterGroup|SecurityGroup\w*|ProxyTargetGroup|ProxyEndpoint|Proxy|ShardGroup)|RDS::(?:OptionGroup|EventSubscription|GlobalCluster|Integration)|Neptune::DB(?:Instance|SubnetGroup|ParameterGroup|ClusterParameterGroup)|DocDB::DB(?:Instance|SubnetGroup|ClusterParameterGroup)|S3::BucketPolicy|EC2::VolumeAttachment|Glue::Table|Glue::Database|Athena::\w+|LakeFormation::\w+|ElastiCache::\w+)$/;

/** Whether a resource of a type with no model here holds data (a Redshift cluster, an OpenSearch domain …). */
export function unmodelledStateful(type: string): boolean {
  if (CFN_SYSTEMS[type] !== undefined || NOT_DATA.test(type)) return false;
  return UNMODELLED_STATEFUL.test(type) || (type.startsWith('AWS::') && DATA_NAMED.test(type));
}

/** Tier and targets from `Metadata.aiops.dr`, else the input's defaults, else the tier's. */
function cfnTargets(r: TemplateResource, defaults: NonNullable<DrInput['defaults']>) {
  const metadata = r.metadata;
  const meta =
    isJson(metadata) && isJson(metadata.aiops) && isJson(metadata.aiops.dr) ? metadata.aiops.dr : {};
  const tier = tierOf(
    typeof meta.tier === 'number' || typeof meta.tier === 'string' ? meta.tier : undefined,
    defaults.tier ?? DEFAULT_TIER,
  );
  const tierTargets = TIER_TARGETS[tier] ?? { rtoMinutes: 240, rpoMinutes: 60 };
  return {
    tier,
    targets: {
      rtoMinutes:
        typeof meta.rtoMinutes === 'number'
          ? meta.rtoMinutes
          : (defaults.rtoMinutes ?? tierTargets.rtoMinutes),
      rpoMinutes:
        typeof meta.rpoMinutes === 'number'
          ? meta.rpoMinutes
          : (defaults.rpoMinutes ?? tierTargets.rpoMinutes),
      assumed: meta.rtoMinutes === undefined || meta.rpoMinutes === undefined,
    },
  };
}

function cfnSystem(
  r: TemplateResource,
  template: Template,
  defaults: NonNullable<DrInput['defaults']>,
  coverage: (id: string) => BackupCoverage | undefined,
): DrSystem | undefined {
  const build = CFN_SYSTEMS[r.type];
  if (build === undefined) return undefined;
  const plan = coverage(r.id);
  const ctx: CfnContext = {
    resources: template.resources,
    ...(plan === undefined ? {} : { plan }),
    retain: (defaultRetains) =>
      r.deletionPolicy === undefined ? defaultRetains : RETAIN.has(r.deletionPolicy),
    replaceDeletes: r.updateReplacePolicy === undefined || r.updateReplacePolicy === 'Delete',
    backup: (pitr, retentionDays) => planBackup(plan, pitr, retentionDays),
  };
  const aspects = build(r, ctx);
  if (aspects === undefined) return undefined;
  // Types that keep their data by default (RDS) take a final snapshot when no policy is written.
  const deletionPolicy = r.deletionPolicy ?? (aspects.retainPolicy === true ? 'Snapshot' : 'Delete');
  return {
    name: r.id,
    type: r.type,
    ...cfnTargets(r, defaults),
    ...aspects,
    deletionPolicy,
    dependsOn: [],
    file: template.file,
    source: 'cloudformation',
    lineOf: (field) => r.lineOf(field === '' ? [] : field.split('.')),
  };
}

/** A template read through shared/analysis/iac: its data stores as systems, their Metadata suppressions. */
function readCloudFormation(
  file: { path: string; content: string },
  defaults: NonNullable<DrInput['defaults']>,
  into: ReadResult,
): void {
  const read = readTemplate(file);
  if (read === undefined) {
    into.skipped.push(file.path);
    return;
  }
  if ('error' in read) {
    into.problems.push({
      file: file.path,
      ...(read.line === undefined ? {} : { line: read.line }),
      message: read.error,
    });
    return;
  }
  const { template } = read;
  const coverage = backupCoverage(template.resources);
  for (const r of template.resources) {
    if (unmodelledStateful(r.type)) {
      into.unassessed.push({
        name: r.id,
        type: r.type,
        file: file.path,
        ...(r.line === undefined ? {} : { line: r.line }),
      });
      continue;
    }
    const system = cfnSystem(r, template, defaults, coverage);
    if (system === undefined) continue;
    into.systems.push(system);
    into.suppressions.push(
      parseCloudFormationIgnore(r.metadata, {
        kind: system.type,
        name: r.id,
        file: file.path,
        ...(r.line === undefined ? {} : { line: r.line }),
      }),
    );
  }
}

function readInventory(path: string, content: string, now: Date, into: ReadResult): void {
  const parsed = readDocumentOf(path, content, into.problems);
  if (parsed === undefined) return;
  const { value, lineOf } = parsed;
  const prefix: Path = Array.isArray(value) ? [] : ['systems'];
  const list = Array.isArray(value)
    ? value
    : isJson(value) && Array.isArray(value.systems)
      ? value.systems
      : undefined;
  if (list === undefined || !list.every((item) => isJson(item) && 'name' in item)) {
    into.skipped.push(path);
    return;
  }
  list.forEach((item, index) => {
    const at: Path = [...prefix, index];
    const system = systemSchema.safeParse(item);
    if (!system.success) {
      const [issue] = system.error.issues;
      const line = lineOf([
        ...at,
        ...(issue?.path.map((s) => (typeof s === 'symbol' ? String(s) : s)) ?? []),
      ]);
      into.problems.push({
        file: path,
        ...(line === undefined ? {} : { line }),
        message: `system ${index + 1}: ${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
      });
      return;
    }
    into.systems.push(fromInventory(system.data, path, (sub) => lineOf([...at, ...sub]), now));
  });
}

export function readSystems(input: DrInput, now: Date): ReadResult {
  const result: ReadResult = { systems: [], unassessed: [], problems: [], suppressions: [], skipped: [] };
  for (const system of input.systems ?? [])
    result.systems.push(fromInventory(system, undefined, () => undefined, now));
  for (const file of input.files ?? []) {
    if (/(^|\/)\.aiopsignore$/.test(file.path)) continue;
    if (!/\.(?:json|ya?ml|template)$/i.test(file.path)) {
      result.skipped.push(file.path);
      continue;
    }
    if (looksLikeTemplate(file.content)) readCloudFormation(file, input.defaults ?? {}, result);
    else readInventory(file.path, file.content, now, result);
  }
  return result;
}
