/**
 * `aiops analyze release-manager changes.diff canary.json release.json` as a
 * deploy pipeline runs it: a real process, files mapped to the input by
 * name and content, `--fail-on` as the gate and SARIF for code scanning.
 */
import { describe, expect, it } from '@jest/globals';
import type * as Sarif from 'sarif';
import type { ReleaseOutput } from '../../../shared/agents/release-manager/schema.js';
import { aiops } from '../../helpers/cli.js';
import { sarifSchemaErrors } from '../../helpers/sarif.js';

const FIXTURES = 'test/fixtures/release-manager';

describe('aiops analyze release-manager', () => {
  it('lets the clean release through the gate with a go', async () => {
    // Act
    const { code, stdout } = await aiops([
      'analyze',
      'release-manager',
      `${FIXTURES}/clean/changes.txt`,
      `${FIXTURES}/clean/canary.csv`,
      `${FIXTURES}/clean/release.yaml`,
      '--fail-on',
      'high',
      '--format',
      'json',
    ]);

    // Assess
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as ReleaseOutput;
    expect([result.decision, result.strategy.kind, result.canary?.verdict]).toEqual(['go', 'canary', 'go']);
  }, 60_000);

  it('stops the risky release at the gate and writes SARIF pointing at the diff and the canary file', async () => {
    // Act
    const { code, stdout } = await aiops([
      'analyze',
      'release-manager',
      `${FIXTURES}/risky/changes.diff`,
      `${FIXTURES}/risky/canary.json`,
      `${FIXTURES}/risky/release.json`,
      '--fail-on',
      'high',
      '--format',
      'sarif',
    ]);

    // Assess
    expect(code).toBe(1);
    const log = JSON.parse(stdout) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    const where = (ruleId: string) =>
      log.runs[0]?.results
        ?.filter((r) => r.ruleId === ruleId)
        .map((r) => {
          const physical = r.locations?.[0]?.physicalLocation;
          return `${physical?.artifactLocation?.uri}:${physical?.region?.startLine}`;
        });
    expect(where('REL004')).toEqual([`${FIXTURES}/risky/canary.json:3`]);
    expect(where('REL003')).toEqual([`${FIXTURES}/risky/changes.diff:36`]);
  }, 60_000);
});
