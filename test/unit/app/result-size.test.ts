/** The stored-result size cap (issue 14, #11): the most severe findings stay, and a finding says what went. */
import { describe, expect, it } from '@jest/globals';
import {
  type AgentResult,
  type Finding,
  fingerprint,
  type Severity,
} from '../../../shared/agents/contract.js';
import { capResultSize, RESULT_TRUNCATED_RULE } from '../../../shared/app/result-size.js';
import { ResultTooLargeError } from '../../../shared/core/errors.js';

function finding(severity: Severity, n: number): Finding {
  const file = `k8s/apps/service-${n}/deployment.yaml`;
  return {
    ruleId: severity === 'critical' ? 'K8S001' : 'K8S014',
    severity,
    title: severity === 'critical' ? 'Privileged container' : 'No readiness probe',
    message: `Container api in Deployment service-${n} ${severity === 'critical' ? 'runs privileged' : 'has no readiness probe'}.`,
    resource: { kind: 'Deployment', name: `service-${n}`, namespace: 'shop', file, line: 17 },
    remediation: 'Set securityContext.privileged: false and add a readinessProbe.',
    fingerprint: fingerprint('K8S', severity, file),
  };
}

/** 400 low findings, then 5 critical ones at the end of the agent's list. */
function scanResult(): AgentResult {
  const findings = [
    ...Array.from({ length: 400 }, (_, n) => finding('low', n)),
    ...Array.from({ length: 5 }, (_, n) => finding('critical', 1000 + n)),
  ];
  return { summary: '405 findings in 405 manifests', score: 12, findings, metrics: { manifests: 405 } };
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('capResultSize', () => {
  it('#11 keeps a result that fits as it is', () => {
    // Prepare
    const result = scanResult();

    // Act
    const capped = capResultSize('k8s-optimizer', result, bytes(result));

    // Assess
    expect(capped).toBe(result);
  });

  it('#11 keeps the most severe findings in the agent’s order and says how many were left out', () => {
    // Prepare
    const result = scanResult();
    const maxBytes = 64 * 1024;

    // Act
    const capped = capResultSize('k8s-optimizer', result, maxBytes);

    // Assess
    expect(bytes(result)).toBeGreaterThan(maxBytes);
    expect(bytes(capped)).toBeLessThanOrEqual(maxBytes);
    const notice = capped.findings.at(-1);
    const kept = capped.findings.slice(0, -1);
    expect(kept.filter((f) => f.severity === 'critical')).toHaveLength(5);
    expect(kept.length).toBeGreaterThan(50); // filled up to the cap, not emptied
    const order = kept.map((f) => result.findings.indexOf(f));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(notice).toMatchObject({
      ruleId: RESULT_TRUNCATED_RULE,
      severity: 'info',
      message: expect.stringMatching(
        new RegExp(
          `^${405 - kept.length} of 405 findings were left out to keep the result under 65536 bytes`,
        ),
      ),
    });
    expect(capped).toMatchObject({ summary: result.summary, score: 12, metrics: { manifests: 405 } });
  });

  it('#11 fails with RESULT_TOO_LARGE when the result is too large even without findings', () => {
    // Prepare
    const result: AgentResult = { summary: 'x'.repeat(70 * 1024), findings: [finding('low', 1)] };

    // Act
    const act = () => capResultSize('log-analyzer', result, 64 * 1024);

    // Assess
    expect(act).toThrow(ResultTooLargeError);
    expect(act).toThrow('Agent log-analyzer returned a result of more than 65536 bytes');
  });
});
