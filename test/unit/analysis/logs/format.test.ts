import { describe, expect, it } from '@jest/globals';
import { compileLogFormat, contentOf } from '../../../../shared/analysis/logs/format.js';
import { ValidationError } from '../../../../shared/core/errors.js';
import { DATASETS, FORMATS, hasLoghub, rawLines } from './loghub.js';

describe('compileLogFormat', () => {
  it.each([
    [
      'HDFS',
      '<Date> <Time> <Pid> <Level> <Component>: <Content>',
      '081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating',
      {
        Date: '081109',
        Time: '203615',
        Pid: '148',
        Level: 'INFO',
        Component: 'dfs.DataNode$PacketResponder',
        Content: 'PacketResponder 1 for block blk_38865049064139660 terminating',
      },
    ],
    [
      'Hadoop, a field with spaces between escaped brackets',
      '<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>',
      '2015-10-18 18:05:54,914 INFO [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: Recalculating schedule, headroom=<memory:0, vCores:-27>',
      {
        Date: '2015-10-18',
        Time: '18:05:54,914',
        Level: 'INFO',
        Process: 'RMCommunicator Allocator',
        Component: 'org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator',
        Content: 'Recalculating schedule, headroom=<memory:0, vCores:-27>',
      },
    ],
    [
      'Zookeeper, a double space and a field holding the separator of the next one',
      '<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>',
      '2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200',
      {
        Date: '2015-07-29',
        Time: '17:41:44,747',
        Level: 'INFO',
        Node: 'QuorumPeer[myid=1]/0',
        Component: '0:0:0:0:0:0:0:2181:FastLeaderElection',
        Id: '774',
        Content: 'Notification time out: 3200',
      },
    ],
    [
      'Apache, a timestamp with spaces inside brackets',
      '\\[<Time>\\] \\[<Level>\\] <Content>',
      '[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6',
      {
        Time: 'Sun Dec 04 04:47:44 2005',
        Level: 'error',
        Content: 'mod_jk child workerEnv in error state 6',
      },
    ],
    [
      'Linux, the optional PID group present',
      '<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>',
      'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown',
      {
        Month: 'Jun',
        Date: '14',
        Time: '15:16:01',
        Level: 'combo',
        Component: 'sshd(pam_unix)',
        PID: '19939',
        Content: 'check pass; user unknown',
      },
    ],
    [
      'Linux, the optional PID group absent',
      '<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>',
      'Jun 9 06:06:20 combo kernel: On node 0 totalpages: 32430',
      {
        Month: 'Jun',
        Date: '9',
        Time: '06:06:20',
        Level: 'combo',
        Component: 'kernel',
        PID: '',
        Content: 'On node 0 totalpages: 32430',
      },
    ],
    [
      'a regular expression between fields',
      '<Date>T<Time>(?:Z|[+-]\\d{2}:\\d{2}) \\[?<Level>\\]? <Content>',
      '2024-05-01T10:00:00+02:00 [WARN] disk /var is 91% full',
      { Date: '2024-05-01', Time: '10:00:00', Level: 'WARN', Content: 'disk /var is 91% full' },
    ],
  ])('captures every field of a real %s line', (_name, format, line, expected) => {
    // Prepare
    const compiled = compileLogFormat(format);

    // Act
    const parsed = compiled.parse(line);

    // Assess
    expect(parsed?.fields).toEqual(expected);
    expect(parsed?.content).toBe(expected.Content);
    expect(compiled.fields).toEqual(Object.keys(expected));
  });

  it('lets a run of spaces in the format match any run of whitespace, and trims the line', () => {
    // Prepare
    const compiled = compileLogFormat('<Level> <Content>');

    // Act
    const parsed = compiled.parse('  INFO \t  service started  \r');

    // Assess
    expect(parsed?.fields).toEqual({ Level: 'INFO', Content: 'service started' });
  });

  it('reports a line that does not match, and contentOf then keeps the whole line', () => {
    // Prepare
    const compiled = compileLogFormat('\\[<Time>\\] \\[<Level>\\] <Content>');
    const line = 'continuation of a stack trace at Foo.bar(Foo.java:42)';

    // Act
    const parsed = compiled.parse(line);

    // Assess
    expect(parsed).toBeUndefined();
    expect(contentOf(compiled, line)).toBe(line);
    expect(contentOf(undefined, `  ${line} `)).toBe(line);
  });

  it.each([
    ['no <Content> field', '<Date> <Time> <Level>', /no <Content> field/],
    ['a field twice', '<Date> <Date> <Content>', /<Date> appears twice/],
    ['a lookahead', '<Date>(?=\\d) <Content>', /lookarounds/],
    ['a lookbehind', '(?<=x)<Date> <Content>', /lookarounds/],
    ['a regex named group', '(?<Date>\\d+) <Content>', /lookarounds, named groups/],
    ['a backreference', '(a)\\1 <Content>', /backreferences/],
    ['a possessive quantifier', 'a++ <Content>', /possessive/],
    ['an unknown escape', '\\p{L} <Content>', /unsupported escape/],
    ['a missing parenthesis', '(<Level> <Content>', /missing '\)'/],
    ['an unbalanced parenthesis', '<Level>) <Content>', /unbalanced/],
    ['a missing bracket', '[abc <Content>', /missing '\]'/],
    ['a quantifier with nothing to repeat', '*<Content>', /nothing to repeat/],
    ['a huge repetition count', 'a{100000} <Content>', /repetition counts above/],
    ['a program too large to run cheaply', '((a{1000}){1000}){1000} <Content>', /more than \d+ instructions/],
  ])('rejects a format with %s with a ValidationError', (_name, format, reason) => {
    // Act
    const attempt = () => compileLogFormat(format);

    // Assess
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      expect((error as ValidationError).errors[0]?.path).toBe('logFormat');
      expect((error as ValidationError).errors[0]?.message).toMatch(reason);
    }
  });

  it.each([
    // Many lazy fields and a literal that never comes: a backtracking engine tries every split, O(n^6).
    ['many fields before a missing literal', '<A>:<B>:<C>:<D>:<E>:<F>X<Content>', ':'.repeat(20_000)],
    // Nested quantifiers on a line that almost matches: exponential for a backtracking engine.
    ['nested quantifiers', '(a+)+b <Content>', `${'a'.repeat(20_000)}c`],
    ['alternation inside a star', '(a|aa)*c <Content>', 'a'.repeat(20_000)],
  ])('stays linear on a pathological format and line: %s', (_name, format, line) => {
    // Prepare
    const compiled = compileLogFormat(format);
    const started = performance.now();

    // Act
    const parsed = compiled.parse(line);

    // Assess
    expect(parsed).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it.each([
    // Counted repetitions make a short format a program of thousands of instructions.
    ['a field before a large repetition', '<Date> (?:.?.?.?.?.?.?.?.?.?){1000}<Content>z'],
    ['a large repetition before the fields', '(?:.?.?.?.?.?.?.?.?.?){1000}<Level> <Content>zz'],
  ])(
    '#1 parses a 26 KB log with a short format that compiles large (%s) within a deadline',
    (_name, format) => {
      // Prepare: ~26 KB of lines the format almost matches.
      const compiled = compileLogFormat(format);
      const lines = Array.from({ length: 260 }, (_, i) => `2024-05-01 INFO worker-${i} ${'a'.repeat(80)}`);

      // Act
      const started = performance.now();
      const parsed = lines.map((line) => compiled.parse(line));
      const elapsedMs = performance.now() - started;

      // Assess: the old per-line bound (line × program) took seconds; a deadline generous enough for a
      // machine running several times more work than it has cores (2 s was hit at a load of 14 on 2 cores).
      expect(parsed.every((p) => p === undefined)).toBe(true);
      expect(elapsedMs).toBeLessThan(6000);
    },
  );

  it('#1 still matches real formats on long lines under the per-character step budget', () => {
    // Prepare
    const compiled = compileLogFormat('<Date> <Time> <Pid> <Level> <Component>: <Content>');
    const line = `081109 203615 148 INFO dfs.DataNode: ${'block blk_1 terminating '.repeat(600)}`;

    // Act
    const parsed = compiled.parse(line);

    // Assess
    expect(parsed?.fields.Component).toBe('dfs.DataNode');
    expect(parsed?.content.length).toBeGreaterThan(14_000);
  });

  it('reports a line too long for the step budget as not matching instead of working on it', () => {
    // Prepare
    // In a group, so the backtracking matcher runs it: a plain format is matched in one linear pass instead.
    const compiled = compileLogFormat('(?:<Level> <Content>)', { maxStepsPerLine: 10_000 });

    // Act
    const short = compiled.parse('INFO ok');
    const long = compiled.parse(`INFO ${'x'.repeat(10_000)}`);

    // Assess
    expect(short?.content).toBe('ok');
    expect(long).toBeUndefined();
  });

  /** The logparser construction with a JS RegExp: trustworthy on these small, benign cases. */
  function reference(format: string, line: string): Record<string, string> | undefined {
    const source = format.replace(/<([A-Za-z_]\w*)>/g, '(?<$1>[\\s\\S]*?)').replace(/ +/g, '\\s+');
    const groups = new RegExp(`^(?:${source})$`).exec(line.trim())?.groups;
    return groups && Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, v ?? '']));
  }

  it.each([
    ['<Id>(?:[a-f0-9]{2}){2,3} (?:GET|POST) <Content>', 'req-1a2b3c POST /api/v1/items'],
    ['<Id>(?:[a-f0-9]{2}){2,3}? (?:GET|POST) <Content>', 'req-1a2b3c POST /api/v1/items'],
    ['<A>[^\\w\\s]+<B> <Content>', 'key:=value rest of it'],
    ['<A>,<B>,<Content>', 'a,b,c,d,e'],
    ['<A>(?:,<B>)?: <Content>', 'x,y: z: w'],
    ['<A>(?:,<B>)?: <Content>', 'x: z'],
    ['\\b<Word>\\b\\s\\B<Content>', 'abc def'],
    ['<Level>\\t?\\x41\\u0042[.][\\]] <Content>', 'INFOAB.] tail'],
    ['<A>|<B> <Content>', 'left|right more'],
    ['<A>.{0,3}x <Content>', 'abcdefx y'],
  ])('agrees with a backtracking regex engine on %s', (format, line) => {
    // Prepare
    const compiled = compileLogFormat(format);

    // Act
    const parsed = compiled.parse(line);

    // Assess
    expect(parsed?.fields).toEqual(reference(format, line));
  });
});

