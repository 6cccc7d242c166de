/**
 * disaster-recovery: per system, the achievable RTO and RPO in three
 * scenarios, the gaps as findings, runbooks per scenario and a readiness grade.
 *
 * The model (minutes):
 * - backup RPO: 5 with point-in-time recovery / continuous backups (and 0 for
 *   a versioned bucket); else the backup interval (1440 when unknown); no
 *   backup: unbounded (null).
 * - restore RTO: 30 to provision + size at 100 GB / hour (0.6 min per GB;
 *   100 GB when unknown) → 90 by default.
 * - component failure: where the type decides it (DrSystem.failover), its
 *   own way: an RDS read replica promoted (10, 1), an Aurora / Neptune /
 *   DocumentDB reader taking over (1, 0) or a lone instance replaced over
 *   storage kept in three AZs (10, 0), an ElastiCache replica (2, 1); else
 *   Multi-AZ or a same-region replica fails over (2 min, RPO 0); DynamoDB, S3
 *   and regional EFS are multi-AZ by design (0, 0); otherwise a restore
 *   (restore RTO, backup RPO).
 * - ransomware / corruption: replicas copy the damage, so always a restore
 *   from backup (restore RTO, backup RPO).
 * - region outage: a cross-region replica is promoted (15, its lag or 1);
 *   else a cross-region backup copy is restored (restore RTO + 60 to stand
 *   up the stack, the backup interval); else unbounded.
 * - a service with no backups holds no data: redeployed in 30, RPO 0.
 * The tier sets which scenarios count: tier 1 all three, other tiers
 * component failure and corruption. Achievable = the worst of those.
 *
 * Score (`unit-mean`): per system 100 − Σ weights of its open findings
 * (critical 40, high 20, medium 8, low 3), at least 0; the overall score is their mean;
 * grade A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F.
 */
import type { InputProblem } from '../../analysis/documents/structured.js';
import { countFindings, type Finding, type Severity } from '../contract.js';
import { problemFindingInput } from '../scan/problems.js';
import { describeCounts, runScan } from '../scan/run.js';
import { deductionScore, unitMeanScore } from '../scan/score.js';
import { DR_RULES, type DrRuleId, MIN_RETENTION_DAYS, STALE_BACKUP_HOURS, SYSTEM_WEIGHTS } from './rules.js';
import type { DrInput, DrOutput } from './schema.js';
import { type DrSystem, type ReadResult, readSystems, type Unassessed } from './systems.js';

const countOpen = (open: readonly Finding[]) => countFindings(open);

type Estimate = { rtoMinutes: number | null; rpoMinutes: number | null };
type ScenarioId = 'database-failure' | 'region-outage' | 'ransomware';

function backupRpo(s: DrSystem): number | null {
  if (s.kind === 'bucket' && s.versioning === true) return 0;
  if (!s.backup.exists) return null;
  if (s.backup.pitr) return 5;
  return s.backup.intervalMinutes ?? 1440;
}

function restoreRto(s: DrSystem): number {
  return Math.round(30 + (s.sizeGb ?? 100) * 0.6);
}

