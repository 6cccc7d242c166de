import { defineAgent } from '../contract.js';
import { filesAsInput } from '../scan/files.js';
import { analyzeRelease } from './analyze.js';
import { metadata } from './meta.js';
import { enrichRelease } from './prompt.js';
import { RELEASE_RULES } from './rules.js';
import { releaseInputSchema, releaseOutputSchema } from './schema.js';

/**
 * `aiops analyze release-manager changes.txt canary.json release.yaml …`:
 * every file goes in as it is, and the agent tells them apart by name and
 * content (inputs.ts); a file of no known kind is a REL000 finding.
 */
export default defineAgent({
  ...metadata,
  input: releaseInputSchema,
  output: releaseOutputSchema,
  analyze: analyzeRelease,
  rules: RELEASE_RULES,
  fromFiles: filesAsInput,
  enrich: enrichRelease,
});
