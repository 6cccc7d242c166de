/**
 * Runaway isolation (issue 14, #1): GET /v1/health latency of a real
 * `aiops serve` (a child process, as a user runs it) while four executions
 * whose agent runs far past its time limit keep its agent threads busy (a new
 * one is sent as each is stopped). Prints p50/p99/max idle and under load,
 * then waits for the runaways to be stopped at their limit and reports how
 * each ended. Writes bench/results/isolation.json.
 *
 *   npm run bench:isolation -- [--seconds 30] [--threads 4] [--limit 2] [--runaway handlers|glob]
 *
 * `handlers` (default): code-reviewer on ~900 KB of handlers, seconds of work each. `glob`:
 * config-drift-detector with the backtracking `criticalKeys` glob of 9241d09 (fast once globs are linear).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { backtrackingGlob, legacyHandlers } from '../test/helpers/runaways.js';
import { startServe } from '../test/helpers/serve.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    threads: { type: 'string', default: '4' },
    limit: { type: 'string', default: '2' },
    runaway: { type: 'string', default: 'handlers' },
    out: { type: 'string', default: 'bench/results/isolation.json' },
  },
});
const seconds = Number(values.seconds);
const limitSec = Number(values.limit);
const RUNAWAYS = 4;
const runaway =
  values.runaway === 'glob'
    ? {
        agent: 'config-drift-detector',
        input: (_n: number) => backtrackingGlob(),
        about: 'the criticalKeys glob of 9241d09',
      }
    : {
        agent: 'code-reviewer',
        input: (n: number) => legacyHandlers(900_000, `src/handlers/legacy-${n}.ts`),
        about: '~900 KB of request handlers each',
      };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const round = (n: number) => Math.round(n * 10) / 10;

function stats(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
  };
}

const served = await startServe({
  env: {
    AIOPS_AGENT_THREADS: values.threads,
    AIOPS_AGENT_TIMEOUT_SEC: String(limitSec),
    AIOPS_RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'ERROR',
  },
});

async function api(path: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const headers = new Headers(init.headers);
  headers.set('x-api-key', served.adminKey);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(`${served.url}${path}`, { ...init, headers });
  return (await response.json()) as Record<string, unknown>;
}

/** Sequential probes, one every 10 ms, for `ms`; each latency in milliseconds. */
async function probeHealth(ms: number): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const started = performance.now();
    const response = await fetch(`${served.url}/v1/health`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET /v1/health answered ${response.status}`);
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return latencies;
}

async function statuses(ids: string[]): Promise<Record<string, unknown>[]> {
  return Promise.all(ids.map((id) => api(`/v1/executions/${id}`)));
}

/** Keeps RUNAWAYS executions in flight (queued or running) until `stop` resolves; every id it started. */
async function keepRunawaysInFlight(stop: Promise<unknown>): Promise<string[]> {
  let stopped = false;
  void stop.finally(() => {
    stopped = true;
  });
  const ids: string[] = [];
  let inFlight: string[] = [];
  while (!stopped) {
    const views = await statuses(inFlight);
    inFlight = inFlight.filter((_, i) => views[i]?.status === 'queued' || views[i]?.status === 'running');
    while (inFlight.length < RUNAWAYS) {
      const created = await api('/v1/executions', {
        method: 'POST',
        body: JSON.stringify({ agent: runaway.agent, input: runaway.input(ids.length + 1) }),
      });
      ids.push(created.id as string);
      inFlight.push(created.id as string);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return ids;
}

try {
  const idle = stats(await probeHealth(5_000));
  const loadStarted = Date.now();
  const probes = probeHealth(seconds * 1000);
  const ids = await keepRunawaysInFlight(probes);
  const underLoad = stats(await probes);
  const stillRunning = (await statuses(ids)).filter((view) => view.status === 'running').length;
  let views = await statuses(ids);
  const deadline = loadStarted + (seconds + limitSec * ids.length + 60) * 1000;
  while (
    views.some((view) => view.status === 'running' || view.status === 'queued') &&
    Date.now() < deadline
  ) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    views = await statuses(ids);
  }
  const runaways = views.map((view) => ({
    status: view.status,
    code: (view.error as { code?: string } | undefined)?.code,
    durationMs: view.durationMs,
  }));
  const tally = new Map<string, { count: number; maxMs: number }>();
  for (const r of runaways) {
    const key = `${r.status} ${r.code ?? ''}`.trim();
    const entry = tally.get(key) ?? { count: 0, maxMs: 0 };
    tally.set(key, { count: entry.count + 1, maxMs: Math.max(entry.maxMs, Number(r.durationMs ?? 0)) });
  }
  const outcomes = [...tally].map(([key, t]) => `${t.count} ${key} (longest ${t.maxMs} ms)`).join('; ');
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: availableParallelism(),
    agentThreads: Number(values.threads),
    limitSec,
    seconds,
    runaway: `${runaway.agent}, ${RUNAWAYS} inputs: ${runaway.about}`,
    idle,
    underLoad,
    runawaysRunningAtEnd: stillRunning,
    runaways,
  };
  process.stdout.write(
    `GET /v1/health, ${RUNAWAYS} runaways on ${values.threads} agent threads (${availableParallelism()} CPUs):\n` +
      `  idle        p50 ${idle.p50Ms} ms  p99 ${idle.p99Ms} ms  max ${idle.maxMs} ms  (${idle.requests} requests)\n` +
      `  under load  p50 ${underLoad.p50Ms} ms  p99 ${underLoad.p99Ms} ms  max ${underLoad.maxMs} ms  (${underLoad.requests} requests over ${seconds} s; ${stillRunning} still running at the end)\n` +
      `  runaways    ${runaways.length} sent: ${outcomes}\n`,
  );
  await mkdir('bench/results', { recursive: true });
  await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
} finally {
  await served.stop();
  await rm(served.dataDir, { recursive: true, force: true });
}
