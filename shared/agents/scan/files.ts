/**
 * Agents whose API input carries the files as they are,
 * `{ files: [{ path, content }] }`: the schema of that field and the
 * `fromFiles` of `defineAgent` that fills it.
 */
import * as z from 'zod';
import type { SourceFile } from '../contract.js';

/** The optional `files` field: up to 10,000 files of at most `maxChars` characters each (default 10 million). */
export function filesField(description: string, maxChars = 10_000_000) {
  return z
    .array(z.object({ path: z.string().min(1).max(1000), content: z.string().max(maxChars) }))
    .max(10_000)
    .optional()
    .describe(description);
}

export function filesAsInput(files: readonly SourceFile[]): { files: { path: string; content: string }[] } {
  return { files: files.map(({ path, content }) => ({ path, content })) };
}
