import { defineAgent } from '../contract.js';
import { analyzeConfigDrift } from './analyze.js';
import { metadata } from './meta.js';
import { configDriftInputSchema, configDriftOutputSchema } from './schema.js';

export default defineAgent({
  ...metadata,
  input: configDriftInputSchema,
  output: configDriftOutputSchema,
  analyze: analyzeConfigDrift,
});
