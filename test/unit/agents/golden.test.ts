/**
 * Golden findings: every agent on every fixture it reads, as `aiops analyze`
 * reads them (files and folders through the CLI reader, then the agent's
 * `fromFiles`), reduced to what a user acts on — rule, file, line, severity,
 * suppressed — plus the score. `test/golden/findings.json` was written before
 * the agents moved onto the shared scan engine (#15); a refactor must give
 * the same findings. The only changes allowed are those listed in
 * `test/golden/changes.json`, each with its reason (a line that became more
 * precise, a file that became known, a finding a new fixture or rule adds
 * and the score it moves).
 *
 * `UPDATE_GOLDEN=1 npm run jest -- test/unit/agents/golden.test.ts` rewrites
 * `findings.json` (only for a deliberate change of behaviour, with the
 * reason in the commit).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from '@jest/globals';
import { type ReadOptions, readFiles } from '../../../bin/commands/read-files.js';
import type { AgentResult } from '../../../shared/agents/contract.js';
import { loadAgent, runAgent } from '../../../shared/agents/registry.js';

// db-query-analyzer's samples and fixtures start its embedded name-check database.

const root = new URL('../../..', import.meta.url).pathname;
const goldenUrl = new URL('../../golden/findings.json', import.meta.url);
const changesUrl = new URL('../../golden/changes.json', import.meta.url);

interface GoldenCase {
  agent: string;
  paths: string[];
  /** Input fields set from JSON files, as the CLI's `--<flag> FILE.json` does. */
  files?: Record<string, string>;
}

const CASES: GoldenCase[] = [
  { agent: 'security-scanner', paths: ['test/fixtures/security'] },
  { agent: 'k8s-optimizer', paths: ['test/fixtures/k8s/bad'] },
  { agent: 'k8s-optimizer', paths: ['test/fixtures/k8s/good'] },
  { agent: 'k8s-optimizer', paths: ['test/fixtures/k8s/suppressed'] },
  {
    agent: 'k8s-optimizer',
    paths: ['test/fixtures/k8s/usage/shop.yaml'],
    files: { usage: 'test/fixtures/k8s/usage/usage.json' },
  },
  { agent: 'code-reviewer', paths: ['test/fixtures/code-review'] },
  { agent: 'code-reviewer', paths: ['test/fixtures/code-review/diff/billing.diff'] },
  { agent: 'code-reviewer', paths: ['test/fixtures/code-review/diff/billing-with-test.diff'] },
  { agent: 'code-reviewer', paths: ['test/fixtures/code-review/dup'] },
  { agent: 'test-generator', paths: ['test/fixtures/test-generator/pricing.ts'] },
  { agent: 'test-generator', paths: ['test/fixtures/test-generator/money.ts'] },
  { agent: 'test-generator', paths: ['test/fixtures/test-generator/inventory.py'] },
  { agent: 'db-query-analyzer', paths: ['test/fixtures/sql'] },
  { agent: 'db-query-analyzer', paths: ['test/fixtures/sql/bad-queries.sql'] },
  { agent: 'db-query-analyzer', paths: ['test/fixtures/sql/good-queries.sql'] },
  { agent: 'db-query-analyzer', paths: ['test/fixtures/sql/pg_dump.sql'] },
  { agent: 'cost-optimizer', paths: ['test/fixtures/cost/inventory.json'] },
  { agent: 'cost-optimizer', paths: ['test/fixtures/cost/cur.csv'] },
  { agent: 'cost-optimizer', paths: ['test/fixtures/cost/clean.json'] },
  { agent: 'disaster-recovery', paths: ['test/fixtures/dr/inventory.json'] },
  { agent: 'disaster-recovery', paths: ['test/fixtures/dr/template.yaml'] },
  { agent: 'disaster-recovery', paths: ['test/fixtures/security/cloudformation/insecure.yaml'] },
  { agent: 'log-analyzer', paths: ['test/fixtures/logs/shop-incident.log'] },
  { agent: 'log-analyzer', paths: ['test/fixtures/logs/hdfs.log'] },
  { agent: 'log-analyzer', paths: ['test/fixtures/sql/postgresql.log'] },
  { agent: 'anomaly-detector', paths: ['test/fixtures/metrics/api-cpu.csv'] },
  { agent: 'anomaly-detector', paths: ['test/fixtures/metrics/shop-p99-latency.csv'] },
  { agent: 'performance-analyzer', paths: ['test/fixtures/perf/endpoint-stats.json'] },
  { agent: 'performance-analyzer', paths: ['test/fixtures/perf/endpoint-stats-good.json'] },
  { agent: 'performance-analyzer', paths: ['test/fixtures/perf/xray-checkout-traces.json'] },
  { agent: 'performance-analyzer', paths: ['test/fixtures/perf/otlp-orders-trace.json'] },
  { agent: 'performance-analyzer', paths: ['test/fixtures/perf/otlp-good-trace.json'] },
  { agent: 'performance-analyzer', paths: ['test/fixtures/perf/invoice-service.cpuprofile'] },
  {
    agent: 'config-drift-detector',
    paths: ['test/fixtures/config-drift/baseline.yaml', 'test/fixtures/config-drift/target.yaml'],
  },
  {
    agent: 'config-drift-detector',
    paths: ['test/fixtures/k8s/good/shop-namespace.json', 'test/fixtures/k8s/bad/node-agent.json'],
  },
];

