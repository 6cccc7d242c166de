/**
 * The acceptance run, as a user types it: `aiops analyze dependency-analyzer
 * package-lock.json --format json` on this project's own lockfile gives a
 * CycloneDX 1.6 SBOM that validates (`jq .sbom` writes it alone) and a
 * licence table; `--metadata` is read from a JSON file.
 */
import { describe, expect, it } from '@jest/globals';
import { aiops } from '../../helpers/cli.js';
import { cycloneDxErrors } from './dependency-analyzer-cyclonedx.js';

describe('aiops analyze dependency-analyzer', () => {
  it("writes a valid SBOM and a licence table for this project's package-lock.json", async () => {
    // Act
    const { code, stdout } = await aiops([
      'analyze',
      'dependency-analyzer',
      'package-lock.json',
      '--format',
      'json',
    ]);

    // Assess
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      sbom: { components: unknown[] };
      licenses: { license: string; count: number }[];
      metrics: { packages: number };
    };
    expect(cycloneDxErrors(result.sbom)).toEqual([]);
    expect(result.sbom.components).toHaveLength(result.metrics.packages);
    expect(result.licenses[0]).toMatchObject({ license: 'MIT' });
  }, 120_000);

  it('reads registry metadata from a file, and fails on high findings when asked', async () => {
    // Act
    const { code, stdout } = await aiops([
      'analyze',
      'dependency-analyzer',
      'test/fixtures/dependency-analyzer/npm',
      '--metadata',
      'test/fixtures/dependency-analyzer/npm-metadata.json',
      '--format',
      'table',
      '--fail-on',
      'high',
    ]);

    // Assess
    expect(code).toBe(1);
    expect(stdout).toContain('DEPS-OUTDATED-MAJOR');
    expect(stdout).toContain('DEPS-VULNERABLE');
  }, 120_000);
});
