/**
 * cost-optimizer: per resource, the rules run in an order that keeps savings
 * additive — idle (COST001), unattached (COST005) and old snapshots (COST004)
 * save the whole cost and end the resource's list; otherwise rightsizing
 * (COST002), the current generation (COST006), Graviton (COST007), lifecycle
 * rules (COST008) and finally a commitment (COST003) each save a share of
 * what the previous steps left. Money is integer cents: each saving is
 * rounded once (Math.round of the remaining cents × the rate) and totals add
 * cents, so a hand computation matches to the cent. Suppressions are applied
 * last; suppressed findings leave the totals.
 */

import type { Path } from '../../analysis/documents/structured.js';
import { type Finding, SEVERITIES, type Severity } from '../contract.js';
import { problemFindingInput } from '../scan/problems.js';
import { runScan, type ScanResult } from '../scan/run.js';
import { savingsShareScore } from '../scan/score.js';
import {
  CATALOG_SOURCE,
  type CatalogType,
  COMMITMENT_DISCOUNTS,
  catalogType,
  EBS_GB_MONTH_USD,
  familyClass,
  GP3_SAVINGS_RATE,
  HOURS_PER_MONTH,
  hourlyPrice,
  IDLE_EIP_HOUR_USD,
  INSTANCE_TYPES,
  LIFECYCLE_SAVINGS_RATE,
  SNAPSHOT_GB_MONTH_USD,
  splitType,
} from './catalog.js';
import { forecastCosts } from './forecast.js';
import { COST_RULES, type CostRuleId, DEFAULTS } from './rules.js';
import type { CostInput, CostOutput, CostResource } from './schema.js';
import { readSources, type SourcedResource, type Sources } from './sources.js';
import type { TemplateCost } from './sources-model.js';

const KIND_ALIASES: Readonly<Record<string, string>> = {
  ec2: 'ec2',
  'ec2-instance': 'ec2',
  instance: 'ec2',
  vm: 'ec2',
  'aws::ec2::instance': 'ec2',
  rds: 'rds',
  'rds-instance': 'rds',
  db: 'rds',
  database: 'rds',
  aurora: 'rds',
  'aws::rds::dbinstance': 'rds',
  elasticache: 'elasticache',
  cache: 'elasticache',
  redis: 'elasticache',
  memcached: 'elasticache',
  'aws::elasticache::cachecluster': 'elasticache',
  ebs: 'ebs',
  volume: 'ebs',
  'ebs-volume': 'ebs',
  'aws::ec2::volume': 'ebs',
  snapshot: 'snapshot',
  'ebs-snapshot': 'snapshot',
  'rds-snapshot': 'snapshot',
  'db-snapshot': 'snapshot',
  eip: 'eip',
  'elastic-ip': 'eip',
  elasticip: 'eip',
  address: 'eip',
  'aws::ec2::eip': 'eip',
  s3: 's3',
  bucket: 's3',
  's3-bucket': 's3',
  'aws::s3::bucket': 's3',
  lambda: 'lambda',
  'aws::lambda::function': 'lambda',
  fargate: 'fargate',
  ecs: 'fargate',
};

export function kindOf(type: string): string {
  const key = type.trim().toLowerCase();
  return KIND_ALIASES[key] ?? key;
}

function pricingModelOf(value: string | undefined): string {
  const v = (value ?? 'on-demand').toLowerCase().replace(/[\s_]+/g, '-');
  if (/^on-?demand$/.test(v)) return 'on-demand';
  if (/reserv|^ri$/.test(v)) return 'reserved';
  if (/saving/.test(v)) return 'savings-plan';
  if (/spot/.test(v)) return 'spot';
  return v;
}

interface Step {
  rule: CostRuleId;
  savingsCents: number;
  message: string;
  field: Path;
  current?: string;
  recommended?: string;
  evidence?: Record<string, unknown>;
}

interface Options {
  headroom: number;
  snapshotMaxAgeDays: number;
  discounts: Record<string, number>;
  now: Date;
}

const usd = (cents: number) => `$${(cents / 100).toFixed(2)}`;
const pct = (rate: number) => `${Math.round(rate * 1000) / 10} %`;

function ageDays(resource: CostResource, now: Date): number | undefined {
  if (resource.age !== undefined) return resource.age;
  if (resource.createdAt === undefined) return undefined;
  return (now.getTime() - Date.parse(resource.createdAt)) / 86_400_000;
}

