/**
 * The one matcher for user-supplied globs (`.aiopsignore` and `ignore[].path`
 * path globs, config-drift `criticalKeys` key patterns). Globs are never
 * turned into a RegExp: a backtracking engine takes exponential time on
 * patterns such as `*a*a*a*a*a*a*b`, and JS has no regex timeout. A glob is
 * compiled to a small automaton run as a set of states (Thompson's
 * simulation), so matching costs at most (text length × pattern length)
 * steps, whatever the pattern; patterns are capped in length and in brace
 * expansion so that product stays small.
 *
 * Two syntaxes:
 * - `path`: the minimatch dialect node's `path.matchesGlob` speaks, without
 *   extglobs: `*` and `?` and `[...]` (`[!...]`, `[^...]`, ranges) match within
 *   one `/`-separated segment, a `**` segment spans any number of segments,
 *   `{a,b}` alternatives (nesting allowed), and a wildcard never matches a
 *   leading `.` of a segment (dot files need an explicit `.`). `\` is a
 *   separator, as on Windows, not an escape.
 * - `text`: only `*` is special and spans any characters.
 */
import { ValidationError } from '../core/errors.js';

export type GlobSyntax = 'path' | 'text';

export interface GlobOptions {
  readonly syntax: GlobSyntax;
  /** Compare lower-cased (the text and the pattern). */
  readonly caseInsensitive?: boolean;
  /**
   * Also match every suffix of the text that starts right after this
   * character: `.` makes `datasource.url` match `spring.datasource.url`.
   */
  readonly suffixAfter?: string;
  /** Longest pattern accepted, in characters; default MAX_GLOB_LENGTH. */
  readonly maxLength?: number;
  /** Where the pattern came from, for the ValidationError (`input.ignore.0.path`). */
  readonly field?: string;
}

export interface Glob {
  readonly pattern: string;
  matches(text: string): boolean;
}

/** Patterns longer than this are refused: real globs are a few dozen characters. */
export const MAX_GLOB_LENGTH = 1000;
/** Brace alternatives are expanded; their total length is capped so a `{a,b}{a,b}…` chain cannot grow 2^n. */
const MAX_EXPANDED_LENGTH = 8000;
const MAX_ALTERNATIVES = 256;

enum Kind {
  /** One given character. */
  Char = 0,
  /** `?`: one character other than `/` (in path syntax). */
  Any = 1,
  /** `[...]`: one character of (or, negated, not of) the class, never `/`. */
  Class = 2,
  /** `*`: any run of characters (other than `/` in path syntax). */
  Star = 3,
  /** A `**` segment before others: any run of whole segments, each followed by `/`, none starting with `.`. */
  Globstar = 4,
  /** `/**` at the end: `/` and then anything whose segments do not start with `.`. */
  TrailingGlobstar = 5,
  /** The segment about to start must not start with `.` (a wildcard opens it). */
  NoDot = 6,
}

interface Token {
  kind: Kind;
  char?: string;
  ranges?: readonly [string, string][];
  negated?: boolean;
}

function refuse(pattern: string, field: string, message: string): ValidationError {
  const shown = pattern.length > 80 ? `${pattern.slice(0, 77)}...` : pattern;
  return new ValidationError(`Invalid pattern "${shown}": ${message}`, [{ path: field, message }], {
    details: { pattern: shown, reason: message },
  });
}

/** `a{b,c{d,e}}f` → abf, acdf, acef. A brace without a top-level comma stays literal, as in minimatch. */
function expandBraces(pattern: string, budget: { length: number; count: number }): string[] {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '{') {
      if (depth === 0) open = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth !== 0) continue;
      const inner = pattern.slice(open + 1, i);
      const options = splitTopLevel(inner);
      if (options.length < 2) {
        // `{a}` is literal: keep it and expand what follows.
        const rest = expandBraces(pattern.slice(i + 1), budget);
        return rest.map((tail) => pattern.slice(0, i + 1) + tail);
      }
      const head = pattern.slice(0, open);
      const tails = expandBraces(pattern.slice(i + 1), budget);
      const out: string[] = [];
      for (const option of options) {
        for (const middle of expandBraces(option, budget)) {
          for (const tail of tails) {
            const expanded = head + middle + tail;
            budget.length -= expanded.length;
            budget.count -= 1;
            if (budget.length < 0 || budget.count < 0) return [];
            out.push(expanded);
          }
        }
      }
      return out;
    }
  }
  return [pattern];
}

