/**
 * What every command shares: the exit codes and output conventions of
 * ../docs/architecture.md (CLI conventions). stdout carries only the result; messages go
 * to stderr; errors print one clear message, never a stack trace.
 */
import { AiopsError, ConfigurationError } from '../shared/core/errors.js';

export const EXIT = { ok: 0, findings: 1, usage: 2, internal: 3 } as const;

export type OutputFormat = 'json' | 'table';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function info(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function printResult(format: OutputFormat, value: unknown, table: () => string): void {
  process.stdout.write(format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : `${table()}\n`);
}

/** A plain-text table: header, rule, rows; columns padded to their widest cell. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Maps a failure to its message and exit code: client mistakes → 2, everything else → 3. */
export function describeFailure(error: unknown): { message: string; code: number } {
  if (error instanceof UsageError) return { message: error.message, code: EXIT.usage };
  if (error instanceof ConfigurationError) return { message: error.message, code: EXIT.usage };
  if (error instanceof AiopsError) {
    const fields = 'errors' in error && Array.isArray(error.errors) ? error.errors : [];
    const detail = fields
      .map((f: { path: string; message: string }) => `\n  - ${f.path}: ${f.message}`)
      .join('');
    return {
      message: `${error.message}${detail} [${error.code}]`,
      code: error.status < 500 ? EXIT.usage : EXIT.internal,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: `internal error: ${message}`, code: EXIT.internal };
}
