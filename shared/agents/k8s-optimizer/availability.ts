/**
 * Availability checks between objects (K8S042–K8S044): an HPA whose target is
 * not in the input, a PodDisruptionBudget that allows no disruption at all,
 * which blocks every node drain, and a Deployment behind a Service that
 * rolls out by stopping every pod first.
 */
import type { CheckContext } from './check-context.js';
import { minimumReplicas } from './inventory.js';
import { at, isJson, type ManifestObject } from './manifests.js';
import {
  labelSelectorSelects,
  mapSelects,
  sameNamespace,
  WORKLOAD_KINDS,
  type Workload,
} from './workloads.js';

/** K8S042. */
function checkHpaTargets(ctx: CheckContext): void {
  const { inventory } = ctx;
  if (!inventory.complete || inventory.workloads.length === 0) return;
  for (const hpa of inventory.hpas) {
    if (!(WORKLOAD_KINDS as readonly string[]).includes(hpa.targetKind)) continue;
    const found = inventory.workloads.some(
      (w) =>
        w.kind === hpa.targetKind && w.object.name === hpa.targetName && sameNamespace(w.object, hpa.object),
    );
    if (found) continue;
    ctx.report.add(
      'K8S042',
      hpa.object,
      ['spec', 'scaleTargetRef', 'name'],
      `HPA ${hpa.object.name} scales ${hpa.targetKind} ${hpa.targetName}, which is not in the input: it scales nothing.`,
      { evidence: { target: `${hpa.targetKind}/${hpa.targetName}` } },
    );
  }
}

function percent(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+)%$/.exec(value.trim());
  return match === null ? undefined : Number(match[1]);
}

/** K8S043. */
function checkPdb(pdb: ManifestObject, ctx: CheckContext): void {
  const maxUnavailable = at(pdb.value, ['spec', 'maxUnavailable']);
  const minAvailable = at(pdb.value, ['spec', 'minAvailable']);
  let why: string | undefined;
  if (maxUnavailable === 0 || percent(maxUnavailable) === 0) why = `maxUnavailable ${String(maxUnavailable)}`;
  else if (percent(minAvailable) === 100) why = 'minAvailable 100%';
  else if (typeof minAvailable === 'number') {
    const selected = ctx.inventory.workloads.filter(
      (w) =>
        w.replicated &&
        sameNamespace(w.object, pdb) &&
        labelSelectorSelects(at(pdb.value, ['spec', 'selector']), w.labels),
    );
    const replicas = selected.map((w) => minimumReplicas(w, ctx.inventory) ?? 1);
    if (replicas.length > 0 && replicas.every((n) => minAvailable >= n)) {
      why = `minAvailable ${minAvailable} with ${Math.min(...replicas)} replica(s) (${selected.map((w) => w.object.name).join(', ')})`;
    }
  }
  if (why === undefined) return;
  ctx.report.add(
    'K8S043',
    pdb,
    ['spec', maxUnavailable === undefined ? 'minAvailable' : 'maxUnavailable'],
    `PodDisruptionBudget ${pdb.name} allows no voluntary disruption (${why}): node drains and cluster upgrades hang on its pods.`,
    { evidence: { maxUnavailable: maxUnavailable ?? null, minAvailable: minAvailable ?? null } },
  );
}

function selectedByService(workload: Workload, ctx: CheckContext): boolean {
  return ctx.inventory.services.some((service) => {
    const selector = at(service.value, ['spec', 'selector']);
    if (!isJson(selector) || !sameNamespace(service, workload.object)) return false;
    return mapSelects(
      Object.fromEntries(Object.entries(selector).map(([k, v]) => [k, String(v)])),
      workload.labels,
    );
  });
}

/** K8S044: Recreate stops every pod before starting the new ones: the Service has no endpoints meanwhile. */
function checkStrategy(workload: Workload, ctx: CheckContext): void {
  if (workload.kind !== 'Deployment') return;
  if (at(workload.object.value, ['spec', 'strategy', 'type']) !== 'Recreate') return;
  if (!selectedByService(workload, ctx)) return;
  ctx.report.add(
    'K8S044',
    workload.object,
    ['spec', 'strategy', 'type'],
    `Deployment ${workload.object.name} is behind a Service and rolls out with strategy Recreate: every rollout stops all its pods before the new ones are ready, and the Service answers nothing meanwhile.`,
    { evidence: { strategy: 'Recreate' } },
  );
}

export function checkAvailability(ctx: CheckContext): void {
  for (const workload of ctx.inventory.workloads) checkStrategy(workload, ctx);
  checkHpaTargets(ctx);
  for (const pdb of ctx.inventory.pdbs) checkPdb(pdb, ctx);
}
