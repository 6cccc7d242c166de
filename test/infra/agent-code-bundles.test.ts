/**
 * What each Lambda bundle carries of the agents' code (infra/bundling.ts,
 * agentCodeExternals): the API none of it, an agent function only its own
 * agent — so one agent's parser or WASM glue never weighs on another's cold
 * start. Built with esbuild and the functions' own options.
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

/** Packages only an agent's engine uses (parsers, WASM), and the LLM SDKs (shipped only where configured). */
const ENGINE_PACKAGES = [
  'libpg-query',
  '@cdktf/hcl2json',
  'typescript',
  '@vscode/tree-sitter-wasm',
  '@anthropic-ai/sdk',
  'openai',
];

/**
 * The agents whose engine is in the bundle: its `index.ts` or `analyze.ts`. (What the registry needs of an
 * agent, its metadata and input schema with their small helpers, is in every bundle, by design.)
 */
async function agentsInBundle(
  entry: string,
  keep?: string,
): Promise<{ agents: string[]; packages: string[] }> {
  const result = await build({
    entryPoints: [`${ROOT}${entry}`],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    outdir: `${ROOT}node_modules/.cache/aiops-agent-code`,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    banner: { js: BUNDLE_BANNER },
    mainFields: [...BUNDLE_MAIN_FIELDS],
    external: [...BUNDLE_EXTERNALS, ...agentCodeExternals(AGENTS, keep)],
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys((result.metafile as Metafile).inputs);
  const present = new Set<string>();
  for (const input of inputs) {
    const match = /^shared\/agents\/([^/]+)\/(index|analyze)\.ts$/.exec(input);
    if (match?.[1] && AGENTS.includes(match[1])) present.add(match[1]);
  }
  const packages = ENGINE_PACKAGES.filter((name) =>
    inputs.some((i) => i.startsWith(`node_modules/${name}/`)),
  );
  return { agents: [...present].sort(), packages };
}

describe('agent code in the Lambda bundles', () => {
  it('leaves every agent out of the API bundle', async () => {
    expect(await agentsInBundle(FUNCTION_ENTRIES.api)).toEqual({ agents: [], packages: [] });
  });

  it("puts only its own agent in an agent function's bundle", async () => {
    expect(await agentsInBundle(FUNCTION_ENTRIES.agent, 'log-analyzer')).toEqual({
      agents: ['log-analyzer'],
      packages: [],
    });
  });

  it('names one path per other agent, relative to the repository root', () => {
    expect(agentCodeExternals(['a', 'b', 'c'], 'b')).toEqual([
      './shared/agents/a/index.ts',
      './shared/agents/c/index.ts',
    ]);
  });
});
