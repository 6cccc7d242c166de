/**
 * What the compliance checker reports, as one catalog (../scan/catalog.ts)
 * so that a CI run gates on it through SARIF: a failed control (CMP001, one
 * per framework and control, at the first failing finding's file and line),
 * a control the policy requires that could not be assessed (CMP002), evidence
 * it could not read (CMP000) and a policy entry that changes nothing
 * (CMP003). No score of its own: the frameworks' scores are in the report.
 */
import { defineRules } from '../scan/catalog.js';

const PRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: tools
spec:
  containers:
    - name: shell
      image: busybox:1.36
      securityContext:
        privileged: true
`;

/** A k8s-optimizer execution that read manifests and found nothing. */
const CLEAN_K8S = {
  id: 'exec-clean',
  agent: 'k8s-optimizer',
  status: 'completed',
  result: {
    summary: '4 objects, 1 workload: no open findings.',
    findings: [],
    metrics: { objects: 4, workloads: 1 },
  },
};

const EMPTY_SARIF = JSON.stringify({
  version: '2.1.0',
  runs: [
    {
      tool: { driver: { name: 'aiops-k8s-optimizer', version: '1.0.0', rules: [] } },
      results: [],
      properties: { metrics: { objects: 2, workloads: 1 } },
    },
  ],
});

export const COMPLIANCE_RULES = defineRules('compliance-checker', [
  {
    id: 'CMP000',
    severity: 'medium',
    category: 'compliance',
    title: 'Evidence could not be read',
    description:
      'A SARIF log that does not parse, a run of a tool that is not an aiops source agent, an execution that did not ' +
      'complete, a result of an agent whose rules map to no control, or a source agent that could not scan the files. ' +
      'Its controls stay not assessed; nothing is guessed from it.',
    remediation: 'Give the SARIF or JSON results aiops wrote, of completed runs of the source agents.',
    precision: 'very-high',
    samples: {
      bad: [{ path: 'reports/k8s.sarif', content: '{"version": "2.1.0", "runs": [', why: 'cut off' }],
      good: [{ path: 'reports/k8s.sarif', content: EMPTY_SARIF }],
    },
  },
  {
    id: 'CMP001',
    severity: 'high',
    category: 'compliance',
    title: 'Control failed',
    description:
      'An open finding of a rule mapped to the control (shared/agents/compliance-checker/mappings): one finding per ' +
      'framework and control, at the first failing finding, with every failing finding as evidence. Its severity is ' +
      "the worst of the failing findings'.",
    remediation:
      'Fix the findings listed as evidence (the remediation plan orders the rules by controls cleared), or waive ' +
      'the rule in the policy with a justification.',
    precision: 'high',
    samples: {
      bad: [{ path: 'k8s/debug.yaml', content: PRIVILEGED_POD, line: 11, why: 'CIS Kubernetes 5.2.2 fails' }],
      good: [{ input: { executions: [CLEAN_K8S] }, why: 'manifests read, nothing found' }],
    },
  },
  {
    id: 'CMP002',
    severity: 'medium',
    category: 'compliance',
    title: 'Required control not assessed',
    description:
      'The policy requires the framework, but no evidence assesses the control: no result of the agents whose rules ' +
      'map to it, none of the inputs of the kind they read, or no rule maps to it at all. Not assessed is never ' +
      'reported as passed.',
    remediation:
      'Give the inputs the control needs (templates, manifests, inventories) or the results of the agents that read ' +
      'them, or exclude the control in the policy with a justification.',
    precision: 'very-high',
    samples: {
      bad: [
        {
          input: { executions: [CLEAN_K8S], policy: { frameworks: ['cis-aws'] } },
          why: 'no template was read',
        },
      ],
      good: [{ input: { executions: [CLEAN_K8S], policy: { frameworks: ['cis-kubernetes'] } } }],
    },
  },
  {
    id: 'CMP003',
    severity: 'low',
    category: 'compliance',
    title: 'Policy entry changes nothing',
    description:
      'An exclusion of a control the framework does not list (or of a framework not selected), or a waiver of a ' +
      'rule no control maps: probably a typo or a stale entry, and the control it meant is still counted.',
    remediation: 'Correct the control id or rule id, or remove the entry.',
    precision: 'very-high',
    samples: {
      bad: [
        {
          input: {
            executions: [CLEAN_K8S],
            policy: { waive: [{ rule: 'K8S999', justification: 'accepted by the platform team' }] },
          },
        },
      ],
      good: [
        {
          input: {
            executions: [CLEAN_K8S],
            policy: { waive: [{ rule: 'K8S029', justification: 'seccomp set by the admission controller' }] },
          },
        },
      ],
    },
  },
]);

export type ComplianceRuleId = (typeof COMPLIANCE_RULES.rules)[number]['id'];
