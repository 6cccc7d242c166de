/**
 * The class-level scoring of bench:sql (bench/sql/scoring.ts), the class map
 * (bench/sql/classes.ts) and the corpus truth: findings match by file, line
 * and class through the rule map; a finding elsewhere is a false positive,
 * told apart on safe-rewrite files; unmapped classes are not counted as missed;
 * the committed truth.json is what the corpus annotations give.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { CLASSES, OURS, ourRuleClasses, squawkRuleClasses } from '../../../bench/sql/classes.js';
import { buildTruth } from '../../../bench/sql/corpus-truth.js';
import { annotations, score, type Truth } from '../../../bench/sql/scoring.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

const TRUTH: Truth = {
  convention: 'test',
  files: {
    'm/001_index.sql': { kind: 'hazard', expect: [{ line: 3, class: 'index-not-concurrent' }] },
    'm/002_table.sql': {
      kind: 'hazard',
      expect: [
        { line: 4, class: 'serial-column' },
        { line: 4, class: 'int32-column' },
      ],
    },
    'm/003_safe.sql': { kind: 'safe', expect: [] },
  },
};
const RULES = new Map([
  ['require-concurrent-index-creation', 'index-not-concurrent'],
  ['prefer-identity', 'serial-column'],
]);
const IDS = ['index-not-concurrent', 'serial-column', 'int32-column'];

describe('score', () => {
  it('matches by file, line and class; counts a hazard once; tells false positives on safe rewrites apart', () => {
    // Act
    const s = score(
      TRUTH,
      [
        { file: 'm/001_index.sql', line: 3, rule: 'require-concurrent-index-creation' },
        { file: 'm/001_index.sql', line: 3, rule: 'require-concurrent-index-creation' },
        { file: 'm/002_table.sql', line: 4, rule: 'require-concurrent-index-creation' },
        { file: 'm/003_safe.sql', line: 2, rule: 'prefer-identity' },
        { file: 'm/003_safe.sql', line: 7, rule: 'SQL010' },
      ],
      RULES,
      IDS,
    );

    // Assess
    expect({ tp: s.tp, fn: s.fn, fp: s.fp, fpOnSafeFiles: s.fpOnSafeFiles }).toEqual({
      tp: 1,
      fn: 1,
      fp: 2,
      fpOnSafeFiles: 1,
    });
    const row = (c: string) => s.classes.find((r) => r.class === c);
    expect(row('index-not-concurrent')).toMatchObject({
      mapped: true,
      truth: 1,
      tp: 1,
      flaggedFiles: 1,
      fpOnHazardFiles: 1,
    });
    expect(row('serial-column')).toMatchObject({
      mapped: true,
      tp: 0,
      misses: [{ file: 'm/002_table.sql', line: 4 }],
      fpOnSafeFiles: 1,
    });
    // int32-column has no rule in the map: its hazard is not a miss.
    expect(row('int32-column')).toMatchObject({ mapped: false, truth: 1, tp: 0, misses: [] });
    expect(s.other).toEqual({ SQL010: 1 });
    expect(s.otherFindings).toEqual([{ file: 'm/003_safe.sql', line: 7, rule: 'SQL010', safeFile: true }]);
  });

  it('lets a finding that spans lines stand for an expected line inside its span', () => {
    // Act
    const s = score(
      TRUTH,
      [{ file: 'm/002_table.sql', line: 2, endLine: 6, rule: 'prefer-identity' }],
      RULES,
      IDS,
    );

    // Assess
    expect({ tp: s.tp, fp: s.fp }).toEqual({ tp: 1, fp: 0 });
  });

  it('reports nothing flagged and nothing false for a tool with no mapped rule', () => {
    // Act
    const s = score(
      TRUTH,
      [{ file: 'm/003_safe.sql', line: 1, rule: 'SQL013' }],
      ourRuleClasses({ x: null }),
      IDS,
    );

    // Assess
    expect(s.classes.every((c) => !c.mapped)).toBe(true);
    expect({ tp: s.tp, fn: s.fn, fp: s.fp, other: s.other }).toEqual({
      tp: 0,
      fn: 0,
      fp: 0,
      other: { SQL013: 1 },
    });
  });
});

describe('annotations', () => {
  it('reads one entry per class of each `-- expect:` comment, 1-based', () => {
    // Act
    const t = annotations(
      'BEGIN;\nCREATE TABLE t (\n  id serial -- expect: serial-column, int32-column\n);\n',
    );

    // Assess
    expect(t).toEqual({
      kind: 'hazard',
      expect: [
        { line: 3, class: 'serial-column' },
        { line: 3, class: 'int32-column' },
      ],
    });
    expect(annotations('SELECT 1;\n').kind).toBe('safe');
  });
});

describe('classes and corpus', () => {
  it('maps every squawk rule id to one class and keeps a TODO entry for ours per class', () => {
    // Assess
    expect(squawkRuleClasses().get('prefer-timestamp-tz')).toBe('timestamp-without-tz');
    expect(Object.keys(OURS).sort()).toEqual(CLASSES.map((c) => c.id).sort());
  });

  it('has the committed truth.json the annotations give, ≥ 60 files, every class expected at least once', async () => {
    // Arrange
    const committed = JSON.parse(readFileSync(join(ROOT, 'bench/sql/truth.json'), 'utf8')) as Truth;

    // Act
    const built = await buildTruth(join(ROOT, 'bench/sql/corpus'));

    // Assess
    expect(built).toEqual(committed);
    const files = Object.values(built.files);
    expect(files.length).toBeGreaterThanOrEqual(60);
    const expected = new Set(files.flatMap((f) => f.expect.map((e) => e.class)));
    expect(CLASSES.filter((c) => !expected.has(c.id)).map((c) => c.id)).toEqual([]);
    expect(files.filter((f) => f.kind === 'safe').length).toBeGreaterThanOrEqual(20);
  });
});
