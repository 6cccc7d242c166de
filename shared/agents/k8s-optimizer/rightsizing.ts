/**
 * K8S016: requests and limits from observed usage. For each app container with
 * a usage row: request = p95 × headroom; memory limit = max(request, peak ×
 * headroom); a CPU limit only where one is set already (max(request, peak ×
 * headroom)) — unset CPU limits avoid CFS throttling and are not advised.
 * Over-provisioned requests are priced per vCPU-month and GiB-month ×
 * replicas (the HPA minimum when one scales the workload, or the usage row's
 * own `replicas`); Jobs and CronJobs get recommendations without a price, a
 * DaemonSet is priced per node unless the row gives its node count.
 */
import type { Severity } from '../contract.js';
import { type Inventory, minimumReplicas } from './inventory.js';
import { ceilMebibytes, ceilMillicores, formatCpu, formatMemory, GIB } from './quantity.js';
import type { Report } from './report.js';
import { RIGHTSIZING } from './rules.js';
import {
  type Container,
  RESOURCE_NAMES,
  type ResourceName,
  resourcesOf,
  type Workload,
} from './workloads.js';

export interface Percentiles {
  p50?: number | undefined;
  p95: number;
  max?: number | undefined;
}

export interface UsageRow {
  workload: string;
  kind?: string | undefined;
  namespace?: string | undefined;
  container: string;
  /** Cores. */
  cpu?: Percentiles | undefined;
  /** Bytes. */
  memory?: Percentiles | undefined;
  /** Observed replica (or node) count; overrides the manifest's. */
  replicas?: number | undefined;
}

export interface Pricing {
  vcpuMonthUsd: number;
  gibMonthUsd: number;
}

type Amounts = Partial<Record<ResourceName, number>>;

export interface RightsizingRow {
  kind: string;
  name: string;
  namespace?: string;
  file?: string;
  container: string;
  replicas: number;
  /** A DaemonSet without a node count: the money is per node. */
  perNode: boolean;
  /** Jobs and CronJobs are not priced (they do not run all month). */
  priced: boolean;
  usage: { cpu?: Percentiles; memory?: Percentiles };
  current: { requests: Amounts; limits: Amounts };
  recommended: { requests: Amounts; limits: Amounts };
  monthlySavingsUsd: number;
  monthlyAdditionalCostUsd: number;
  /** The K8S016 finding's fingerprint, when the difference was worth one. */
  findingFingerprint?: string;
}

export interface RightsizingResult {
  rows: RightsizingRow[];
  /** Usage rows that match no container of a workload in the input. */
  unmatched: { workload: string; container: string }[];
}

const RANK: Readonly<Record<Severity, number>> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

function worst(a: Severity, b: Severity): Severity {
  return RANK[b] > RANK[a] ? b : a;
}

function money(usd: number): number {
  return Math.round(usd * 100) / 100;
}

function format(resource: ResourceName, amount: number): string {
  return resource === 'cpu' ? formatCpu(amount) : formatMemory(amount);
}

function pricePerUnit(resource: ResourceName, pricing: Pricing): number {
  return resource === 'cpu' ? pricing.vcpuMonthUsd : pricing.gibMonthUsd / GIB;
}

function matches(row: UsageRow, workload: Workload, container: Container): boolean {
  return (
    row.workload === workload.object.name &&
    row.container === container.name &&
    (row.kind === undefined || row.kind.toLowerCase() === workload.kind.toLowerCase()) &&
    (row.namespace === undefined ||
      workload.object.namespace === undefined ||
      row.namespace === workload.object.namespace)
  );
}

