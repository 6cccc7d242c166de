/**
 * k8s-optimizer: parse every file into objects with lines, run the checks
 * (checks.ts) and, when usage is given, rightsizing (rightsizing.ts), then
 * let the scan engine (runScan) apply the suppressions last — `aiops.dev/ignore` annotations on an object
 * or its pod template, inline `# aiops:allow` comments, `.aiopsignore` files
 * and the input's `ignore` — so a suppressed finding stays in the result,
 * marked, and leaves the counts, the score and the savings.
 *
 * The efficiency score is the `unit-mean` policy: the mean over workloads (and
 * any other object with findings) of max(0, 100 − Σ severity weights of its
 * open findings) (SEVERITY_WEIGHTS): "how far is the average workload from production-ready
 * and right-sized", independent of how many workloads the input holds.
 */
import type { Finding } from '../contract.js';
import { problemFindingInput } from '../scan/problems.js';
import { describeCounts, plural, runScan } from '../scan/run.js';
import { unitMeanScore } from '../scan/score.js';
import { type ParsedSuppressions, parseAnnotation, SUPPRESSION_RULES } from '../suppressions.js';
import { minorOf } from './api-versions.js';
import { runChecks } from './checks.js';
import { type Inventory, inventoryOf, minimumReplicas } from './inventory.js';
import { type KustomizeImage, kustomizeInfo, normalisePath } from './kustomize.js';
import {
  at,
  collectObjects,
  collectStream,
  emptyParse,
  isAiopsIgnore,
  type ParsedManifests,
  type Path,
  parseManifestText,
  readManifestFile,
} from './manifests.js';
import { GIB } from './quantity.js';
import { Report } from './report.js';
import { type Pricing, type RightsizingResult, rightsize } from './rightsizing.js';
import {
  DEFAULT_HEADROOM,
  DEFAULT_KUBERNETES_VERSION,
  DEFAULT_PRICING,
  K8S_RULES,
  type K8sCategory,
  SEVERITY_WEIGHTS,
} from './rules.js';
import type { K8sOptimizerInput, K8sOptimizerOutput } from './schema.js';
import { allContainers, RESOURCE_NAMES, resourcesOf, type Workload } from './workloads.js';

const CATEGORY_METRICS = {
  reliability: 'findingsReliability',
  security: 'findingsSecurity',
  efficiency: 'findingsEfficiency',
  cost: 'findingsCost',
  correctness: 'findingsCorrectness',
} as const satisfies Record<K8sCategory, string>;

type Metrics = K8sOptimizerOutput['metrics'];

function categoryOf(id: string): string | undefined {
  return K8S_RULES.has(id) ? K8S_RULES.rule(id).category : SUPPRESSION_RULES[id]?.category;
}

function parseProblemFindings(parsed: ParsedManifests): Finding[] {
  return parsed.problems.map((problem) =>
    K8S_RULES.finding('K8S000', problemFindingInput(problem, { label: 'The manifests', name: 'manifests' })),
  );
}

/** `aiops.dev/ignore` on objects (and on pod and job templates of workloads). */
function annotationSuppressions(inventory: Inventory): ParsedSuppressions[] {
  const byObject = new Map(inventory.workloads.map((w) => [w.object, w.annotations]));
  const path: Path = ['metadata', 'annotations', 'aiops.dev/ignore'];
  return inventory.objects.flatMap((object) => {
    const own = at(object.value, path);
    const annotations = byObject.get(object) ?? (own === undefined ? [] : [{ path, value: own }]);
    return annotations.map((annotation) => {
      const line = object.lineOf(annotation.path);
      return parseAnnotation(String(annotation.value), {
        kind: object.kind,
        name: object.name,
        ...(object.namespace === undefined ? {} : { namespace: object.namespace }),
        ...(object.file === undefined ? {} : { file: object.file }),
        ...(line === undefined ? {} : { line }),
      });
    });
  });
}

function objectKey(resource: Finding['resource']): string {
  return JSON.stringify([resource?.file, resource?.kind, resource?.namespace, resource?.name]);
}

