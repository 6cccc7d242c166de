/**
 * CR011 duplicated blocks: every file becomes a list of code lines, each the
 * parser's tokens of that line with literal values normalised (comments and
 * whitespace are gone); every window of N consecutive code lines is hashed,
 * equal hashes in two places are extended to the longest common run, and a
 * run of at least N lines and MIN_DUPLICATE_TOKENS tokens is a clone pair.
 */
import { createHash } from 'node:crypto';
import type { TokenFact } from './model.js';

export interface CodeLine {
  line: number;
  text: string;
  tokens: number;
}

/** Code lines from tokens; lines made only of punctuation (`}`, `);`) are left out, so they neither anchor nor pad a clone. */
export function codeLines(tokens: readonly TokenFact[]): CodeLine[] {
  const byLine = new Map<number, string[]>();
  for (const token of tokens) {
    const list = byLine.get(token.line) ?? [];
    list.push(token.text);
    byLine.set(token.line, list);
  }
  return [...byLine.entries()]
    .sort(([a], [b]) => a - b)
    .filter(([, list]) => list.some((t) => /[\p{L}\p{N}_$]/u.test(t)))
    .map(([line, list]) => ({ line, text: list.join(' '), tokens: list.length }));
}

export interface CloneSide {
  file: string;
  startLine: number;
  endLine: number;
}

export interface Clone {
  /** The earlier copy (file order, then line). */
  first: CloneSide;
  second: CloneSide;
  lines: number;
  tokens: number;
}

/** Places of one window compared pairwise (at most 16·15/2 pairs per window). */
const MAX_PLACES_PER_WINDOW = 16;

export function findClones(
  files: readonly { path: string; lines: readonly CodeLine[] }[],
  window: number,
  minTokens: number,
): Clone[] {
  const hashOf = (lines: readonly CodeLine[], at: number) =>
    createHash('sha1')
      .update(
        lines
          .slice(at, at + window)
          .map((l) => l.text)
          .join('\n'),
      )
      .digest('hex');
  const index = new Map<string, { file: number; at: number }[]>();
  files.forEach((file, f) => {
    for (let at = 0; at + window <= file.lines.length; at++) {
      const key = hashOf(file.lines, at);
      const list = index.get(key) ?? [];
      list.push({ file: f, at });
      index.set(key, list);
    }
  });
  const clones: Clone[] = [];
  /** Window starts already inside a reported run, per pair of files. */
  const covered = new Set<string>();
  const seen = (a: { file: number; at: number }, b: { file: number; at: number }) =>
    `${a.file}:${a.at}|${b.file}:${b.at}`;
  for (const all of index.values()) {
    if (all.length < 2) continue;
    // A window repeated hundreds of times (generated or degenerate code) would cost a pair for every two
    // places, each extended line by line: the first places are enough to report it.
    const places = all.slice(0, MAX_PLACES_PER_WINDOW);
    for (let i = 0; i < places.length; i++) {
      for (let j = i + 1; j < places.length; j++) {
        const a = places[i] as { file: number; at: number };
        const b = places[j] as { file: number; at: number };
        if (covered.has(seen(a, b))) continue;
        const la = (files[a.file] as { lines: readonly CodeLine[] }).lines;
        const lb = (files[b.file] as { lines: readonly CodeLine[] }).lines;
        // Overlapping windows of one file (a repeated line) are not a clone.
        if (a.file === b.file && Math.abs(a.at - b.at) < window) continue;
        // Extend backwards to the start of the run, then forwards.
        let s = 0;
        while (a.at - s - 1 >= 0 && b.at - s - 1 >= 0 && la[a.at - s - 1]?.text === lb[b.at - s - 1]?.text) {
          if (a.file === b.file && a.at - s - 1 + window > b.at - s - 1 && a.at < b.at) break;
          s++;
        }
        let length = window + s;
        const from = { a: a.at - s, b: b.at - s };
        while (
          from.a + length < la.length &&
          from.b + length < lb.length &&
          la[from.a + length]?.text === lb[from.b + length]?.text &&
          !(a.file === b.file && from.a + length >= from.b)
        )
          length++;
        for (let k = 0; k + window <= length; k++)
          covered.add(seen({ file: a.file, at: from.a + k }, { file: b.file, at: from.b + k }));
        const run = la.slice(from.a, from.a + length);
        const tokens = run.reduce((sum, l) => sum + l.tokens, 0);
        if (tokens < minTokens) continue;
        const side = (f: number, at: number, lines: readonly CodeLine[]): CloneSide => ({
          file: (files[f] as { path: string }).path,
          startLine: (lines[at] as CodeLine).line,
          endLine: (lines[at + length - 1] as CodeLine).line,
        });
        clones.push({
          first: side(a.file, from.a, la),
          second: side(b.file, from.b, lb),
          lines: length,
          tokens,
        });
      }
    }
  }
  return clones;
}
