/**
 * The Lambda functions run agents in process, bounded by Lambda's own timeout
 * and memory (issue 14, #1): none of their bundles carries the worker-thread
 * pool of `aiops serve` / `aiops worker`, nor the local runtime that starts it.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it, jest } from '@jest/globals';
import { build, type Metafile } from 'esbuild';
import {
  agentCodeExternals,
  BUNDLE_BANNER,
  BUNDLE_EXTERNALS,
  BUNDLE_MAIN_FIELDS,
  BUNDLE_TARGET,
  FUNCTION_ENTRIES,
} from '../../infra/bundling.js';
import { listAgents } from '../../shared/agents/registry.js';

jest.setTimeout(120_000);

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const AGENTS = listAgents().map((a) => a.name);

async function bundledSources(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [`${ROOT}${entry}`],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    outdir: `${ROOT}node_modules/.cache/aiops-agent-pool`,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    banner: { js: BUNDLE_BANNER },
    mainFields: [...BUNDLE_MAIN_FIELDS],
    external: [...BUNDLE_EXTERNALS, ...agentCodeExternals(AGENTS)],
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys((result.metafile as Metafile).inputs);
}

describe('the agent pool in the Lambda bundles', () => {
  it.each(Object.entries(FUNCTION_ENTRIES))(
    '#1 leaves the pool out of the %s function',
    async (_kind, entry) => {
      // Act
      const sources = await bundledSources(entry);

      // Assess
      const local = sources.filter(
        (s) => s.startsWith('shared/runtime/pool/') || s.startsWith('shared/runtime/local/runtime'),
      );
      expect(local).toEqual([]);
    },
  );

  it('#1 runs agents in process in the agent function, under its Lambda timeout', async () => {
    // Act
    const sources = await bundledSources(FUNCTION_ENTRIES.agent);

    // Assess
    expect(sources).toEqual(
      expect.arrayContaining(['shared/app/agent-executor.ts', 'shared/app/result-size.ts']),
    );
  });
});