export function estimatesOf(s: DrSystem): Record<ScenarioId, Estimate> {
  if (s.kind === 'other' && !s.backup.exists) {
    // No data of its own: redeployed from its build (30 min), nothing to lose.
    const redeploy = { rtoMinutes: 30, rpoMinutes: 0 };
    return { 'database-failure': redeploy, ransomware: redeploy, 'region-outage': redeploy };
  }
  const rpo = backupRpo(s);
  const restore: Estimate = { rtoMinutes: rpo === null ? null : restoreRto(s), rpoMinutes: rpo };
  const managedMultiAz =
    s.kind === 'table' || s.kind === 'bucket' || (s.kind === 'filesystem' && s.multiAz !== false);
  const failover = s.multiAz === true || s.replica.sameRegion;
  let region: Estimate = { rtoMinutes: null, rpoMinutes: null };
  if (s.replica.crossRegion) region = { rtoMinutes: 15, rpoMinutes: Math.ceil(s.replica.lagMinutes ?? 1) };
  else if (s.backup.crossRegionCopy && rpo !== null) {
    region = {
      rtoMinutes: restoreRto(s) + 60,
      rpoMinutes: s.backup.pitr
        ? s.backup.intervalMinutes === 5
          ? 1440
          : (s.backup.intervalMinutes ?? 1440)
        : rpo,
    };
  }
  return {
    'database-failure': s.failover
      ? { rtoMinutes: s.failover.rtoMinutes, rpoMinutes: s.failover.rpoMinutes }
      : managedMultiAz
        ? { rtoMinutes: 0, rpoMinutes: 0 }
        : failover
          ? { rtoMinutes: 2, rpoMinutes: 0 }
          : restore,
    ransomware: restore,
    'region-outage': region,
  };
}

function worst(values: readonly (number | null)[]): number | null {
  return values.some((v) => v === null) ? null : Math.max(0, ...(values as number[]));
}

function required(s: DrSystem): ScenarioId[] {
  return s.tier === 1
    ? ['database-failure', 'ransomware', 'region-outage']
    : ['database-failure', 'ransomware'];
}

const fmt = (minutes: number | null) =>
  minutes === null
    ? 'unbounded'
    : minutes >= 1440 && minutes % 60 === 0
      ? `${minutes / 60} h`
      : `${minutes} min`;

interface Gap {
  rule: DrRuleId;
  field: string;
  message: string;
  severity?: Severity;
}

const labelOf = (s: DrSystem) => `${s.name} (tier ${s.tier})`;

/** What survives a region loss for the clustered engines: their storage spans AZs, not regions. */
function regionRemedy(s: DrSystem): string {
  if (s.type === 'AWS::RDS::DBCluster' || s.type === 'AWS::Neptune::DBCluster')
    return ' (its storage spans Availability Zones, not regions: add a global database or copy its backups to another region)';
  if (s.type.startsWith('AWS::ElastiCache'))
    return ' (add a Global Datastore or copy its snapshots to another region)';
  return '';
}

/** No, empty, stale, untested or single-region backups (DR008, DR009, DR001, DR002, DR003). */
function backupGaps(s: DrSystem, now: Date, staleHours: number): Gap[] {
  const out: Gap[] = [];
  const tier1 = s.tier === 1;
  const stateful = s.kind !== 'other' || s.backup.exists;
  const label = labelOf(s);
  if (s.kind !== 'bucket' && s.kind !== 'other' && !s.backup.exists) {
    out.push({
      rule: 'DR008',
      field: s.source === 'inventory' ? 'backups' : 'Properties',
      message: `${label} has no backup: its RPO is unbounded.`,
      ...(tier1 ? { severity: 'critical' as const } : {}),
    });
  }
  if (s.backup.empty)
    out.push({ rule: 'DR009', field: 'backups', message: `${label}: the last backup is empty.` });
  if (s.backup.lastAt !== undefined) {
    const hours = (now.getTime() - s.backup.lastAt) / 3_600_000;
    if (hours > staleHours) {
      out.push({
        rule: 'DR001',
        field: 'backups.last',
        message: `${label}: the last backup is ${Math.floor(hours)} h old (over ${staleHours} h).`,
      });
    }
  }
  if (s.backup.exists && s.backup.tested !== undefined && s.backup.tested !== true) {
    out.push({
      rule: 'DR002',
      field: 'backups.tested',
      message: `${label}: backups ${s.backup.tested === 'stale' ? 'were last restore-tested over 90 days ago' : 'have never been restore-tested'}.`,
      ...(tier1 ? { severity: 'high' as const } : {}),
    });
  }
  if (tier1 && stateful && !s.backup.crossRegionCopy && !s.replica.crossRegion) {
    out.push({
      rule: 'DR003',
      field: s.source === 'inventory' ? 'backups' : 'Properties',
      message: `${label} has no cross-region backup copy or replica: a region outage makes it unrecoverable${regionRemedy(s)}.`,
    });
  }
  return out;
}

