/**
 * `aiops analyze k8s-optimizer FOLDER…` as CI runs it: a real process on the
 * fixture folders, with `--usage`, `--fail-on` and SARIF.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type * as Sarif from 'sarif';
import type { K8sOptimizerOutput } from '../../../shared/agents/k8s-optimizer/schema.js';
import { aiops as runCli } from '../../helpers/cli.js';
import { sarifSchemaErrors } from '../../helpers/sarif.js';

const root = new URL('../../..', import.meta.url).pathname;

function aiops(args: string[]) {
  return runCli(args);
}

describe('aiops analyze k8s-optimizer', () => {
  it('passes the production-grade folder with --fail-on high', async () => {
    const { code, stdout } = await aiops([
      'analyze',
      'k8s-optimizer',
      'test/fixtures/k8s/good',
      '--fail-on',
      'high',
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as K8sOptimizerOutput;
    expect(result.findings).toEqual([]);
    expect(result.metrics.workloads).toBe(3);
  }, 60_000);

  it('fails the gallery with --fail-on high and writes SARIF GitHub accepts, with file and line', async () => {
    const { code, stdout } = await aiops([
      'analyze',
      'k8s-optimizer',
      'test/fixtures/k8s/bad',
      '--fail-on',
      'high',
      '--format',
      'sarif',
    ]);
    expect(code).toBe(1);
    const log = JSON.parse(stdout) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    const [sarifRun] = log.runs;
    expect(sarifRun?.tool.driver.rules?.map((r) => r.id)).toEqual(
      expect.arrayContaining(['K8S001', 'K8S020']),
    );
    const removed = sarifRun?.results?.find(
      (r) =>
        r.ruleId === 'K8S019' &&
        r.locations?.[0]?.physicalLocation?.artifactLocation?.uri?.endsWith('payments.yaml'),
    );
    const hpaLine =
      readFileSync(join(root, 'test/fixtures/k8s/bad/payments.yaml'), 'utf8')
        .split('\n')
        .indexOf('apiVersion: autoscaling/v2beta2') + 1;
    expect(removed?.locations?.[0]?.physicalLocation?.region?.startLine).toBe(hpaLine);
    expect(stdout).not.toContain('hunter2-Pr0d!');
  }, 60_000);

  it('rightsizes with --usage FILE.json and honours the folder’s .aiopsignore', async () => {
    const sized = await aiops([
      'analyze',
      'k8s-optimizer',
      'test/fixtures/k8s/usage',
      '--usage',
      'test/fixtures/k8s/usage/usage.json',
      '--format',
      'json',
    ]);
    expect(sized.code).toBe(0);
    expect((JSON.parse(sized.stdout) as K8sOptimizerOutput).metrics.monthlySavingsUsd).toBe(89.67);

    const suppressed = await aiops([
      'analyze',
      'k8s-optimizer',
      'test/fixtures/k8s/suppressed',
      '--format',
      'json',
    ]);
    const result = JSON.parse(suppressed.stdout) as K8sOptimizerOutput;
    expect(result.findings.find((f) => f.ruleId === 'K8S017')).toMatchObject({
      suppressed: true,
      suppressionSource: 'aiopsignore',
    });
  }, 60_000);
});
