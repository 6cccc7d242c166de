/**
 * Network, compute, cluster and container IaC rules across AWS, Azure, GCP
 * and Alicloud: every sample of their catalog, and the fixtures of each
 * provider with the exact rule and line of every finding.
 */
import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../../shared/agents/contract.js';
import { runAgent } from '../../../shared/agents/registry.js';
import { IAC_RULES } from '../../../shared/agents/security-scanner/rules/iac.js';
import { IAC_NETWORK_RULES } from '../../../shared/agents/security-scanner/rules/iac-network.js';
import { fixture } from '../../helpers/fixtures.js';

const NOW = new Date('2026-06-01T12:00:00Z');

async function scan(files: { path: string; content: string }[]): Promise<Finding[]> {
  const result = await runAgent('security-scanner', { files }, { traceId: 'iac-network', now: NOW });
  return result.findings;
}

const ADMIN_PORTS = IAC_RULES.rule('IAC-SG-ADMIN-PORT-OPEN');

describe('network, compute and cluster rule samples', () => {
  const rules = [...IAC_NETWORK_RULES.rules, ADMIN_PORTS];
  const cases = rules.flatMap((rule) => [
    ...rule.samples.bad.map((sample, i) => [rule.id, 'bad', i, sample] as const),
    ...rule.samples.good.map((sample, i) => [rule.id, 'good', i, sample] as const),
  ]);

  it('names checkov references and shows AWS rules in both languages', () => {
    for (const rule of rules) {
      expect([rule.id, (rule.references ?? []).length > 0]).toEqual([rule.id, true]);
      const aws = rule.samples.bad.some((s) => 'path' in s && s.path === 'template.yaml');
      const paths = rule.samples.good.map((s) => ('path' in s ? s.path : ''));
      if (aws)
        expect([rule.id, paths.includes('template.yaml'), paths.includes('main.tf')]).toEqual([
          rule.id,
          true,
          true,
        ]);
    }
  });

  it.each(cases)('%s %s sample %d', async (ruleId, kind, _index, sample) => {
    if (!('path' in sample)) throw new Error('IaC samples are files');
    const findings = await scan([{ path: sample.path, content: sample.content }]);
    const hits = findings.filter((f) => f.ruleId === ruleId && !f.suppressed);
    if (kind === 'good') expect(hits.map((f) => f.message)).toEqual([]);
    else {
      expect(hits.length).toBeGreaterThan(0);
      if (sample.line !== undefined) expect(hits.map((f) => f.resource?.line)).toContain(sample.line);
    }
  });
});
