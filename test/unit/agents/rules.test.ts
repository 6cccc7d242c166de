import { describe, expect, it } from '@jest/globals';
import { findingSchema } from '../../../shared/agents/contract.js';
import { type Rule, ruleCatalog, ruleFinding } from '../../../shared/agents/rules.js';
import { AgentError } from '../../../shared/core/errors.js';

const PROBE: Rule = {
  id: 'K8S004',
  severity: 'medium',
  category: 'reliability',
  title: 'Missing liveness probe',
  description: 'A container without a liveness probe is never restarted when it hangs.',
  remediation: 'Add a livenessProbe that fails when the process can no longer serve.',
};

const SECRET: Rule = {
  id: 'SEC-AWS-ACCESS-KEY',
  severity: 'critical',
  category: 'security',
  title: 'AWS access key id',
  description: 'An AWS access key id committed to the repository.',
  remediation: 'Revoke the key in IAM and load credentials from the environment or a role.',
};

describe('ruleCatalog', () => {
  it('keys rules by id and freezes them', () => {
    // Act
    const catalog = ruleCatalog([PROBE, SECRET]);

    // Assess
    expect(Object.keys(catalog)).toEqual(['K8S004', 'SEC-AWS-ACCESS-KEY']);
    expect(catalog['SEC-AWS-ACCESS-KEY']).toEqual(SECRET);
    expect(Object.isFrozen(catalog)).toBe(true);
    expect(Object.isFrozen(catalog.K8S004)).toBe(true);
  });

  it('throws on a duplicate id, naming it', () => {
    // Act
    const build = () => ruleCatalog([PROBE, SECRET, { ...PROBE, title: 'copy' }]);

    // Assess
    expect(build).toThrow(AgentError);
    expect(build).toThrow(/Duplicate rule id K8S004/);
  });

  it.each(['k8s004', 'K8S 004', 'K8S-', '*', '', 'SEC--X'])('rejects the malformed id %j', (id) => {
    expect(() => ruleCatalog([{ ...PROBE, id }])).toThrow(AgentError);
  });
});

describe('ruleFinding', () => {
  it('takes id, title, severity and remediation from the rule', () => {
    // Act
    const finding = ruleFinding(PROBE, {
      message: 'Container api has no liveness probe.',
      resource: { kind: 'Deployment', name: 'orders', namespace: 'shop', file: 'k8s/orders.yaml', line: 12 },
      key: ['api'],
    });

    // Assess
    expect(finding).toMatchObject({
      ruleId: 'K8S004',
      severity: 'medium',
      title: 'Missing liveness probe',
      message: 'Container api has no liveness probe.',
      remediation: PROBE.remediation,
      resource: { kind: 'Deployment', name: 'orders', namespace: 'shop', file: 'k8s/orders.yaml', line: 12 },
    });
    expect(finding).not.toHaveProperty('evidence');
    expect(findingSchema.parse(finding)).toEqual(finding);
  });

  it('lets a finding lower the severity and carry evidence', () => {
    // Act
    const finding = ruleFinding(SECRET, {
      message: 'AWS access key id in a test fixture.',
      severity: 'low',
      evidence: { value: 'AKIA************MPLE' },
    });

    // Assess
    expect(finding.severity).toBe('low');
    expect(finding.evidence).toEqual({ value: 'AKIA************MPLE' });
    expect(finding).not.toHaveProperty('resource');
  });

  it('fingerprints the place, not the line: moving a finding keeps its fingerprint', () => {
    // Prepare
    const at = (line: number, container: string, file = 'k8s/orders.yaml') =>
      ruleFinding(PROBE, {
        message: `line ${line}`,
        resource: { kind: 'Deployment', name: 'orders', file, line },
        key: [container],
      }).fingerprint;

    // Assess
    expect(at(12, 'api')).toBe(at(40, 'api'));
    expect(at(12, 'api')).not.toBe(at(12, 'sidecar'));
    expect(at(12, 'api')).not.toBe(at(12, 'api', 'k8s/payments.yaml'));
  });

  it('tells resources apart by kind, name and namespace', () => {
    // Prepare
    const of = (resource: { kind: string; name: string; namespace?: string }) =>
      ruleFinding(PROBE, { message: '', resource: { ...resource, file: 'all.yaml' } }).fingerprint;

    // Assess
    const prints = new Set([
      of({ kind: 'Deployment', name: 'orders' }),
      of({ kind: 'StatefulSet', name: 'orders' }),
      of({ kind: 'Deployment', name: 'orders', namespace: 'shop' }),
      of({ kind: 'Deployment', name: 'payments' }),
    ]);
    expect(prints.size).toBe(4);
  });
});
