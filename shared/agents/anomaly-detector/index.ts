import { defineAgent, type SourceFile } from '../contract.js';
import { analyzeSeries } from './analyze.js';
import { parsePointsCsv } from './engine.js';
import { metadata } from './meta.js';
import { enrichAnomalies } from './prompt.js';
import { ANOMALY_RULES } from './rules.js';
import { anomalyInputSchema, anomalyOutputSchema } from './schema.js';

export default defineAgent({
  ...metadata,
  input: anomalyInputSchema,
  output: anomalyOutputSchema,
  enrich: enrichAnomalies,
  analyze: analyzeSeries,
  rules: ANOMALY_RULES,
  /** One `timestamp,value` CSV (the `aiops metrics detect` input). */
  fromFiles(files: readonly SourceFile[]) {
    return { points: files.flatMap((f) => parsePointsCsv(f.content, f.path)) };
  },
});