function splitTopLevel(inner: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inner.slice(start));
  return parts;
}

/** `[...]` starting at `at`; undefined when it does not close (then `[` is a literal). */
function parseClass(segment: string, at: number): { token: Token; end: number } | undefined {
  let i = at + 1;
  let negated = false;
  if (segment[i] === '!' || segment[i] === '^') {
    negated = true;
    i++;
  }
  const ranges: [string, string][] = [];
  let first = true;
  while (i < segment.length) {
    const c = segment[i] ?? '';
    if (c === ']' && !first) return { token: { kind: Kind.Class, ranges, negated }, end: i + 1 };
    first = false;
    const next = segment[i + 2];
    if (segment[i + 1] === '-' && next !== undefined && next !== ']') {
      ranges.push([c, next]);
      i += 3;
    } else {
      ranges.push([c, c]);
      i++;
    }
  }
  return undefined;
}

function pathTokens(pattern: string): Token[] {
  const segments = pattern.split('/');
  const tokens: Token[] = [];
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '**') {
      tokens.push({ kind: last && index > 0 ? Kind.TrailingGlobstar : Kind.Globstar });
      // `**` alone spans everything; a trailing one has taken its `/` already.
      if (last && index === 0) tokens.push({ kind: Kind.TrailingGlobstar });
      return;
    }
    const opensWithWildcard = segment !== '' && segment[0] !== '.';
    const start = tokens.length;
    let i = 0;
    while (i < segment.length) {
      const c = segment[i] ?? '';
      if (c === '*') {
        while (segment[i] === '*') i++;
        tokens.push({ kind: Kind.Star });
      } else if (c === '?') {
        tokens.push({ kind: Kind.Any });
        i++;
      } else if (c === '[') {
        const parsed = parseClass(segment, i);
        if (parsed) {
          tokens.push(parsed.token);
          i = parsed.end;
        } else {
          tokens.push({ kind: Kind.Char, char: c });
          i++;
        }
      } else {
        tokens.push({ kind: Kind.Char, char: c });
        i++;
      }
    }
    const body = tokens.slice(start);
    const magic = body.some((t) => t.kind !== Kind.Char);
    // A class that names `.` may match a leading dot, as in minimatch.
    const explicitDot = body[0]?.kind === Kind.Class && !body[0].negated && inClass(body[0], '.');
    if (magic && opensWithWildcard && !explicitDot) tokens.splice(start, 0, { kind: Kind.NoDot });
    // A segment of stars only must not be empty (`a/*` does not match `a/`).
    if (body.length === 1 && body[0]?.kind === Kind.Star)
      tokens.splice(tokens.length - 1, 0, { kind: Kind.Any });
    if (!last) tokens.push({ kind: Kind.Char, char: '/' });
  });
  return tokens;
}

function textTokens(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*') {
      if (tokens.at(-1)?.kind !== Kind.Star) tokens.push({ kind: Kind.Star });
    } else tokens.push({ kind: Kind.Char, char: c });
  }
  return tokens;
}

function inClass(token: Token, c: string): boolean {
  return (token.ranges ?? []).some(([lo, hi]) => c >= lo && c <= hi);
}

/**
 * One alternative as a state-set automaton. State i means "tokens before i
 * are matched"; state tokens.length accepts. Globstars use an extra state
 * per token (inside a segment), numbered from tokens.length + 1.
 */
class Automaton {
  readonly #tokens: readonly Token[];
  readonly #path: boolean;
  readonly #accept: number;
  #current: Uint8Array;
  #next: Uint8Array;
  readonly #list: Int32Array;

  constructor(tokens: readonly Token[], path: boolean) {
    this.#tokens = tokens;
    this.#path = path;
    this.#accept = tokens.length;
    const size = tokens.length * 2 + 2;
    this.#current = new Uint8Array(size);
    this.#next = new Uint8Array(size);
    this.#list = new Int32Array(size);
  }

