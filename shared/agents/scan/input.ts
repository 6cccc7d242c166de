/**
 * The input fields every file-reading agent takes the same way: `files`, the
 * files `aiops analyze` read (or an API caller sends), `.aiopsignore`
 * included, each as path and text. The agent states what it reads in them
 * and how large one may be.
 */
import * as z from 'zod';

/** Files in one input at most. */
export const MAX_INPUT_FILES = 10_000;

/** `files`: up to MAX_INPUT_FILES `{ path, content }`, each at most `maxContentChars` long. */
export function sourceFilesSchema(maxContentChars: number, description: string) {
  const file = z.object({
    path: z.string().trim().min(1).max(1000),
    content: z.string().max(maxContentChars),
  });
  return z.array(file).max(MAX_INPUT_FILES).optional().describe(description);
}
