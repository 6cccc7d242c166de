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
  replacePolicyDeletes?: boolean;
  versioning?: boolean;
  objectLock?: boolean;
  sizeGb?: number;
  dependsOn: string[];
  file?: string;
  source: 'inventory' | 'cloudformation';
  lineOf(field: string): number | undefined;
}

export interface ReadResult {
  systems: DrSystem[];
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

const dbCluster: CfnBuild = (r, ctx) => {
  const p = r.properties;
  const members = ctx.resources.filter(
    (m) => m.type === 'AWS::RDS::DBInstance' && refersTo(m.properties.DBClusterIdentifier, r.id),
  ).length;
  const retention = typeof p.BackupRetentionPeriod === 'number' ? p.BackupRetentionPeriod : 1;
  return {
    kind: 'database',
    backup: ctx.backup(true, retention),
    multiAz: members >= 2,
    replica: { sameRegion: members >= 2, crossRegion: p.GlobalClusterIdentifier !== undefined },
    deletionProtected: truth(p.DeletionProtection),
    retainPolicy: ctx.retain(true),
    replacePolicyDeletes: ctx.replaceDeletes,
  };
};

const dbInstance: CfnBuild = (r, ctx) => {
  const p = r.properties;
  if (p.DBClusterIdentifier !== undefined || p.SourceDBInstanceIdentifier !== undefined) return undefined;
  const retention = Number(p.BackupRetentionPeriod ?? 1);
  return {
    kind: 'database',
    backup: ctx.backup(retention > 0, retention > 0 ? retention : undefined),
    multiAz: truth(p.MultiAZ),
    replica: { sameRegion: false, crossRegion: false },
    deletionProtected: truth(p.DeletionProtection),
    retainPolicy: ctx.retain(true),
    replacePolicyDeletes: ctx.replaceDeletes,
  };
};

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
  return {
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
};

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
  return {
    name: r.id,
    type: r.type,
    ...cfnTargets(r, defaults),
    ...aspects,
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
  const result: ReadResult = { systems: [], problems: [], suppressions: [], skipped: [] };
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
