/**
 * #1: no input freezes an agent. Each agent that reads files gets single
 * lines of 100,000 characters built to make a backtracking regular expression
 * work quadratically (a run of whitespace before `name:`, a run of `{` before
 * a template marker, capitals before a camelCase split, dotted tokens before a
 * URL scheme); each must answer within a generous deadline.
 */
import { describe, expect, it } from '@jest/globals';
import { loadAgent, runAgent } from '../../../shared/agents/registry.js';

const N = 100_000;
const CONTENTS: Record<string, string> = {
  tabs: `${'\t'.repeat(N)}x`,
  braces: '{'.repeat(N),
  capitals: 'A'.repeat(N),
  dotted: 'eyJhbGciOi.'.repeat(N / 11),
  assignments: 'password = "'.repeat(N / 12),
};

const FILE_AGENTS: [agent: string, paths: string[]][] = [
  ['security-scanner', ['config.yaml', 'Dockerfile', 'main.tf', 'app.js']],
  ['k8s-optimizer', ['k8s/app.yaml']],
  ['cost-optimizer', ['costs/inventory.yaml']],
  ['disaster-recovery', ['dr/systems.yaml']],
  ['db-query-analyzer', ['db/app.sql']],
  ['sla-monitor', ['slo/slos.yaml', 'metrics/export.json', 'metrics/series.csv']],
];

const cases = FILE_AGENTS.flatMap(([agent, paths]) =>
  Object.keys(CONTENTS).map((kind) => [agent, kind, paths] as const),
);

async function inputOf(agent: string, paths: readonly string[], content: string): Promise<unknown> {
  const definition = await loadAgent(agent);
  return definition.fromFiles?.(paths.map((path) => ({ path, content })));
}

describe('#1 pathological single-line inputs', () => {
  it.each(cases)(
    '#1 %s answers on a 100,000-character line of %s within a deadline',
    async (agent, kind, paths) => {
      // Prepare
      const input = await inputOf(agent, paths, CONTENTS[kind] ?? '');

      // Act
      const started = performance.now();
      const outcome = await runAgent(agent, input, {
        traceId: 'pathological',
        now: new Date('2026-03-01T00:00:00Z'),
      }).then(
        () => 'answered',
        (error: unknown) => (error instanceof Error ? error.name : 'thrown'),
      );
      const elapsedMs = performance.now() - started;

      // Assess: an answer or a typed refusal, never minutes of work; a generous deadline for a busy machine.
      expect(['answered', 'AgentValidationError', 'ValidationError']).toContain(outcome);
      expect(elapsedMs).toBeLessThan(5000);
    },
    60_000,
  );

  it.each([
    ['a file of 1,000 identical lines', 'src/a.ts', 'a\n'.repeat(1000)],
    ['a Python file of 100,000 dots', 'src/a.py', '.'.repeat(N)],
  ])(
    '#1 code-reviewer answers on %s within a deadline',
    async (_name, path, content) => {
      // Prepare: identical lines made every pair of places a clone candidate (cubic), and tree-sitter's
      // error recovery is quadratic on dots (bounded by its parse budget).
      const input = await inputOf('code-reviewer', [path], content);

      // Act
      const started = performance.now();
      await runAgent('code-reviewer', input, {
        traceId: 'pathological',
        now: new Date('2026-03-01T00:00:00Z'),
      });
      const elapsedMs = performance.now() - started;

      // Assess
      expect(elapsedMs).toBeLessThan(15_000);
    },
    60_000,
  );

  it('#1 config-drift-detector answers on a 100,000-character key and value within a deadline', async () => {
    // Prepare
    const baseline = { [CONTENTS.capitals ?? '']: CONTENTS.dotted, settings: { mode: 'a' } };
    const target = { [CONTENTS.capitals ?? '']: `${CONTENTS.dotted}x`, settings: { mode: 'b' } };

    // Act
    const started = performance.now();
    await runAgent(
      'config-drift-detector',
      { baseline, target },
      { traceId: 'pathological', now: new Date() },
    );

    // Assess
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 60_000);
});