/** The monthly cost in cents: as given, else estimated from the catalog and sizes. */
function monthlyCents(resource: CostResource, kind: string): number {
  if (resource.monthlyCost !== undefined) return Math.round(resource.monthlyCost * 100);
  const type = catalogType(resource.instanceType);
  let usdMonth = 0;
  if (type !== undefined)
    usdMonth = hourlyPrice(type, resource.region) * HOURS_PER_MONTH * ((resource.uptime ?? 100) / 100);
  else if (kind === 'ebs')
    usdMonth = (resource.sizeGiB ?? 0) * (EBS_GB_MONTH_USD[resource.volumeType ?? 'gp2'] ?? 0.1);
  else if (kind === 'snapshot') usdMonth = (resource.sizeGiB ?? 0) * SNAPSHOT_GB_MONTH_USD;
  else if (kind === 'eip' && resource.attached === false) usdMonth = IDLE_EIP_HOUR_USD * HOURS_PER_MONTH;
  return Math.round(usdMonth * 100);
}

function isArm(resource: CostResource, type: CatalogType | undefined): boolean {
  if (resource.architecture !== undefined) return /arm|aarch|graviton/i.test(resource.architecture);
  return type?.arch === 'arm64';
}

/** The cheapest catalog type of the same service, class and size that `filter` accepts. */
function cheapestSibling(type: CatalogType, filter: (t: CatalogType) => boolean): CatalogType | undefined {
  const { family, size } = splitType(type.type);
  const cls = familyClass(family);
  return INSTANCE_TYPES.filter(
    (t) =>
      t.service === type.service &&
      splitType(t.type).size === size &&
      familyClass(splitType(t.type).family) === cls &&
      filter(t),
  ).sort((a, b) => a.hourlyUsd - b.hourlyUsd || (a.type < b.type ? 1 : -1))[0];
}

function rightsize(resource: CostResource, type: CatalogType, headroom: number): CatalogType | undefined {
  const util = resource.utilisation ?? resource.utilization;
  const cpu = util?.cpu;
  if (cpu === undefined) return undefined;
  const needVcpu = Math.max((type.vcpu * cpu.p95 * headroom) / 100, (type.vcpu * (cpu.max ?? 0)) / 100);
  const memory = util?.memory;
  const needMemory =
    memory === undefined
      ? type.memoryGiB
      : Math.max((type.memoryGiB * memory.p95 * headroom) / 100, (type.memoryGiB * (memory.max ?? 0)) / 100);
  const { family } = splitType(type.type);
  return INSTANCE_TYPES.filter(
    (t) =>
      splitType(t.type).family === family &&
      t.hourlyUsd < type.hourlyUsd &&
      t.vcpu >= needVcpu - 1e-9 &&
      t.memoryGiB >= needMemory - 1e-9,
  ).sort((a, b) => a.hourlyUsd - b.hourlyUsd)[0];
}

function isIdle(resource: CostResource): boolean {
  const util = resource.utilisation ?? resource.utilization;
  const cpu = util?.cpu;
  if (cpu === undefined) return false;
  if (cpu.p95 >= DEFAULTS.idleCpuP95Percent) return false;
  if (cpu.max !== undefined && cpu.max >= DEFAULTS.idleCpuMaxPercent) return false;
  const network = util?.network;
  return network === undefined || network.p95 < DEFAULTS.idleNetworkP95;
}

function hasLifecycle(value: CostResource['lifecycleRules']): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value > 0;
  return value.length > 0;
}

/** The steps of one resource so far and what is left of its monthly cost. */
class Steps {
  readonly list: Step[] = [];

  constructor(public remaining: number) {}

  /** Saves `rate` of what is left (rounded once, in cents). */
  take(rule: CostRuleId, rate: number, step: Omit<Step, 'rule' | 'savingsCents'>): void {
    const savingsCents = Math.max(0, Math.round(this.remaining * rate));
    this.remaining -= savingsCents;
    this.list.push({ rule, savingsCents, ...step });
  }

  /** The saving `rate` would give now, for messages. */
  preview(rate: number): string {
    return usd(Math.round(this.remaining * rate));
  }
}

