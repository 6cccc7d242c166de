/**
 * A bounded load run against a real `aiops serve` (its own process, a fresh
 * data directory): a fixed number of clients loop for a fixed time over a mix
 * of calls — create an execution of a cheap agent, read one back, list, and
 * the health probe — while the server's resident memory is sampled every
 * second (VmRSS in /proc/PID/status). Prints req/s, latency percentiles,
 * statuses, and RSS at the end of the warm-up against the end of the run;
 * writes bench/results/load.json. RSS must stay flat after warm-up (≤ 10 %
 * growth): a cache or map that grows with requests shows up here.
 *
 * Two RSS figures: the raw one, and the one after a full garbage collection
 * of the server at both points (requested through its inspector, which the
 * bench opens on 127.0.0.1). Under load V8 lets garbage accumulate and grows
 * its heap in steps before it collects the old generation, so raw RSS climbs
 * and falls back; what a leak keeps is what survives a full collection.
 *
 *   npm run bench:load -- [--duration 60] [--warmup 10] [--concurrency 8] [--node-args="…"]
 *   (or LOAD_DURATION_S, LOAD_WARMUP_S, LOAD_CONCURRENCY)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: process.env.LOAD_DURATION_S ?? '60' },
    warmup: { type: 'string', default: process.env.LOAD_WARMUP_S ?? '10' },
    concurrency: { type: 'string', default: process.env.LOAD_CONCURRENCY ?? '8' },
    out: { type: 'string', default: 'bench/results/load.json' },
    // For finding what grows: e.g. --node-args="--heapsnapshot-signal=SIGUSR2" (space-separated).
    'node-args': { type: 'string', default: '' },
  },
});
const durationS = Number(values.duration);
const warmupS = Number(values.warmup);
const concurrency = Number(values.concurrency);
if (!(durationS > warmupS && warmupS >= 0 && concurrency >= 1)) {
  process.stderr.write('bench:load: --duration must exceed --warmup, and --concurrency be at least 1\n');
  process.exit(2);
}

/** Asks the server's V8 for a full garbage collection, through the inspector protocol. */
async function collectGarbage(inspector: string): Promise<void> {
  const socket = new WebSocket(inspector);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () =>
      socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' })),
    );
    socket.addEventListener('message', (event) => {
      if ((JSON.parse(String(event.data)) as { id?: number }).id === 1) resolve();
    });
    socket.addEventListener('error', () => reject(new Error(`inspector ${inspector} unreachable`)));
  });
  socket.close();
}

type Kind = 'create' | 'get' | 'list' | 'health';
/** Out of 20 calls: what a busy API sees — mostly reads, a steady stream of new work. */
const MIX: readonly Kind[] = [
  ...Array<Kind>(8).fill('create'),
  ...Array<Kind>(6).fill('get'),
  ...Array<Kind>(3).fill('list'),
  ...Array<Kind>(3).fill('health'),
];

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function rssKiB(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const match = status && /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) : undefined;
}

/** Starts the CLI as a user does (the package's launcher), and reads its URL and admin key. */
async function serve(
  dataDir: string,
): Promise<{ child: ChildProcess; url: string; key: string; inspector: string }> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|AURORA_|AIOPS_|NODE_OPTIONS|PORT)/.test(k)),
  );
  const nodeArgs = values['node-args'].split(' ').filter((a) => a !== '');
  const child = spawn(
    process.execPath,
    ['--inspect=127.0.0.1:0', ...nodeArgs, join(root, 'bin/aiops.mjs'), 'serve'],
    {
      cwd: dataDir,
      env: {
        ...env,
        AIOPS_DATA_DIR: dataDir,
        PORT: '0',
        LOG_LEVEL: 'ERROR',
        AIOPS_RATE_LIMIT_PER_MINUTE: '1000000',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /AIOps is listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`aiops serve exited with ${code}:\n${output}`)));
  });
  const inspector = /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1] ?? '';
  const key = (await readFile(join(dataDir, 'admin-key'), 'utf8')).trim();
  return { child, url, key, inspector };
}