function recommend(row: UsageRow, limits: Amounts, headroom: number): { requests: Amounts; limits: Amounts } {
  const result: { requests: Amounts; limits: Amounts } = { requests: {}, limits: {} };
  if (row.cpu !== undefined) {
    const request = ceilMillicores(row.cpu.p95 * headroom);
    result.requests.cpu = request;
    if (limits.cpu !== undefined) {
      result.limits.cpu = Math.max(request, ceilMillicores((row.cpu.max ?? row.cpu.p95) * headroom));
    }
  }
  if (row.memory !== undefined) {
    const request = ceilMebibytes(row.memory.p95 * headroom);
    result.requests.memory = request;
    result.limits.memory = Math.max(request, ceilMebibytes((row.memory.max ?? row.memory.p95) * headroom));
  }
  return result;
}

function isMaterial(resource: ResourceName, current: number, recommended: number): boolean {
  const change = Math.abs(current - recommended);
  const minimum = resource === 'cpu' ? RIGHTSIZING.minCpuCores : RIGHTSIZING.minMemoryBytes;
  return change >= minimum && change >= RIGHTSIZING.minRelativeChange * current;
}

interface Assessment {
  severity: Severity;
  notes: string[];
  savings: number;
  additional: number;
}

function assess(
  row: UsageRow,
  current: { requests: Amounts; limits: Amounts },
  recommended: { requests: Amounts; limits: Amounts },
  headroom: number,
  pricing: Pricing,
  units: number,
): Assessment | undefined {
  let severity: Severity | undefined;
  const raise = (s: Severity) => {
    severity = severity === undefined ? s : worst(severity, s);
  };
  const notes: string[] = [];
  let savings = 0;
  let additional = 0;
  let overProvisioned = false;
  for (const resource of RESOURCE_NAMES) {
    const usage = row[resource];
    const target = recommended.requests[resource];
    if (usage === undefined || target === undefined) continue;
    const name = resource === 'cpu' ? 'CPU' : 'memory';
    const now = current.requests[resource];
    const arrow = `${name} request ${now === undefined ? 'unset' : format(resource, now)} → ${format(resource, target)}`;
    if (now === undefined) {
      raise('low');
      notes.push(`${arrow} (p95 × ${headroom})`);
      continue;
    }
    const cost = Math.abs(now - target) * pricePerUnit(resource, pricing) * units;
    if (usage.p95 > now) {
      raise('medium');
      additional += cost;
      notes.push(`${arrow}: p95 usage ${format(resource, usage.p95)} is above the request`);
    } else if (isMaterial(resource, now, target)) {
      if (target < now) {
        overProvisioned = true;
        savings += cost;
        notes.push(`${arrow} (p95 ${format(resource, usage.p95)} × ${headroom})`);
      } else {
        raise('low');
        additional += cost;
        notes.push(`${arrow}: less than ${headroom}× headroom over p95 ${format(resource, usage.p95)}`);
      }
    }
  }
  if (overProvisioned) raise(savings >= RIGHTSIZING.significantMonthlyUsd ? 'medium' : 'low');

  const memoryLimit = current.limits.memory;
  const memoryPeak = row.memory?.max ?? row.memory?.p95;
  if (
    memoryLimit !== undefined &&
    memoryPeak !== undefined &&
    memoryPeak >= RIGHTSIZING.memoryLimitPressure * memoryLimit
  ) {
    raise('high');
    notes.push(
      `memory peak ${formatMemory(memoryPeak)} is ${Math.round((memoryPeak / memoryLimit) * 100)}% of the ${formatMemory(memoryLimit)} limit (OOM kills)`,
    );
  }
  const cpuLimit = current.limits.cpu;
  if (
    cpuLimit !== undefined &&
    row.cpu !== undefined &&
    row.cpu.p95 >= RIGHTSIZING.cpuLimitPressure * cpuLimit
  ) {
    raise('medium');
    notes.push(
      `CPU p95 ${formatCpu(row.cpu.p95)} is ${Math.round((row.cpu.p95 / cpuLimit) * 100)}% of the ${formatCpu(cpuLimit)} limit (throttling)`,
    );
  }
  if (severity === undefined) return undefined;
  return { severity, notes, savings, additional };
}