/** Idle, unattached and old: the whole cost is saved and nothing else applies. */
function wholeCostStep(item: SourcedResource, kind: string, steps: Steps, options: Options): boolean {
  const { resource } = item;
  const name = `${kind} ${resource.id}`;
  if (isIdle(resource)) {
    const cpu = (resource.utilisation ?? resource.utilization)?.cpu;
    steps.take('COST001', 1, {
      message: `${name} is idle: CPU p95 ${cpu?.p95} %${cpu?.max === undefined ? '' : `, max ${cpu.max} %`}; stopping it saves ${usd(steps.remaining)}/month.`,
      field: ['utilisation' in resource ? 'utilisation' : 'utilization', 'cpu'],
      evidence: { utilisation: resource.utilisation ?? resource.utilization },
    });
    return true;
  }
  if ((kind === 'ebs' || kind === 'eip') && resource.attached === false) {
    steps.take('COST005', 1, {
      message:
        kind === 'ebs'
          ? `Volume ${resource.id}${resource.sizeGiB === undefined ? '' : ` (${resource.sizeGiB} GiB ${resource.volumeType ?? ''})`.replace(' )', ')')} is attached to no instance: ${usd(steps.remaining)}/month.`
          : `Elastic IP ${resource.id} is associated with nothing: ${usd(steps.remaining)}/month.`,
      field: ['attached'],
    });
    return true;
  }
  const age = kind === 'snapshot' ? ageDays(resource, options.now) : undefined;
  if (age === undefined || age <= options.snapshotMaxAgeDays) return false;
  steps.take('COST004', 1, {
    message: `Snapshot ${resource.id} is ${Math.floor(age)} days old (over ${options.snapshotMaxAgeDays}): ${usd(steps.remaining)}/month.`,
    field: [resource.age !== undefined ? 'age' : 'createdAt'],
    evidence: { ageDays: Math.floor(age) },
  });
  return true;
}

/** COST002 rightsizing: the type after it. */
function rightsizeStep(
  resource: CostResource,
  name: string,
  type: CatalogType,
  steps: Steps,
  options: Options,
) {
  const smaller = rightsize(resource, type, options.headroom);
  if (smaller === undefined) return type;
  const rate = 1 - smaller.hourlyUsd / type.hourlyUsd;
  steps.take('COST002', rate, {
    message: `${name} (${type.type}, ${type.vcpu} vCPU, ${type.memoryGiB} GiB) fits ${smaller.type} (${smaller.vcpu} vCPU, ${smaller.memoryGiB} GiB) at p95 × ${options.headroom}: saves ${steps.preview(rate)}/month (${pct(rate)}).`,
    field: ['instanceType'],
    current: type.type,
    recommended: smaller.type,
    evidence: { utilisation: resource.utilisation ?? resource.utilization, headroom: options.headroom },
  });
  return smaller;
}

/** COST006 for previous-generation instance types: the type after it. */
function generationStep(name: string, type: CatalogType, steps: Steps): CatalogType {
  if (type.generation !== 'previous') return type;
  const target = cheapestSibling(type, (t) => t.generation === 'current' && t.arch === 'x86_64');
  if (target === undefined) return type;
  const rate = Math.max(0, 1 - target.hourlyUsd / type.hourlyUsd);
  steps.take('COST006', rate, {
    message: `${name} runs the previous-generation ${type.type}; ${target.type} costs ${pct(rate)} less for more performance${rate === 0 ? ' (no price change)' : ''}.`,
    field: ['instanceType'],
    current: type.type,
    recommended: target.type,
  });
  return target;
}

/** COST007 Graviton: the type after it. */
function gravitonStep(resource: CostResource, name: string, type: CatalogType, steps: Steps): CatalogType {
  const windows = /windows/i.test(resource.platform ?? '');
  const licensedEngine = /sqlserver|sql server|oracle/i.test(resource.engine ?? '');
  if (isArm(resource, type) || windows || licensedEngine) return type;
  const graviton = cheapestSibling(type, (t) => t.arch === 'arm64' && t.hourlyUsd < type.hourlyUsd);
  if (graviton === undefined) return type;
  const rate = 1 - graviton.hourlyUsd / type.hourlyUsd;
  steps.take('COST007', rate, {
    message: `${name} (${type.type}) can run on Graviton ${graviton.type} for ${pct(rate)} less: saves ${steps.preview(rate)}/month.`,
    field: ['instanceType'],
    current: type.type,
    recommended: graviton.type,
  });
  return graviton;
}

