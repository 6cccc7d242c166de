/**
 * Log header formats in the logparser convention: `<Field>` captures a field
 * (lazily, like `(?P<Field>.*?)`), a run of spaces matches one or more
 * whitespace characters, and everything else is a regular expression; the
 * whole format is anchored at both ends of the (trimmed) line.
 *
 * A format is user input, so it is not handed to `RegExp`: a backtracking
 * engine can take exponential time on a crafted format or line, and JS has no
 * regex timeout. The format is compiled here to a small program run by a
 * backtracker that remembers every (instruction, position) pair it has
 * already failed from. Without backreferences the outcome from such a pair
 * cannot change, so each is explored at most once, with the same leftmost,
 * lazy/greedy-priority result a backtracking engine would give.
 *
 * That bound is line length × program size, and counted repetitions make a
 * short format a large program (`(?:.?.?.?.?){1000}` is 8000 instructions):
 * a 62-character format kept a 26 KB log busy for 91 s. So each line also
 * gets a step budget linear in its length alone (STEPS_PER_CHAR per
 * character); a line that needs more is reported as not matching, and the
 * memo is cleared by the cells it touched, never by the whole table. Work is
 * then linear in the input, whatever the format. Real formats take a few
 * steps per character and never reach the budget.
 * Constructs that need more than that (backreferences, lookarounds) are
 * rejected with a ValidationError, as are programs too large to run cheaply.
 *
 * Most formats are plain — fields and separators (single characters, space
 * runs), as every Loghub format but one. For them the path the backtracker
 * tries first is followed directly, in one pass (plainMatch), and the
 * backtracker runs only when that path fails: twice as fast on typical lines.
 */
import { ValidationError } from '../../core/errors.js';

export interface ParsedLine {
  /** Every `<Field>` of the format; a field inside an optional group that did not take part is ''. */
  readonly fields: Readonly<Record<string, string>>;
  /** The `<Content>` field: the message the templates are mined from. */
  readonly content: string;
}

export interface LogFormat {
  readonly format: string;
  /** Field names in the order they appear in the format. */
  readonly fields: readonly string[];
  /** The line's fields, or undefined when the line does not match the format. */
  parse(line: string): ParsedLine | undefined;
}

export interface CompileOptions {
  /** Upper bound on the compiled program; counted repetitions (`{n,m}`) are what make it grow. */
  readonly maxProgramSize?: number;
  /**
   * Lines whose (length × program size) memo table exceeds this many cells are reported as not matching
   * (memory bound of the backtracking matcher; a plain format's first path needs no table).
   */
  readonly maxStepsPerLine?: number;
  /** Steps a line may take per character (plus a small constant) before it is reported as not matching (time bound). */
  readonly stepsPerChar?: number;
}

export const CONTENT_FIELD = 'Content';
const MAX_FORMAT_LENGTH = 2000;
const MAX_REPEAT = 1000;
const DEFAULT_MAX_PROGRAM = 20_000;
/** 64 Mi cells: an 8 MiB memo table at most. */
const DEFAULT_MAX_STEPS = 1 << 26;
const DEFAULT_STEPS_PER_CHAR = 64;
/** Steps every line may take whatever its length: the prefix fields of a short line. */
const BASE_STEPS = 512;

// --- character sets ----------------------------------------------------------

/** Sorted, disjoint, inclusive UTF-16 code unit ranges: [lo0, hi0, lo1, hi1, …]. */
type Ranges = number[];

const MAX_CODE = 0xffff;
const DIGIT: Ranges = [0x30, 0x39];
const WORD: Ranges = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
const SPACE: Ranges = [
  0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f,
  0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff,
];
const NEWLINE: Ranges = [0x0a, 0x0a];
const ANY: Ranges = [0, MAX_CODE];

