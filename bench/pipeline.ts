/**
 * End-to-end pipeline throughput on the local runtime: N executions of
 * config-drift-detector, each API → lane → agent → database, sent over HTTP
 * with bounded concurrency; reports executions/s (first request to last
 * completion) and API latency percentiles, beside raw pg-boss send+work on the
 * same kind of database. Writes bench/results/pipeline.json.
 *
 *   npm run bench:pipeline -- [--executions 2000] [--concurrency 4]
 */

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../shared/core/config.js';
import { LANES } from '../shared/core/domain.js';
import { measurePgBossRate } from '../shared/lanes/pg-boss.js';
import { startRuntime } from '../shared/runtime/local/runtime.js';

const { values } = parseArgs({
  options: {
    executions: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '4' },
    out: { type: 'string', default: 'bench/results/pipeline.json' },
  },
});
const total = Number(values.executions);
const concurrency = Number(values.concurrency);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function pipeline(dataDir: string) {
  const config = loadConfig({
    ...process.env,
    AIOPS_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'ERROR',
    AIOPS_RATE_LIMIT_PER_MINUTE: '1000000',
    DATABASE_URL: '',
  });
  const runtime = await startRuntime(config, { api: true, lanes: LANES, embedded: true });
  const key = runtime.bootstrap?.key ?? '';
  let completed = 0;
  let failed = 0;
  const { promise: allDone, resolve } = Promise.withResolvers<void>();
  runtime.events.on((event) => {
    if (event.status === 'completed') completed += 1;
    else failed += 1;
    if (completed + failed >= total) resolve();
  });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  async function client(): Promise<void> {
    while (next < total) {
      const i = next++;
      const body = JSON.stringify({
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
      });
      const t0 = performance.now();
      const response = await fetch(`${runtime.url}/v1/executions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body,
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (response.status !== 202) errors += 1;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, client));
  const accepted = performance.now();
  const timeout = setTimeout(resolve, 120_000);
  await allDone;
  clearTimeout(timeout);
  const seconds = (performance.now() - started) / 1000;
  await runtime.stop();
  latencies.sort((a, b) => a - b);
  return {
    executions: total,
    completed,
    failed,
    apiErrors: errors,
    seconds: round(seconds, 2),
    executionsPerSecond: round(completed / seconds),
    acceptedPerSecond: round(total / ((accepted - started) / 1000)),
    apiLatencyMs: {
      p50: round(percentile(latencies, 50), 2),
      p90: round(percentile(latencies, 90), 2),
      p99: round(percentile(latencies, 99), 2),
      max: round(latencies.at(-1) ?? Number.NaN, 2),
    },
  };
}

async function rawPgBoss() {
  const { PGlite } = await import('@electric-sql/pglite');
  const dir = await mkdtemp(join(tmpdir(), 'aiops-bench-pgboss-'));
  const pglite = await PGlite.create(join(dir, 'data'));
  try {
    const rate = await measurePgBossRate({ pglite }, { jobs: total });
    return { jobs: rate.jobs, seconds: round(rate.seconds, 2), jobsPerSecond: round(rate.jobsPerSecond) };
  } finally {
    await pglite.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const dataDir = await mkdtemp(join(tmpdir(), 'aiops-bench-'));
process.stderr.write(
  `pipeline: ${total} executions, ${concurrency} concurrent clients, PGlite on disk in ${dataDir}\n`,
);
const e2e = await pipeline(dataDir);
await rm(dataDir, { recursive: true, force: true });
process.stderr.write('raw pg-boss send + work on PGlite…\n');
const raw = await rawPgBoss();

const result = {
  benchmark: 'pipeline',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, node: process.version },
  endToEnd: e2e,
  rawPgBoss: raw,
  targets: { executionsPerSecond: 100, apiP99Ms: 50 },
  met: e2e.executionsPerSecond >= 100 && e2e.apiLatencyMs.p99 < 50 && e2e.completed === total,
};
const rows = [
  ['measure', 'value'],
  [
    'executions (completed / failed / API errors)',
    `${e2e.completed} / ${e2e.failed} / ${e2e.apiErrors} of ${total}`,
  ],
  ['end-to-end executions/s', String(e2e.executionsPerSecond)],
  ['API accepted/s', String(e2e.acceptedPerSecond)],
  [
    'API latency p50 / p90 / p99 / max (ms)',
    `${e2e.apiLatencyMs.p50} / ${e2e.apiLatencyMs.p90} / ${e2e.apiLatencyMs.p99} / ${e2e.apiLatencyMs.max}`,
  ],
  ['raw pg-boss send+work jobs/s (same database kind)', String(raw.jobsPerSecond)],
  ['targets met (≥ 100/s, p99 < 50 ms)', result.met ? 'yes' : 'no'],
];
const width = Math.max(...rows.map((r) => (r[0] ?? '').length));
process.stdout.write(`${rows.map(([a, b]) => `${(a ?? '').padEnd(width)}  ${b}`).join('\n')}\n`);
await mkdir(join(values.out, '..'), { recursive: true });
await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
process.stderr.write(`written to ${values.out}\n`);