/** DR005: one Availability Zone, or a failover with a weakness. */
function availabilityGaps(s: DrSystem, label: string, tier1: boolean): Gap[] {
  const out: Gap[] = [];
  if (s.failover?.weakness !== undefined) {
    out.push({
      rule: 'DR005',
      field: s.type.startsWith('AWS::ElastiCache') ? 'Properties.AutomaticFailoverEnabled' : '',
      message: `${label} ${s.failover.weakness}.`,
      ...(tier1 ? { severity: 'high' as const } : {}),
    });
  } else if (
    s.failover === undefined &&
    (s.kind === 'database' || s.kind === 'filesystem') &&
    s.multiAz !== true &&
    !s.replica.sameRegion
  ) {
    out.push({
      rule: 'DR005',
      field:
        s.source === 'inventory'
          ? 'multiAz'
          : s.type === 'AWS::RDS::DBInstance'
            ? 'Properties.MultiAZ'
            : s.kind === 'filesystem'
              ? 'Properties.AvailabilityZoneName'
              : 'Properties',
      message: `${label} runs in one Availability Zone with no replica: an AZ or instance failure means a restore (${fmt(restoreRto(s))}).`,
      ...(tier1 ? { severity: 'high' as const } : {}),
    });
  }
  return out;
}

/** DR006: what can delete the data in one step. */
function deletionGaps(s: DrSystem, label: string, tier1: boolean): Gap[] {
  const out: Gap[] = [];
  const deletable =
    s.source === 'inventory'
      ? (s.kind === 'database' || s.kind === 'table' || s.kind === 'filesystem') &&
        s.deletionProtected !== true
      : s.deletionProtected !== true && s.retainPolicy !== true;
  const loss =
    s.kind === 'bucket'
      ? bucketLoss(s, label)
      : `${label} can be deleted by one call or stack deletion: no deletion protection${s.source === 'cloudformation' ? ' and a DeletionPolicy that deletes' : ''}.`;
  if (
    loss !== undefined &&
    (deletable || (s.source === 'inventory' && s.deletionProtected === false && s.kind !== 'other'))
  ) {
    out.push({
      rule: 'DR006',
      field:
        s.source === 'inventory'
          ? 'deletionProtection'
          : /^AWS::(?:RDS|Neptune|DocDB)::/.test(s.type)
            ? 'Properties.DeletionProtection'
            : s.type.startsWith('AWS::DynamoDB')
              ? 'Properties.DeletionProtectionEnabled'
              : '',
      message: loss,
      ...(tier1 ? { severity: 'high' as const } : {}),
    });
  }
  return out;
}

