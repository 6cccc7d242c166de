import { describe, expect, it } from '@jest/globals';
import type * as Sarif from 'sarif';
import type { AgentResult, Finding } from '../../../shared/agents/contract.js';
import { type Rule, ruleFinding } from '../../../shared/agents/rules.js';
import { artifactUri, toSarif } from '../../../shared/agents/sarif.js';
import { defineRules } from '../../../shared/agents/scan/catalog.js';
import {
  applySuppressions,
  mergeSuppressions,
  parseAiopsIgnore,
  parseInlineAllows,
} from '../../../shared/agents/suppressions.js';
import { sarifSchemaErrors } from '../../helpers/sarif.js';

// --- fixtures ---------------------------------------------------------------

const ROWS: Rule[] = [
  {
    id: 'K8S006',
    severity: 'medium',
    category: 'reliability',
    title: 'Image tag :latest or untagged',
    description: 'A mutable tag makes rollouts unrepeatable and rollbacks unreliable.',
    remediation: 'Pin the image to a version tag or, better, a digest.',
  },
  {
    id: 'K8S008',
    severity: 'critical',
    category: 'security',
    title: 'Privileged container or privilege escalation allowed',
    description: 'A privileged container has the host’s devices and capabilities.',
    remediation: 'Remove `privileged: true` and set `allowPrivilegeEscalation: false`.',
    precision: 'very-high',
  },
  {
    id: 'K8S011',
    severity: 'low',
    category: 'reliability',
    title: 'Single replica',
    description: 'One replica means downtime on every node drain.',
    remediation: 'Run at least two replicas.',
  },
  {
    id: 'SEC-GENERIC-SECRET',
    severity: 'high',
    category: 'security',
    title: 'Generic secret',
    description: 'A high-entropy value assigned to a secret-looking key.',
    remediation: 'Move the value to a secret store.',
    precision: 'medium',
  },
  {
    id: 'K8S016',
    severity: 'info',
    category: 'security',
    title: 'Informational security note',
    description: 'x',
    remediation: 'y',
  },
];

// SARIF reads only the rows; the samples are never run here.
const RULES = defineRules(
  'sarif-test',
  ROWS.map((row) => ({ ...row, samples: { bad: [{ input: {} }], good: [{ input: {} }] } })),
);

const rule = (id: string) => {
  const found = RULES.byId[id];
  if (!found) throw new Error(`fixture rule ${id} missing`);
  return found;
};

const MANIFEST = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: checkout',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        # aiops:allow K8S006 the tag is rewritten to a digest by the release pipeline',
  '        - name: api',
  '          image: ghcr.io/shop/checkout:latest',
  '          securityContext:',
  '            privileged: true',
].join('\n');

function findings(): Finding[] {
  const resource = {
    kind: 'Deployment',
    name: 'checkout',
    namespace: 'shop',
    file: 'deploy/k8s/checkout v2.yaml',
  };
  const raw: Finding[] = [
    ruleFinding(rule('K8S008'), {
      message: 'Container api runs privileged.',
      resource: { ...resource, line: 13 },
      key: ['api'],
    }),
    ruleFinding(rule('K8S006'), {
      message: 'Container api uses ghcr.io/shop/checkout:latest.',
      resource: { ...resource, line: 10 },
      key: ['api'],
    }),
    ruleFinding(rule('K8S011'), {
      message: 'checkout runs one replica.',
      resource: { ...resource, line: 2 },
    }),
    ruleFinding(rule('SEC-GENERIC-SECRET'), {
      message: 'A secret-looking value (entropy 4.6) for key "apiToken".',
      resource: { kind: 'File', name: 'test/fixtures/app.env', file: 'test/fixtures/app.env', line: 3 },
      severity: 'low',
    }),
    // A finding about the input as a whole: no file.
    ruleFinding(rule('K8S016'), { message: 'No usage data given; rightsizing skipped.' }),
    // A finding of a rule no catalog knows (an agent without a catalog).
    {
      ruleId: 'LOG001',
      severity: 'high',
      title: 'Error template',
      message: '',
      fingerprint: 'f0',
      resource: { kind: 'log-template', name: 'db timeout after <*>', file: 'logs/app.log' },
    },
  ];
  const parsed = mergeSuppressions(
    parseInlineAllows('deploy/k8s/checkout v2.yaml', MANIFEST, ['#']),
    parseAiopsIgnore('SEC-GENERIC-SECRET test/fixtures/** fake credentials'),
    parseAiopsIgnore('K8S011 deploy/**'),
  );
  return applySuppressions(raw, parsed);
}

const RESULT: AgentResult = {
  summary: '1 Deployment; 6 findings.',
  score: 62,
  findings: findings(),
  metrics: { resources: 1 },
};