function workloadKey(workload: Workload): string {
  return objectKey({ kind: workload.kind, name: workload.object.name, ...place(workload) });
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function podRequests(workload: Workload, inventory: Inventory): Partial<Record<'cpu' | 'memory', number>> {
  const running = [
    ...workload.containers,
    // Native sidecars (init containers that keep running) are part of the pod's steady-state requests.
    ...workload.initContainers.filter((c) => c.value.restartPolicy === 'Always'),
  ];
  const totals: Partial<Record<'cpu' | 'memory', number>> = {};
  for (const container of running) {
    const requests = resourcesOf(container, workload, inventory.limitRanges).effectiveRequests;
    for (const resource of RESOURCE_NAMES) {
      const amount = requests[resource];
      if (amount !== undefined) totals[resource] = (totals[resource] ?? 0) + amount;
    }
  }
  return totals;
}

function pricingOf(input: K8sOptimizerInput): Pricing & { source: string } {
  const given = input.pricing ?? {};
  const custom = given.vcpuMonthUsd !== undefined || given.gibMonthUsd !== undefined;
  return {
    vcpuMonthUsd: given.vcpuMonthUsd ?? DEFAULT_PRICING.vcpuMonthUsd,
    gibMonthUsd: given.gibMonthUsd ?? DEFAULT_PRICING.gibMonthUsd,
    source: custom ? 'input (defaults for any price not given)' : DEFAULT_PRICING.source,
  };
}

interface ReadManifests {
  parsed: ParsedManifests;
  images: ReadonlyMap<string, KustomizeImage>;
  patchesSkipped: number;
}

/** Every manifest file, read once (patches only for whether they parse), and the input's `manifests`. */
function readManifests(input: K8sOptimizerInput): ReadManifests {
  const files = (input.files ?? [])
    .filter((file) => !isAiopsIgnore(file.path))
    .map((file) => ({ path: file.path, read: readManifestFile(file.content) }));
  const kustomize = kustomizeInfo(
    files.map(({ path, read }) => ({
      path,
      documents: read.template === undefined ? read.stream.documents.map((d) => d.value) : [],
    })),
  );
  const parsed = emptyParse();
  let patchesSkipped = 0;
  for (const { path, read } of files) {
    if (kustomize.patchFiles.has(normalisePath(path))) {
      // A patch is a partial object: only whether it parses matters here.
      if (read.template === undefined) {
        collectStream({ documents: [], problems: read.stream.problems }, path, parsed);
      }
      patchesSkipped += 1;
    } else if (read.template !== undefined) parsed.templates.push({ file: path, reason: read.template });
    else collectStream(read.stream, path, parsed);
  }
  if (typeof input.manifests === 'string') parseManifestText(input.manifests, undefined, parsed);
  else if (input.manifests !== undefined) collectObjects(input.manifests, parsed);
  return { parsed, images: kustomize.images, patchesSkipped };
}

/** Penalty per unit: every workload starts at 0; other objects count once they have a finding. */
function unitPenalties(inventory: Inventory, open: readonly Finding[]) {
  const penalties = new Map<string, number>();
  for (const workload of inventory.workloads) penalties.set(workloadKey(workload), 0);
  const findings = new Map<string, number>();
  for (const finding of open) {
    // A malformed suppression (AIOPS000) says nothing about the workloads.
    if (!K8S_RULES.has(finding.ruleId)) continue;
    const key = objectKey(finding.resource);
    penalties.set(key, (penalties.get(key) ?? 0) + SEVERITY_WEIGHTS[finding.severity]);
    findings.set(key, (findings.get(key) ?? 0) + 1);
  }
  return { penalties, findings };
}

function categoryMetrics(open: readonly Finding[]) {
  const categories = {
    findingsReliability: 0,
    findingsSecurity: 0,
    findingsEfficiency: 0,
    findingsCost: 0,
    findingsCorrectness: 0,
  };
  for (const finding of open) {
    const category = categoryOf(finding.ruleId);
    if (category !== undefined && category in CATEGORY_METRICS)
      categories[CATEGORY_METRICS[category as K8sCategory]] += 1;
  }
  return categories;
}

/** The workloads table and the requests of the long-running ones × replicas. */
function workloadRows(inventory: Inventory, units: ReturnType<typeof unitPenalties>) {
  let requestedCpu = 0;
  let requestedMemory = 0;
  const workloads = inventory.workloads.map((workload) => {
    const replicas = minimumReplicas(workload, inventory);
    const requests = podRequests(workload, inventory);
    if (workload.longRunning) {
      requestedCpu += (requests.cpu ?? 0) * (replicas ?? 1);
      requestedMemory += (requests.memory ?? 0) * (replicas ?? 1);
    }
    const key = workloadKey(workload);
    return {
      kind: workload.kind,
      name: workload.object.name,
      ...place(workload),
      ...(workload.object.line === undefined ? {} : { line: workload.object.line }),
      ...(replicas === undefined ? {} : { replicas }),
      containers: allContainers(workload).length,
      requests,
      score: Math.max(0, 100 - (units.penalties.get(key) ?? 0)),
      findings: units.findings.get(key) ?? 0,
    };
  });
  return { workloads, requestedCpu, requestedMemory };
}

export async function analyzeK8s(input: K8sOptimizerInput): Promise<K8sOptimizerOutput> {
  const kubernetesVersion = input.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  // The schema only lets through versions minorOf reads.
  const targetMinor = minorOf(kubernetesVersion) ?? 29;
  const headroom = input.headroom ?? DEFAULT_HEADROOM;
  const pricing = pricingOf(input);
  const { parsed, images, patchesSkipped } = readManifests(input);
  // A skipped or unparsed file may hold the Service, PDB or NetworkPolicy a check would miss.
  const inventory = inventoryOf(parsed.objects, inventoryComplete(parsed));
  const report = new Report();
  runChecks(inventory, report, { version: kubernetesVersion, minor: targetMinor }, images);
  const sizing =
    input.usage === undefined ? undefined : rightsize(inventory, input.usage, { headroom, pricing }, report);
  const scan = await runScan({
    files: input.files ?? [],
    ignore: input.ignore,
    check: () => ({
      findings: [...parseProblemFindings(parsed), ...report.findings],
      suppressions: annotationSuppressions(inventory),
    }),
  });
  const units = unitPenalties(inventory, scan.open);
  const score = unitMeanScore(
    [...units.penalties.values()].map((penalty) => ({ score: Math.max(0, 100 - penalty) })),
  );
  const { workloads, requestedCpu, requestedMemory } = workloadRows(inventory, units);
  const metrics: Metrics = {
    objects: parsed.objects.length,
    workloads: inventory.workloads.length,
    containers: inventory.workloads.reduce((n, w) => n + allContainers(w).length, 0),
    skippedDocuments: parsed.skippedDocuments,
    templatesSkipped: parsed.templates.length,
    parseErrors: parsed.problems.length,
    ownedObjectsSkipped: inventory.owned,
    patchesSkipped,
    ...categoryMetrics(scan.open),
    suppressed: scan.suppressed,
    requestedCpuCores: round(requestedCpu, 3),
    requestedMemoryGiB: round(requestedMemory / GIB, 3),
    monthlyRequestCostUsd: round(
      requestedCpu * pricing.vcpuMonthUsd + (requestedMemory / GIB) * pricing.gibMonthUsd,
      2,
    ),
    ...(sizing === undefined ? {} : sizingMetrics(sizing, scan.open)),
  };
  return {
    summary: summarise(metrics, describeCounts(scan.counts), scan.suppressed, score, parsed),
    score,
    findings: scan.findings,
    metrics,
    workloads,
    skipped: parsed.templates,
    ...(sizing === undefined ? {} : { rightsizing: sizing.rows }),
    settings: { kubernetesVersion, headroom, pricing },
  };
}

function place(workload: Workload): { namespace?: string; file?: string } {
  const { namespace, file } = workload.object;
  return { ...(namespace === undefined ? {} : { namespace }), ...(file === undefined ? {} : { file }) };
}

function sizingMetrics(
  sizing: RightsizingResult,
  open: readonly Finding[],
): Partial<K8sOptimizerOutput['metrics']> {
  const openFingerprints = new Set(open.filter((f) => f.ruleId === 'K8S016').map((f) => f.fingerprint));
  let savings = 0;
  let additional = 0;
  const used = { cpu: 0, memory: 0 };
  const requested = { cpu: 0, memory: 0 };
  for (const row of sizing.rows) {
    if (row.findingFingerprint !== undefined && openFingerprints.has(row.findingFingerprint)) {
      savings += row.monthlySavingsUsd;
      additional += row.monthlyAdditionalCostUsd;
    }
    if (!row.priced) continue;
    for (const resource of RESOURCE_NAMES) {
      const usage = row.usage[resource];
      const request = row.current.requests[resource];
      if (usage === undefined || request === undefined) continue;
      used[resource] += usage.p95 * row.replicas;
      requested[resource] += request * row.replicas;
    }
  }
  return {
    containersWithUsage: sizing.rows.length,
    usageRowsUnmatched: sizing.unmatched.length,
    ...(requested.cpu > 0 ? { cpuUtilizationPercent: round((used.cpu / requested.cpu) * 100, 1) } : {}),
    ...(requested.memory > 0
      ? { memoryUtilizationPercent: round((used.memory / requested.memory) * 100, 1) }
      : {}),
    monthlySavingsUsd: round(savings, 2),
    monthlyAdditionalCostUsd: round(additional, 2),
  };
}

function inventoryComplete(parsed: ParsedManifests): boolean {
  return parsed.templates.length === 0 && parsed.problems.length === 0;
}

function summarise(
  metrics: Metrics,
  counts: string,
  suppressed: number,
  score: number,
  parsed: ParsedManifests,
): string {
  const inventory = `${plural(metrics.objects, 'object')}, ${plural(metrics.workloads, 'workload')} (${plural(metrics.containers, 'container')})`;
  let summary = `${inventory}: ${counts}${suppressed > 0 ? ` (${suppressed} suppressed)` : ''}. Efficiency score ${score}/100.`;
  if (metrics.monthlySavingsUsd !== undefined) {
    summary += ` Rightsizing from usage saves $${metrics.monthlySavingsUsd.toFixed(2)}/month`;
    summary +=
      metrics.monthlyAdditionalCostUsd !== undefined && metrics.monthlyAdditionalCostUsd > 0
        ? ` and adds $${metrics.monthlyAdditionalCostUsd.toFixed(2)}/month where usage exceeds requests.`
        : '.';
  }
  if (parsed.problems.length > 0) summary += ` ${plural(parsed.problems.length, 'document')} did not parse.`;
  if (parsed.templates.length > 0) {
    const names = parsed.templates.map((t) => t.file);
    const shown = names.length > 5 ? `${names.slice(0, 5).join(', ')}, …` : names.join(', ');
    summary += ` ${plural(parsed.templates.length, 'unrendered template')} skipped (${shown}; render with helm template or kustomize build).`;
  }
  if (!inventoryComplete(parsed)) {
    summary += ' Checks that conclude something is missing (a Service, PDB, NetworkPolicy) were held back.';
  }
  return summary;
}
