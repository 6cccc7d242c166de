/**
 * Strings a regular expression accepts, for the guards that test input with
 * one (`if (!/^[A-Za-z0-9+/=]+$/.test(s)) throw …`). A small sampler of the
 * common subset — classes, escapes, groups, alternation, quantifiers, anchors —
 * builds a few strings (each repetition once, then four times, so lengths
 * that must be multiples work too); only strings the real RegExp accepts are
 * returned. Anything it cannot read gives no sample.
 */

type Node =
  | { kind: 'chars'; options: string }
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; options: Node[] }
  | { kind: 'repeat'; node: Node; min: number; max: number };

class Unsupported extends Error {}

const ESCAPES: Readonly<Record<string, string>> = { d: '0', w: 'a', s: ' ', n: '\n', t: '\t', r: '\r' };

class Reader {
  at = 0;
  constructor(readonly source: string) {}

  alternation(): Node {
    const options = [this.sequence()];
    while (this.source[this.at] === '|') {
      this.at++;
      options.push(this.sequence());
    }
    return options.length === 1 ? (options[0] as Node) : { kind: 'alt', options };
  }

  sequence(): Node {
    const items: Node[] = [];
    while (this.at < this.source.length && this.source[this.at] !== '|' && this.source[this.at] !== ')') {
      const atom = this.atom();
      if (atom !== undefined) items.push(this.quantified(atom));
    }
    return { kind: 'seq', items };
  }

  atom(): Node | undefined {
    const c = this.source[this.at++] as string;
    if (c === '^' || c === '$') return undefined;
    if (c === '(') {
      if (this.source[this.at] === '?') {
        const named = /^\?<[A-Za-z_]\w*>/.exec(this.source.slice(this.at));
        if (named !== null) this.at += named[0].length;
        else if (this.source[this.at + 1] === ':') this.at += 2;
        else throw new Unsupported('lookaround');
      }
      const inner = this.alternation();
      if (this.source[this.at++] !== ')') throw new Unsupported('group');
      return inner;
    }
    if (c === '[') return this.charClass();
    if (c === '.') return { kind: 'chars', options: 'a' };
    if (c === '\\') return { kind: 'chars', options: this.escape() };
    if ('*+?{'.includes(c)) throw new Unsupported('quantifier without an atom');
    return { kind: 'chars', options: c };
  }

  escape(): string {
    const c = this.source[this.at++] as string;
    if (c === 'b' || c === 'B') throw new Unsupported('word boundary');
    if (/[1-9]/.test(c)) throw new Unsupported('back reference');
    if (c in ESCAPES) return ESCAPES[c] as string;
    if (/[DWS]/.test(c)) return c === 'D' ? 'a' : c === 'W' ? '-' : 'a';
    return c;
  }

  charClass(): Node {
    const negated = this.source[this.at] === '^';
    if (negated) this.at++;
    let chars = '';
    while (this.at < this.source.length && this.source[this.at] !== ']') {
      let c = this.source[this.at++] as string;
      if (c === '\\') c = this.escape();
      if (
        this.source[this.at] === '-' &&
        this.source[this.at + 1] !== ']' &&
        this.at + 1 < this.source.length
      ) {
        this.at++;
        let end = this.source[this.at++] as string;
        if (end === '\\') end = this.escape();
        chars += c;
        if (end !== c) chars += end;
      } else chars += c;
    }
    this.at++;
    if (negated) {
      const pick = [...'a0A_ -'].find((p) => !chars.includes(p));
      if (pick === undefined) throw new Unsupported('negated class');
      return { kind: 'chars', options: pick };
    }
    return { kind: 'chars', options: chars };
  }

  quantified(atom: Node): Node {
    const c = this.source[this.at];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Number.POSITIVE_INFINITY];
    else if (c === '+') [min, max] = [1, Number.POSITIVE_INFINITY];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.at));
      if (match === null) return atom;
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] === '' ? Number.POSITIVE_INFINITY : Number(match[3]);
      this.at += match[0].length - 1;
    } else return atom;
    this.at++;
    if (this.source[this.at] === '?') this.at++;
    return { kind: 'repeat', node: atom, min, max };
  }
}

function build(node: Node, times: number): string {
  switch (node.kind) {
    case 'chars':
      return node.options[0] ?? '';
    case 'seq':
      return node.items.map((n) => build(n, times)).join('');
    case 'alt':
      return build(node.options[0] as Node, times);
    case 'repeat': {
      const count = Math.min(node.max, Math.max(node.min, times));
      return build(node.node, times).repeat(count);
    }
  }
}

/** Up to two distinct strings the expression accepts (none when its syntax is beyond the sampler). */
export function regexSamples(regex: RegExp): string[] {
  let tree: Node;
  try {
    const reader = new Reader(regex.source);
    tree = reader.alternation();
    if (reader.at < regex.source.length) return [];
  } catch (error) {
    if (error instanceof Unsupported) return [];
    throw error;
  }
  const accepts = new RegExp(regex.source, regex.flags.replace(/[gy]/g, ''));
  const samples = [build(tree, 1), build(tree, 4)].filter((s) => accepts.test(s));
  return [...new Set(samples)];
}