function normalise(ranges: Ranges): Ranges {
  const pairs: [number, number][] = [];
  for (let i = 0; i + 1 < ranges.length; i += 2) pairs.push([ranges[i] ?? 0, ranges[i + 1] ?? 0]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const [lo, hi] of pairs) {
    const last = out.length - 1;
    if (last > 0 && lo <= (out[last] ?? 0) + 1) out[last] = Math.max(out[last] ?? 0, hi);
    else out.push(lo, hi);
  }
  return out;
}

function complement(ranges: Ranges): Ranges {
  const sorted = normalise(ranges);
  const out: Ranges = [];
  let next = 0;
  for (let i = 0; i < sorted.length; i += 2) {
    const lo = sorted[i] ?? 0;
    const hi = sorted[i + 1] ?? 0;
    if (lo > next) out.push(next, lo - 1);
    next = hi + 1;
  }
  if (next <= MAX_CODE) out.push(next, MAX_CODE);
  return out;
}

class CharSet {
  readonly #ascii = new Uint8Array(128);
  readonly #ranges: Ranges;
  /** Every code unit: the set of a field. */
  readonly all: boolean;

  constructor(ranges: Ranges) {
    this.#ranges = normalise(ranges);
    this.all = this.#ranges.length === 2 && this.#ranges[0] === 0 && this.#ranges[1] === MAX_CODE;
    for (let i = 0; i < this.#ranges.length; i += 2) {
      const hi = Math.min(this.#ranges[i + 1] ?? 0, 127);
      for (let c = this.#ranges[i] ?? 0; c <= hi; c++) this.#ascii[c] = 1;
    }
  }

  has(code: number): boolean {
    if (code < 128) return this.#ascii[code] === 1;
    const r = this.#ranges;
    for (let i = 0; i < r.length; i += 2) {
      if (code < (r[i] ?? 0)) return false;
      if (code <= (r[i + 1] ?? 0)) return true;
    }
    return false;
  }
}

// --- syntax tree -----------------------------------------------------------

type Node =
  | { kind: 'empty' }
  | { kind: 'set'; ranges: Ranges }
  | { kind: 'assert'; what: Assertion }
  | { kind: 'concat'; items: Node[] }
  | { kind: 'alt'; options: Node[] }
  | { kind: 'repeat'; node: Node; min: number; max: number; greedy: boolean }
  | { kind: 'group'; node: Node }
  | { kind: 'field'; name: string };

type Assertion = 'start' | 'end' | 'word' | 'notWord';

function invalid(format: string, message: string): ValidationError {
  const shown = format.length > 80 ? `${format.slice(0, 77)}...` : format;
  return new ValidationError(`Invalid log format "${shown}"`, [{ path: 'logFormat', message }], {
    details: { format: shown, reason: message },
  });
}

/** Recursive-descent parser for the format: a regular expression with `<Field>` atoms. */
class FormatParser {
  #pos = 0;
  readonly fields: string[] = [];

  constructor(readonly source: string) {}

  parse(): Node {
    const node = this.#alternation();
    if (this.#pos < this.source.length) throw this.#error(`unbalanced ')' at position ${this.#pos}`);
    return node;
  }

  #error(message: string): ValidationError {
    return invalid(this.source, message);
  }

  #peek(offset = 0): string {
    return this.source[this.#pos + offset] ?? '';
  }

  #alternation(): Node {
    const options = [this.#concat()];
    while (this.#peek() === '|') {
      this.#pos++;
      options.push(this.#concat());
    }
    return options.length === 1 ? (options[0] ?? { kind: 'empty' }) : { kind: 'alt', options };
  }

  #concat(): Node {
    const items: Node[] = [];
    while (this.#pos < this.source.length && this.#peek() !== '|' && this.#peek() !== ')') {
      items.push(this.#quantified());
    }
    if (items.length === 0) return { kind: 'empty' };
    return items.length === 1 ? (items[0] ?? { kind: 'empty' }) : { kind: 'concat', items };
  }

  #quantified(): Node {
    const start = this.#pos;
    const atom = this.#atom();
    let node = atom;
    for (;;) {
      const bounds = this.#quantifier();
      if (!bounds) break;
      if (atom.kind === 'assert' || atom.kind === 'empty') {
        throw this.#error(`nothing to repeat at position ${start}`);
      }
      let greedy = true;
      if (this.#peek() === '?') {
        greedy = false;
        this.#pos++;
      } else if (this.#peek() === '+') {
        throw this.#error('possessive quantifiers are not supported');
      }
      node = { kind: 'repeat', node, min: bounds.min, max: bounds.max, greedy };
    }
    return node;
  }

  #quantifier(): { min: number; max: number } | undefined {
    const c = this.#peek();
    if (c === '*' || c === '+' || c === '?') {
      this.#pos++;
      return { min: c === '+' ? 1 : 0, max: c === '?' ? 1 : Number.POSITIVE_INFINITY };
    }
    if (c !== '{') return undefined;
    // Like Python and JS, a brace that does not make a valid {n}, {n,} or {n,m} is a literal.
    const match = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.#pos, this.#pos + 24));
    if (!match) return undefined;
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === '' ? Number.POSITIVE_INFINITY : Number(match[3]);
    if (min > MAX_REPEAT || (Number.isFinite(max) && max > MAX_REPEAT)) {
      throw this.#error(`repetition counts above ${MAX_REPEAT} are not supported`);
    }
    if (max < min) throw this.#error(`repetition {${min},${max}} has its bounds reversed`);
    this.#pos += match[0].length;
    return { min, max };
  }

  #atom(): Node {
    const c = this.#peek();
    switch (c) {
      case '(':
        return this.#group();
      case '[':
        return this.#class();
      case '.':
        this.#pos++;
        return { kind: 'set', ranges: complement(NEWLINE) };
      case '^':
        this.#pos++;
        return { kind: 'assert', what: 'start' };
      case '$':
        this.#pos++;
        return { kind: 'assert', what: 'end' };
      case '\\':
        return this.#escape();
      case '*':
      case '+':
      case '?':
        throw this.#error(`nothing to repeat at position ${this.#pos}`);
      case '<': {
        const field = /^<([A-Za-z_][A-Za-z0-9_]*)>/.exec(this.source.slice(this.#pos, this.#pos + 66));
        if (field?.[1] !== undefined) {
          const name = field[1];
          if (this.fields.includes(name)) throw this.#error(`field <${name}> appears twice`);
          this.fields.push(name);
          this.#pos += field[0].length;
          return { kind: 'field', name };
        }
        this.#pos++;
        return literal(c);
      }
      default: {
        if (c === ' ') {
          // The logparser convention: a run of spaces in the format matches any run of whitespace.
          while (this.#peek() === ' ') this.#pos++;
          return {
            kind: 'repeat',
            node: { kind: 'set', ranges: SPACE },
            min: 1,
            max: Infinity,
            greedy: true,
          };
        }
        this.#pos++;
        return literal(c);
      }
    }
  }

  #group(): Node {
    this.#pos++;
    if (this.#peek() === '?') {
      if (this.#peek(1) !== ':') {
        throw this.#error(
          'only plain (…) and non-capturing (?:…) groups are supported: lookarounds, named groups and flags are not (name a field with <Field>)',
        );
      }
      this.#pos += 2;
    }
    const node = this.#alternation();
    if (this.#peek() !== ')') throw this.#error("missing ')'");
    this.#pos++;
    return { kind: 'group', node };
  }

  #escape(): Node {
    this.#pos++;
    const c = this.#peek();
    if (c === '') throw this.#error('the format ends with a lone backslash');
    if (c === 'b' || c === 'B') {
      this.#pos++;
      return { kind: 'assert', what: c === 'b' ? 'word' : 'notWord' };
    }
    const ranges = this.#escapeRanges();
    return { kind: 'set', ranges };
  }

  /** The character(s) an escape stands for; the position is on the character after the backslash. */
  #escapeRanges(): Ranges {
    const c = this.#peek();
    this.#pos++;
    switch (c) {
      case 'd':
        return DIGIT;
      case 'D':
        return complement(DIGIT);
      case 'w':
        return WORD;
      case 'W':
        return complement(WORD);
      case 's':
        return SPACE;
      case 'S':
        return complement(SPACE);
      case 't':
        return single(0x09);
      case 'n':
        return single(0x0a);
      case 'r':
        return single(0x0d);
      case 'f':
        return single(0x0c);
      case 'v':
        return single(0x0b);
      case '0':
        return single(0);
      case 'x':
      case 'u': {
        const digits = c === 'x' ? 2 : 4;
        const hex = this.source.slice(this.#pos, this.#pos + digits);
        if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) throw this.#error(`bad \\${c} escape`);
        this.#pos += digits;
        return single(Number.parseInt(hex, 16));
      }
      default:
        if (/[0-9]/.test(c)) throw this.#error('backreferences are not supported');
        if (/[A-Za-z]/.test(c)) throw this.#error(`unsupported escape \\${c}`);
        return single(c.charCodeAt(0));
    }
  }

