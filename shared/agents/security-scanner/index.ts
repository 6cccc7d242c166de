import { defineAgent, type SkippedFile, type SourceFile } from '../contract.js';
import { analyzeSecurity } from './analyze.js';
import { metadata } from './meta.js';
import { RULES } from './rules.js';
import { MAX_FILES, securityInputSchema, securityOutputSchema } from './schema.js';

/** Files that are never text worth scanning, or generated and noisy (minified bundles, source maps). */
const SKIPPED =
  /\.(?:png|jpe?g|gif|webp|ico|bmp|tiff?|svgz|pdf|zip|gz|tgz|bz2|xz|7z|rar|jar|war|ear|class|pyc|pyo|so|dylib|dll|exe|bin|o|a|wasm|woff2?|ttf|otf|eot|mp[34]|mov|avi|webm|ogg|wav|flac|psd|sqlite|db|parquet|avro|lock\.db)$|\.min\.(?:js|css)$|\.map$/i;

/** The skipped list within the input's bound; a longer one ends with a line that counts the rest. */
function listed(skipped: readonly SkippedFile[]): SkippedFile[] {
  const entries = skipped.map(({ path, reason }) => ({ path, reason }));
  if (entries.length <= MAX_FILES) return entries;
  const rest = entries.length - (MAX_FILES - 1);
  return [...entries.slice(0, MAX_FILES - 1), { path: '…', reason: `${rest} more skipped files not listed` }];
}

export default defineAgent({
  ...metadata,
  input: securityInputSchema,
  output: securityOutputSchema,
  analyze: analyzeSecurity,
  rules: RULES,
  accepts: (path: string) => !SKIPPED.test(path),
  /** Every file as it is: the scanner decides per path what it is. What the reader skipped is listed in the result. */
  fromFiles(files: readonly SourceFile[], skipped: readonly SkippedFile[] = []) {
    return {
      files: files.map(({ path, content }) => ({ path, content })),
      ...(skipped.length === 0 ? {} : { skipped: listed(skipped) }),
    };
  },
  reportsSkippedFiles: true,
  readsDotFolders: true,
});
