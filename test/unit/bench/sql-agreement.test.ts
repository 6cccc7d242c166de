/**
 * Agreement of squawk and ours on a folder with no truth (bench/sql/agreement.ts):
 * findings meet per (file, class) where their spans overlap; places are
 * counted both / squawk only / ours only; agreement is counted per class and
 * over the classes both tools cover; unmapped rules are kept apart; a rule of
 * ours that covers several classes stands for the ones its message names; and
 * statements are split where PostgreSQL would split them.
 */
import { describe, expect, it } from '@jest/globals';
import {
  agreement,
  classesFromMessage,
  type LintFinding,
  statementSpans,
} from '../../../bench/sql/agreement.js';

const SQUAWK_RULES = new Map([
  ['require-concurrent-index-creation', 'index-not-concurrent'],
  ['prefer-text-field', 'varchar-length'],
  ['prefer-timestamp-tz', 'timestamp-without-tz'],
  ['prefer-robust-stmts', 'non-rerunnable'],
]);
const OUR_RULES = new Map<string, string[]>([
  ['MIG003', ['index-not-concurrent']],
  ['MIG015', ['varchar-length', 'timestamp-without-tz']],
]);
const IDS = ['index-not-concurrent', 'varchar-length', 'timestamp-without-tz', 'non-rerunnable'];

describe('agreement', () => {
  it('matches by file, class and overlapping span, and counts agreement over the classes both cover', () => {
    // Prepare: 001 both flag the index; 002 squawk flags a varchar column inside the CREATE TABLE ours reports
    // at its first line; 003 only squawk flags an index, 004 only ours; rerunnability is squawk's alone.
    const squawk: LintFinding[] = [
      { file: '001.sql', line: 3, endLine: 3, rule: 'require-concurrent-index-creation' },
      { file: '002.sql', line: 4, endLine: 4, rule: 'prefer-text-field' },
      { file: '003.sql', line: 1, endLine: 1, rule: 'require-concurrent-index-creation' },
      { file: '003.sql', line: 1, endLine: 1, rule: 'prefer-robust-stmts' },
      { file: '003.sql', line: 2, endLine: 2, rule: 'ban-drop-domain' },
    ];
    const ours: LintFinding[] = [
      { file: '001.sql', line: 3, rule: 'MIG003' },
      {
        file: '002.sql',
        line: 2,
        endLine: 6,
        rule: 'MIG015',
        message: 'Column t.name is varchar(n): prefer text.',
      },
      { file: '004.sql', line: 5, rule: 'MIG003' },
      { file: '004.sql', line: 9, rule: 'SQL013', message: 'relation "t" does not exist' },
    ];

    // Act
    const a = agreement({
      squawk,
      ours,
      squawkRules: SQUAWK_RULES,
      ourRules: OUR_RULES,
      classIds: IDS,
      classesOf: classesFromMessage,
    });

    // Assess
    const row = (c: string) => a.classes.find((r) => r.class === c);
    expect(row('index-not-concurrent')).toMatchObject({ agreement: 1 / 3 });
    expect(row('index-not-concurrent')?.both.map((p) => p.file)).toEqual(['001.sql']);
    expect(row('index-not-concurrent')?.squawkOnly.map((p) => `${p.file}:${p.line}`)).toEqual(['003.sql:1']);
    expect(row('index-not-concurrent')?.oursOnly.map((p) => `${p.file}:${p.line}`)).toEqual(['004.sql:5']);
    expect(row('varchar-length')).toMatchObject({ agreement: 1 });
    // The varchar finding is not counted as a timestamp one though MIG015 covers both classes.
    expect(row('timestamp-without-tz')).toMatchObject({ agreement: null, both: [], oursOnly: [] });
    expect(row('non-rerunnable')).toMatchObject({ squawkCovers: true, oursCovers: false, agreement: null });
    expect(row('non-rerunnable')?.squawkOnly).toHaveLength(1);
    expect(a.overall).toEqual({ both: 2, squawkOnly: 1, oursOnly: 1, agreement: 0.5 });
    expect(Object.keys(a.unmapped.ours)).toEqual(['SQL013']);
    expect(a.unmapped.squawk['ban-drop-domain']).toHaveLength(1);
  });

  it('puts a finding of a several-class rule where squawk flagged the same line when its message does not tell', () => {
    // Act
    const a = agreement({
      squawk: [{ file: 'a.sql', line: 2, rule: 'prefer-timestamp-tz' }],
      ours: [{ file: 'a.sql', line: 2, rule: 'MIG015' }],
      squawkRules: SQUAWK_RULES,
      ourRules: OUR_RULES,
      classIds: IDS,
    });

    // Assess
    expect(a.classes.find((c) => c.class === 'timestamp-without-tz')?.both).toHaveLength(1);
    expect(a.classes.find((c) => c.class === 'varchar-length')?.oursOnly).toEqual([]);
    expect(a.overall.agreement).toBe(1);
  });

  it('gives no agreement when nothing was flagged', () => {
    const a = agreement({
      squawk: [],
      ours: [],
      squawkRules: SQUAWK_RULES,
      ourRules: OUR_RULES,
      classIds: IDS,
    });
    expect(a.overall).toEqual({ both: 0, squawkOnly: 0, oursOnly: 0, agreement: null });
  });
});

describe('classesFromMessage', () => {
  it.each([
    ['MIG015', 'Column users.name is varchar(n): prefer text.', ['varchar-length']],
    [
      'MIG015',
      'Column users.seen is timestamp without time zone: prefer timestamptz.',
      ['timestamp-without-tz'],
    ],
    [
      'MIG015',
      'Column users.id is a serial primary key: prefer bigint identity.',
      ['serial-column', 'int32-column'],
    ],
    ['MIG015', 'Column users.id is an int4 primary key: prefer bigint identity.', ['int32-column']],
    [
      'MIG015',
      'Column codes.id is a smallserial primary key: prefer bigint identity.',
      ['serial-column', 'int16-column'],
    ],
    [
      'MIG007',
      'Foreign key fk on orders is added without NOT VALID: …',
      ['foreign-key', 'constraint-not-valid'],
    ],
    ['MIG007', 'CHECK constraint ck on orders is added without NOT VALID: …', ['constraint-not-valid']],
    ['MIG011', 'Database shop is dropped, with everything in it.', ['drop-database']],
    ['MIG011', 'Table sessions is dropped: …', ['drop-table']],
    ['MIG004', 'REINDEX users_pkey without CONCURRENTLY …', ['reindex-not-concurrent']],
    ['SQL010', 'payments is filtered on currency …', []],
  ])('%s "%s" stands for %j', (rule, message, classes) => {
    expect(classesFromMessage({ file: 'a.sql', line: 1, rule, message })).toEqual(classes);
  });
});

describe('statementSpans', () => {
  it('splits at semicolons outside strings, identifiers, dollar quotes and comments', () => {
    // Prepare
    const text = [
      '-- a comment; not a statement',
      'CREATE TABLE t (',
      "  note text DEFAULT 'a;b',",
      '  "odd;name" int',
      ');',
      '/* block; comment */',
      'CREATE FUNCTION f() RETURNS int AS $body$',
      '  SELECT 1;',
      '$body$ LANGUAGE sql;',
      'SELECT 1; SELECT 2',
    ].join('\n');

    // Act
    const spans = statementSpans(text);

    // Assess
    expect(spans).toEqual([
      [2, 5],
      [7, 9],
      [10, 10],
      [10, 10],
    ]);
  });
});
