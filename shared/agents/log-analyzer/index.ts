import { defineAgent } from '../contract.js';
import { filesAsInput } from '../scan/files.js';
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
  /** Log files, read in the order given; findings name the file and line. */
  fromFiles: filesAsInput,
});
