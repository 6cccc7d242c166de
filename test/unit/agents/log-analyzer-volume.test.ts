/**
 * log-analyzer at the most lines its input allows (200,000): the first and last
 * timestamps were taken with `Math.min(...times)`, which throws a stack
 * overflow past about 100,000 arguments (found running issue 14's runaways).
 */
import { describe, expect, it } from '@jest/globals';
import type { LogAnalyzerOutput } from '../../../shared/agents/log-analyzer/schema.js';
import { runAgent } from '../../../shared/agents/registry.js';
import { maxOf, minOf } from '../../../shared/analysis/extent.js';

describe('log-analyzer at full volume', () => {
  it('analyses 200,000 timestamped lines, the most its input allows', async () => {
    // Prepare
    const lines = Array.from({ length: 200_000 }, (_, i) => {
      const at = new Date(Date.UTC(2026, 11, 7, 7, 0, 0) + i * 10).toISOString();
      return `${at} INFO worker-${i % 7} served request r${i} in ${i % 500} ms`;
    });

    // Act
    const result = (await runAgent(
      'log-analyzer',
      { lines },
      { traceId: 't', now: new Date() },
    )) as LogAnalyzerOutput;

    // Assess
    expect(result.metrics).toMatchObject({ lines: 200_000 });
    expect(result.summary).toMatch(/200,?000 lines/);
  });

  it('takes the extent of lists longer than a call’s argument limit', () => {
    // Prepare
    const values = Array.from({ length: 500_000 }, (_, i) => (i * 7919) % 1_000_003);

    // Act / Assess
    expect(() => Math.min(...values)).toThrow(RangeError);
    expect(minOf(values)).toBe(0);
    expect(maxOf(new Set(values))).toBe(values.reduce((a, b) => Math.max(a, b)));
  });
});
