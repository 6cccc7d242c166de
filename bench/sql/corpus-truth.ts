/** Reads the migration corpus and its `-- expect:` annotations into a Truth. */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { CLASSES } from './classes.js';
import { annotations, type Truth } from './scoring.js';

export const CONVENTION =
  'Each corpus file is listed with the hazards a reviewer who knows PostgreSQL locking would flag, one entry per ' +
  '(1-based line, class): the line of the statement, or of the column definition inside CREATE TABLE. The source is ' +
  'the `-- expect: class[, class]` comment on that line. A file with no entry is a safe rewrite and must stay unflagged. ' +
  'Classes are defined in bench/sql/classes.ts; see bench/sql/README.md.';

/** Every .sql file under `dir`, relative to it with `/` separators, sorted. */
export async function corpusFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.sql'))
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

export async function buildTruth(dir: string): Promise<Truth> {
  const known = new Set(CLASSES.map((c) => c.id));
  const files: Truth['files'] = {};
  for (const file of await corpusFiles(dir)) {
    const t = annotations(await readFile(join(dir, file), 'utf8'));
    const unknown = t.expect.find((e) => !known.has(e.class));
    if (unknown) throw new Error(`${file}:${unknown.line}: unknown hazard class ${unknown.class}`);
    files[file] = t;
  }
  return { convention: CONVENTION, files };
}
