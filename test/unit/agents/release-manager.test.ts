/**
 * release-manager on its fixtures, as `aiops analyze` reads them (every file
 * through the agent's `fromFiles`): exact rule ids, files and lines, the risk
 * and its reasons, the strategy, the canary verdict with its statistics.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../../shared/agents/contract.js';
import { runAgent } from '../../../shared/agents/registry.js';
import agent from '../../../shared/agents/release-manager/index.js';
import type { ReleaseOutput } from '../../../shared/agents/release-manager/schema.js';
import { toSarif } from '../../../shared/agents/sarif.js';
import { sarifSchemaErrors } from '../../helpers/sarif.js';

const FIXTURES = 'test/fixtures/release-manager';
const root = new URL('../../..', import.meta.url).pathname;
const NOW = new Date('2026-12-07T12:00:00Z');

function filesOf(folder: string): { path: string; content: string }[] {
  return readdirSync(`${root}${FIXTURES}/${folder}`)
    .sort()
    .map((name) => ({
      path: `${FIXTURES}/${folder}/${name}`,
      content: readFileSync(`${root}${FIXTURES}/${folder}/${name}`, 'utf8'),
    }));
}

async function run(input: unknown): Promise<ReleaseOutput> {
  return (await runAgent('release-manager', input, { traceId: 'release-test', now: NOW })) as ReleaseOutput;
}

const runFolder = (folder: string) => run(agent.fromFiles?.(filesOf(folder)));

/** rule id, file and line of each open finding, in the result's order. */
const places = (findings: readonly Finding[]) =>
  findings.filter((f) => !f.suppressed).map((f) => [f.ruleId, f.resource?.file, f.resource?.line]);

const points = (result: ReleaseOutput) =>
  Object.fromEntries(result.risk.reasons.map((r) => [r.factor, r.points]));

describe('release-manager on a risky release (diff, canary JSON, release history)', () => {
  it('reports each risk at its file and line', async () => {
    // Act
    const result = await runFolder('risky');

    // Assess
    const diff = `${FIXTURES}/risky/changes.diff`;
    const canary = `${FIXTURES}/risky/canary.json`;
    const release = `${FIXTURES}/risky/release.json`;
    expect(places(result.findings)).toEqual([
      ['REL004', canary, 3],
      ['REL003', diff, 36],
      ['REL005', canary, 6],
      ['REL006', diff, 1],
      ['REL006', diff, 1],
      ['REL002', diff, 32],
      ['REL006', diff, 32],
      ['REL007', diff, 47],
      ['REL006', diff, 53],
      ['REL009', release, 2],
      ['REL010', release, 19],
    ]);
    expect(result.findings[0]?.severity).toBe('critical');
  });

  it('scores the risk with every reason, its maximum and its evidence', async () => {
    // Act
    const result = await runFolder('risky');

    // Assess
    expect(points(result)).toEqual({
      size: 3.3,
      spread: 2.8,
      history: 20,
      migrations: 20,
      infrastructure: 8,
      dependencies: 5,
      tests: 0,
      timing: 8,
      author: 10,
    });
    expect(result.risk).toMatchObject({ score: 77, level: 'critical' });
    expect(result.score).toBe(23);
    const deps = result.risk.reasons.find((r) => r.factor === 'dependencies');
    expect(deps?.evidence).toEqual([
      'undici 6.21.0 → 7.2.0 (major) in package.json',
      'zod 3.23.8 → 3.24.1 (minor) in package.json',
    ]);
    expect(result.risk.reasons.find((r) => r.factor === 'timing')?.evidence).toEqual([
      'planned Friday 16:30 (UTC+01:00)',
    ]);
    for (const reason of result.risk.reasons) {
      expect(reason.points).toBeLessThanOrEqual(reason.max);
      expect(reason.why.length).toBeGreaterThan(20);
    }
  });

  it('holds the release and says no-go, for every reason that applies', async () => {
    // Act
    const result = await runFolder('risky');

    // Assess
    expect(result.decision).toBe('no-go');
    expect(result.strategy.kind).toBe('hold');
    expect(result.strategy.steps).toEqual([]);
    expect(result.strategy.reasons).toEqual([
      'risk 77 is critical: split the release or reduce its risk first',
      'risk 77 with incident INC-4812 on src/checkout/payment-client.ts 3 days ago',
      'db/migrations/20261201_drop_legacy_card.up.sql breaks the running version (ALTER TABLE payments DROP COLUMN legacy_card_number;): expand first, deploy, then contract in a later release',
      'the canary failed its judgement: roll it back',
    ]);
  });

  it('judges each canary metric with all its statistics, and a failing critical metric is a no-go', async () => {
    // Act
    const { canary } = await runFolder('risky');

    // Assess
    expect(canary?.verdict).toBe('no-go');
    // Assessed: latency (critical, 4, fails), 5xx (high, 2), orders (normal, 1) → 3 / 7.
    expect(canary?.score).toBe(42.9);
    const byName = Object.fromEntries((canary?.metrics ?? []).map((m) => [m.name, m]));
    expect(byName.checkout_p99_latency_ms).toMatchObject({
      classification: 'high',
      failed: true,
      direction: 'lower',
      criticality: 'critical',
      baseline: { n: 30, median: 183.25 },
      canary: { n: 30, median: 233.15 },
      mannWhitney: { u: 899, method: 'asymptotic' },
      shift: { estimate: 50.2, lower: 43.3, upper: 56.9, confidence: 0.95 },
      ks: { d: 0.966667, method: 'exact' },
    });
    expect(byName.checkout_p99_latency_ms?.mannWhitney?.p).toBeLessThan(1e-9);
    expect(byName.http_5xx_rate_percent).toMatchObject({ classification: 'pass', failed: false });
    expect(byName.orders_per_minute).toMatchObject({ classification: 'pass', direction: 'higher' });
    expect(byName.jvm_gc_pause_ms).toMatchObject({
      classification: 'not-assessed',
      failed: false,
      reason: '6 baseline and 6 canary samples; at least 10 of each are needed',
    });
    expect(byName.jvm_gc_pause_ms?.mannWhitney).toBeUndefined();
  });

  it('writes SARIF that validates against the 2.1.0 schema', async () => {
    // Act
    const result = await runFolder('risky');
    const log = toSarif([{ agent, ...(agent.rules === undefined ? {} : { rules: agent.rules }), result }]);

    // Assess
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0]?.results).toHaveLength(result.findings.length);
  });
});