/** What a user acts on, in the agent's order. */
interface GoldenFinding {
  ruleId: string;
  severity: string;
  file?: string;
  line?: number;
  suppressed?: true;
}

interface GoldenResult {
  score?: number;
  findings: GoldenFinding[];
}

/**
 * One allowed difference: a finding of a case that moved to a more precise
 * place (`to`), a finding a new fixture or a new rule adds (`added`, the
 * whole finding), or the score those additions move (`score`).
 */
type GoldenChange = { case: string; reason: string } & (
  | {
      ruleId: string;
      file?: string;
      /** The line before (absent: the finding had none). */
      from?: number;
      /** The file and line after, and the severity when it changed. */
      to: { file?: string; line?: number; severity?: string };
    }
  | { added: GoldenFinding }
  | { score: { from?: number; to?: number } }
);

function caseName(c: GoldenCase): string {
  return `${c.agent} ${c.paths.join(' ')}`;
}

const OPTIONS: ReadOptions = { maxFiles: 5000, maxFileBytes: 1024 * 1024 };

async function run(c: GoldenCase): Promise<GoldenResult> {
  const previous = process.cwd();
  process.chdir(root);
  try {
    const agent = await loadAgent(c.agent);
    const read = await readFiles(c.paths, agent, OPTIONS);
    if (!agent.fromFiles) throw new Error(`${c.agent} does not read files`);
    let input = (
      agent.reportsSkippedFiles ? agent.fromFiles(read.files, read.skipped) : agent.fromFiles(read.files)
    ) as Record<string, unknown> | unknown;
    for (const [field, file] of Object.entries(c.files ?? {})) {
      input = { ...(input as Record<string, unknown>), [field]: JSON.parse(readFileSync(file, 'utf8')) };
    }
    const result: AgentResult = await runAgent(c.agent, input, {
      traceId: 'golden',
      now: new Date('2026-06-01T12:00:00Z'),
    });
    return {
      ...(result.score === undefined ? {} : { score: result.score }),
      findings: result.findings.map((f) => ({
        ruleId: f.ruleId,
        severity: f.severity,
        ...(f.resource?.file === undefined ? {} : { file: f.resource.file }),
        ...(f.resource?.line === undefined ? {} : { line: f.resource.line }),
        ...(f.suppressed ? { suppressed: true as const } : {}),
      })),
    };
  } finally {
    process.chdir(previous);
  }
}

function readJson<T>(url: URL, fallback: T): T {
  try {
    return JSON.parse(readFileSync(url, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

/** The golden result with the listed changes applied: what the agents must give now. */
function expected(name: string, golden: GoldenResult, changes: readonly GoldenChange[]): GoldenResult {
  const findings = golden.findings.map((f) => ({ ...f }));
  let score = golden.score;
  for (const change of changes.filter((c) => c.case === name)) {
    if ('added' in change) {
      findings.push({ ...change.added });
      continue;
    }
    if ('score' in change) {
      if (change.score.from !== score)
        throw new Error(`changes.json: the score of ${name} is not ${change.score.from}`);
      score = change.score.to;
      continue;
    }
    const match = findings.find(
      (f) => f.ruleId === change.ruleId && f.file === change.file && f.line === change.from,
    );
    if (match === undefined)
      throw new Error(`changes.json: no ${change.ruleId} at ${change.file}:${change.from} in ${name}`);
    delete match.file;
    delete match.line;
    Object.assign(match, change.to);
  }
  const { score: _before, ...rest } = golden;
  return { ...rest, ...(score === undefined ? {} : { score }), findings };
}

const sorted = (findings: readonly GoldenFinding[]) =>
  [...findings].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('golden findings (every agent on every fixture, before and after the scan engine)', () => {
  const golden = readJson<Record<string, GoldenResult>>(goldenUrl, {});
  const changes = readJson<GoldenChange[]>(changesUrl, []);
  const update = process.env.UPDATE_GOLDEN === '1';
  const written: Record<string, GoldenResult> = {};

  afterAll(() => {
    if (update) writeFileSync(goldenUrl, `${JSON.stringify(written, null, 2)}\n`);
  });

  it.each(CASES.map((c) => [caseName(c), c] as const))(
    '%s',
    async (name, c) => {
      const actual = await run(c);
      written[name] = actual;
      if (update) return;
      const before = golden[name];
      expect(before).toBeDefined();
      if (before === undefined) return;
      const want = expected(name, before, changes);
      expect(actual.score).toBe(want.score);
      // Same findings; the order within one severity may follow the engine's one comparator.
      expect(sorted(actual.findings)).toEqual(sorted(want.findings));
    },
    120_000,
  );
});
