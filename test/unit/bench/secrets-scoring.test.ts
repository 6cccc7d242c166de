/**
 * The line-level scoring of bench:secrets (bench/secrets/scoring.ts) and the
 * corpus it runs on: findings match the truth by file and line, a private key
 * block counts once for its BEGIN line, and the committed corpus is the one the
 * generator writes from its seed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { buildCorpus, DEFAULT_SEED, truthOf } from '../../../bench/secrets/make-corpus.js';
import { score, type Truth } from '../../../bench/secrets/scoring.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

const TRUTH: Truth = {
  seed: 1,
  convention: 'test',
  files: {
    '.env': { lines: [2, 5], blocks: [] },
    id_rsa: { lines: [1], blocks: [[1, 27]] },
    'README.md': { lines: [], blocks: [] },
  },
};

describe('score', () => {
  it('counts a reported truth line once, whatever number of rules report it', () => {
    // Act
    const s = score(TRUTH, [
      { file: '.env', line: 2, rule: 'A' },
      { file: '.env', line: 2, rule: 'B' },
    ]);

    // Assess
    expect({ tp: s.tp, fp: s.fp, fn: s.fn }).toEqual({ tp: 1, fp: 0, fn: 2 });
    expect(s.recall).toBeCloseTo(1 / 3);
    expect(s.precision).toBe(1);
    expect(s.misses).toEqual([
      { file: '.env', line: 5 },
      { file: 'id_rsa', line: 1 },
    ]);
  });

  it('credits any line of a private key block to its BEGIN line, once', () => {
    // Act
    const s = score(TRUTH, [
      { file: 'id_rsa', line: 1, rule: 'KEY' },
      { file: 'id_rsa', line: 27, rule: 'KEY-END' },
      { file: 'id_rsa', line: 12, rule: 'ENTROPY' },
    ]);

    // Assess
    expect({ tp: s.tp, fp: s.fp }).toEqual({ tp: 1, fp: 0 });
  });

  it('counts a line outside the truth, a neighbour line, an unknown file and a finding without a line as false', () => {
    // Act
    const s = score(TRUTH, [
      { file: 'README.md', line: 3, rule: 'GENERIC' },
      { file: 'README.md', line: 3, rule: 'OTHER' },
      { file: '.env', line: 3, rule: 'GENERIC' },
      { file: 'elsewhere.txt', line: 1, rule: 'GENERIC' },
      { file: '.env', line: 0, rule: 'FILE-LEVEL' },
      { file: '.env', line: 5, rule: 'GENERIC' },
    ]);

    // Assess
    expect({ tp: s.tp, fp: s.fp, fn: s.fn }).toEqual({ tp: 1, fp: 4, fn: 2 });
    expect(s.precision).toBeCloseTo(1 / 5);
    expect(s.falsePositives).toEqual([
      { file: '.env', line: 0, rules: ['FILE-LEVEL'] },
      { file: '.env', line: 3, rules: ['GENERIC'] },
      { file: 'elsewhere.txt', line: 1, rules: ['GENERIC'] },
      { file: 'README.md', line: 3, rules: ['GENERIC', 'OTHER'] },
    ]);
  });

  it('credits a finding that spans lines to the first truth line in its span, and nothing when none is', () => {
    // Act
    const s = score(TRUTH, [
      { file: '.env', line: 1, endLine: 9, rule: 'WHOLE-FILE' },
      { file: 'README.md', line: 1, endLine: 4, rule: 'WHOLE-FILE' },
    ]);

    // Assess
    expect({ tp: s.tp, fp: s.fp }).toEqual({ tp: 1, fp: 1 });
    expect(s.misses).toContainEqual({ file: '.env', line: 5 });
  });

  it('scores nothing reported as recall 0 and precision 1', () => {
    const s = score(TRUTH, []);
    expect({ recall: s.recall, precision: s.precision, fn: s.fn }).toEqual({
      recall: 0,
      precision: 1,
      fn: 3,
    });
  });
});

describe('the committed corpus', () => {
  it('is what the generator writes from its seed, with the committed truth', () => {
    // Act
    const corpus = buildCorpus(DEFAULT_SEED);

    // Assess: regenerate with `npx tsx bench/secrets/make-corpus.ts` and commit when this fails.
    const committed = JSON.parse(readFileSync(join(ROOT, 'bench/secrets/truth.json'), 'utf8')) as Truth;
    expect(truthOf(corpus, DEFAULT_SEED)).toEqual(committed);
    for (const file of corpus.files) {
      expect([file.path, readFileSync(join(ROOT, 'bench/secrets/corpus', file.path), 'utf8')]).toEqual([
        file.path,
        file.content,
      ]);
    }
    expect(corpus.files.length).toBeGreaterThanOrEqual(150);
  });
});
