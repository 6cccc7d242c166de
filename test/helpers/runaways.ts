/**
 * Valid agent inputs that keep an agent busy far longer than any time limit a
 * test sets, and inputs that need more heap than a small limit: what a careless
 * user or an attacker sends. No test agent: these are real agents doing what
 * their input asks (issue 14, #1).
 */

/**
 * code-reviewer input: one TypeScript module of about `bytes` of request handlers that build SQL by string
 * concatenation, as a legacy service might. Review is linear but not cheap: ~900 KB kept code-reviewer busy
 * 4.4 s on the 2-core development machine and gave a 2.1 MB result of 3,900 findings. Tests give it a time
 * limit far below that (a fraction of a second), so it is a runaway on any machine.
 */
export function legacyHandlers(
  bytes = 900_000,
  path = 'src/handlers/legacy.ts',
): { files: { path: string; content: string }[] } {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const handler =
      `export function handler${i}(req: { query: Record<string, string> }, db: { query(s: string): Promise<unknown> }) {\n` +
      `  const id = req.query.id${i % 13};\n  if (!id) { return null; }\n` +
      `  return db.query("SELECT * FROM orders_${i % 50} WHERE id = " + id);\n}\n`;
    parts.push(handler);
    size += handler.length;
  }
  return { files: [{ path, content: parts.join('\n') }] };
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
