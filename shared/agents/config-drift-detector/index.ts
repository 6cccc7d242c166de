import { AgentValidationError } from '../../core/errors.js';
import { defineAgent, type SourceFile } from '../contract.js';
import { analyzeConfigDrift } from './analyze.js';
import { metadata } from './meta.js';
import { DRIFT_RULES } from './rules.js';
import { configDriftInputSchema, configDriftOutputSchema } from './schema.js';

export default defineAgent({
  ...metadata,
  input: configDriftInputSchema,
  output: configDriftOutputSchema,
  analyze: analyzeConfigDrift,
  rules: DRIFT_RULES,
  /** Two files, baseline then target, each JSON or YAML; findings point into the target. */
  fromFiles(files: readonly SourceFile[]) {
    const [baseline, target] = files;
    if (files.length !== 2 || !baseline || !target) {
      throw new AgentValidationError('config-drift-detector compares two files: BASELINE TARGET', [
        { path: 'files', message: `expected 2 files, got ${files.length}` },
      ]);
    }
    return {
      baseline: baseline.content,
      target: target.content,
      baselinePath: baseline.path,
      targetPath: target.path,
    };
  },
});