/** Backups too rare for the RPO (DR004), single AZ (DR005), deletable (DR006), unversioned (DR007), replaced (DR010). */
function resilienceGaps(s: DrSystem): Gap[] {
  const out: Gap[] = [];
  const tier1 = s.tier === 1;
  const label = labelOf(s);
  const rpo = backupRpo(s);
  if (rpo !== null && rpo > s.targets.rpoMinutes) {
    out.push({
      rule: 'DR004',
      field: s.source === 'inventory' ? 'backups.frequency' : 'Properties',
      message: `${label}: RPO target ${fmt(s.targets.rpoMinutes)}${s.targets.assumed ? ' (tier default)' : ''} but backups every ${fmt(rpo)} lose up to ${fmt(rpo)}.`,
    });
  }
  out.push(...availabilityGaps(s, label, tier1), ...deletionGaps(s, label, tier1));
  if (s.kind === 'bucket' && s.versioning !== true) {
    out.push({
      rule: 'DR007',
      field: s.source === 'inventory' ? 'versioning' : 'Properties.VersioningConfiguration',
      message: `Bucket ${label} has no versioning: overwritten or deleted objects cannot be recovered.`,
      ...(tier1 ? { severity: 'high' as const } : {}),
    });
  }
  if (
    s.source === 'cloudformation' &&
    s.retainPolicy === true &&
    s.replacePolicyDeletes === true &&
    s.kind !== 'bucket'
  ) {
    out.push({
      rule: 'DR010',
      field: '',
      message:
        s.deletionPolicy === 'Snapshot'
          ? `${label}: a stack deletion deletes it after a final snapshot (DeletionPolicy Snapshot), but a replacement deletes it with no snapshot (UpdateReplacePolicy Delete).`
          : `${label} is retained on stack deletion (DeletionPolicy ${s.deletionPolicy ?? 'Retain'}) but a replacement deletes it (UpdateReplacePolicy Delete).`,
    });
  }
  return out;
}

/**
 * How a bucket's data can be lost. Deleting a bucket that still holds objects
 * fails (the API and a stack deletion alike), so the risk is to the objects.
 */
function bucketLoss(s: DrSystem, label: string): string | undefined {
  const ways = [
    ...(s.versioning === true ? [] : ['object deletes and overwrites are permanent (no versioning)']),
    ...(s.expiresAfterDays === undefined
      ? []
      : [
          `a lifecycle rule expires objects${s.expiresAfterDays > 0 ? ` after ${s.expiresAfterDays} days` : ' on a date'}`,
        ]),
    ...(s.objectLock === true
      ? []
      : [
          `no Object Lock${s.source === 'cloudformation' ? '' : ' or MFA delete'} keeps versions from being deleted`,
        ]),
  ];
  if (ways.length === 0) return undefined;
  const stack =
    s.source === 'cloudformation'
      ? `; DeletionPolicy ${s.deletionPolicy ?? 'Delete'} removes the bucket with the stack once it is empty`
      : '';
  return `Bucket ${label}: a non-empty bucket cannot be deleted in one call, but its data can be lost: ${ways.join('; ')}${stack}.`;
}

/** Recovery slower than the RTO (DR011), retention too short (DR012). */
function targetGaps(s: DrSystem, boundedRto: number | null): Gap[] {
  const out: Gap[] = [];
  const label = labelOf(s);
  // Unbounded scenarios are DR003 / DR008 findings; DR011 compares the bounded ones.
  if (boundedRto !== null && boundedRto > s.targets.rtoMinutes) {
    out.push({
      rule: 'DR011',
      field: s.source === 'inventory' ? 'rtoMinutes' : 'Properties',
      message: `${label}: RTO target ${fmt(s.targets.rtoMinutes)}${s.targets.assumed ? ' (tier default)' : ''} but recovery takes about ${fmt(boundedRto)}.`,
    });
  }
  if (
    s.backup.exists &&
    s.backup.retentionDays !== undefined &&
    s.backup.retentionDays < MIN_RETENTION_DAYS
  ) {
    out.push({
      rule: 'DR012',
      field: s.source === 'inventory' ? 'backups.retentionDays' : 'Properties.BackupRetentionPeriod',
      message: `${label} keeps backups ${s.backup.retentionDays} day${s.backup.retentionDays === 1 ? '' : 's'}: corruption found later has no clean recovery point.`,
      ...(s.tier <= 2 ? { severity: 'medium' as const } : {}),
    });
  }
  return out;
}

function gaps(s: DrSystem, boundedRto: number | null, now: Date, staleHours: number): Gap[] {
  return [...backupGaps(s, now, staleHours), ...resilienceGaps(s), ...targetGaps(s, boundedRto)];
}

/** A system with no data of its own (a service without backups): redeployed, not restored. */
const stateless = (s: DrSystem) => s.kind === 'other' && !s.backup.exists;