  #class(): Node {
    this.#pos++;
    let negate = false;
    if (this.#peek() === '^') {
      negate = true;
      this.#pos++;
    }
    const ranges: Ranges = [];
    let first = true;
    for (;;) {
      const c = this.#peek();
      if (c === '') throw this.#error("missing ']'");
      if (c === ']' && !first) break;
      first = false;
      const lo = this.#classAtom();
      if (this.#peek() === '-' && this.#peek(1) !== ']' && this.#peek(1) !== '' && lo.length === 2) {
        this.#pos++;
        const hi = this.#classAtom();
        const from = lo[0] ?? 0;
        const to = hi[0] ?? 0;
        if (hi.length !== 2 || hi[0] !== hi[1])
          throw this.#error('a class range must end with one character');
        if (from !== lo[1]) throw this.#error('a class range must start with one character');
        if (to < from) throw this.#error('a class range is out of order');
        ranges.push(from, to);
      } else {
        ranges.push(...lo);
      }
    }
    this.#pos++;
    return { kind: 'set', ranges: negate ? complement(ranges) : normalise(ranges) };
  }

  #classAtom(): Ranges {
    const c = this.#peek();
    if (c === '\\') {
      this.#pos++;
      if (this.#peek() === 'b') {
        this.#pos++;
        return single(0x08);
      }
      return this.#escapeRanges();
    }
    this.#pos++;
    return single(c.charCodeAt(0));
  }
}

