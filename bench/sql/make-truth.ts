/**
 * Writes bench/sql/truth.json from the `-- expect:` annotations of the corpus
 * files (bench/sql/README.md gives the convention). Fails on a class name that
 * bench/sql/classes.ts does not define.
 *
 *   npx tsx bench/sql/make-truth.ts
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTruth } from './corpus-truth.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const truth = await buildTruth(join(HERE, 'corpus'));
await writeFile(join(HERE, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
const files = Object.values(truth.files);
console.log(
  `truth.json: ${files.length} files, ${files.filter((f) => f.kind === 'hazard').length} with hazards, ` +
    `${files.reduce((n, f) => n + f.expect.length, 0)} expected findings`,
);