/** Systems ordered so dependencies come first, then by tier and name. */
function recoveryOrder(systems: readonly DrSystem[]): DrSystem[] {
  const byName = new Map(systems.map((s) => [s.name, s]));
  const sorted = [...systems].sort((a, b) => a.tier - b.tier || a.name.localeCompare(b.name));
  const out: DrSystem[] = [];
  const seen = new Set<string>();
  const visit = (s: DrSystem, stack: Set<string>) => {
    if (seen.has(s.name) || stack.has(s.name)) return;
    stack.add(s.name);
    for (const dep of s.dependsOn) {
      const d = byName.get(dep);
      if (d !== undefined) visit(d, stack);
    }
    seen.add(s.name);
    out.push(s);
  };
  for (const s of sorted) visit(s, new Set());
  return out;
}

interface ScenarioPlan {
  id: ScenarioId;
  title: string;
  affected: DrSystem[];
  first: string[];
  per: (s: DrSystem) => string;
  last: string[];
}

/** A scenario's runbook (steps in recovery order) and its worst estimates. */
function buildScenario(
  plan: ScenarioPlan,
  est: Map<DrSystem, Record<ScenarioId, Estimate>>,
): DrOutput['scenarios'][number] {
  const { id, affected } = plan;
  const steps: DrOutput['scenarios'][number]['steps'] = [];
  const push = (action: string, system?: string) =>
    steps.push({ order: steps.length + 1, ...(system === undefined ? {} : { system }), action });
  for (const a of plan.first) push(a);
  for (const s of affected) {
    push(
      stateless(s)
        ? `Redeploy ${s.name} from a known-good build${id === 'region-outage' ? ' in the recovery region' : ''} once its dependencies are back`
        : plan.per(s),
      s.name,
    );
  }
  for (const a of plan.last) push(a);
  const values = affected
    .filter((s) => !stateless(s))
    .map((s) => est.get(s)?.[id] ?? { rtoMinutes: null, rpoMinutes: null });
  const gapsList = affected
    .filter((s) => !stateless(s) && (est.get(s)?.[id]?.rpoMinutes ?? null) === null)
    .map((s) => `${s.name}: no recovery path in this scenario`);
  return {
    id,
    title: plan.title,
    affected: affected.map((s) => s.name),
    estimatedRtoMinutes: values.length === 0 ? 0 : worst(values.map((v) => v.rtoMinutes)),
    estimatedRpoMinutes: values.length === 0 ? 0 : worst(values.map((v) => v.rpoMinutes)),
    steps,
    gaps: gapsList,
  };
}

const restoreStep = (s: DrSystem) =>
  s.backup.pitr
    ? `Restore ${s.name} to a new ${s.kind === 'table' ? 'table' : 'instance'} at the last clean point in time (PITR), then repoint its clients`
    : s.backup.exists
      ? `Restore ${s.name} from its latest backup into a new ${s.kind === 'bucket' ? 'bucket' : 'resource'} and repoint its clients`
      : `${s.name} has no backup: rebuild it and reload its data from the source systems (data since the last export is lost)`;

