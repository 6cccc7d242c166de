/**
 * The line of a path in a JSON text, found by scanning the text once per
 * question instead of building a positioned tree: metric exports run to
 * megabytes and only the few points a finding is on need a line. Like the
 * YAML locator (shared/analysis/documents/structured.ts) it answers the line
 * of the deepest part of the path that exists. The text must be valid JSON
 * (it was parsed first).
 */
import type { Locator, Path } from '../../analysis/documents/structured.js';

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

class Scanner {
  constructor(
    private readonly text: string,
    public at: number,
  ) {}

  skipSpace(): void {
    while (WHITESPACE.has(this.text[this.at] ?? '')) this.at += 1;
  }

  peek(): string {
    this.skipSpace();
    return this.text[this.at] ?? '';
  }

  /** Reads a string at the cursor and returns its value. */
  readString(): string {
    const start = this.at;
    this.at += 1;
    while (this.at < this.text.length && this.text[this.at] !== '"')
      this.at += this.text[this.at] === '\\' ? 2 : 1;
    this.at += 1;
    return JSON.parse(this.text.slice(start, this.at)) as string;
  }

  /** Moves past the value at the cursor. */
  skipValue(): void {
    const first = this.peek();
    if (first === '"') {
      this.readString();
      return;
    }
    if (first !== '{' && first !== '[') {
      while (this.at < this.text.length && !/[,\]}\s]/.test(this.text[this.at] ?? '')) this.at += 1;
      return;
    }
    let depth = 0;
    do {
      const c = this.text[this.at];
      if (c === '"') {
        this.readString();
        continue;
      }
      if (c === '{' || c === '[') depth += 1;
      else if (c === '}' || c === ']') depth -= 1;
      this.at += 1;
    } while (depth > 0 && this.at < this.text.length);
  }

  /** Moves to the member `key` of the object at the cursor (to its value); false when it has none. */
  enterKey(key: string): boolean {
    this.at += 1;
    while (this.peek() === '"') {
      const name = this.readString();
      this.peek();
      this.at += 1;
      if (name === key) {
        this.skipSpace();
        return true;
      }
      this.skipValue();
      if (this.peek() === ',') this.at += 1;
    }
    return false;
  }

  /** Moves to element `index` of the array at the cursor; false when it is shorter. */
  enterIndex(index: number): boolean {
    this.at += 1;
    for (let i = 0; this.peek() !== ']' && this.at < this.text.length; i += 1) {
      if (i === index) return true;
      this.skipValue();
      if (this.peek() === ',') this.at += 1;
    }
    return false;
  }
}

/** A locator over a JSON text. */
export function jsonLocator(text: string): Locator {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineAt = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  return (path: Path) => {
    const scanner = new Scanner(text, 0);
    scanner.skipSpace();
    let line = lineAt(scanner.at);
    for (const segment of path) {
      const open = scanner.peek();
      const found =
        open === '{'
          ? scanner.enterKey(String(segment))
          : open === '[' && typeof segment === 'number' && scanner.enterIndex(segment);
      if (!found) break;
      line = lineAt(scanner.at);
    }
    return line;
  };
}
