/**
 * Valid agent inputs that keep an agent busy far longer than any time limit a
 * test sets, and inputs that need more heap than a small limit: what a careless
 * user or an attacker sends. No test agent: these are real agents doing what
 * their input asks, measured on 9241d09 (issue 14, #1).
 */

const REPEATED_STATEMENT = '  total = total + computeWeightedScore(order.lines, discount, "label") * factor;';

/**
 * code-reviewer input: one function of `lines` identical statements. Every run of 6 lines duplicates every
 * other, so clone detection (CR011) reports quadratically many pairs: 400 lines took 20 s and produced an
 * 18.7 MB result; 2000 lines did not finish in 120 s. Not a pattern bug a matcher fix removes.
 */
export function cloneStorm(
  lines = 3000,
  path = 'src/billing/accumulate.ts',
): { files: { path: string; content: string }[] } {
  const body = Array.from({ length: lines }, () => REPEATED_STATEMENT).join('\n');
  const content =
    'export function accumulate(order: { lines: number[] }, discount: number, factor: number): number {\n' +
    `  let total = 0;\n${body}\n  return total;\n}\n`;
  return { files: [{ path, content }] };
}

/**
 * config-drift-detector input whose `criticalKeys` glob backtracks exponentially against a long key on
 * 9241d09 (`"*" + "a*".repeat(12) + "b"`: the health probe waited 19 s). A safe matcher makes it fast.
 */
export function backtrackingGlob(): {
  baseline: Record<string, unknown>;
  target: Record<string, unknown>;
  criticalKeys: string[];
} {
  const key = 'a'.repeat(60);
  return {
    baseline: { service: { [key]: 'primary', replicas: 3 } },
    target: { service: { [key]: 'replica', replicas: 3 } },
    criticalKeys: [`*${'a*'.repeat(12)}b`],
  };
}

/** log-analyzer input of `count` distinct application log lines (~130 bytes each, ~24 MB at 180k). */
export function applicationLog(count: number): { lines: string[] } {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const second = String(i % 60).padStart(2, '0');
    lines.push(
      `2026-12-07T07:00:${second}.123Z ERROR worker-${i % 97} request ${i.toString(36)} user u${(i * 7919) % 100_003} ` +
        `failed after ${i % 1000} ms path /api/v${i % 7}/items/${(i * 31) % 99_991}`,
    );
  }
  return { lines };
}
