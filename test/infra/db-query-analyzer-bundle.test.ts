/**
 * The db-query-analyzer's code, bundled with the esbuild options of its Lambda
 * function (infra/bundling.ts plus the agent's `nodeModules` left external, as
 * NodejsFunction does), finds libpg-query's WASM beside its JS
 * in node_modules and runs; inlined, libpg-query cannot load (it reads
 * `__dirname` in an ES module). Run in a child process, like the deployed code.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { build } from 'esbuild';
import { BUNDLE_BANNER, BUNDLE_EXTERNALS, BUNDLE_MAIN_FIELDS, BUNDLE_TARGET } from '../../infra/bundling.js';
import { metadata } from '../../shared/agents/db-query-analyzer/meta.js';

jest.setTimeout(120_000);

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Inside node_modules, so the external packages resolve as they do next to the deployed bundle.
const OUT = join(ROOT, 'node_modules', '.cache', 'aiops-test-bundles', `db-query-analyzer-${process.pid}`);

const RUN_AGENT = `
const { default: agent } = await import(process.argv[1]);
const input = agent.input.parse({ sql: 'CREATE TABLE t (id bigint PRIMARY KEY); SELECT missing FROM t WHERE id = 1;' });
const result = await agent.analyze(input, { traceId: 'bundle', now: new Date() });
process.stdout.write(JSON.stringify(result.findings.map((f) => f.ruleId)));
process.exit(0);
`;

async function bundle(name: string, external: readonly string[]): Promise<string> {
  const file = join(OUT, name, 'index.mjs');
  await build({
    entryPoints: [join(ROOT, 'shared/agents/db-query-analyzer/index.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    minify: true,
    banner: { js: BUNDLE_BANNER },
    mainFields: [...BUNDLE_MAIN_FIELDS],
    external: [...external],
    logLevel: 'silent',
  });
  return file;
}

async function runBundle(file: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', RUN_AGENT, file], {
    cwd: ROOT,
  });
  return stdout;
}

afterAll(async () => {
  await rm(OUT, { recursive: true, force: true });
});

describe('db-query-analyzer bundle', () => {
  it('runs with its nodeModules left to node_modules, and cannot load its parser inlined', async () => {
    // Arrange
    await mkdir(OUT, { recursive: true });
    const shipped = await bundle('shipped', [...BUNDLE_EXTERNALS, ...(metadata.nodeModules ?? [])]);
    const inlined = await bundle('inlined', BUNDLE_EXTERNALS);

    // Act
    const findings = await runBundle(shipped);
    const failure = await runBundle(inlined).then(
      () => undefined,
      (error: unknown) => error,
    );

    // Assert
    expect(JSON.parse(findings)).toEqual(['SQL014']);
    expect((failure as { stderr?: string } | undefined)?.stderr).toContain('__dirname');
  });
});