  /** The inside-a-segment state of the globstar token at i. */
  #inner(i: number): number {
    return this.#accept + 1 + i;
  }

  /** Adds state s and what it reaches without consuming, given the character that comes next (or '' at the end). */
  #add(set: Uint8Array, s: number, next: string, atSegmentStart: boolean): void {
    const list = this.#list;
    let top = 0;
    list[top++] = s;
    while (top > 0) {
      const state = list[--top] ?? 0;
      if (set[state] === 1) continue;
      set[state] = 1;
      if (state >= this.#accept) continue;
      const token = this.#tokens[state];
      if (!token) continue;
      switch (token.kind) {
        case Kind.Star:
        case Kind.Globstar:
          list[top++] = state + 1;
          break;
        case Kind.TrailingGlobstar:
          // Zero segments: only when the text has ended right after the `/`.
          if (next === '') list[top++] = state + 1;
          break;
        case Kind.NoDot:
          if (!(atSegmentStart && next === '.')) list[top++] = state + 1;
          break;
        default:
          break;
      }
    }
  }

  matches(text: string, suffixAfter: string | undefined): boolean {
    const path = this.#path;
    let current = this.#current;
    let next = this.#next;
    current.fill(0);
    this.#add(current, 0, text[0] ?? '', true);
    for (let pos = 0; pos < text.length; pos++) {
      const c = text[pos] ?? '';
      const after = text[pos + 1] ?? '';
      const atStart = pos === 0 || text[pos - 1] === '/';
      const nextAtStart = c === '/';
      next.fill(0);
      let alive = false;
      for (let s = 0; s < current.length; s++) {
        if (current[s] !== 1) continue;
        if (s > this.#accept) {
          // Inside a globstar segment: stay on any character but `/`, which ends the segment.
          const i = s - this.#accept - 1;
          if (c === '/') this.#add(next, i, after, true);
          else this.#add(next, s, after, false);
          alive = true;
          continue;
        }
        if (s === this.#accept) continue;
        const token = this.#tokens[s];
        if (!token) continue;
        let to = -1;
        switch (token.kind) {
          case Kind.Char:
            if (c === token.char) to = s + 1;
            break;
          case Kind.Any:
            if (!(path && c === '/')) to = s + 1;
            break;
          case Kind.Class:
            if (!(path && c === '/') && inClass(token, c) !== token.negated) to = s + 1;
            break;
          case Kind.Star:
            if (!(path && c === '/')) to = s;
            break;
          case Kind.Globstar:
          case Kind.TrailingGlobstar:
            // A new segment starts here; it may not start with a dot.
            if (atStart && c !== '.' && c !== '/') {
              const inner = this.#inner(s);
              this.#add(next, inner, after, false);
              alive = true;
            }
            break;
          default:
            break;
        }
        if (to >= 0) {
          this.#add(next, to, after, nextAtStart);
          alive = true;
        }
      }
      if (suffixAfter !== undefined && c === suffixAfter) {
        this.#add(next, 0, after, true);
        alive = true;
      }
      [current, next] = [next, current];
      if (!alive && suffixAfter === undefined) return false;
    }
    // Any state that reaches acceptance on no input: a trailing globstar's inner state accepts too.
    for (let s = 0; s < current.length; s++) {
      if (current[s] !== 1) continue;
      if (s === this.#accept) return true;
      if (s > this.#accept && this.#tokens[s - this.#accept - 1]?.kind === Kind.TrailingGlobstar) return true;
    }
    return false;
  }
}

/**
 * Compiles a glob. Throws a ValidationError (400 at the API) when the
 * pattern is longer than the cap or its braces expand too far.
 */
export function compileGlob(pattern: string, options: GlobOptions): Glob {
  const field = options.field ?? 'pattern';
  const maxLength = options.maxLength ?? MAX_GLOB_LENGTH;
  if (pattern.length > maxLength) {
    throw refuse(pattern, field, `the pattern is longer than ${maxLength} characters`);
  }
  const source = options.caseInsensitive ? pattern.toLowerCase() : pattern;
  const path = options.syntax === 'path';
  let alternatives = [source];
  if (path) {
    const budget = { length: MAX_EXPANDED_LENGTH, count: MAX_ALTERNATIVES };
    alternatives = expandBraces(source.replaceAll('\\', '/'), budget);
    if (budget.length < 0 || budget.count < 0) {
      throw refuse(
        pattern,
        field,
        `its {…} alternatives expand to more than ${MAX_ALTERNATIVES} patterns or ${MAX_EXPANDED_LENGTH} characters`,
      );
    }
  }
  const automata = alternatives.map((alt) => new Automaton(path ? pathTokens(alt) : textTokens(alt), path));
  const suffixAfter = options.suffixAfter;
  return {
    pattern,
    matches(text) {
      const subject = options.caseInsensitive ? text.toLowerCase() : text;
      return automata.some((automaton) => automaton.matches(subject, suffixAfter));
    },
  };
}
