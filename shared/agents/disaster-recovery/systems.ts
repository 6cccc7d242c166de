import { CLOUDFORMATION_TAGS, LOOKS_LIKE_TEMPLATE } from '../../analysis/cloudformation.js';
import type { Locator, Path } from '../../analysis/documents/structured.js';
import { parseWithLines } from '../../analysis/documents/structured.js';
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

export interface Problem {
  file?: string;
  line?: number;
  message: string;
}

export interface ReadResult {
  systems: DrSystem[];
  problems: Problem[];
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

function refersTo(value: unknown, id: string): boolean {
  if (Array.isArray(value)) return value.some((v) => refersTo(v, id));
  if (!isJson(value)) return typeof value === 'string' && value.includes(`\${${id}`);
  if (value.Ref === id) return true;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[0] === id) return true;
  return Object.values(value).some((v) => refersTo(v, id));
}

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

function backupCoverage(resources: Record<string, Json>): (id: string) => BackupCoverage | undefined {
  const plans = new Map<string, BackupCoverage>();
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::Backup::BackupPlan') continue;
    const rules = (
      isJson(r.Properties) && isJson(r.Properties.BackupPlan) ? r.Properties.BackupPlan.BackupPlanRule : []
    ) as unknown;
    const list = Array.isArray(rules) ? rules.filter(isJson) : [];
    if (list.length === 0) continue;
    plans.set(id, {
      intervalMinutes: Math.min(...list.map((rule) => scheduleMinutes(rule.ScheduleExpression))),
      ...(list.some((rule) => isJson(rule.Lifecycle) && typeof rule.Lifecycle.DeleteAfterDays === 'number')
        ? {
            retentionDays: Math.max(
              ...list.map((rule) =>
                isJson(rule.Lifecycle) && typeof rule.Lifecycle.DeleteAfterDays === 'number'
                  ? rule.Lifecycle.DeleteAfterDays
                  : 0,
              ),
            ),
          }
        : {}),
      crossRegionCopy: list.some((rule) => Array.isArray(rule.CopyActions) && rule.CopyActions.length > 0),
      continuous: list.some((rule) => truth(rule.EnableContinuousBackup)),
    });
  }
  const selections = Object.values(resources).filter(
    (r) => r.Type === 'AWS::Backup::BackupSelection' && isJson(r.Properties),
  );
  return (id) => {
    for (const selection of selections) {
      const props = selection.Properties as Json;
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

function cfnSystem(
  id: string,
  resource: Json,
  resources: Record<string, Json>,
  file: string,
  lineOf: Locator,
  defaults: NonNullable<DrInput['defaults']>,
  coverage: (id: string) => BackupCoverage | undefined,
): DrSystem | undefined {
  const type = String(resource.Type);
  const p = isJson(resource.Properties) ? resource.Properties : {};
  const meta =
    isJson(resource.Metadata) && isJson(resource.Metadata.aiops) && isJson(resource.Metadata.aiops.dr)
      ? resource.Metadata.aiops.dr
      : {};
  const tier = tierOf(
    typeof meta.tier === 'number' || typeof meta.tier === 'string' ? meta.tier : undefined,
    defaults.tier ?? DEFAULT_TIER,
  );
  const tierTargets = TIER_TARGETS[tier] ?? { rtoMinutes: 240, rpoMinutes: 60 };
  const rto =
    typeof meta.rtoMinutes === 'number' ? meta.rtoMinutes : (defaults.rtoMinutes ?? tierTargets.rtoMinutes);
  const rpo =
    typeof meta.rpoMinutes === 'number' ? meta.rpoMinutes : (defaults.rpoMinutes ?? tierTargets.rpoMinutes);
  const deletionPolicy = typeof resource.DeletionPolicy === 'string' ? resource.DeletionPolicy : undefined;
  const replacePolicy =
    typeof resource.UpdateReplacePolicy === 'string' ? resource.UpdateReplacePolicy : undefined;
  const plan = coverage(id);
  const base = {
    name: id,
    type,
    tier,
    targets: {
      rtoMinutes: rto,
      rpoMinutes: rpo,
      assumed: meta.rtoMinutes === undefined || meta.rpoMinutes === undefined,
    },
    dependsOn: [] as string[],
    file,
    source: 'cloudformation' as const,
    lineOf: (field: string) => lineOf(['Resources', id, ...(field === '' ? [] : field.split('.'))]),
  };
  const planBackup = (pitr: boolean, retentionDays?: number) => ({
    exists: pitr || plan !== undefined,
    pitr: pitr || plan?.continuous === true,
    crossRegionCopy: plan?.crossRegionCopy === true,
    empty: false,
    ...(pitr || plan?.continuous
      ? { intervalMinutes: 5 }
      : plan === undefined
        ? {}
        : { intervalMinutes: plan.intervalMinutes }),
    ...(retentionDays !== undefined
      ? { retentionDays }
      : plan?.retentionDays === undefined
        ? {}
        : { retentionDays: plan.retentionDays }),
  });
  const retain = (defaultRetains: boolean) =>
    deletionPolicy === undefined ? defaultRetains : RETAIN.has(deletionPolicy);
  const replaceDeletes = replacePolicy === undefined || replacePolicy === 'Delete';

  switch (type) {
    case 'AWS::RDS::DBCluster': {
      const members = Object.values(resources).filter(
        (r) =>
          r.Type === 'AWS::RDS::DBInstance' &&
          isJson(r.Properties) &&
          refersTo(r.Properties.DBClusterIdentifier, id),
      ).length;
      const retention = typeof p.BackupRetentionPeriod === 'number' ? p.BackupRetentionPeriod : 1;
      return {
        ...base,
        kind: 'database',
        backup: planBackup(true, retention),
        multiAz: members >= 2,
        replica: { sameRegion: members >= 2, crossRegion: p.GlobalClusterIdentifier !== undefined },
        deletionProtected: truth(p.DeletionProtection),
        retainPolicy: retain(true),
        replacePolicyDeletes: replaceDeletes,
      };
    }
    case 'AWS::RDS::DBInstance': {
      if (p.DBClusterIdentifier !== undefined || p.SourceDBInstanceIdentifier !== undefined) return undefined;
      const retention =
        typeof p.BackupRetentionPeriod === 'number'
          ? p.BackupRetentionPeriod
          : Number(p.BackupRetentionPeriod ?? 1);
      return {
        ...base,
        kind: 'database',
        backup: { ...planBackup(retention > 0, retention > 0 ? retention : undefined) },
        multiAz: truth(p.MultiAZ),
        replica: { sameRegion: false, crossRegion: false },
        deletionProtected: truth(p.DeletionProtection),
        retainPolicy: retain(true),
        replacePolicyDeletes: replaceDeletes,
      };
    }
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable': {
      const replicas = Array.isArray(p.Replicas) ? p.Replicas.filter(isJson) : [];
      const pitrOf = (spec: unknown) => isJson(spec) && truth(spec.PointInTimeRecoveryEnabled);
      const pitr =
        pitrOf(p.PointInTimeRecoverySpecification) ||
        replicas.some((r) => pitrOf(r.PointInTimeRecoverySpecification));
      const protectedTable =
        truth(p.DeletionProtectionEnabled) ||
        (replicas.length > 0 && replicas.every((r) => truth(r.DeletionProtectionEnabled)));
      return {
        ...base,
        kind: 'table',
        backup: planBackup(pitr),
        multiAz: true,
        replica: { sameRegion: false, crossRegion: replicas.length > 1 },
        deletionProtected: protectedTable,
        retainPolicy: retain(false),
        replacePolicyDeletes: replaceDeletes,
      };
    }
    case 'AWS::S3::Bucket': {
      const versioning = isJson(p.VersioningConfiguration) && p.VersioningConfiguration.Status === 'Enabled';
      return {
        ...base,
        kind: 'bucket',
        backup: { ...planBackup(false), exists: versioning || plan !== undefined },
        replica: { sameRegion: false, crossRegion: p.ReplicationConfiguration !== undefined },
        retainPolicy: retain(false),
        replacePolicyDeletes: replaceDeletes,
        versioning,
        objectLock: truth(p.ObjectLockEnabled),
      };
    }
    case 'AWS::EFS::FileSystem': {
      const policy = isJson(p.BackupPolicy) && p.BackupPolicy.Status === 'ENABLED';
      const backup = planBackup(false);
      return {
        ...base,
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
        retainPolicy: retain(false),
        replacePolicyDeletes: replaceDeletes,
      };
    }
    case 'AWS::EC2::Volume': {
      const dlm = Object.values(resources).some((r) => r.Type === 'AWS::DLM::LifecyclePolicy');
      const backup = planBackup(false);
      return {
        ...base,
        kind: 'volume',
        backup: dlm && !backup.exists ? { ...backup, exists: true, intervalMinutes: 1440 } : backup,
        replica: { sameRegion: false, crossRegion: false },
        retainPolicy: retain(false),
        replacePolicyDeletes: replaceDeletes,
      };
    }
    default:
      return undefined;
  }
}

function readTemplate(
  path: string,
  content: string,
  defaults: NonNullable<DrInput['defaults']>,
  into: ReadResult,
): void {
  const parsed = parseWithLines(content, CLOUDFORMATION_TAGS);
  if ('error' in parsed) {
    into.problems.push({
      file: path,
      ...(parsed.line === undefined ? {} : { line: parsed.line }),
      message: parsed.error,
    });
    return;
  }
  const value = parsed.value;
  if (!isJson(value) || !isJson(value.Resources)) {
    into.skipped.push(path);
    return;
  }
  const resources = Object.fromEntries(
    Object.entries(value.Resources).filter((e): e is [string, Json] => isJson(e[1])),
  );
  const coverage = backupCoverage(resources);
  for (const [id, resource] of Object.entries(resources)) {
    const system = cfnSystem(id, resource, resources, path, parsed.lineOf, defaults, coverage);
    if (system === undefined) continue;
    into.systems.push(system);
    const line = parsed.lineOf(['Resources', id]);
    into.suppressions.push(
      parseCloudFormationIgnore(resource.Metadata, {
        kind: system.type,
        name: id,
        file: path,
        ...(line === undefined ? {} : { line }),
      }),
    );
  }
}

function readInventory(path: string, content: string, now: Date, into: ReadResult): void {
  const parsed = parseWithLines(content);
  if ('error' in parsed) {
    into.problems.push({
      file: path,
      ...(parsed.line === undefined ? {} : { line: parsed.line }),
      message: parsed.error,
    });
    return;
  }
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
    if (LOOKS_LIKE_TEMPLATE.test(file.content))
      readTemplate(file.path, file.content, input.defaults ?? {}, result);
    else readInventory(file.path, file.content, now, result);
  }
  return result;
}
