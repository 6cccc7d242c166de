/**
 * What the input holds, sorted by role: workloads, and the objects the
 * cross-object checks relate them to (HorizontalPodAutoscalers,
 * PodDisruptionBudgets, Services, LimitRanges). Objects a controller owns
 * (`ownerReferences` with `controller: true`, as in `kubectl get -o yaml`
 * output) are left out: their owner is checked instead.
 */
import { at, isJson, type ManifestObject, type Path, text } from './manifests.js';
import {
  type LimitRangeDefaults,
  type ResourceName,
  sameNamespace,
  toLimitRange,
  toWorkload,
  type Workload,
} from './workloads.js';

/** An HPA metric that divides usage by the request (type Utilization). */
export interface UtilizationMetric {
  resource: ResourceName;
  /** ContainerResource metrics are about one container. */
  container?: string;
  path: Path;
  /** The HPA set no metric and gets the default 80% CPU. */
  implicit: boolean;
}

export interface Hpa {
  object: ManifestObject;
  targetKind: string;
  targetName: string;
  minReplicas: number;
  maxReplicas: number | undefined;
  metrics: UtilizationMetric[];
}

export interface Inventory {
  objects: ManifestObject[];
  workloads: Workload[];
  services: ManifestObject[];
  hpas: Hpa[];
  pdbs: ManifestObject[];
  limitRanges: LimitRangeDefaults[];
  /** Objects owned by a controller in the cluster, not checked on their own. */
  owned: number;
  /**
   * Every file was read: no unrendered template was skipped and nothing failed to parse. When false, a
   * check may not conclude that an object is missing (it may sit in the file that was not read).
   */
  complete: boolean;
}

function isOwned(object: ManifestObject): boolean {
  const owners = at(object.value, ['metadata', 'ownerReferences']);
  return Array.isArray(owners) && owners.some((owner) => isJson(owner) && owner.controller === true);
}

function asResource(value: unknown): ResourceName | undefined {
  return value === 'cpu' || value === 'memory' ? value : undefined;
}

function utilizationMetrics(object: ManifestObject): UtilizationMetric[] {
  if (object.apiVersion === 'autoscaling/v1') {
    const hasTarget = at(object.value, ['spec', 'targetCPUUtilizationPercentage']) !== undefined;
    return [
      {
        resource: 'cpu',
        path: hasTarget ? ['spec', 'targetCPUUtilizationPercentage'] : ['spec', 'scaleTargetRef'],
        implicit: !hasTarget,
      },
    ];
  }
  const metrics = at(object.value, ['spec', 'metrics']);
  if (!Array.isArray(metrics) || metrics.length === 0) {
    return [{ resource: 'cpu', path: ['spec', 'scaleTargetRef'], implicit: true }];
  }
  const result: UtilizationMetric[] = [];
  metrics.forEach((metric: unknown, index) => {
    if (!isJson(metric)) return;
    const field =
      metric.type === 'Resource'
        ? 'resource'
        : metric.type === 'ContainerResource'
          ? 'containerResource'
          : undefined;
    if (field === undefined) return;
    const source = metric[field];
    if (!isJson(source)) return;
    const resource = asResource(source.name);
    // autoscaling/v2 and v2beta2: target.type; v2beta1: targetAverageUtilization.
    const utilization =
      at(source, ['target', 'type']) === 'Utilization' || source.targetAverageUtilization !== undefined;
    if (resource === undefined || !utilization) return;
    const container = text(source.container);
    result.push({
      resource,
      ...(container === undefined ? {} : { container }),
      path: ['spec', 'metrics', index, field, 'name'],
      implicit: false,
    });
  });
  return result;
}

function toHpa(object: ManifestObject): Hpa | undefined {
  if (object.kind !== 'HorizontalPodAutoscaler') return undefined;
  const targetKind = text(at(object.value, ['spec', 'scaleTargetRef', 'kind']));
  const targetName = text(at(object.value, ['spec', 'scaleTargetRef', 'name']));
  if (targetKind === undefined || targetName === undefined) return undefined;
  const min = at(object.value, ['spec', 'minReplicas']);
  const max = at(object.value, ['spec', 'maxReplicas']);
  return {
    object,
    targetKind,
    targetName,
    minReplicas: typeof min === 'number' ? min : 1,
    maxReplicas: typeof max === 'number' ? max : undefined,
    metrics: utilizationMetrics(object),
  };
}

export function inventoryOf(objects: readonly ManifestObject[], complete = true): Inventory {
  const inventory: Inventory = {
    objects: [],
    workloads: [],
    services: [],
    hpas: [],
    pdbs: [],
    limitRanges: [],
    owned: 0,
    complete,
  };
  for (const object of objects) {
    if (isOwned(object)) {
      inventory.owned += 1;
      continue;
    }
    inventory.objects.push(object);
    const workload = toWorkload(object);
    if (workload !== undefined) {
      inventory.workloads.push(workload);
      continue;
    }
    const hpa = toHpa(object);
    if (hpa !== undefined) inventory.hpas.push(hpa);
    else if (object.kind === 'Service') inventory.services.push(object);
    else if (object.kind === 'PodDisruptionBudget') inventory.pdbs.push(object);
    else {
      const range = toLimitRange(object);
      if (range !== undefined) inventory.limitRanges.push(range);
    }
  }
  return inventory;
}

/** The HPA in the input that scales this workload, if any. */
export function hpaFor(workload: Workload, inventory: Inventory): Hpa | undefined {
  return inventory.hpas.find(
    (hpa) =>
      hpa.targetKind === workload.kind &&
      hpa.targetName === workload.object.name &&
      sameNamespace(hpa.object, workload.object),
  );
}

/** The fewest pods the workload runs: the HPA's minReplicas when one scales it, else its replicas. */
export function minimumReplicas(workload: Workload, inventory: Inventory): number | undefined {
  return hpaFor(workload, inventory)?.minReplicas ?? workload.replicas;
}