describe('compileLogFormat, plain formats (fields and separators only) in one pass', () => {
  /** The same format, in a non-capturing group: not plain, so only the backtracking matcher parses it. */
  const backtrackingOnly = (format: string) => compileLogFormat(`(?:${format})`);

  it.each([
    ['a field whose separator first matches too early', '<A>: <Content>', 'a:b: c d'],
    ['a space run inside a field', '<A> <Content> end', 'x y z end'],
    [
      'a literal tail the first path overshoots, which the matcher backtracks into',
      '<Content> end',
      'a end b end',
    ],
    ['a line that does not match', '<Date> <Time> \\[<Pid>\\] <Content>', '081109 203615 148 no brackets'],
    ['an empty field before a separator', '<A>-<B>-<Content>', '--x'],
    ['tabs and runs of spaces against one space', '<Date> <Time> <Content>', '081109 \t 203615   msg  here'],
    [
      'a separator at the very start',
      '\\[<Time>\\] \\[<Level>\\] <Content>',
      '[Sun Dec 04 04:47:44 2005] [notice] ok',
    ],
  ])('gives what the backtracking matcher gives: %s', (_, format, line) => {
    expect(compileLogFormat(format).parse(line)).toEqual(backtrackingOnly(format).parse(line));
  });

  it.each(DATASETS.filter(() => hasLoghub))(
    'agrees with the backtracking matcher on every %s line',
    (dataset) => {
      const fast = compileLogFormat(FORMATS[dataset]);
      const slow = backtrackingOnly(FORMATS[dataset]);
      const differing = rawLines(dataset).filter(
        (line) => JSON.stringify(fast.parse(line)) !== JSON.stringify(slow.parse(line)),
      );
      expect(differing).toEqual([]);
    },
  );
});
