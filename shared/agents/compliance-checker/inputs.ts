/**
 * The kinds of input a control is assessed on, and how a source agent's
 * result proves it read some: a metric it reports (security-scanner
 * `templates`, k8s-optimizer `workloads`) above zero. A control passes only
 * when every kind its checks need was read and its rules found nothing; a
 * scan of Dockerfiles says nothing about Kubernetes manifests.
 */

export const SOURCE_AGENTS = [
  'security-scanner',
  'k8s-optimizer',
  'disaster-recovery',
  'cost-optimizer',
  'db-query-analyzer',
  'code-reviewer',
] as const;
export type SourceAgent = (typeof SOURCE_AGENTS)[number];

export function isSourceAgent(name: string): name is SourceAgent {
  return (SOURCE_AGENTS as readonly string[]).includes(name);
}

export interface InputKind {
  agent: SourceAgent;
  /** Metrics of the agent's result that must all be above zero for the kind to count as read. */
  metrics: readonly string[];
  /** What was read, in a sentence: "12 Kubernetes objects". */
  label: string;
}

export const INPUT_KINDS = {
  iac: { agent: 'security-scanner', metrics: ['templates'], label: 'infrastructure templates' },
  dockerfile: { agent: 'security-scanner', metrics: ['dockerfiles'], label: 'Dockerfiles' },
  secrets: { agent: 'security-scanner', metrics: ['files'], label: 'files scanned for secrets' },
  code: {
    agent: 'security-scanner',
    metrics: ['codeFiles'],
    label: 'source files scanned for risky patterns',
  },
  dependencies: {
    agent: 'security-scanner',
    metrics: ['packages', 'advisories'],
    label: 'locked packages matched against advisories',
  },
  k8s: { agent: 'k8s-optimizer', metrics: ['objects'], label: 'Kubernetes objects' },
  'k8s-workloads': { agent: 'k8s-optimizer', metrics: ['workloads'], label: 'Kubernetes workloads' },
  dr: { agent: 'disaster-recovery', metrics: ['systems'], label: 'data stores assessed for recovery' },
  cost: { agent: 'cost-optimizer', metrics: ['resources'], label: 'cloud resources' },
  sql: { agent: 'db-query-analyzer', metrics: ['statements'], label: 'SQL statements' },
  review: { agent: 'code-reviewer', metrics: ['parsedFiles'], label: 'source files reviewed' },
  'review-diff': { agent: 'code-reviewer', metrics: ['addedLines'], label: 'changed lines reviewed' },
} as const satisfies Record<string, InputKind>;

export type InputKindId = keyof typeof INPUT_KINDS;

/** How many inputs of `kind` a result's metrics prove were read: the smallest of its metrics, 0 when one is missing. */
export function inputsRead(kind: InputKindId, metrics: Readonly<Record<string, number>>): number {
  return Math.min(...INPUT_KINDS[kind].metrics.map((name) => metrics[name] ?? 0));
}
