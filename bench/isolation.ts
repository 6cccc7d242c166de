/**
 * Runaway isolation (issue 14, #1): GET /v1/health latency of a real
 * `aiops serve` (a child process, as a user runs it) while four executions
 * whose agent runs far past its time limit keep its agent threads busy. Prints p50/p99/max idle and under load,
 * then waits for the runaways to be stopped at their limit and reports how
 * each ended. Writes bench/results/isolation.json.
 *
 *   npm run bench:isolation -- [--seconds 30] [--threads 4] [--limit 45] [--runaway handlers|glob]
 *
 * `handlers` (default): code-reviewer on twelve ~900 KB modules of handlers, uploaded once (about
 * half a minute of review each on the development machine). `glob`:
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
    limit: { type: 'string', default: '45' },
    runaway: { type: 'string', default: 'handlers' },
    out: { type: 'string', default: 'bench/results/isolation.json' },
  },
});
const seconds = Number(values.seconds);
const limitSec = Number(values.limit);
const RUNAWAYS = 4;
/** The glob runaway is sent in the request; the handlers are uploaded once (uploadedHandlers). */
const runaway: { agent: string; about: string; inline?: () => unknown } =
  values.runaway === 'glob'
    ? { agent: 'config-drift-detector', about: 'the criticalKeys glob of 9241d09', inline: backtrackingGlob }
    : { agent: 'code-reviewer', about: 'twelve ~900 KB modules of request handlers, uploaded' };

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

/**
 * The handlers runaway as one object: twelve ~900 KB modules (~11 MB of JSON, over the 1 MiB request
 * body, so uploaded and named with `$object`). Uploaded once, named by every runaway.
 */
async function uploadedHandlers(): Promise<{ $object: string }> {
  const files = Array.from(
    { length: 12 },
    (_, n) => legacyHandlers(900_000, `src/handlers/legacy-${n}.ts`).files,
  ).flat();
  const body = JSON.stringify({ files });
  const created = await api('/v1/uploads', {
    method: 'POST',
    body: JSON.stringify({
      filename: 'runaway.json',
      contentType: 'application/json',
      size: Buffer.byteLength(body),
    }),
  });
  const upload = created.upload as { url: string; headers: Record<string, string> };
  const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body });
  if (!put.ok) throw new Error(`the upload answered ${put.status}`);
  return { $object: created.ref as string };
}

try {
  const idle = stats(await probeHealth(5_000));
  const input = runaway.inline?.() ?? (await uploadedHandlers());
  const ids: string[] = [];
  for (let n = 1; n <= RUNAWAYS; n++) {
    const created = await api('/v1/executions', {
      method: 'POST',
      body: JSON.stringify({ agent: runaway.agent, input }),
    });
    ids.push(created.id as string);
  }
  // Measured once every runaway has started (one that is not a runaway any more may already be done).
  const startBy = Date.now() + 60_000;
  while ((await statuses(ids)).some((view) => view.status === 'queued') && Date.now() < startBy) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const loadStarted = Date.now();
  const underLoad = stats(await probeHealth(seconds * 1000));
  const stillRunning = (await statuses(ids)).filter((view) => view.status === 'running').length;
  let views = await statuses(ids);
  const deadline = loadStarted + (limitSec + 60) * 1000;
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
