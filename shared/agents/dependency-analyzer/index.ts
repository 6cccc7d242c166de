import { lockfileKind } from '../../analysis/dependencies/lockfiles.js';
import { defineAgent, type SourceFile } from '../contract.js';
import { analyzeDependencies, readsFile } from './analyze.js';
import { metadata } from './meta.js';
import { DEPENDENCY_ANALYZER_RULES } from './rules.js';
import { dependencyInputSchema, dependencyOutputSchema } from './schema.js';

export default defineAgent({
  ...metadata,
  input: dependencyInputSchema,
  output: dependencyOutputSchema,
  analyze: analyzeDependencies,
  rules: DEPENDENCY_ANALYZER_RULES,
  /** Lockfiles, advisories, manifests, and the sources and configuration the unused check reads. */
  accepts: (path: string) =>
    lockfileKind(path) !== undefined || /\.osv\.json$/i.test(path) || readsFile(path),
  fromFiles(files: readonly SourceFile[]) {
    return { files: files.map(({ path, content }) => ({ path, content })) };
  },
});
