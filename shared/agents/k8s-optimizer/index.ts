import { defineAgent } from '../contract.js';
import { filesAsInput } from '../scan/files.js';
import { analyzeK8s } from './analyze.js';
import { acceptsManifest } from './manifests.js';
import { metadata } from './meta.js';
import { K8S_RULES } from './rules.js';
import { k8sOptimizerInputSchema, k8sOptimizerOutputSchema } from './schema.js';

export default defineAgent({
  ...metadata,
  input: k8sOptimizerInputSchema,
  output: k8sOptimizerOutputSchema,
  analyze: analyzeK8s,
  rules: K8S_RULES,
  accepts: acceptsManifest,
  /** Every manifest file (and `.aiopsignore`) as is; `--usage FILE.json` (meta.ts) fills `usage`. */
  fromFiles: filesAsInput,
});
