/**
 * The one YAML / JSON reader with source positions (JSON is YAML): a file is
 * parsed with the `yaml` package into its documents, and each document comes
 * with a locator that answers the line of any path inside it — the deepest
 * part of the path that exists, so "no livenessProbe" points at the container
 * and "image: nginx" at the image line. Aliases are followed and bounded
 * (./yaml.ts); a document that does not parse is a problem with its line,
 * never an exception. Kubernetes manifests, kustomizations, cost inventories,
 * configuration pairs and CloudFormation templates are all read here.
 */
import {
  type Document,
  type DocumentOptions,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type ParseOptions,
  parseAllDocuments,
  parseDocument,
  type SchemaOptions,
  type Tags,
} from 'yaml';
import { documentValue, firstLine } from './yaml.js';

export type Path = readonly (string | number)[];
export type Locator = (path: Path) => number | undefined;

export interface ParsedDocument {
  value: unknown;
  lineOf: Locator;
}

export interface DocumentProblem {
  /** 1-based line of a syntax error; absent for errors of the whole document (too many aliases). */
  line?: number;
  message: string;
}

export interface ReadOptions {
  /** e.g. CloudFormation's `!Ref`. */
  customTags?: Tags;
  /** '1.1' reads `yes`/`on` as booleans, as kubectl does; default '1.2'. */
  version?: '1.1' | '1.2';
  /** Duplicate keys are an error (default false: the last one wins). */
  uniqueKeys?: boolean;
  /** `<<: *defaults` merge keys (YAML 1.1 style) in a 1.2 document. */
  merge?: boolean;
  /** Error messages end with "at line L, column C" (default: the line is a separate field only). */
  positionInMessage?: boolean;
}

function parseOptions(
  lines: LineCounter,
  options: ReadOptions,
): ParseOptions & DocumentOptions & SchemaOptions {
  return {
    lineCounter: lines,
    prettyErrors: options.positionInMessage ?? false,
    uniqueKeys: options.uniqueKeys ?? false,
    logLevel: 'silent',
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.merge === undefined ? {} : { merge: options.merge }),
    ...(options.customTags === undefined ? {} : { customTags: options.customTags }),
  };
}

/** One document's value and locator, or its problem. */
function readDocument(doc: Document.Parsed, lines: LineCounter): ParsedDocument | DocumentProblem {
  const [error] = doc.errors;
  if (error !== undefined) {
    const line = lines.linePos(error.pos[0]).line;
    return { message: firstLine(error.message), ...(line > 0 ? { line } : {}) };
  }
  const parsed = documentValue(doc);
  if ('error' in parsed) return { message: parsed.error };
  return { value: parsed.value, lineOf: locator(doc, lines) };
}

/** A text of one document: its value and locator, or the error with its line. */
export function parseWithLines(
  content: string,
  options: Tags | ReadOptions = {},
): ParsedDocument | { error: string; line?: number } {
  const read: ReadOptions = Array.isArray(options) ? { customTags: options } : options;
  const lines = new LineCounter();
  const result = readDocument(parseDocument(content, parseOptions(lines, read)), lines);
  if ('lineOf' in result) return result;
  return { error: result.message, ...(result.line === undefined ? {} : { line: result.line }) };
}

/** What could not be read, as agents report it: the file (absent for inline input), the line, why. */
export interface InputProblem {
  file?: string;
  line?: number;
  message: string;
}

/**
 * A file of one document: its value and locator, or undefined once its
 * problem (naming the file) is added to `problems`.
 */
export function readDocumentOf(
  file: string,
  content: string,
  problems: InputProblem[],
  options: Tags | ReadOptions = {},
): ParsedDocument | undefined {
  const parsed = parseWithLines(content, options);
  if (!('error' in parsed)) return parsed;
  problems.push({ file, ...(parsed.line === undefined ? {} : { line: parsed.line }), message: parsed.error });
  return undefined;
}

export interface ParsedStream {
  /** The documents that parsed, in order (empty documents left out). */
  documents: ParsedDocument[];
  problems: DocumentProblem[];
}

/** A stream of documents (`---` separated, as kubectl and kustomize read them). */
export function parseAllWithLines(content: string, options: ReadOptions = {}): ParsedStream {
  const lines = new LineCounter();
  const stream: ParsedStream = { documents: [], problems: [] };
  const docs = parseAllDocuments(content, parseOptions(lines, options));
  for (const doc of Array.isArray(docs) ? docs : []) {
    const result = readDocument(doc, lines);
    if (!('lineOf' in result)) stream.problems.push(result);
    else if (result.value !== null && result.value !== undefined) stream.documents.push(result);
  }
  return stream;
}

/** A locator for the part of a document under `prefix` (a `List`'s item, a resource of an inventory). */
export function within(lineOf: Locator, prefix: Path): Locator {
  return prefix.length === 0 ? lineOf : (path) => lineOf([...prefix, ...path]);
}

function lineAt(node: unknown, lines: LineCounter): number | undefined {
  if (node === null || typeof node !== 'object' || !('range' in node)) return undefined;
  const range = (node as { range?: readonly number[] | null }).range;
  return range?.[0] === undefined ? undefined : lines.linePos(range[0]).line;
}

/** The child node of a map or list at one path segment (aliases followed), and the line it is written at. */
function step(doc: Document, node: unknown, segment: string | number, lines: LineCounter) {
  const resolved = isAlias(node) ? node.resolve(doc) : node;
  if (isMap(resolved)) {
    const pair = resolved.items.find(
      (p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment),
    );
    return pair === undefined ? undefined : { node: pair.value, line: lineAt(pair.key, lines) };
  }
  if (isSeq(resolved) && typeof segment === 'number') {
    const item = resolved.items[segment];
    return item === undefined ? undefined : { node: item, line: lineAt(item, lines) };
  }
  return undefined;
}

function locator(doc: Document, lines: LineCounter): Locator {
  return (path) => {
    let node: unknown = doc.contents;
    let line = lineAt(node, lines);
    for (const segment of path) {
      const next = step(doc, node, segment, lines);
      if (next === undefined) break;
      line = next.line ?? line;
      node = next.node;
    }
    return line;
  };
}
