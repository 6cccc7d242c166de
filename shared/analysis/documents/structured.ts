/**
 * Reading inventories with line numbers: a JSON or YAML document parsed with
 * the `yaml` package (JSON is YAML) and a locator that answers the line of any
 * path inside it (the deepest part that exists), like k8s-optimizer's
 * manifests; and a small RFC 4180 CSV reader that keeps each row's line.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Tags } from 'yaml';
import { documentValue } from './yaml.js';

export type Path = readonly (string | number)[];
export type Locator = (path: Path) => number | undefined;

export interface ParsedDocument {
  value: unknown;
  lineOf: Locator;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? 'syntax error').replace(/:\s*$/, '');
}

/** The document, or the error with its line. `customTags` e.g. CloudFormation's `!Ref`. */
export function parseWithLines(
  content: string,
  customTags?: Tags,
): ParsedDocument | { error: string; line?: number } {
  const lines = new LineCounter();
  const doc = parseDocument(content, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: false,
    logLevel: 'silent',
    ...(customTags === undefined ? {} : { customTags }),
  });
  const [error] = doc.errors;
  if (error !== undefined) {
    const line = lines.linePos(error.pos[0]).line;
    return { error: firstLine(error.message), ...(line > 0 ? { line } : {}) };
  }
  const parsed = documentValue(doc);
  if ('error' in parsed) return { error: parsed.error };
  return { value: parsed.value, lineOf: locator(doc, lines) };
}

function locator(doc: Document, lines: LineCounter): Locator {
  const lineAt = (node: unknown): number | undefined => {
    if (node === null || typeof node !== 'object' || !('range' in node)) return undefined;
    const range = (node as { range?: readonly number[] | null }).range;
    return range?.[0] === undefined ? undefined : lines.linePos(range[0]).line;
  };
  return (path) => {
    let node: unknown = doc.contents;
    let line = lineAt(node);
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment),
        );
        if (pair === undefined) break;
        line = lineAt(pair.key) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) break;
        line = lineAt(item) ?? line;
        node = item;
      } else {
        break;
      }
    }
    return line;
  };
}

export interface CsvRow {
  /** 1-based line the record starts on. */
  line: number;
  cells: string[];
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(content: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let any = false;
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else quoted = false;
      } else {
        if (ch === '\n') line += 1;
        cell += ch;
      }
      continue;
    }
    if (ch === '"') {
      quoted = true;
      any = true;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
      any = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      if (any || cell !== '') rows.push({ line: start, cells: [...cells, cell] });
      cells = [];
      cell = '';
      any = false;
      line += 1;
      start = line;
    } else {
      cell += ch;
      any = true;
    }
  }
  if (any || cell !== '') rows.push({ line: start, cells: [...cells, cell] });
  return rows;
}