/** gp2 volumes (COST006) and buckets without lifecycle rules (COST008). */
function storageSteps(item: SourcedResource, kind: string, steps: Steps): void {
  const { resource } = item;
  if (kind === 'ebs' && resource.volumeType?.toLowerCase() === 'gp2') {
    steps.take('COST006', GP3_SAVINGS_RATE, {
      message: `Volume ${resource.id} is gp2; gp3 costs 20 % less at the same size with a 3,000 IOPS baseline: saves ${steps.preview(GP3_SAVINGS_RATE)}/month.`,
      field: ['volumeType'],
      current: 'gp2',
      recommended: 'gp3',
    });
  }
  if (kind === 's3' && !item.fromCur && hasLifecycle(resource.lifecycleRules) !== true) {
    steps.take('COST008', LIFECYCLE_SAVINGS_RATE, {
      message: `Bucket ${resource.id} has no lifecycle rules: tiering and expiry would save about ${steps.preview(LIFECYCLE_SAVINGS_RATE)}/month (20 % estimate).`,
      field: ['lifecycleRules'],
    });
  }
}

/** COST003: a steady on-demand resource commits, on what the other steps left. */
function commitmentStep(
  resource: CostResource,
  kind: string,
  type: CatalogType | undefined,
  steps: Steps,
  options: Options,
): void {
  const discount = options.discounts[kind];
  const age = ageDays(resource, options.now);
  if (
    discount === undefined ||
    pricingModelOf(resource.pricingModel) !== 'on-demand' ||
    resource.uptime === undefined ||
    resource.uptime < DEFAULTS.steadyUptimePercent ||
    (age !== undefined && age < DEFAULTS.steadyMinAgeDays) ||
    steps.remaining <= 0
  )
    return;
  const offer = COMMITMENT_DISCOUNTS[kind]?.offer ?? 'a 1-year commitment';
  steps.take('COST003', discount, {
    message: `${kind} ${resource.id} runs ${resource.uptime} % of hours on demand${age === undefined ? '' : ` for ${Math.floor(age)} days`}: ${offer} at ${pct(discount)} saves ${steps.preview(discount)}/month.`,
    field: ['pricingModel'],
    ...(type === undefined ? {} : { recommended: `${offer} (${type.type})` }),
    evidence: { uptimePercent: resource.uptime, discount },
  });
}

/** The rules for one resource, in order, each saving a share of what is left. */
function evaluate(item: SourcedResource, kind: string, costCents: number, options: Options): Step[] {
  const { resource } = item;
  const steps = new Steps(costCents);
  if (wholeCostStep(item, kind, steps, options)) return steps.list;
  const name = `${kind} ${resource.id}`;
  let type = catalogType(resource.instanceType);
  if (type !== undefined) {
    type = rightsizeStep(resource, name, type, steps, options);
    type = generationStep(name, type, steps);
    type = gravitonStep(resource, name, type, steps);
  }
  storageSteps(item, kind, steps);
  commitmentStep(resource, kind, type, steps, options);
  return steps.list;
}

function optionsOf(input: CostInput, now: Date): Options {
  return {
    headroom: input.options?.headroom ?? DEFAULTS.headroom,
    snapshotMaxAgeDays: input.options?.snapshotMaxAgeDays ?? DEFAULTS.snapshotMaxAgeDays,
    discounts: {
      ...Object.fromEntries(Object.entries(COMMITMENT_DISCOUNTS).map(([k, v]) => [k, v.rate])),
      ...input.options?.discounts,
    },
    now,
  };
}

/**
 * Files the readers could not read, and (when nothing at all was read) the
 * files they did not understand: a run on no usable input says so instead of
 * reporting a clean $0.00.
 */
function problemFindings(sources: Sources, nothingRead: boolean): Finding[] {
  const notUnderstood =
    nothingRead && sources.problems.length === 0
      ? sources.skipped.map((file) => ({
          file,
          message:
            'not understood: no inventory (resources, dailyCosts), Cost and Usage Report or CloudFormation template in it, so nothing was analysed',
        }))
      : [];
  return [...sources.problems, ...notUnderstood].map((problem) =>
    COST_RULES.finding('COST000', problemFindingInput(problem)),
  );
}

interface Pending {
  finding: Finding;
  step: Step;
  item: SourcedResource;
  kind: string;
}

