/**
 * Positions in HCL source: `@cdktf/hcl2json` gives the values but no lines,
 * so this outline of a file (blocks, nested blocks and attributes, each with
 * its line, found by following braces outside strings, comments and
 * heredocs) answers the line of any path the normaliser reads:
 * ['resource', 'aws_security_group', 'db', 'ingress', 1, 'cidr_blocks'].
 * Also the reader of `jsonencode({ … })` policy expressions.
 */

export interface HclOutline {
  line: number;
  /** Children by name; repeated blocks (`ingress { }` twice) are a list. */
  children: Map<string, HclOutline[]>;
}

function child(node: HclOutline, name: string, line: number): HclOutline {
  const created: HclOutline = { line, children: new Map() };
  const list = node.children.get(name) ?? [];
  list.push(created);
  node.children.set(name, list);
  return created;
}

/** A block `resource "type" "name" {`: one node per label, the last one new (a list when repeated). */
function labelled(parent: HclOutline, names: readonly string[], line: number): HclOutline {
  let node = parent;
  names.forEach((name, index) => {
    const existing = node.children.get(name)?.[0];
    node = index < names.length - 1 && existing !== undefined ? existing : child(node, name, line);
  });
  return node;
}

/** The line's text with strings and comments blanked, and whether a heredoc starts (its terminator). */
function codeOf(text: string): { code: string; heredoc?: string } {
  let code = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      code += '""';
      continue;
    }
    if (c === '#' || (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*'))) break;
    code += c;
  }
  const heredoc = /<<-?\s*([A-Za-z_]\w*)\s*$/.exec(code)?.[1];
  return { code, ...(heredoc === undefined ? {} : { heredoc }) };
}

const OPENER = /^\s*([\w-]+)((?:\s+""|\s+[\w-]+)*)\s*(=\s*)?[{[]?/;

/** The outline of an HCL file. */
export function outline(content: string): HclOutline {
  const root: HclOutline = { line: 0, children: new Map() };
  const stack: HclOutline[] = [root];
  const lines = content.split('\n');
  const labelsOf = (line: string) => [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] as string);
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] as string;
    const { code, heredoc } = codeOf(text);
    const top = stack[stack.length - 1] as HclOutline;
    const match = OPENER.exec(code);
    let opened: HclOutline | undefined;
    if (match?.[1] !== undefined && stack.length > 0) {
      const name = match[1];
      const labels =
        match[3] === undefined
          ? labelsOf(text.slice(0, text.indexOf('{') < 0 ? text.length : text.indexOf('{')))
          : [];
      opened = labelled(top, [name, ...labels], i + 1);
    }
    const depth = [...code].reduce(
      (n, c) => n + (c === '{' || c === '[' ? 1 : c === '}' || c === ']' ? -1 : 0),
      0,
    );
    if (depth > 0) {
      stack.push(opened ?? top);
      for (let d = 1; d < depth; d++) stack.push(stack[stack.length - 1] as HclOutline);
    } else for (let d = 0; d < -depth && stack.length > 1; d++) stack.pop();
    if (heredoc !== undefined) {
      while (i + 1 < lines.length && (lines[i + 1] as string).trim() !== heredoc) i++;
      i++;
    }
  }
  return root;
}

/** The line of the deepest part of a path that the outline holds. */
export function lineIn(root: HclOutline, path: readonly (string | number)[]): number | undefined {
  let nodes: HclOutline[] = [root];
  let line: number | undefined;
  for (const segment of path) {
    const next =
      typeof segment === 'number' ? nodes.slice(segment, segment + 1) : nodes[0]?.children.get(segment);
    if (next === undefined || next[0] === undefined) break;
    nodes = next;
    line = next[0].line;
  }
  return line;
}

// --- jsonencode({ … }) ----------------------------------------------------------

/**
 * Reads an HCL object/tuple expression (`{ Version = "2012-10-17", Statement = [...] }`)
 * into JSON. Anything that is not a literal (a reference, a function call) becomes
 * the string `${…}`, an unknown like hcl2json's own.
 */
export function readHclValue(text: string): unknown {
  const reader = new HclValueReader(text);
  return reader.value();
}

class HclValueReader {
  private i = 0;
  constructor(private readonly text: string) {}

  value(): unknown {
    this.skip();
    const c = this.text[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.list();
    if (c === '"') return this.string();
    const word = /^(?:true|false|null|-?\d+(?:\.\d+)?)(?![\w.(])/.exec(this.text.slice(this.i))?.[0];
    if (word === undefined) return this.expression();
    this.i += word.length;
    return word === 'null' ? null : word === 'true' ? true : word === 'false' ? false : Number(word);
  }

  private skip(): void {
    const { text } = this;
    for (;;) {
      while (this.i < text.length && /[\s,]/.test(text[this.i] as string)) this.i++;
      if (text.startsWith('#', this.i) || text.startsWith('//', this.i)) {
        while (this.i < text.length && text[this.i] !== '\n') this.i++;
      } else if (text.startsWith('/*', this.i)) {
        const end = text.indexOf('*/', this.i + 2);
        this.i = end < 0 ? text.length : end + 2;
      } else return;
    }
  }

  private string(): string {
    const { text } = this;
    let out = '';
    this.i++;
    while (this.i < text.length && text[this.i] !== '"') {
      if (text[this.i] === '\\') {
        const next = text[this.i + 1] ?? '';
        out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
        this.i += 2;
      } else out += text[this.i++];
    }
    this.i++;
    return out;
  }

  private expression(): string {
    const { text } = this;
    const start = this.i;
    let depth = 0;
    while (this.i < text.length) {
      const c = text[this.i] as string;
      if (c === '"') {
        this.string();
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && (c === ',' || c === '\n')) break;
      this.i++;
    }
    return `\${${text.slice(start, this.i).trim()}}`;
  }

  private object(): unknown {
    const { text } = this;
    this.i++;
    const object: Record<string, unknown> = {};
    for (this.skip(); this.i < text.length && text[this.i] !== '}'; this.skip()) {
      let key: string;
      if (text[this.i] === '"') key = this.string();
      else {
        key = /^[\w-]+/.exec(text.slice(this.i, this.i + 200))?.[0] ?? '';
        if (key === '') return this.expression();
        this.i += key.length;
      }
      this.skip();
      if (text[this.i] !== '=' && text[this.i] !== ':') return this.expression();
      this.i++;
      object[key] = this.value();
    }
    this.i++;
    return object;
  }

  private list(): unknown[] {
    const { text } = this;
    this.i++;
    const list: unknown[] = [];
    for (this.skip(); this.i < text.length && text[this.i] !== ']'; this.skip()) list.push(this.value());
    this.i++;
    return list;
  }
}
