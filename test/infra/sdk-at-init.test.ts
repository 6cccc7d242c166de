/**
 * No AWS SDK client is loaded when a Lambda bundle is imported (its init):
 * each adapter imports its client package with its first request
 * (shared/lanes/sqs.ts, shared/db/dialects/data-api.ts, shared/runtime/aws/*),
 * because loading one costs ~100 ms of a cold start, and a bundle inlines the
 * lazily imported adapters, hoisting their static imports to its top. Built
 * with esbuild and the functions' own options, as bench:bundles measures them.
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
  type FunctionKind,
} from '../../infra/bundling.js';
import { listAgents } from '../../shared/agents/registry.js';

jest.setTimeout(180_000);

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const AGENTS = listAgents().map((a) => a.name);

/** The packages the bundle imports statically (loaded at init), and those it imports with `import()`. */
async function externalImports(kind: FunctionKind): Promise<{ atInit: string[]; onDemand: string[] }> {
  const result = await build({
    entryPoints: [`${ROOT}${FUNCTION_ENTRIES[kind]}`],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    outdir: `${ROOT}node_modules/.cache/aiops-sdk-at-init`,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    banner: { js: BUNDLE_BANNER },
    mainFields: [...BUNDLE_MAIN_FIELDS],
    external: [
      ...BUNDLE_EXTERNALS,
      ...agentCodeExternals(AGENTS, kind === 'agent' ? 'log-analyzer' : undefined),
    ],
    metafile: true,
    logLevel: 'silent',
  });
  const imports = Object.values((result.metafile as Metafile).outputs).flatMap((output) => output.imports);
  const packages = (kind: string) =>
    [...new Set(imports.filter((i) => i.external && i.kind === kind).map((i) => i.path))]
      .filter((path) => !path.startsWith('node:') && !path.startsWith('.'))
      .sort();
  return { atInit: packages('import-statement'), onDemand: packages('dynamic-import') };
}

describe('AWS SDK clients at Lambda init', () => {
  it.each(Object.keys(FUNCTION_ENTRIES) as FunctionKind[])('%s loads none at init', async (kind) => {
    const { atInit, onDemand } = await externalImports(kind);
    expect(atInit.filter((path) => path.startsWith('@aws-sdk/'))).toEqual([]);
    // They are still there, on demand: the function reaches its queue, table and bus.
    expect(onDemand).toEqual(expect.arrayContaining(['@aws-sdk/client-sqs', '@aws-sdk/client-dynamodb']));
  });
});
