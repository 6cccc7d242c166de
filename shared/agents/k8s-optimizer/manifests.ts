/**
 * Manifests as Kubernetes objects with line numbers. Each file is parsed with
 * the `yaml` package as a stream of documents (YAML 1.1, as kubectl reads
 * it; JSON is YAML too), `kind: List` (and `…List`) documents are opened into
 * their items, and every object keeps its node in the syntax tree so a check
 * can ask for the line of any path inside it — the deepest part of the path
 * that exists, so "no livenessProbe" points at the container and "image:
 * nginx" at the image line.
 */
import { basename } from 'node:path';
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Node as YamlNode,
} from 'yaml';
import { documentValue } from '../../analysis/documents/yaml.js';

export type Json = Record<string, unknown>;
export type Path = readonly (string | number)[];

export interface ManifestObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  value: Json;
  file?: string;
  /** The line the object starts at (its first key), when the input has lines. */
  line?: number;
  /** The line of the deepest node of `path` (from the object's root) that exists. */
  lineOf(path: Path): number | undefined;
}

export interface ParseProblem {
  file?: string;
  line?: number;
  message: string;
}

export interface ParsedManifests {
  objects: ManifestObject[];
  problems: ParseProblem[];
  /** Documents that are not Kubernetes objects (no apiVersion or kind): CI files, Helm values, config. */
  skippedDocuments: number;
  /** Files holding template markers (`{{`), which are not manifests until rendered. */
  templates: string[];
}

export function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a path in plain data, or undefined. */
export function at(value: unknown, path: Path): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (!isJson(current)) return undefined;
      current = current[segment];
    }
  }
  return current;
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** First line of a parser message: the later lines quote the source, which may hold secrets. */
function firstLine(message: string): string {
  const [first = ''] = message.split('\n');
  return first.replace(/:\s*$/, '');
}

type Locator = (path: Path) => number | undefined;

function locator(doc: Document, root: YamlNode | null | undefined, lines: LineCounter): Locator {
  const lineAt = (node: unknown): number | undefined => {
    if (node === null || typeof node !== 'object' || !('range' in node)) return undefined;
    const range = (node as { range?: readonly number[] | null }).range;
    return range?.[0] === undefined ? undefined : lines.linePos(range[0]).line;
  };
  return (path) => {
    let node: unknown = root;
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

function toObject(value: unknown, file: string | undefined, locate: Locator): ManifestObject | undefined {
  if (!isJson(value)) return undefined;
  const apiVersion = text(value.apiVersion);
  const kind = text(value.kind);
  if (apiVersion === undefined || kind === undefined) return undefined;
  const name =
    text(at(value, ['metadata', 'name'])) ?? `${text(at(value, ['metadata', 'generateName'])) ?? ''}*`;
  const namespace = text(at(value, ['metadata', 'namespace']));
  const line = locate([]);
  return {
    apiVersion,
    kind,
    name,
    ...(namespace === undefined ? {} : { namespace }),
    value,
    ...(file === undefined ? {} : { file }),
    ...(line === undefined ? {} : { line }),
    lineOf: locate,
  };
}

/** `kind: List`, `DeploymentList`, … with items: the items are the objects. */
function isList(value: unknown): value is Json & { items: unknown[] } {
  return isJson(value) && /List$/.test(text(value.kind) ?? '') && Array.isArray(value.items);
}

function collect(
  value: unknown,
  file: string | undefined,
  locate: Locator,
  into: ParsedManifests,
  prefix: Path = [],
): void {
  if (isList(value)) {
    value.items.forEach((item, index) => {
      const itemPath = [...prefix, 'items', index];
      collect(item, file, (path) => locate([...itemPath, ...path]), into, itemPath);
    });
    return;
  }
  const object = toObject(value, file, locate);
  if (object === undefined) into.skippedDocuments += 1;
  else into.objects.push(object);
}

// `[^{}]` and not `[^}]`: each `{{` then scans only to the next brace, so a run of braces stays linear.
const TEMPLATE_MARKER = /\{\{-|\{\{[^{}]*\}\}/;

/** Parses one file (or text) into objects; syntax errors become problems, never exceptions. */
export function parseManifestText(content: string, file: string | undefined, into: ParsedManifests): void {
  if (TEMPLATE_MARKER.test(content)) {
    into.templates.push(file ?? 'manifests');
    return;
  }
  const lines = new LineCounter();
  const docs = parseAllDocuments(content, { lineCounter: lines, version: '1.1', prettyErrors: false });
  for (const doc of docs) {
    const [error] = doc.errors;
    if (error !== undefined) {
      const line = lines.linePos(error.pos[0]).line;
      into.problems.push({
        ...(file === undefined ? {} : { file }),
        ...(line > 0 ? { line } : {}),
        message: firstLine(error.message),
      });
      continue;
    }
    // Too many or unresolved aliases (a "billion laughs" document): reported like a syntax error.
    const parsed = documentValue(doc);
    if ('error' in parsed) {
      into.problems.push({ ...(file === undefined ? {} : { file }), message: parsed.error });
      continue;
    }
    const value = parsed.value;
    if (value === null || value === undefined) continue;
    collect(value, file, locator(doc, doc.contents, lines), into);
  }
}

/** Objects given as data (the API's `manifests` list): no lines. */
export function collectObjects(values: readonly unknown[], into: ParsedManifests): void {
  for (const value of values) collect(value, undefined, () => undefined, into);
}

export function emptyParse(): ParsedManifests {
  return { objects: [], problems: [], skippedDocuments: 0, templates: [] };
}

export const AIOPSIGNORE = '.aiopsignore';

export function isAiopsIgnore(path: string): boolean {
  return basename(path.replaceAll('\\', '/')) === AIOPSIGNORE;
}

/** Files that are never manifests though they end in .json (tool configuration next to the code). */
const NOT_MANIFESTS =
  /^(?:package(?:-lock)?|tsconfig(?:\..*)?|jsconfig|composer|biome|renovate|\.?eslintrc)\.json$/i;

/** What `aiops analyze k8s-optimizer FOLDER` reads: YAML and JSON manifests. */
export function acceptsManifest(path: string): boolean {
  const name = basename(path.replaceAll('\\', '/'));
  return /\.(?:ya?ml|json)$/i.test(name) && !NOT_MANIFESTS.test(name);
}
