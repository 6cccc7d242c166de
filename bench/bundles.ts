/**
 * Lambda bundle size and module init time per function kind, built with the
 * very esbuild options the CDK construct uses (infra/bundling.ts). Init time
 * is measured in a fresh Node process per run, importing the built bundle, so
 * nothing is cached between runs; like the deployed functions, without
 * --enable-source-maps, and with @aws-sdk/* loaded from node_modules as the
 * runtime loads its own copy. Writes bench/results/bundles.json.
 *
 *   npm run bench:bundles -- [--runs 5]
 *
 * Targets: api and lane-worker ≤ 1.5 MB minified and ≤ 150 ms to import.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import {
  agentCodeExternals,
  BUNDLE_BANNER,
  BUNDLE_EXTERNALS,
  BUNDLE_MAIN_FIELDS,
  BUNDLE_TARGET,
  FUNCTION_ENTRIES,
  type FunctionKind,
} from '../infra/bundling.js';
import { listAgents } from '../shared/agents/registry.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results');
// Inside the repository, so the externals (@aws-sdk/*, as the runtime provides them) resolve from node_modules.
const OUT = join(RESULTS, 'bundles');
const TARGETS: Partial<Record<FunctionKind, { maxBytes: number; maxInitMs: number }>> = {
  api: { maxBytes: 1.5 * 1024 * 1024, maxInitMs: 150 },
  'lane-worker': { maxBytes: 1.5 * 1024 * 1024, maxInitMs: 150 },
};

/** The agent whose function the `agent` row measures: the heaviest engine that bundles entirely. */
const MEASURED_AGENT = 'log-analyzer';

/**
 * Prints the milliseconds `import()` of the bundle takes, in a process that has imported nothing else:
 * wall time, and CPU time of the process (all its threads), which a busy machine inflates far less.
 */
const IMPORT_TIMER = `
const started = performance.now();
const cpu = process.cpuUsage();
await import(process.argv[1]);
const { user, system } = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify([performance.now() - started, (user + system) / 1000]));
`;

interface BundleResult {
  kind: FunctionKind;
  entry: string;
  bytes: number;
  initMs: { median: number; min: number; max: number; runs: number };
  /** CPU time of the import: the median over the runs. */
  initCpuMs: number;
  largestInputs: { path: string; bytes: number }[];
  withinTarget: boolean | null;
}

async function bundle(kind: FunctionKind): Promise<{ file: string; metafile: Metafile }> {
  const file = join(OUT, kind, 'index.mjs');
  const result = await build({
    entryPoints: [join(ROOT, FUNCTION_ENTRIES[kind])],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    minify: true,
    sourcemap: true,
    banner: { js: BUNDLE_BANNER },
    mainFields: [...BUNDLE_MAIN_FIELDS],
    absWorkingDir: ROOT,
    // As deployed: an agent function carries its own agent only (measured for one), every other none.
    external: [
      ...BUNDLE_EXTERNALS,
      ...agentCodeExternals(
        listAgents().map((a) => a.name),
        kind === 'agent' ? MEASURED_AGENT : undefined,
      ),
    ],
    metafile: true,
    logLevel: 'error',
  });
  return { file, metafile: result.metafile };
}

async function initTimes(file: string, runs: number): Promise<{ wall: number[]; cpu: number[] }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', IMPORT_TIMER, pathToFileURL(file).href],
      { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' } },
    );
    const [wallMs, cpuMs] = JSON.parse(stdout) as [number, number];
    wall.push(wallMs);
    cpu.push(cpuMs);
  }
  const sorted = (values: number[]) => values.sort((a, b) => a - b);
  return { wall: sorted(wall), cpu: sorted(cpu) };
}

function largestInputs(metafile: Metafile, output: string): { path: string; bytes: number }[] {
  const inputs = Object.entries(metafile.outputs).find(([path]) => path.endsWith(output))?.[1].inputs ?? {};
  const byPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const key = match?.[1] ?? 'project';
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
  }
  return [...byPackage.entries()]
    .map(([path, bytes]) => ({ path, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 8);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const runs = Math.max(1, Number(values.runs) || 5);
  await rm(OUT, { recursive: true, force: true });
  const results: BundleResult[] = [];
  for (const kind of Object.keys(FUNCTION_ENTRIES) as FunctionKind[]) {
    const { file, metafile } = await bundle(kind);
    const bytes = (await stat(file)).size;
    const { wall: times, cpu } = await initTimes(file, runs);
    const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
    const target = TARGETS[kind];
    results.push({
      kind,
      entry: FUNCTION_ENTRIES[kind],
      bytes,
      initMs: { median, min: times[0] ?? Number.NaN, max: times.at(-1) ?? Number.NaN, runs },
      initCpuMs: cpu[Math.floor(cpu.length / 2)] ?? Number.NaN,
      largestInputs: largestInputs(metafile, `${kind}/index.mjs`),
      withinTarget: target === undefined ? null : bytes <= target.maxBytes && median <= target.maxInitMs,
    });
  }
  for (const r of results) {
    const verdict = r.withinTarget === null ? '' : r.withinTarget ? '  ok' : '  OVER TARGET';
    process.stdout.write(
      `${r.kind.padEnd(12)} ${(r.bytes / 1024 / 1024).toFixed(2)} MB  init ${r.initMs.median.toFixed(0)} ms` +
        ` (min ${r.initMs.min.toFixed(0)}, max ${r.initMs.max.toFixed(0)}; CPU ${r.initCpuMs.toFixed(0)} ms)${verdict}\n` +
        `             largest: ${r.largestInputs.map((i) => `${i.path} ${(i.bytes / 1024).toFixed(0)} KB`).join(', ')}\n`,
    );
  }
  await mkdir(RESULTS, { recursive: true });
  await writeFile(
    join(RESULTS, 'bundles.json'),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
  );
}

await main();