function scenarios(
  systems: readonly DrSystem[],
  est: Map<DrSystem, Record<ScenarioId, Estimate>>,
): DrOutput['scenarios'] {
  const ordered = recoveryOrder(systems);
  const databases = ordered.filter((s) => s.kind === 'database' || s.kind === 'table');
  const build = (
    id: ScenarioId,
    title: string,
    affected: DrSystem[],
    first: string[],
    per: (s: DrSystem) => string,
    last: string[],
  ) => buildScenario({ id, title, affected, first, per, last }, est);
  return [
    build(
      'database-failure',
      'Database failure (instance or Availability Zone)',
      databases,
      ['Declare the incident, name an incident lead, and stop writes that would fail or duplicate'],
      (s) =>
        s.failover !== undefined
          ? s.failover.step
          : s.kind === 'table'
            ? `${s.name}: DynamoDB is multi-AZ; confirm the table answers and check throttling`
            : s.multiAz === true || s.replica.sameRegion
              ? `Confirm ${s.name} failed over to its standby (${s.multiAz === true ? 'Multi-AZ, ~1–2 min' : 'replica'}); if not, force a failover or promote the replica`
              : restoreStep(s),
      [
        'Verify data integrity (row counts, latest writes) and application health checks',
        'Resume traffic, then write the post-incident review',
      ],
    ),
    build(
      'region-outage',
      'Region outage',
      ordered,
      [
        'Declare a regional disaster and freeze deployments',
        'Stand up the application stack in the recovery region (infrastructure as code)',
      ],
      (s) =>
        s.replica.crossRegion
          ? `Promote the cross-region replica of ${s.name} in the recovery region`
          : s.backup.crossRegionCopy
            ? `Restore ${s.name} from its cross-region backup copy in the recovery region`
            : `${s.name} has no copy outside the region: wait for the region to return (gap)`,
      [
        'Switch DNS / traffic to the recovery region and verify end-to-end',
        'Plan the fail-back once the primary region is healthy',
      ],
    ),
    build(
      'ransomware',
      'Ransomware or data corruption',
      ordered,
      [
        'Isolate: revoke the compromised credentials and keys, block the attacker, keep evidence (snapshots of the damaged stores)',
        'Find the time of the first damage from audit logs (CloudTrail) to choose recovery points before it',
      ],
      (s) =>
        s.kind === 'bucket'
          ? s.versioning === true
            ? `Restore the object versions of ${s.name} from before the damage${s.objectLock === true ? ' (Object Lock kept them immutable)' : ''}`
            : `${s.name} has no versioning: restore objects from another copy, or accept the loss (gap)`
          : restoreStep(s),
      [
        'Rotate every secret the restored systems use, verify data, then reopen access',
        'Report as required (regulators, customers) and review',
      ],
    ),
  ];
}

function unassessedFinding(u: Unassessed): Finding {
  return DR_RULES.finding('DR013', {
    message: `${u.name} (${u.type}) holds data in a type this agent does not model: its backups, replicas and failover were not assessed.`,
    resource: { kind: u.type, name: u.name, file: u.file, ...(u.line === undefined ? {} : { line: u.line }) },
  });
}

function problemFinding(problem: InputProblem): Finding {
  return DR_RULES.finding('DR000', problemFindingInput(problem));
}

interface Assessment {
  estimates: Record<ScenarioId, Estimate>;
  achievable: Estimate;
  findings: Finding[];
}

/** A system's estimates per scenario, what it achieves in the scenarios its tier requires, and its gaps. */
function assess(s: DrSystem, now: Date): Assessment {
  const estimates = estimatesOf(s);
  const scen = required(s);
  const achievable = {
    rtoMinutes: worst(scen.map((id) => estimates[id].rtoMinutes)),
    rpoMinutes: worst(scen.map((id) => estimates[id].rpoMinutes)),
  };
  const bounded = scen.map((id) => estimates[id].rtoMinutes).filter((v): v is number => v !== null);
  const boundedRto = bounded.length === 0 ? null : Math.max(...bounded);
  const findings = gaps(s, boundedRto, now, STALE_BACKUP_HOURS).map((gap) => {
    const line = s.lineOf(gap.field) ?? s.lineOf('');
    return DR_RULES.finding(gap.rule, {
      message: gap.message,
      resource: {
        kind: s.type,
        name: s.name,
        ...(s.file === undefined ? {} : { file: s.file }),
        ...(line === undefined ? {} : { line }),
      },
      ...(gap.severity === undefined ? {} : { severity: gap.severity }),
      evidence: { tier: s.tier, targets: s.targets, achievable },
    });
  });
  return { estimates, achievable, findings };
}