describe('release-manager on a clean release (numstat, canary CSV, YAML history)', () => {
  it('goes by canary with short bakes and reports nothing', async () => {
    // Act
    const result = await runFolder('clean');

    // Assess
    expect(places(result.findings)).toEqual([]);
    expect(result.risk).toMatchObject({ score: 8, level: 'low' });
    expect(points(result)).toMatchObject({ size: 6.2, spread: 2.2, tests: 0, timing: 0, author: 0 });
    expect(result.strategy).toEqual({
      kind: 'canary',
      steps: [
        { percent: 1, bakeMinutes: 15 },
        { percent: 5, bakeMinutes: 15 },
        { percent: 25, bakeMinutes: 15 },
        { percent: 100, bakeMinutes: 0 },
      ],
      reasons: [
        'risk 8 (low): canary steps with 15 minutes of bake time each, judged against the baseline at every step',
      ],
    });
    expect(result.canary?.verdict).toBe('go');
    expect(result.canary?.score).toBe(100);
    expect(result.canary?.metrics.map((m) => [m.name, m.classification, m.baseline.n, m.canary.n])).toEqual([
      ['api_p95_latency_ms', 'pass', 20, 20],
      ['error_rate_percent', 'pass', 20, 20],
      ['checkout_success_percent', 'pass', 20, 20],
    ]);
    expect(result.decision).toBe('go');
    expect(result.summary).toBe(
      'Risk 8/100 (low); strategy canary; canary go (score 100): go. No open findings.',
    );
  });
});

describe('release-manager on pull requests planned in a freeze', () => {
  it('holds for the freeze, reads the major bump from the patch and reports the file it cannot read', async () => {
    // Act
    const result = await runFolder('freeze');

    // Assess
    expect(places(result.findings)).toEqual([
      ['REL001', `${FIXTURES}/freeze/freeze.yaml`, 3],
      ['REL000', `${FIXTURES}/freeze/NOTES.md`, 1],
      ['REL007', `${FIXTURES}/freeze/pulls.json`, 11],
    ]);
    expect(result.strategy.kind).toBe('hold');
    expect(result.decision).toBe('hold');
    expect(points(result)).toMatchObject({ timing: 25, dependencies: 4, infrastructure: 2 });
    expect(result.canary).toBeUndefined();
  });
});

describe('release-manager enrichment', () => {
  it('asks the model once, with the reasons, the verdicts and the findings, and the metric names to mask', async () => {
    // Arrange
    const result = await runFolder('risky');
    const asked: { system: string; prompt: string; knownIdentifiers?: readonly string[] }[] = [];
    const reply = { explanation: 'Hold: the canary is slower.', remediations: [] };
    const context = {
      traceId: 'release-enrich',
      now: NOW,
      ask: async <T>(prompt: (typeof asked)[number]): Promise<T> => {
        asked.push(prompt);
        return reply as T;
      },
    };

    // Act
    const enrichment = await agent.enrich?.(agent.fromFiles?.(filesOf('risky')) as never, result, context);

    // Assess
    expect(enrichment).toEqual(reply);
    expect(asked).toHaveLength(1);
    const prompt = asked[0]?.prompt ?? '';
    expect(prompt).toContain('Decision: no-go');
    expect(prompt).toContain('- history: 20/20');
    expect(prompt).toContain('- checkout_p99_latency_ms (critical, lower is better): high, FAILED');
    expect(prompt).toContain('- [critical] REL004: Canary metric regression');
    expect(prompt).not.toContain('- tests: 0/10');
    expect(asked[0]?.knownIdentifiers).toEqual([
      'checkout_p99_latency_ms',
      'http_5xx_rate_percent',
      'orders_per_minute',
      'jvm_gc_pause_ms',
    ]);
    expect(asked[0]?.system).toContain('do not change any number or verdict');
  });
});
