/**
 * The input of an agent that reads files as they are: `fromFiles` of
 * `defineAgent` for agents whose API input is `{ files: [{ path, content }] }`.
 */
import type { SourceFile } from '../contract.js';

export function filesAsInput(files: readonly SourceFile[]): { files: { path: string; content: string }[] } {
  return { files: files.map(({ path, content }) => ({ path, content })) };
}