const AGENT = {
  name: 'k8s-optimizer',
  version: '2.0.0',
  description: 'Kubernetes manifests: reliability, security, cost.',
};

function run(log: Sarif.Log, index = 0): Sarif.Run {
  const found = log.runs[index];
  if (!found) throw new Error(`no run ${index}`);
  return found;
}

function resultOf(log: Sarif.Log, ruleId: string): Sarif.Result {
  const found = run(log).results?.find((r) => r.ruleId === ruleId);
  if (!found) throw new Error(`no result for ${ruleId}`);
  return found;
}

// --- tests ------------------------------------------------------------------

describe('toSarif', () => {
  it('produces a log valid against the SARIF 2.1.0 schema, with suppressed, file-less and unknown-rule results', () => {
    // Act
    const log = toSarif([{ agent: AGENT, rules: RULES, result: RESULT }], {
      informationUri: 'https://example.com/aiops',
    });

    // Assess
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/^https:\/\//);
    expect(run(log).tool.driver).toMatchObject({
      name: 'aiops-k8s-optimizer',
      version: '2.0.0',
      informationUri: 'https://example.com/aiops',
    });
    expect(run(log).results).toHaveLength(RESULT.findings.length);
  });

  it('the schema validator rejects what GitHub would reject (a level that is not a SARIF level)', () => {
    // Prepare
    const log = toSarif([{ agent: AGENT, rules: RULES, result: RESULT }]);
    const broken = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[] };
    const first = broken.runs[0]?.results[0];
    if (first) first.level = 'critical';

    // Act
    const errors = sarifSchemaErrors(broken);

    // Assess
    expect(errors.join('\n')).toMatch(/\/runs\/0\/results\/0\/level/);
  });

  it('describes every rule of the catalog, then the rules only findings named, each once', () => {
    // Act
    const rules = run(toSarif([{ agent: AGENT, rules: RULES, result: RESULT }])).tool.driver.rules ?? [];

    // Assess
    expect(rules.map((r) => r.id)).toEqual([
      'K8S006',
      'K8S008',
      'K8S011',
      'SEC-GENERIC-SECRET',
      'K8S016',
      'LOG001',
      'AIOPS000',
    ]);
    expect(rules[1]).toEqual({
      id: 'K8S008',
      name: 'PrivilegedContainerOrPrivilegeEscalationAllowed',
      shortDescription: { text: 'Privileged container or privilege escalation allowed' },
      fullDescription: { text: 'A privileged container has the host’s devices and capabilities.' },
      help: {
        text: 'A privileged container has the host’s devices and capabilities.\n\nRemediation: Remove `privileged: true` and set `allowPrivilegeEscalation: false`.',
        markdown:
          '**Privileged container or privilege escalation allowed**\n\nA privileged container has the host’s devices and capabilities.\n\n**Remediation:** Remove `privileged: true` and set `allowPrivilegeEscalation: false`.',
      },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security'], precision: 'very-high', 'security-severity': '9.5' },
    });
    expect(rules[6]).toMatchObject({
      id: 'AIOPS000',
      shortDescription: { text: 'Suppression without a reason or malformed' },
      defaultConfiguration: { level: 'note' },
    });
    expect(rules[5]).toMatchObject({
      id: 'LOG001',
      name: 'ErrorTemplate',
      properties: { tags: ['general'] },
    });
  });

  it('gives security-severity (a number as a string) to security rules only, none for info', () => {
    // Act
    const rules = run(toSarif([{ agent: AGENT, rules: RULES, result: RESULT }])).tool.driver.rules ?? [];
    const bySeverity = Object.fromEntries(rules.map((r) => [r.id, r.properties?.['security-severity']]));

    // Assess
    expect(bySeverity).toEqual({
      K8S006: undefined,
      K8S008: '9.5',
      K8S011: undefined,
      'SEC-GENERIC-SECRET': '8.0',
      K8S016: undefined,
      AIOPS000: undefined,
      LOG001: undefined,
    });
    for (const value of Object.values(bySeverity)) {
      if (value !== undefined) expect(Number(value)).toBeGreaterThan(0);
    }
  });

  it("meets GitHub code scanning's expectations on every result", () => {
    // Act
    const log = toSarif([
      { agent: AGENT, rules: RULES, result: RESULT, anchor: 'deploy/k8s/checkout v2.yaml' },
    ]);
    const { results = [], tool } = run(log);

    // Assess
    for (const result of results) {
      expect(result.ruleIndex).toBeDefined();
      expect(tool.driver.rules?.[result.ruleIndex ?? -1]?.id).toBe(result.ruleId);
      expect(result.message.text?.length).toBeGreaterThan(0);
      expect(result.partialFingerprints?.['aiops/v1']).toMatch(/^\w+$/);
      expect(result.locations).toHaveLength(1);
      const physical = result.locations?.[0]?.physicalLocation;
      expect(physical?.artifactLocation?.uri).not.toMatch(/^(\/|\.\/|[a-z]+:)/);
      expect(physical?.region?.startLine).toBeGreaterThanOrEqual(1);
    }
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it('maps severities to levels and points at file and line', () => {
    // Act
    const log = toSarif([{ agent: AGENT, rules: RULES, result: RESULT }]);

    // Assess
    expect(resultOf(log, 'K8S008')).toMatchObject({
      ruleIndex: 1,
      level: 'error',
      message: { text: 'Container api runs privileged.' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'deploy/k8s/checkout%20v2.yaml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 13 },
          },
          logicalLocations: [{ name: 'checkout', fullyQualifiedName: 'Deployment/shop/checkout' }],
        },
      ],
      properties: { severity: 'critical' },
    });
    expect(resultOf(log, 'SEC-GENERIC-SECRET').level).toBe('note'); // lowered to low for a fixture
    expect(resultOf(log, 'K8S016').level).toBe('note');
    expect(resultOf(log, 'AIOPS000').level).toBe('note');
    // A file known but no line: line 1 of the file.
    expect(resultOf(log, 'LOG001').locations?.[0]?.physicalLocation?.region).toEqual({ startLine: 1 });
    expect(resultOf(log, 'LOG001').message.text).toBe('Error template');
  });

  it('keeps suppressed findings with an in-source or external suppression and the justification', () => {
    // Act
    const log = toSarif([{ agent: AGENT, rules: RULES, result: RESULT }]);

    // Assess
    expect(resultOf(log, 'K8S006').suppressions).toEqual([
      {
        kind: 'inSource',
        status: 'accepted',
        justification: 'the tag is rewritten to a digest by the release pipeline',
      },
    ]);
    expect(resultOf(log, 'SEC-GENERIC-SECRET').suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'fake credentials' },
    ]);
    expect(resultOf(log, 'K8S008').suppressions).toBeUndefined();
    // The reason-less .aiopsignore entry suppressed nothing and became AIOPS000.
    expect(resultOf(log, 'K8S011').suppressions).toBeUndefined();
    expect(resultOf(log, 'AIOPS000').message.text).toMatch(/K8S011 has no reason/);
  });

  it('a finding without a file is location-less, or at the anchor on line 1', () => {
    // Act
    const bare = toSarif([{ agent: AGENT, rules: RULES, result: RESULT }]);
    const anchored = toSarif([{ agent: AGENT, rules: RULES, result: RESULT, anchor: './input.json' }]);

    // Assess
    expect(resultOf(bare, 'K8S016').locations).toBeUndefined();
    expect(resultOf(anchored, 'K8S016').locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'input.json', uriBaseId: '%SRCROOT%' },
          region: { startLine: 1 },
        },
      },
    ]);
    // Findings with a file keep theirs.
    expect(resultOf(anchored, 'K8S008').locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe(
      'deploy/k8s/checkout%20v2.yaml',
    );
    expect(sarifSchemaErrors(bare)).toEqual([]);
  });

  it('makes one run per agent, and an empty result is a valid run without results', () => {
    // Act
    const log = toSarif([
      { agent: AGENT, rules: RULES, result: RESULT },
      {
        agent: { name: 'db-query-analyzer', version: '1.0.0', description: 'SQL' },
        result: { summary: 'No queries.', findings: [] },
      },
    ]);

    // Assess
    expect(log.runs.map((r) => r.tool.driver.name)).toEqual([
      'aiops-k8s-optimizer',
      'aiops-db-query-analyzer',
    ]);
    expect(run(log, 1)).toMatchObject({
      results: [],
      tool: { driver: { rules: [] } },
      properties: { summary: 'No queries.' },
    });
    expect(run(log, 0).properties).toEqual({ summary: RESULT.summary, score: 62, metrics: { resources: 1 } });
    expect(sarifSchemaErrors(log)).toEqual([]);
  });
});

describe('artifactUri', () => {
  it.each([
    ['k8s/app.yaml', 'k8s/app.yaml'],
    ['./k8s/app.yaml', 'k8s/app.yaml'],
    ['k8s\\windows\\app.yaml', 'k8s/windows/app.yaml'],
    ['docs/a b#c?.md', 'docs/a%20b%23c%3F.md'],
  ])('%s → %s relative to the source root', (path, uri) => {
    expect(artifactUri(path)).toEqual({ uri, uriBaseId: '%SRCROOT%' });
  });

  it('an absolute path becomes a file URI', () => {
    expect(artifactUri('/srv/repo/a b.yaml')).toEqual({ uri: 'file:///srv/repo/a%20b.yaml' });
  });
});