function single(code: number): Ranges {
  return [code, code];
}

function literal(c: string): Node {
  return { kind: 'set', ranges: single(c.charCodeAt(0)) };
}

// --- program -----------------------------------------------------------------

enum Op {
  Set = 0,
  Split = 1,
  Jump = 2,
  Save = 3,
  Assert = 4,
  Match = 5,
  /** A lazy `.*` that only the end of the line can follow: it takes the rest of the line. */
  Rest = 6,
  /**
   * A lazy any-character loop whose exit must start with a character of
   * `set`: it skips straight over the characters that cannot (a field
   * followed by a literal or a space).
   */
  LazyAny = 7,
}

interface Instruction {
  op: Op;
  /** Split: preferred branch; Jump: target; Save: slot. */
  a: number;
  /** Split: other branch. */
  b: number;
  set?: CharSet;
  what?: Assertion;
}

class Compiler {
  readonly program: Instruction[] = [];

  constructor(
    private readonly fields: readonly string[],
    private readonly limit: number,
    private readonly format: string,
  ) {}

  emit(instruction: Instruction): number {
    if (this.program.length >= this.limit) {
      throw invalid(this.format, `the format compiles to more than ${this.limit} instructions`);
    }
    this.program.push(instruction);
    return this.program.length - 1;
  }