function stepFinding(step: Step, item: SourcedResource, kind: string): Finding {
  const line = item.lineOf(step.field);
  return COST_RULES.finding(step.rule, {
    message: step.message,
    resource: {
      kind,
      name: item.resource.id,
      ...(item.resource.region === undefined ? {} : { namespace: item.resource.region }),
      ...(item.file === undefined ? {} : { file: item.file }),
      ...(line === undefined ? {} : { line }),
    },
    evidence: {
      monthlySavingsUsd: step.savingsCents / 100,
      ...(step.current === undefined ? {} : { current: step.current }),
      ...(step.recommended === undefined ? {} : { recommended: step.recommended }),
      ...step.evidence,
    },
    key: [step.current, step.recommended],
  });
}

interface Assessment {
  sources: Sources;
  pending: Pending[];
  currentCents: number;
}

/** Every resource's steps as findings, and the monthly cost they start from. */
function assess(sources: Sources, options: Options): Assessment {
  const pending: Pending[] = [];
  let currentCents = 0;
  for (const item of sources.resources) {
    const kind = kindOf(item.resource.type);
    const cents = monthlyCents(item.resource, kind);
    currentCents += cents;
    for (const step of evaluate(item, kind, cents, options)) {
      pending.push({ finding: stepFinding(step, item, kind), step, item, kind });
    }
  }
  return { sources, pending, currentCents };
}