function systemReport(
  s: DrSystem,
  assessment: Assessment,
  open: readonly Finding[],
): DrOutput['systems'][number] {
  const mine = open.filter(
    (f) => f.resource?.name === s.name && f.resource?.kind === s.type && f.resource?.file === s.file,
  );
  const { achievable } = assessment;
  const line = s.lineOf('');
  return {
    name: s.name,
    type: s.type,
    tier: s.tier,
    ...(s.file === undefined ? {} : { file: s.file }),
    ...(line === undefined ? {} : { line }),
    targets: s.targets,
    achievable,
    byScenario: assessment.estimates,
    meetsRto: achievable.rtoMinutes !== null && achievable.rtoMinutes <= s.targets.rtoMinutes,
    meetsRpo: achievable.rpoMinutes !== null && achievable.rpoMinutes <= s.targets.rpoMinutes,
    score: deductionScore(mine, SYSTEM_WEIGHTS),
    findings: mine.length,
  };
}

const gradeOf = (score: number) =>
  score >= 90 ? 'A' : score >= 80 ? 'B' : score >= 70 ? 'C' : score >= 60 ? 'D' : 'F';

export async function analyzeDr(input: DrInput, context: { now: Date }): Promise<DrOutput> {
  const { now } = context;
  const assessments = new Map<DrSystem, Assessment>();
  let read: ReadResult = { systems: [], unassessed: [], problems: [], suppressions: [], skipped: [] };
  const scan = await runScan({
    files: input.files ?? [],
    ignore: input.ignore,
    inline: false,
    check: (files) => {
      read = readSystems({ ...input, files: [...files] }, now);
      for (const s of read.systems) assessments.set(s, assess(s, now));
      const findings = [
        ...read.problems.map(problemFinding),
        ...read.unassessed.map(unassessedFinding),
        ...[...assessments.values()].flatMap((a) => a.findings),
      ];
      return { findings, suppressions: read.suppressions };
    },
  });
  const systems = read.systems.map((s) => systemReport(s, assessments.get(s) as Assessment, scan.open));
  // Data in a store the model does not know may be unprotected: the grade stays below A.
  const unassessed = read.unassessed.length;
  const score = unassessed > 0 ? Math.min(unitMeanScore(systems), 89) : unitMeanScore(systems);
  const grade = gradeOf(score);
  const confidence = unassessed === 0 ? 'high' : unassessed < systems.length ? 'medium' : 'low';
  const metrics: Record<string, number> = {
    systems: systems.length,
    tier1: systems.filter((s) => s.tier === 1).length,
    meetingRto: systems.filter((s) => s.meetsRto).length,
    meetingRpo: systems.filter((s) => s.meetsRpo).length,
    findings: scan.open.length,
    suppressed: scan.suppressed,
    parseErrors: read.problems.length,
    filesSkipped: read.skipped.length,
    unassessed,
  };
  const summary =
    `${systems.length} system${systems.length === 1 ? '' : 's'} assessed: ${metrics.meetingRto} meet${metrics.meetingRto === 1 ? 's' : ''} the RTO target, ${metrics.meetingRpo} the RPO target; ` +
    describeCounts(countOpen(scan.open)) +
    `${metrics.suppressed ? ` (${metrics.suppressed} suppressed)` : ''}. Readiness grade ${grade} (${score}/100)` +
    (unassessed === 0
      ? '.'
      : `, confidence ${confidence}: ${unassessed} data store${unassessed === 1 ? '' : 's'} of a type not modelled (${[...new Set(read.unassessed.map((u) => u.type))].join(', ')}) not assessed.`);
  const est = new Map([...assessments].map(([s, a]) => [s, a.estimates]));
  return {
    summary,
    score,
    grade,
    confidence,
    findings: scan.findings,
    metrics,
    systems,
    scenarios: scenarios(read.systems, est),
  };
}
