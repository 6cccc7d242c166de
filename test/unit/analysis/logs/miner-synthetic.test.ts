import { describe, expect, it } from '@jest/globals';
import { groupingAccuracy } from '../../../../shared/analysis/logs/accuracy.js';
import { createMiner, type MinerOptions } from '../../../../shared/analysis/logs/miner.js';
import {
  delimitedLog,
  keyValueLog,
  type LabelledLine,
  mixedValueLog,
  proxyLog,
  quotedLog,
  unitsLog,
} from './synthetic.js';

/** Learns every line, then gives each its final template (the CLI's two passes). */
function mine(lines: readonly LabelledLine[], options: MinerOptions = {}): string[] {
  const miner = createMiner(options);
  for (const { line } of lines) miner.add(line);
  return lines.map(({ line }) => miner.match(line)?.template ?? `unmatched: ${line}`);
}

function accuracy(lines: readonly LabelledLine[], templates: readonly string[]): number {
  return groupingAccuracy(
    lines.map((l) => l.event),
    templates,
  );
}

/** The template the miner gave the lines of one event, when they all got the same one. */
function templateOf(event: string, lines: readonly LabelledLine[], templates: readonly string[]): string[] {
  return [...new Set(templates.filter((_, i) => lines[i]?.event === event))];
}

const SHAPES = [
  ['a proxy log whose programs span one to four tokens', proxyLog],
  ['key=value runs of varying length and word values', keyValueLog],
  ['quoted strings with spaces', quotedLog],
  ['sizes and durations with units', unitsLog],
  ['fields glued by | ; , = :', delimitedLog],
  ['positions holding numbers or words', mixedValueLog],
] as const;

describe('createMiner on generated logs with known events', () => {
  // 300 lines: 60 or more per event, what a few minutes of a busy system gives.
  it.each(SHAPES)('groups %s with GA ≥ 0.95', (_shape, generate) => {
    // Prepare
    const lines = generate(300);

    // Act
    const templates = mine(lines);

    // Assess
    expect(accuracy(lines, templates)).toBeGreaterThanOrEqual(0.95);
  });

  it('groups every shape interleaved in one stream with GA ≥ 0.95', () => {
    // Prepare
    const shapes = SHAPES.map(([name, generate], s) =>
      generate(200, 100 + s).map((l) => ({ ...l, event: `${name}/${l.event}` })),
    );
    const lines =
      shapes[0]?.flatMap((_, i) => shapes.map((shape) => shape[i] ?? { line: '', event: '' })) ?? [];

    // Act
    const templates = mine(lines.filter((l) => l.line !== ''));

    // Assess
    expect(accuracy(lines, templates)).toBeGreaterThanOrEqual(0.95);
  });

  it('gives a proxy event one template whatever the program, quoted, 64-bit or a path with spaces', () => {
    // Prepare
    const lines = proxyLog(300);

    // Act
    const templates = mine(lines);

    // Assess
    expect(templateOf('open', lines, templates)).toEqual(['<*> - <*> open through proxy <*> HTTPS']);
    expect(templateOf('close', lines, templates)).toEqual([
      '<*> - <*> close, <*> sent, <*> received, lifetime <*>',
    ]);
  });

  it('keeps the keys of key=value variables and joins runs of pairs of any length', () => {
    // Prepare
    const lines = keyValueLog(300);

    // Act
    const templates = mine(lines);

    // Assess
    expect(templateOf('request', lines, templates)).toEqual([
      'request handled user=<*> action=<*> status=<*> took=<*>',
    ]);
    expect(templateOf('labels', lines, templates)).toEqual(['Updated labels on pod <*>: <*>']);
  });

  it('reads a quoted phrase as one value, and keeps a quoted request line whose method names the event', () => {
    // Prepare
    const lines = quotedLog(300);

    // Act
    const templates = mine(lines);

    // Assess
    expect(templateOf('login', lines, templates)).toEqual(['User <*> logged in from <*>']);
    expect(templateOf('get', lines, templates)).toEqual(['"GET <*> HTTP/<*>" status: <*> len: <*>']);
    expect(templateOf('post', lines, templates)).toEqual(['"POST <*> HTTP/<*>" status: <*> len: <*>']);
  });

  it('masks sizes and durations whether the unit is glued on or a word of its own', () => {
    // Prepare
    const lines = unitsLog(300);

    // Act
    const templates = mine(lines);

    // Assess
    expect(templateOf('compaction', lines, templates)).toEqual([
      'Compaction of <*> finished in <*>, wrote <*>',
    ]);
    expect(templateOf('gc', lines, templates)).toEqual(['GC pause <*>, heap <*> -> <*>']);
  });

  it('splits fields glued by pipes, semicolons and commas before a key, and keeps a two-valued state', () => {
    // Prepare
    const lines = delimitedLog(300);

    // Act
    const templates = mine(lines);

    // Assess
    expect(templateOf('copy', lines, templates)).toEqual(['copy src=<*>, dst=<*>, bytes=<*>']);
    expect(templateOf('ready', lines, templates)).toEqual(['heartbeat node:<*>; state:ready; load:<*>']);
    expect(templateOf('draining', lines, templates)).toEqual([
      'heartbeat node:<*>; state:draining; load:<*>',
    ]);
  });

  it('does not let a variable span plain words: those are the words of another event', () => {
    // Prepare
    const users = ['root', 'admin', 'oracle', 'pi', 'git'];
    const lines = [
      ...users.map((u, i) => ({
        line: `Failed password for ${u} from 10.0.0.${i} port 22 ssh2`,
        event: 'known',
      })),
      ...users.map((u, i) => ({
        line: `Failed password for invalid user ${u} from 10.0.1.${i} port 22 ssh2`,
        event: 'invalid',
      })),
    ];

    // Act
    const templates = mine(lines);

    // Assess
    expect(new Set(templates)).toEqual(
      new Set([
        'Failed password for <*> from <*> port <*>',
        'Failed password for invalid user <*> from <*> port <*>',
      ]),
    );
    expect(accuracy(lines, templates)).toBe(1);
  });

  it('groups a proxy log as well when its lines come in reverse order', () => {
    // Prepare: templates of other lengths form in another order, so consolidation, not arrival, must join them.
    const lines = proxyLog(300).reverse();

    // Act
    const templates = mine(lines);

    // Assess
    expect(accuracy(lines, templates)).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps templates of different lengths apart with maxVariableSpan 1', () => {
    // Prepare
    const lines = proxyLog(300);

    // Act
    const spanning = mine(lines);
    const fixed = mine(lines, { maxVariableSpan: 1 });

    // Assess
    expect(new Set(fixed).size).toBeGreaterThan(new Set(spanning).size);
    expect(accuracy(lines, fixed)).toBeLessThan(accuracy(lines, spanning));
  });

  it('stays fast on a stream whose messages take every length', () => {
    // Prepare: lists of values of every length from 1 to 200 tokens, and templates of many lengths.
    const lines = Array.from({ length: 2000 }, (_, i) => ({
      line: `batch ${i % 7 === 0 ? 'a.b' : 'x'} ${Array.from({ length: (i * 37) % 200 }, (_, k) => `w${k % 3 === 0 ? k : 'z'}.${i % 5}`).join(' ')} done`,
      event: 'batch',
    }));
    const started = performance.now();

    // Act
    mine(lines);

    // Assess: a generous bound; quadratic work over the templates would take minutes.
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
