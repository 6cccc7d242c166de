import { defineAgent, type SourceFile } from '../contract.js';
import { generateTests, isTestableSource } from './analyze.js';
import { metadata } from './meta.js';
import { TEST_GENERATOR_RULES } from './rules.js';
import { testGeneratorInputSchema, testGeneratorOutputSchema } from './schema.js';

export default defineAgent({
  ...metadata,
  input: testGeneratorInputSchema,
  output: testGeneratorOutputSchema,
  analyze: generateTests,
  rules: TEST_GENERATOR_RULES,
  accepts: (path) => isTestableSource(path) || /\.d\.[cm]?ts$/.test(path),
  /** Every source file; declaration files only resolve imported types. */
  fromFiles(files: readonly SourceFile[]) {
    return { files: files.map(({ path, content }) => ({ path, content })) };
  },
});
