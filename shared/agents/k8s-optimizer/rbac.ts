/**
 * RBAC checks (K8S021–K8S024): bindings to cluster-admin, wildcard rules,
 * read access to Secrets, and the verbs and subresources that let a subject
 * become more than it was given (escalate, bind, impersonate, pods/exec,
 * creating pods). Roles named `system:…` are the cluster's own and are left
 * alone; a rule scoped by resourceNames is least privilege already.
 */
import type { CheckContext } from './check-context.js';
import { at, isJson, type ManifestObject, text } from './manifests.js';

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function subjectsOf(binding: ManifestObject): string[] {
  const subjects = at(binding.value, ['subjects']);
  if (!Array.isArray(subjects)) return [];
  return subjects.flatMap((s: unknown) =>
    isJson(s) ? [`${text(s.kind) ?? 'Subject'} ${text(s.name) ?? '?'}`] : [],
  );
}

/** K8S021. */
function checkClusterAdminBinding(binding: ManifestObject, ctx: CheckContext): void {
  if (text(at(binding.value, ['roleRef', 'kind'])) !== 'ClusterRole') return;
  if (text(at(binding.value, ['roleRef', 'name'])) !== 'cluster-admin') return;
  if (binding.name.startsWith('system:')) return;
  const subjects = subjectsOf(binding);
  const cluster = binding.kind === 'ClusterRoleBinding';
  ctx.report.add(
    'K8S021',
    binding,
    ['roleRef', 'name'],
    `${binding.kind} ${binding.name} gives ${subjects.join(', ') || 'its subjects'} cluster-admin${cluster ? ' across the cluster' : ` in namespace ${binding.namespace ?? '(unset)'}`}: every action on every resource.`,
    { ...(cluster ? { severity: 'critical' as const } : {}), evidence: { subjects } },
  );
}

/** Verbs and subresources that grant more than the rule names. */
const ESCALATING_VERBS = new Set(['escalate', 'bind', 'impersonate']);
const EXEC_SUBRESOURCES = new Set(['pods/exec', 'pods/attach', 'pods/portforward', 'nodes/proxy']);
const POD_CREATORS = new Set([
  'pods',
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
  'jobs',
  'cronjobs',
]);
const SECRET_READS = new Set(['get', 'list', 'watch']);

function checkRule(role: ManifestObject, rule: unknown, index: number, ctx: CheckContext): void {
  if (!isJson(rule)) return;
  const verbs = strings(rule.verbs);
  const resources = strings(rule.resources);
  const scoped = strings(rule.resourceNames).length > 0;
  const path = ['rules', index];
  const wildcardVerbs = verbs.includes('*');
  if (wildcardVerbs || resources.includes('*')) {
    ctx.report.add(
      'K8S022',
      role,
      [...path, wildcardVerbs ? 'verbs' : 'resources'],
      `${role.kind} ${role.name} grants ${wildcardVerbs ? 'every verb' : verbs.join(', ')} on ${resources.includes('*') ? 'every resource' : resources.join(', ')}${strings(rule.apiGroups).includes('*') ? ' of every API group' : ''}: anything added to the cluster later is granted too.`,
      { key: [index], evidence: { verbs, resources, apiGroups: strings(rule.apiGroups) } },
    );
    return;
  }
  if (resources.includes('secrets') && !scoped && verbs.some((v) => SECRET_READS.has(v))) {
    ctx.report.add(
      'K8S023',
      role,
      [...path, 'resources'],
      `${role.kind} ${role.name} can ${verbs.filter((v) => SECRET_READS.has(v)).join('/')} every Secret${role.kind === 'ClusterRole' ? ' in every namespace it is bound in' : ` in ${role.namespace ?? 'its namespace'}`}, including other workloads' credentials and service account tokens.`,
      { key: [index], evidence: { verbs } },
    );
  }
  const escalating = verbs.filter((v) => ESCALATING_VERBS.has(v));
  const exec = resources.filter((r) => EXEC_SUBRESOURCES.has(r));
  const creates = verbs.includes('create') ? resources.filter((r) => POD_CREATORS.has(r)) : [];
  const grants = [
    ...escalating.map((v) => `${v} (${resources.join(', ')})`),
    ...exec,
    ...creates.map((r) => `create ${r}`),
  ];
  if (grants.length === 0) return;
  ctx.report.add(
    'K8S024',
    role,
    [...path, escalating.length > 0 ? 'verbs' : 'resources'],
    `${role.kind} ${role.name} grants ${grants.join(', ')}: a subject can act beyond its own rules (run code in other pods, mount any Secret or service account into a pod it creates, or grant itself more).`,
    {
      key: [index],
      // Creating workloads is how most deployers work: lower than exec or escalate.
      ...(escalating.length === 0 && exec.length === 0 ? { severity: 'medium' as const } : {}),
      evidence: { verbs, resources, grants },
    },
  );
}

export function checkRbac(ctx: CheckContext): void {
  for (const object of ctx.inventory.objects) {
    if (object.kind === 'ClusterRoleBinding' || object.kind === 'RoleBinding')
      checkClusterAdminBinding(object, ctx);
    if ((object.kind !== 'Role' && object.kind !== 'ClusterRole') || object.name.startsWith('system:'))
      continue;
    const rules = at(object.value, ['rules']);
    if (!Array.isArray(rules)) continue;
    rules.forEach((rule, index) => {
      checkRule(object, rule, index, ctx);
    });
  }
}
