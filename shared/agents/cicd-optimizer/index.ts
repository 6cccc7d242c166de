import { defineAgent } from '../contract.js';
import { filesAsInput } from '../scan/files.js';
import { analyzeCicd } from './analyze.js';
import { metadata } from './meta.js';
import { acceptsPipelineFile } from './pipelines.js';
import { CICD_RULES } from './rules.js';
import { cicdInputSchema, cicdOutputSchema } from './schema.js';

export default defineAgent({
  ...metadata,
  input: cicdInputSchema,
  output: cicdOutputSchema,
  analyze: analyzeCicd,
  rules: CICD_RULES,
  accepts: acceptsPipelineFile,
  /** Every pipeline, report and jobs file (and `.aiopsignore`) as is; `--runs` and `--logs` (meta.ts) fill the rest. */
  fromFiles: filesAsInput,
  readsDotFolders: true,
});
