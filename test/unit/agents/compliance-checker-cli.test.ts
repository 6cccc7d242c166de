/**
 * `aiops analyze compliance-checker PATH…` as CI runs it: a real process that
 * scans a folder with the source agents, or reads the SARIF and results they
 * wrote, gates on `--fail-on` and writes SARIF GitHub accepts.
 */
import { describe, expect, it } from '@jest/globals';
import type * as Sarif from 'sarif';
import type { ComplianceResult } from '../../../shared/agents/compliance-checker/schema.js';
import { aiops } from '../../helpers/cli.js';
import { sarifSchemaErrors } from '../../helpers/sarif.js';

const FIXTURES = 'test/fixtures/compliance-checker';

describe('aiops analyze compliance-checker', () => {
  it('scans a folder, fails the gate on failed controls and writes valid SARIF with file and line', async () => {
    // Act
    const { code, stdout } = await aiops([
      'analyze',
      'compliance-checker',
      `${FIXTURES}/repo`,
      '--format',
      'sarif',
      '--fail-on',
      'high',
    ]);

    // Assess
    expect(code).toBe(1);
    const log = JSON.parse(stdout) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    const run = log.runs[0];
    expect(run?.tool.driver.name).toBe('aiops-compliance-checker');
    expect(run?.tool.driver.rules?.map((r) => r.id)).toEqual(['CMP000', 'CMP001', 'CMP002', 'CMP003']);
    const located = run?.results?.map((r) => [
      r.ruleId,
      r.locations?.[0]?.physicalLocation?.artifactLocation?.uri,
      r.locations?.[0]?.physicalLocation?.region?.startLine,
    ]);
    expect(located?.[0]).toEqual(['CMP001', `${FIXTURES}/repo/k8s/payments.yaml`, 47]);
    expect(located).toHaveLength(23);
  }, 120_000);

  it('reads the SARIF and results the source agents wrote, and names what it could not use', async () => {
    // Act
    const { code, stdout, stderr } = await aiops([
      'analyze',
      'compliance-checker',
      `${FIXTURES}/evidence`,
      '--format',
      'json',
    ]);

    // Assess
    expect([code, stderr.includes('Error')]).toEqual([0, false]);
    const result = JSON.parse(stdout) as ComplianceResult;
    expect(result.sources.map((s) => s.agent)).toEqual([
      'disaster-recovery',
      'k8s-optimizer',
      'security-scanner',
    ]);
    expect(result.findings.filter((f) => f.ruleId === 'CMP000')).toHaveLength(2);
    expect(result.frameworks.find((f) => f.id === 'cis-kubernetes')).toMatchObject({
      passed: 14,
      assessed: 18,
    });
  }, 120_000);
});