interface Sizing {
  options: { headroom: number; pricing: Pricing };
  report: Report;
  inventory: Inventory;
}

/** One container with usage: its row, and a K8S016 finding when the change is worth making. */
function sizeContainer(
  workload: Workload,
  container: Container,
  row: UsageRow,
  sizing: Sizing,
): RightsizingRow {
  const { options, inventory } = sizing;
  const { object } = workload;
  const resources = resourcesOf(container, workload, inventory.limitRanges);
  const current = { requests: resources.effectiveRequests, limits: resources.effectiveLimits };
  const recommended = recommend(row, current.limits, options.headroom);
  const perNode = workload.kind === 'DaemonSet' && row.replicas === undefined;
  const replicas = row.replicas ?? minimumReplicas(workload, inventory) ?? 1;
  const priced = workload.longRunning;
  const assessment = assess(
    row,
    current,
    recommended,
    options.headroom,
    options.pricing,
    priced ? replicas : 0,
  );
  const result: RightsizingRow = {
    kind: object.kind,
    name: object.name,
    ...(object.namespace === undefined ? {} : { namespace: object.namespace }),
    ...(object.file === undefined ? {} : { file: object.file }),
    container: container.name,
    replicas,
    perNode,
    priced,
    usage: {
      ...(row.cpu === undefined ? {} : { cpu: row.cpu }),
      ...(row.memory === undefined ? {} : { memory: row.memory }),
    },
    current,
    recommended,
    monthlySavingsUsd: money(assessment?.savings ?? 0),
    monthlyAdditionalCostUsd: money(assessment?.additional ?? 0),
  };
  if (assessment !== undefined) reportSizing(workload, container, result, assessment, sizing);
  return result;
}

/** The K8S016 finding of a row; the row keeps its fingerprint (savings count only while it is open). */
function reportSizing(
  workload: Workload,
  container: Container,
  result: RightsizingRow,
  assessment: Assessment,
  sizing: Sizing,
): void {
  const { replicas, perNode, priced, usage, current, recommended } = result;
  const scale = !priced
    ? 'per run (not priced: it does not run all month)'
    : perNode
      ? 'per node'
      : `at ${replicas} replica${replicas === 1 ? '' : 's'}`;
  const price =
    result.monthlySavingsUsd > 0
      ? `; saves $${result.monthlySavingsUsd.toFixed(2)}/month ${scale}`
      : priced
        ? ''
        : `; ${scale}`;
  const finding = sizing.report.add(
    'K8S016',
    workload.object,
    [...container.path, 'resources'],
    `Container ${container.name}: ${assessment.notes.join('; ')}${price}.`,
    {
      key: ['app', container.name],
      severity: assessment.severity,
      evidence: {
        container: container.name,
        replicas,
        perNode,
        headroom: sizing.options.headroom,
        usage,
        current,
        recommended,
        monthlySavingsUsd: result.monthlySavingsUsd,
        monthlyAdditionalCostUsd: result.monthlyAdditionalCostUsd,
      },
    },
  );
  result.findingFingerprint = finding.fingerprint;
}

export function rightsize(
  inventory: Inventory,
  usage: readonly UsageRow[],
  options: { headroom: number; pricing: Pricing },
  report: Report,
): RightsizingResult {
  const used = new Set<UsageRow>();
  const rows: RightsizingRow[] = [];
  const sizing: Sizing = { options, report, inventory };
  for (const workload of inventory.workloads) {
    for (const container of workload.containers) {
      const row = usage.find((candidate) => matches(candidate, workload, container));
      if (row === undefined) continue;
      used.add(row);
      rows.push(sizeContainer(workload, container, row, sizing));
    }
  }
  const unmatched = usage
    .filter((row) => !used.has(row))
    .map((row) => ({ workload: row.workload, container: row.container }));
  return { rows, unmatched };
}
