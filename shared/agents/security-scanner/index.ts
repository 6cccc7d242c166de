import { defineAgent, type SourceFile } from '../contract.js';
import { analyzeSecurity } from './analyze.js';
import { metadata } from './meta.js';
import { RULES } from './rules.js';
import { securityInputSchema, securityOutputSchema } from './schema.js';

/** Files that are never text worth scanning, or generated and noisy (minified bundles, source maps). */
const SKIPPED =
  /\.(?:png|jpe?g|gif|webp|ico|bmp|tiff?|svgz|pdf|zip|gz|tgz|bz2|xz|7z|rar|jar|war|ear|class|pyc|pyo|so|dylib|dll|exe|bin|o|a|wasm|woff2?|ttf|otf|eot|mp[34]|mov|avi|webm|ogg|wav|flac|psd|sqlite|db|parquet|avro|lock\.db)$|\.min\.(?:js|css)$|\.map$/i;

export default defineAgent({
  ...metadata,
  input: securityInputSchema,
  output: securityOutputSchema,
  analyze: analyzeSecurity,
  rules: RULES,
  accepts: (path: string) => !SKIPPED.test(path),
  /** Every file as it is: the scanner decides per path what it is. */
  fromFiles(files: readonly SourceFile[]) {
    return { files: files.map(({ path, content }) => ({ path, content })) };
  },
});