  #at(index: number): Instruction {
    const instruction = this.program[index];
    // emit() returned this index, so the slot exists.
    if (!instruction) throw invalid(this.format, 'internal compiler error');
    return instruction;
  }

  compile(node: Node): void {
    switch (node.kind) {
      case 'empty':
        return;
      case 'set':
        this.emit({ op: Op.Set, a: 0, b: 0, set: new CharSet(node.ranges) });
        return;
      case 'assert':
        this.emit({ op: Op.Assert, a: 0, b: 0, what: node.what });
        return;
      case 'concat':
        for (const item of node.items) this.compile(item);
        return;
      case 'group':
        this.compile(node.node);
        return;
      case 'alt': {
        const jumps: number[] = [];
        node.options.forEach((option, i) => {
          if (i === node.options.length - 1) {
            this.compile(option);
            return;
          }
          const split = this.emit({ op: Op.Split, a: 0, b: 0 });
          this.#at(split).a = this.program.length;
          this.compile(option);
          jumps.push(this.emit({ op: Op.Jump, a: 0, b: 0 }));
          this.#at(split).b = this.program.length;
        });
        for (const jump of jumps) this.#at(jump).a = this.program.length;
        return;
      }
      case 'field': {
        const slot = this.fields.indexOf(node.name) * 2;
        this.emit({ op: Op.Save, a: slot, b: 0 });
        this.compile({
          kind: 'repeat',
          node: { kind: 'set', ranges: ANY },
          min: 0,
          max: Infinity,
          greedy: false,
        });
        this.emit({ op: Op.Save, a: slot + 1, b: 0 });
        return;
      }
      case 'repeat':
        this.#repeat(node);
        return;
    }
  }

  #repeat(node: { node: Node; min: number; max: number; greedy: boolean }): void {
    for (let i = 0; i < node.min; i++) this.compile(node.node);
    if (!Number.isFinite(node.max)) {
      const split = this.emit({ op: Op.Split, a: 0, b: 0 });
      const body = this.program.length;
      this.compile(node.node);
      this.emit({ op: Op.Jump, a: split, b: 0 });
      this.#branch(split, body, this.program.length, node.greedy);
      return;
    }
    const splits: number[] = [];
    for (let i = node.min; i < node.max; i++) {
      const split = this.emit({ op: Op.Split, a: 0, b: 0 });
      splits.push(split);
      this.#branch(split, this.program.length, 0, node.greedy);
      this.compile(node.node);
    }
    const after = this.program.length;
    for (const split of splits) {
      const instruction = this.#at(split);
      if (node.greedy) instruction.b = after;
      else instruction.a = after;
    }
  }

  #branch(split: number, body: number, exit: number, greedy: boolean): void {
    const instruction = this.#at(split);
    instruction.a = greedy ? body : exit;
    instruction.b = greedy ? exit : body;
  }

  /**
   * Speeds up the lazy any-character loops of the fields: one followed only
   * by saves and end-of-line checks (the trailing `<Content>`) always ends
   * at the end of the line, so it jumps there; one whose exit starts with a
   * character set skips the characters the exit cannot start with. Both give
   * the result the plain loop would.
   */
  optimise(): void {
    this.program.forEach((instruction, index) => {
      if (instruction.op !== Op.Split) return;
      const exit = instruction.a;
      const body = this.program[instruction.b];
      const back = this.program[instruction.b + 1];
      const isLazyAnyLoop =
        instruction.b === index + 1 &&
        body?.op === Op.Set &&
        body.set?.all === true &&
        back?.op === Op.Jump &&
        back.a === index;
      if (!isLazyAnyLoop) return;
      if (this.#onlyEndFollows(exit)) {
        this.program[index] = { op: Op.Rest, a: exit, b: 0 };
        return;
      }
      let first = exit;
      while (this.program[first]?.op === Op.Save) first++;
      const set = this.program[first]?.op === Op.Set ? this.program[first]?.set : undefined;
      if (set) this.program[index] = { op: Op.LazyAny, a: exit, b: 0, set };
    });
  }

  #onlyEndFollows(from: number): boolean {
    for (let pc = from; pc < this.program.length; pc++) {
      const instruction = this.program[pc];
      if (!instruction) return false;
      if (instruction.op === Op.Match) return true;
      if (instruction.op === Op.Save) continue;
      if (instruction.op === Op.Assert && instruction.what === 'end') continue;
      return false;
    }
    return false;
  }
}

function isWordChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    code === 0x5f ||
    (code >= 0x61 && code <= 0x7a)
  );
}

/** Runs a program on a line: memoised backtracking, at most min(line length × program size, budget) steps. */
class Matcher {
  #visited = new Uint8Array(0);
  /** Bytes of #visited set during the current run, so clearing costs what the run cost. */
  #touched = new Int32Array(1024);
  #touchedCount = 0;
  #stack = new Int32Array(1024);
  readonly #slots: Int32Array;

  constructor(
    private readonly program: readonly Instruction[],
    slotCount: number,
    private readonly maxSteps: number,
    private readonly stepsPerChar: number,
  ) {
    this.#slots = new Int32Array(slotCount);
  }

  /** Marks a memo cell; false when it was marked already. */
  #visit(cell: number): boolean {
    const index = cell >>> 3;
    const mask = 1 << (cell & 7);
    const byte = this.#visited[index] ?? 0;
    if ((byte & mask) !== 0) return false;
    if (byte === 0) {
      if (this.#touchedCount === this.#touched.length) {
        const bigger = new Int32Array(this.#touched.length * 2);
        bigger.set(this.#touched);
        this.#touched = bigger;
      }
      this.#touched[this.#touchedCount++] = index;
    }
    this.#visited[index] = byte | mask;
    return true;
  }

  #clear(): void {
    const visited = this.#visited;
    const touched = this.#touched;
    for (let i = 0; i < this.#touchedCount; i++) visited[touched[i] ?? 0] = 0;
    this.#touchedCount = 0;
  }

  run(text: string): Int32Array | undefined {
    try {
      return this.#run(text);
    } finally {
      this.#clear();
    }
  }

  /** The capture slots on a match (start/end per field, -1 when unset), undefined otherwise or over budget. */
  #run(text: string): Int32Array | undefined {
    const n = text.length;
    const width = n + 1;
    const cells = this.program.length * width;
    if (cells > this.maxSteps) return undefined;
    const bytes = (cells + 7) >>> 3;
    // The table is all zeros here: every run clears the bytes it set.
    if (this.#visited.length < bytes)
      this.#visited = new Uint8Array(Math.max(bytes, this.#visited.length * 2));
    let budget = BASE_STEPS + this.stepsPerChar * width;
    const slots = this.#slots;
    slots.fill(-1);
    let stack = this.#stack;
    let top = 0;
    // Stack entries are pairs: (pc, pos) to try, or (-1 - slot, old value) to restore a capture.
    const push = (x: number, y: number) => {
      if (top + 2 > stack.length) {
        const bigger = new Int32Array(stack.length * 2);
        bigger.set(stack);
        stack = bigger;
        this.#stack = stack;
      }
      stack[top++] = x;
      stack[top++] = y;
    };
    push(0, 0);
    const program = this.program;
    while (top > 0) {
      const y = stack[--top] ?? 0;
      const x = stack[--top] ?? 0;
      if (x < 0) {
        slots[-1 - x] = y;
        continue;
      }
      let pc = x;
      let pos = y;
      for (;;) {
        if (!this.#visit(pc * width + pos)) break;
        if (--budget < 0) return undefined;
        const instruction = program[pc];
        if (!instruction) break;
        if (instruction.op === Op.Set) {
          if (pos < n && instruction.set?.has(text.charCodeAt(pos))) {
            pc++;
            pos++;
            continue;
          }
          break;
        }
        if (instruction.op === Op.Split) {
          push(instruction.b, pos);
          pc = instruction.a;
          continue;
        }
        if (instruction.op === Op.Jump) {
          pc = instruction.a;
          continue;
        }
        if (instruction.op === Op.Save) {
          push(-1 - instruction.a, slots[instruction.a] ?? -1);
          slots[instruction.a] = pos;
          pc++;
          continue;
        }
        if (instruction.op === Op.LazyAny) {
          const stop = instruction.set;
          let dead = false;
          while (pos < n && stop && !stop.has(text.charCodeAt(pos))) {
            pos++;
            if (!this.#visit(pc * width + pos)) {
              dead = true;
              break;
            }
            if (--budget < 0) return undefined;
          }
          if (dead) break;
          if (pos < n) push(pc, pos + 1);
          pc = instruction.a;
          continue;
        }
        if (instruction.op === Op.Rest) {
          pos = n;
          pc = instruction.a;
          continue;
        }
        if (instruction.op === Op.Assert) {
          if (!assertion(instruction.what, text, pos)) break;
          pc++;
          continue;
        }
        return slots;
      }
    }
    return undefined;
  }
}

function assertion(what: Assertion | undefined, text: string, pos: number): boolean {
  switch (what) {
    case 'start':
      return pos === 0;
    case 'end':
      return pos === text.length;
    default: {
      const before = pos > 0 && isWordChar(text.charCodeAt(pos - 1));
      const after = pos < text.length && isWordChar(text.charCodeAt(pos));
      return (before !== after) === (what === 'word');
    }
  }
}

// --- fast path ---------------------------------------------------------------

/** A separator item between two fields: one given code unit, or a run of whitespace (greedy, one or more). */
type SeparatorItem = number | 'space';

/** A format that is fields and separators only: `<Date> <Time> \\[<Pid>\\] <Level> <Component>: <Content>`. */
interface Plain {
  /** Separator items before the first field. */
  readonly lead: readonly SeparatorItem[];
  /** Each field's slot, and the separator items after it (empty for a last field, which takes the rest). */
  readonly fields: readonly { slot: number; after: readonly SeparatorItem[] }[];
}

const SPACE_SET = new CharSet(SPACE);

function separatorItem(node: Node): SeparatorItem | undefined {
  if (node.kind === 'set' && node.ranges.length === 2 && node.ranges[0] === node.ranges[1])
    return node.ranges[0];
  const spaceRun =
    node.kind === 'repeat' &&
    node.greedy &&
    node.min === 1 &&
    node.max === Infinity &&
    node.node.kind === 'set' &&
    node.node.ranges === SPACE;
  return spaceRun ? 'space' : undefined;
}

/**
 * The format as fields and separators, or undefined when it uses anything else (groups,
 * alternatives, classes, quantifiers) or puts two fields side by side.
 */
function plainFormat(tree: Node, slots: readonly string[]): Plain | undefined {
  const items = tree.kind === 'concat' ? tree.items : [tree];
  const lead: SeparatorItem[] = [];
  const fields: { slot: number; after: SeparatorItem[] }[] = [];
  for (const item of items) {
    if (item.kind === 'field') {
      if (fields.length > 0 && fields.at(-1)?.after.length === 0) return undefined;
      fields.push({ slot: slots.indexOf(item.name) * 2, after: [] });
      continue;
    }
    const separator = separatorItem(item);
    if (separator === undefined) return undefined;
    (fields.at(-1)?.after ?? lead).push(separator);
  }
  return fields.length > 0 ? { lead, fields } : undefined;
}

/** Where the separator items end when they match at `pos` (each space run as long as it goes), else -1. */
function separatorEnd(items: readonly SeparatorItem[], text: string, pos: number): number {
  let at = pos;
  for (const item of items) {
    if (item === 'space') {
      if (at >= text.length || !SPACE_SET.has(text.charCodeAt(at))) return -1;
      do at++;
      while (at < text.length && SPACE_SET.has(text.charCodeAt(at)));
    } else if (text.charCodeAt(at) === item) {
      at++;
    } else {
      return -1;
    }
  }
  return at;
}

/** The first position from `from` where a separator starting with `first` could match; past the end when none. */
function nextCandidate(first: SeparatorItem | undefined, text: string, from: number): number {
  if (typeof first === 'number') {
    const at = text.indexOf(String.fromCharCode(first), from);
    return at < 0 ? text.length + 1 : at;
  }
  let at = from;
  while (at < text.length && !SPACE_SET.has(text.charCodeAt(at))) at++;
  // A space run cannot start at the end of the line: there is nothing left to try.
  return at < text.length ? at : text.length + 1;
}

/**
 * The first path the backtracking matcher would try, in one linear pass: each lazy field
 * ends where its separator first matches (each space run taken whole), the last field
 * takes the rest. When that path reaches the end of the line it is the match the
 * matcher would give, since the matcher tries it first; otherwise (undefined) the
 * matcher decides, backtracking into longer fields and shorter space runs.
 */
function plainMatch(plain: Plain, text: string, slotCount: number): number[] | undefined {
  const slots = new Array<number>(slotCount).fill(-1);
  let pos = separatorEnd(plain.lead, text, 0);
  if (pos < 0) return undefined;
  for (const { slot, after } of plain.fields) {
    slots[slot] = pos;
    if (after.length === 0) {
      pos = text.length;
      slots[slot + 1] = pos;
      continue;
    }
    let end = -1;
    let start = nextCandidate(after[0], text, pos);
    for (; start <= text.length; start = nextCandidate(after[0], text, start + 1)) {
      end = separatorEnd(after, text, start);
      if (end >= 0) break;
    }
    if (end < 0) return undefined;
    slots[slot + 1] = start;
    pos = end;
  }
  return pos === text.length ? slots : undefined;
}

/**
 * Compiles a header format. Throws a ValidationError when the format has no
 * `<Content>` field, repeats a field, uses an unsupported construct
 * (backreferences, lookarounds, named groups, possessive quantifiers) or
 * compiles to a program above the size limit.
 */
export function compileLogFormat(format: string, options: CompileOptions = {}): LogFormat {
  if (format.length > MAX_FORMAT_LENGTH) {
    throw invalid(format, `the format is longer than ${MAX_FORMAT_LENGTH} characters`);
  }
  const parser = new FormatParser(format);
  const tree = parser.parse();
  const fields = parser.fields;
  if (!fields.includes(CONTENT_FIELD)) {
    throw invalid(format, `the format has no <${CONTENT_FIELD}> field for the message`);
  }
  const compiler = new Compiler(fields, options.maxProgramSize ?? DEFAULT_MAX_PROGRAM, format);
  compiler.compile(tree);
  compiler.emit({ op: Op.Assert, a: 0, b: 0, what: 'end' });
  compiler.emit({ op: Op.Match, a: 0, b: 0 });
  compiler.optimise();
  const matcher = new Matcher(
    compiler.program,
    fields.length * 2,
    options.maxStepsPerLine ?? DEFAULT_MAX_STEPS,
    options.stepsPerChar ?? DEFAULT_STEPS_PER_CHAR,
  );
  const contentSlot = fields.indexOf(CONTENT_FIELD) * 2;
  const plain = plainFormat(tree, fields);

  return {
    format,
    fields,
    parse(line: string): ParsedLine | undefined {
      const text = line.trim();
      const slots = (plain && plainMatch(plain, text, fields.length * 2)) ?? matcher.run(text);
      if (!slots) return undefined;
      const capture = (slot: number) => {
        const start = slots[slot] ?? -1;
        const end = slots[slot + 1] ?? -1;
        return start >= 0 && end >= start ? text.slice(start, end) : '';
      };
      let values: Readonly<Record<string, string>> | undefined;
      return {
        // Built when read: mining needs the content alone, and most lines are never asked for their fields.
        get fields() {
          // fromEntries defines own properties, so a field named like an Object.prototype key stays a field.
          values ??= Object.fromEntries(fields.map((name, i) => [name, capture(i * 2)]));
          return values;
        },
        content: capture(contentSlot),
      };
    },
  };
}

/** The message of a line: its `<Content>` field, or the whole trimmed line when there is no format or it does not match. */
export function contentOf(format: LogFormat | undefined, line: string): string {
  return format?.parse(line)?.content ?? line.trim();
}