const dataDir = await mkdtemp(join(tmpdir(), 'aiops-bench-load-'));
const server = await serve(dataDir);
const pid = server.child.pid ?? 0;
process.stderr.write(
  `load: ${concurrency} clients for ${durationS} s (warm-up ${warmupS} s) against ${server.url}, server pid ${pid}\n`,
);

const latencies: Record<Kind, number[]> = { create: [], get: [], list: [], health: [] };
const statuses = new Map<string, number>();
/** Ids to read back: a bounded ring, so the client side does not grow either. */
const ids: string[] = [];
let created = 0;
const rss: { t: number; kib: number }[] = [];

const started = performance.now();
const deadline = started + durationS * 1000;
const elapsed = () => (performance.now() - started) / 1000;

const sampler = setInterval(async () => {
  const kib = await rssKiB(pid);
  if (kib !== undefined) rss.push({ t: round(elapsed(), 1), kib });
}, 1000);
const firstSample = await rssKiB(pid);
if (firstSample !== undefined) rss.push({ t: 0, kib: firstSample });

/** RSS just before and right after a full collection, while the load goes on. */
async function aroundGc(): Promise<{ before?: number; after?: number }> {
  const before = await rssKiB(pid);
  await collectGarbage(server.inspector);
  return { before, after: await rssKiB(pid) };
}
let atWarmupMark: { before?: number; after?: number } = {};
const warmupMark = setTimeout(async () => {
  atWarmupMark = await aroundGc();
}, warmupS * 1000);

