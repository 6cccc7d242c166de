import { defineAgent, type SourceFile } from '../contract.js';
import { analyzeCode, languageOf } from './analyze.js';
import { metadata } from './meta.js';
import { CODE_RULES } from './rules.js';
import { codeReviewInputSchema, codeReviewOutputSchema } from './schema.js';

const DIFF = /\.(?:diff|patch)$/i;

export default defineAgent({
  ...metadata,
  input: codeReviewInputSchema,
  output: codeReviewOutputSchema,
  analyze: analyzeCode,
  rules: CODE_RULES,
  /** Source files the parsers read, diffs and patches. */
  accepts: (path: string) => languageOf(path) !== undefined || DIFF.test(path),
  /** `.diff` / `.patch` files become the diff (joined), every other file a source file. */
  fromFiles(files: readonly SourceFile[]) {
    const diffs = files.filter((f) => DIFF.test(f.path));
    const sources = files.filter((f) => !DIFF.test(f.path)).map(({ path, content }) => ({ path, content }));
    return {
      ...(sources.length > 0 || diffs.length === 0 ? { files: sources } : {}),
      ...(diffs.length > 0 ? { diff: diffs.map((d) => d.content).join('\n') } : {}),
    };
  },
});
