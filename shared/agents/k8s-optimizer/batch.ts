/**
 * Batch checks (K8S037, K8S038): a CronJob without a starting deadline or a
 * concurrency policy, and a Job that stays in the cluster after it finished.
 */
import type { CheckContext } from './check-context.js';
import { at } from './manifests.js';
import type { Workload } from './workloads.js';

/** K8S037. */
function checkCronJob(workload: Workload, ctx: CheckContext): void {
  const { object } = workload;
  if (at(object.value, ['spec', 'startingDeadlineSeconds']) === undefined) {
    ctx.report.add(
      'K8S037',
      object,
      ['spec'],
      `CronJob ${object.name} sets no startingDeadlineSeconds: after 100 missed schedules (a long controller outage) it stops being scheduled at all, and a late run starts however late it is.`,
      { key: ['startingDeadlineSeconds'], evidence: { field: 'startingDeadlineSeconds' } },
    );
  }
  const policy = at(object.value, ['spec', 'concurrencyPolicy']);
  if (policy === undefined || policy === 'Allow') {
    ctx.report.add(
      'K8S037',
      object,
      policy === undefined ? ['spec'] : ['spec', 'concurrencyPolicy'],
      `CronJob ${object.name} allows concurrent runs${policy === undefined ? ' (concurrencyPolicy unset)' : ''}: a run that overruns its schedule overlaps the next one.`,
      { key: ['concurrencyPolicy'], evidence: { field: 'concurrencyPolicy', value: policy ?? null } },
    );
  }
}

/** K8S038: a finished Job and its pods stay until someone deletes them. */
function checkJob(workload: Workload, ctx: CheckContext): void {
  const { object } = workload;
  if (at(object.value, ['spec', 'ttlSecondsAfterFinished']) !== undefined) return;
  ctx.report.add(
    'K8S038',
    object,
    ['spec'],
    `Job ${object.name} sets no ttlSecondsAfterFinished: the finished Job and its pods stay in the cluster (and in quota) until deleted by hand.`,
    { evidence: {} },
  );
}

export function checkBatch(workload: Workload, ctx: CheckContext): void {
  if (workload.kind === 'CronJob') checkCronJob(workload, ctx);
  else if (workload.kind === 'Job') checkJob(workload, ctx);
}
