import { defineAgent, type SourceFile } from '../contract.js';
import { analyzeLogs } from './analyze.js';
import { metadata } from './meta.js';
import { enrichLogs } from './prompt.js';
import { LOG_RULES } from './rules.js';
import { logAnalyzerInputSchema, logAnalyzerOutputSchema } from './schema.js';

export default defineAgent({
  ...metadata,
  input: logAnalyzerInputSchema,
  output: logAnalyzerOutputSchema,
  enrich: enrichLogs,
  analyze: analyzeLogs,
  rules: LOG_RULES,
  /** Log files, concatenated in the order given. */
  fromFiles(files: readonly SourceFile[]) {
    return { lines: files.flatMap((f) => f.content.split(/\r?\n/)).filter((l) => l.trim() !== '') };
  },
});