/** The recommendations (suppressed ones marked) and the open savings by rule and priority, in cents. */
function recommend(pending: readonly Pending[], scan: ScanResult) {
  const suppressedPrints = new Set(scan.findings.filter((f) => f.suppressed).map((f) => f.fingerprint));
  const byRule: Record<string, number> = {};
  const byPriority: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  let savingsCents = 0;
  const recommendations = pending.map(({ finding, step, item, kind }) => {
    const suppressed = suppressedPrints.has(finding.fingerprint);
    if (!suppressed) {
      savingsCents += step.savingsCents;
      byRule[step.rule] = (byRule[step.rule] ?? 0) + step.savingsCents;
      byPriority[finding.severity] += step.savingsCents;
    }
    return {
      ruleId: step.rule,
      resourceId: item.resource.id,
      type: kind,
      region: item.resource.region ?? 'us-east-1',
      ...(step.current === undefined ? {} : { current: step.current }),
      ...(step.recommended === undefined ? {} : { recommended: step.recommended }),
      monthlySavingsUsd: step.savingsCents / 100,
      fingerprint: finding.fingerprint,
      suppressed,
    };
  });
  recommendations.sort(
    (a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd || a.resourceId.localeCompare(b.resourceId),
  );
  return { recommendations, byRule, byPriority, savingsCents };
}

function totalsOf(currentCents: number, saved: ReturnType<typeof recommend>): CostOutput['totals'] {
  const { savingsCents, byRule, byPriority } = saved;
  return {
    currentMonthlyUsd: currentCents / 100,
    savingsMonthlyUsd: savingsCents / 100,
    savingsPercent: currentCents === 0 ? 0 : Math.round((savingsCents / currentCents) * 1000) / 10,
    byRule: Object.fromEntries(
      Object.entries(byRule)
        .sort()
        .map(([k, v]) => [k, v / 100]),
    ),
    byPriority: Object.fromEntries(SEVERITIES.map((s) => [s, byPriority[s] / 100])) as Record<
      Severity,
      number
    >,
  };
}

export async function analyzeCost(input: CostInput, context: { now: Date }): Promise<CostOutput> {
  const options = optionsOf(input, context.now);
  const { sources, pending, currentCents } = assess(readSources(input.resources, input.files ?? []), options);
  const nothingRead =
    sources.resources.length === 0 &&
    sources.dailyCosts.length === 0 &&
    sources.templateCosts.length === 0 &&
    (input.dailyCosts ?? []).length === 0;
  const scan = await runScan({
    files: input.files ?? [],
    ignore: input.ignore,
    check: () => ({ findings: [...problemFindings(sources, nothingRead), ...pending.map((p) => p.finding)] }),
  });
  const saved = recommend(pending, scan);
  // No score without a known cost to score: an input not understood, or a template priced only by usage.
  const scored =
    currentCents > 0 || (!nothingRead && sources.templateCosts.length === 0 && sources.problems.length === 0);
  const score = scored ? savingsShareScore(currentCents, saved.savingsCents) : undefined;
  const totals = totalsOf(currentCents, saved);
  const dailyCosts = [...(input.dailyCosts ?? []), ...sources.dailyCosts];
  const forecast =
    dailyCosts.length > 0
      ? forecastCosts(dailyCosts, input.options?.forecastDays ?? DEFAULTS.forecastDays)
      : undefined;
  const metrics: Record<string, number> = {
    resources: sources.resources.length,
    findings: scan.open.length,
    suppressed: scan.suppressed,
    parseErrors: sources.problems.length,
    filesSkipped: sources.skipped.length,
    curRowsDropped: sources.curRowsDropped,
    pricedByUsage: sources.templateCosts.filter((t) => t.monthlyUsd === undefined).length,
    currentMonthlyUsd: totals.currentMonthlyUsd,
    savingsMonthlyUsd: totals.savingsMonthlyUsd,
    ...(forecast === undefined ? {} : { forecastUsd: forecast.totalUsd }),
  };
  return {
    summary:
      (nothingRead && sources.skipped.length + sources.problems.length > 0
        ? `Nothing analysed: ${sources.skipped.length + sources.problems.length} file${sources.skipped.length + sources.problems.length === 1 ? '' : 's'} not understood or not readable (see the COST000 findings); no score.`
        : summarise(sources.resources.length, scan.open, scan.suppressed, totals, forecast, score)) +
      templateSummary(sources.templateCosts) +
      sources.notes.map((note) => ` ${note}`).join(''),
    ...(score === undefined ? {} : { score }),
    findings: scan.findings,
    metrics,
    totals,
    recommendations: saved.recommendations,
    ...(sources.templateCosts.length === 0 ? {} : { templateResources: sources.templateCosts }),
    ...(sources.notes.length === 0 ? {} : { notes: sources.notes }),
    ...(forecast === undefined ? {} : { forecast }),
    settings: {
      headroom: options.headroom,
      snapshotMaxAgeDays: options.snapshotMaxAgeDays,
      discounts: options.discounts,
      pricingSource: CATALOG_SOURCE,
    },
  };
}

/** The template resources that cost money, by how they are priced. */
function templateSummary(costs: readonly TemplateCost[]): string {
  if (costs.length === 0) return '';
  const byUsage = costs.filter((c) => c.monthlyUsd === undefined);
  const catalog = costs.length - byUsage.length;
  const shown = byUsage.slice(0, 8).map((c) => `${c.id} (${c.type})`);
  return (
    ` Templates: ${costs.length} resource${costs.length === 1 ? '' : 's'} that cost money, ${catalog} priced from the catalog` +
    (byUsage.length === 0
      ? '.'
      : `, ${byUsage.length} priced by usage: ${shown.join(', ')}${byUsage.length > shown.length ? ', …' : ''}.`)
  );
}

function summarise(
  resources: number,
  open: readonly Finding[],
  suppressed: number,
  totals: CostOutput['totals'],
  forecast: CostOutput['forecast'],
  score: number | undefined,
): string {
  const money = (v: number) => `$${v.toFixed(2)}`;
  let text = `${resources} resource${resources === 1 ? '' : 's'} costing ${money(totals.currentMonthlyUsd)}/month: `;
  text +=
    open.length === 0 ? 'no open findings' : `${open.length} open finding${open.length === 1 ? '' : 's'}`;
  if (suppressed > 0) text += ` (${suppressed} suppressed)`;
  text += `. Savings ${money(totals.savingsMonthlyUsd)}/month (${totals.savingsPercent} %)`;
  const rules = Object.entries(totals.byRule).filter(([, v]) => v > 0);
  if (rules.length > 0) text += `: ${rules.map(([k, v]) => `${k} ${money(v)}`).join(', ')}`;
  text +=
    score === undefined
      ? '. No efficiency score: no resource has a known cost.'
      : `. Efficiency score ${score}/100.`;
  if (forecast !== undefined) {
    text += ` Forecast next ${forecast.horizonDays} days: ${money(forecast.totalUsd)} (${money(forecast.lowerUsd)}–${money(forecast.upperUsd)}), trend ${forecast.trendUsdPerDay >= 0 ? '+' : ''}${forecast.trendUsdPerDay} $/day.`;
  }
  return text;
}