async function call(wanted: Kind, i: number): Promise<void> {
  // Nothing to read back yet at the very start: a probe instead.
  const kind = wanted === 'get' && ids.length === 0 ? 'health' : wanted;
  const headers = { 'x-api-key': server.key, 'content-type': 'application/json' };
  let response: Response;
  const t0 = performance.now();
  try {
    if (kind === 'create') {
      response = await fetch(`${server.url}/v1/executions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          agent: 'config-drift-detector',
          input: {
            baseline: { replicas: 3, image: 'api:1.4.2', limits: { cpu: '500m', memory: '512Mi' }, run: i },
            target: {
              replicas: 4 + (i % 5),
              image: 'api:1.5.0',
              limits: { cpu: '1', memory: '512Mi' },
              run: i,
            },
          },
        }),
      });
    } else if (kind === 'get') {
      response = await fetch(`${server.url}/v1/executions/${ids[i % ids.length]}`, { headers });
    } else if (kind === 'list') {
      response = await fetch(`${server.url}/v1/executions?limit=20`, { headers });
    } else {
      response = await fetch(`${server.url}/v1/health`);
    }
    const body = await response.text();
    if (kind === 'create' && response.status === 202) {
      created += 1;
      const { id } = JSON.parse(body) as { id: string };
      if (ids.length < 1000) ids.push(id);
      else ids[created % 1000] = id;
    }
    statuses.set(String(response.status), (statuses.get(String(response.status)) ?? 0) + 1);
  } catch (error) {
    const name = `network: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : String(error)}`;
    statuses.set(name, (statuses.get(name) ?? 0) + 1);
  }
  latencies[kind].push(performance.now() - t0);
}

let sequence = 0;
async function client(): Promise<void> {
  while (performance.now() < deadline) {
    const i = sequence++;
    await call(MIX[i % MIX.length] ?? 'health', i);
  }
}
const ending = setTimeout(
  async () => {
    atEndMark = await aroundGc();
  },
  Math.max(warmupS * 1000 + 1000, durationS * 1000 - 2000),
);
let atEndMark: { before?: number; after?: number } = {};
await Promise.all(Array.from({ length: concurrency }, client));
const seconds = elapsed();
clearInterval(sampler);
clearTimeout(warmupMark);
clearTimeout(ending);
const last = await rssKiB(pid);
if (last !== undefined) rss.push({ t: round(seconds, 1), kib: last });

// The executions created in the last seconds finish while the server stops (SIGTERM drains the lanes).
server.child.kill('SIGTERM');
const exitCode = await new Promise<number | null>((resolve) => server.child.once('exit', resolve));
await rm(dataDir, { recursive: true, force: true });

const all = Object.values(latencies)
  .flat()
  .sort((a, b) => a - b);
const byKind = Object.fromEntries(
  (Object.keys(latencies) as Kind[]).map((kind) => {
    const sorted = [...latencies[kind]].sort((a, b) => a - b);
    return [
      kind,
      {
        requests: sorted.length,
        p50: round(percentile(sorted, 50), 2),
        p99: round(percentile(sorted, 99), 2),
      },
    ];
  }),
);
const peak = Math.max(...rss.map((s) => s.kib));
const percent = (from: number | undefined, to: number | undefined) =>
  from && to ? ((to - from) / from) * 100 : Number.NaN;
const growth = percent(atWarmupMark.before, atEndMark.before);
const retainedGrowth = percent(atWarmupMark.after, atEndMark.after);
const mib = (kib: number | undefined) => (kib === undefined ? Number.NaN : round(kib / 1024, 1));

const result = {
  benchmark: 'load',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, node: process.version },
  settings: { durationS, warmupS, concurrency, mix: '8 create : 6 get : 3 list : 3 health' },
  requests: all.length,
  requestsPerSecond: round(all.length / seconds),
  executionsCreated: created,
  latencyMs: {
    p50: round(percentile(all, 50), 2),
    p90: round(percentile(all, 90), 2),
    p99: round(percentile(all, 99), 2),
    max: round(all.at(-1) ?? Number.NaN, 2),
  },
  byKind,
  statuses: Object.fromEntries([...statuses].sort()),
  rssMiB: {
    start: mib(rss[0]?.kib),
    peak: mib(peak),
    raw: { warmupEnd: mib(atWarmupMark.before), end: mib(atEndMark.before), growthPercent: round(growth, 1) },
    afterFullGc: {
      warmupEnd: mib(atWarmupMark.after),
      end: mib(atEndMark.after),
      growthPercent: round(retainedGrowth, 1),
    },
  },
  rssSamples: rss,
  serverExit: exitCode,
  target: { rssGrowthAfterWarmupAfterFullGcPercent: 10 },
  met:
    retainedGrowth <= 10 && ![...statuses.keys()].some((s) => s.startsWith('5') || s.startsWith('network')),
};

const rows: [string, string][] = [
  ['requests (in s)', `${result.requests} in ${round(seconds, 1)} s`],
  ['req/s', String(result.requestsPerSecond)],
  ['executions created', String(created)],
  [
    'latency p50 / p90 / p99 / max (ms)',
    `${result.latencyMs.p50} / ${result.latencyMs.p90} / ${result.latencyMs.p99} / ${result.latencyMs.max}`,
  ],
  ...(Object.entries(byKind).map(([kind, k]) => [
    `  ${kind}: n, p50 / p99 (ms)`,
    `${k.requests}, ${k.p50} / ${k.p99}`,
  ]) as [string, string][]),
  [
    'statuses',
    Object.entries(result.statuses)
      .map(([s, n]) => `${s}: ${n}`)
      .join(', '),
  ],
  ['RSS at start / peak (MiB)', `${result.rssMiB.start} / ${result.rssMiB.peak}`],
  [
    'RSS raw: warm-up end / end (MiB)',
    `${result.rssMiB.raw.warmupEnd} / ${result.rssMiB.raw.end}: ${result.rssMiB.raw.growthPercent} %`,
  ],
  [
    'RSS after a full GC: warm-up end / end (MiB)',
    `${result.rssMiB.afterFullGc.warmupEnd} / ${result.rssMiB.afterFullGc.end}: ${result.rssMiB.afterFullGc.growthPercent} % (target ≤ 10 %)`,
  ],
  ['server exit on SIGTERM', String(exitCode)],
];
const width = Math.max(...rows.map(([k]) => k.length));
process.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`);
await mkdir(dirname(values.out), { recursive: true });
await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
process.stderr.write(`written to ${values.out}${result.met ? '' : ' (target NOT met)'}\n`);
