/**
 * Writes the secrets corpus (bench/secrets/corpus/) and its line-level truth
 * (bench/secrets/truth.json) from a fixed seed. The output is committed; run
 * this only to change the corpus, then commit both.
 *
 *   npx tsx bench/secrets/make-corpus.ts [--seed 20231102]
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Corpus } from './corpus-kit.js';
import { cleanFiles } from './files-clean.js';
import { codeFiles } from './files-code.js';
import { configFiles } from './files-config.js';
import { credentialFiles } from './files-credentials.js';
import { toolFiles } from './files-tools.js';
import { Rng } from './random.js';
import type { Truth } from './scoring.js';
import { values } from './values.js';

export const DEFAULT_SEED = 20231102;
const HERE = dirname(fileURLToPath(import.meta.url));
export const CORPUS_DIR = join(HERE, 'corpus');
export const TRUTH_FILE = join(HERE, 'truth.json');

export const CONVENTION =
  'lines: 1-based lines holding a secret value, as a person reviewing the file would mark them; ' +
  'blocks: multi-line secrets (private keys) as [BEGIN line, END line], the BEGIN line being the truth line. ' +
  'Every corpus file is listed; a file with no lines has no secret.';

export function buildCorpus(seed = DEFAULT_SEED): Corpus {
  const r = new Rng(seed);
  const corpus = new Corpus();
  const v = values(r);
  credentialFiles(corpus, v, r);
  configFiles(corpus, v, r);
  codeFiles(corpus, v, r);
  cleanFiles(corpus, r);
  toolFiles(corpus, v, new Rng(seed + 1));
  return corpus;
}

export function truthOf(corpus: Corpus, seed: number): Truth {
  const files = [...corpus.files].sort((a, b) => a.path.localeCompare(b.path));
  return {
    seed,
    convention: CONVENTION,
    files: Object.fromEntries(files.map((f) => [f.path, f.truth])),
  };
}

/** One file a line, so a change to the corpus reads as a small diff. */
function formatTruth(truth: Truth): string {
  const files = Object.entries(truth.files).map(
    ([path, t]) => `  ${JSON.stringify(path)}: ${JSON.stringify(t)}`,
  );
  return `{\n "seed": ${truth.seed},\n "convention": ${JSON.stringify(truth.convention)},\n "files": {\n${files.join(',\n')}\n }\n}\n`;
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: { seed: { type: 'string', default: String(DEFAULT_SEED) } },
  });
  const seed = Number(args.seed);
  const corpus = buildCorpus(seed);
  await rm(CORPUS_DIR, { recursive: true, force: true });
  for (const file of corpus.files) {
    const path = join(CORPUS_DIR, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
  }
  const truth = truthOf(corpus, seed);
  await writeFile(TRUTH_FILE, formatTruth(truth));
  const lines = corpus.files.reduce((n, f) => n + f.truth.lines.length, 0);
  const withSecrets = corpus.files.filter((f) => f.truth.lines.length > 0).length;
  process.stdout.write(
    `${corpus.files.length} files (${withSecrets} with secrets, ${corpus.files.length - withSecrets} without), ${lines} truth lines → ${CORPUS_DIR}\n`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
