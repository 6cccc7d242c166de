/**
 * `aiops analyze cicd-optimizer FOLDER…` as CI runs it: a real process on the
 * fixture folders (dot-folders walked), with `--runs`, `--logs`, `--fail-on`
 * and SARIF.
 */
import { describe, expect, it } from '@jest/globals';
import type * as Sarif from 'sarif';
import type { CicdOutput } from '../../../shared/agents/cicd-optimizer/schema.js';
import { aiops } from '../../helpers/cli.js';
import { sarifSchemaErrors } from '../../helpers/sarif.js';

const FIXTURES = 'test/fixtures/cicd-optimizer';

describe('aiops analyze cicd-optimizer', () => {
  it('passes the clean pipelines with --fail-on high', async () => {
    const { code, stdout } = await aiops([
      'analyze',
      'cicd-optimizer',
      `${FIXTURES}/good`,
      '--fail-on',
      'high',
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as CicdOutput;
    expect(result.findings).toEqual([]);
    expect(result.pipelines.map((p) => p.kind).sort()).toEqual(['github-workflow', 'gitlab']);
  }, 60_000);

  it('fails the gallery with --fail-on high and writes SARIF GitHub accepts, with file and line', async () => {
    const { code, stdout } = await aiops([
      'analyze',
      'cicd-optimizer',
      `${FIXTURES}/bad`,
      '--fail-on',
      'high',
      '--format',
      'sarif',
    ]);
    expect(code).toBe(1);
    const log = JSON.parse(stdout) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    const injection = log.runs[0]?.results?.find(
      (r) =>
        r.ruleId === 'CICD003' &&
        r.locations?.[0]?.physicalLocation?.artifactLocation?.uri?.endsWith('.github/workflows/triage.yml'),
    );
    expect(injection?.locations?.[0]?.physicalLocation?.region?.startLine).toBe(13);
    expect(injection?.level).toBe('error');
  }, 60_000);

  it('reads the runs and logs options', async () => {
    const { code, stdout } = await aiops([
      'analyze',
      'cicd-optimizer',
      `${FIXTURES}/runs/ci.yml`,
      '--runs',
      `${FIXTURES}/runs/jobs-run-5001.json`,
      '--logs',
      `${FIXTURES}/logs/logs.json`,
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as CicdOutput;
    expect(result.timings?.runs.map((r) => r.criticalPathMinutes)).toEqual([20]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['CICD034', 'CICD030', 'CICD031', 'CICD031']);
  }, 60_000);
});
