/**
 * Manifests as Kubernetes objects with line numbers. Each file is read by the
 * documents reader (shared/analysis/documents) as a stream of documents
 * (YAML 1.1, as kubectl reads it; JSON is YAML too), `kind: List` (and
 * `…List`) documents are opened into their items, and every object keeps the
 * locator of its document so a check can ask for the line of any path inside
 * it — the deepest part of the path that exists.
 */
import { basename } from 'node:path';
import {
  type InputProblem,
  type Locator,
  type ParsedStream,
  type Path,
  parseAllWithLines,
  within,
} from '../../analysis/documents/structured.js';

export type { Path };
export type Json = Record<string, unknown>;

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

export interface ParsedManifests {
  objects: ManifestObject[];
  problems: InputProblem[];
  /** Documents that are not Kubernetes objects (no apiVersion or kind): CI files, Helm values, config. */
  skippedDocuments: number;
  /** Unrendered templates (Helm or Go template syntax the YAML cannot hold), which are not manifests until rendered. */
  templates: SkippedFile[];
}

/** A file left out of the analysis, and why: listed in the output, never dropped silently. */
export interface SkippedFile {
  file: string;
  reason: string;
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

function collect(value: unknown, file: string | undefined, locate: Locator, into: ParsedManifests): void {
  if (isList(value)) {
    value.items.forEach((item, index) => {
      collect(item, file, within(locate, ['items', index]), into);
    });
    return;
  }
  const object = toObject(value, file, locate);
  if (object === undefined) into.skippedDocuments += 1;
  else into.objects.push(object);
}

// `[^{}]` and not `[^}]`: each `{{` then scans only to the next brace, so a run of braces stays linear.
const TEMPLATE_MARKER = /\{\{-|\{\{[^{}]*\}\}/;
/** Names only a Helm chart's templates use: a value holding them was never rendered. */
const HELM_REFERENCE =
  /\{\{-?\s*(?:[^{}]*[\s(])?(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|\$\.Values)\b|\{\{-?\s*(?:include|template|toYaml)\s/;
/** Fields whose values are data for the application (a ConfigMap's files, annotations), not the object's structure. */
const DATA_FIELDS = new Set(['data', 'stringData', 'binaryData', 'annotations']);

function countMarkers(text: string): number {
  return text.split('{{').length - 1;
}

/** `{{` in string values (keys are structure), and whether a Helm reference sits in a structural field. */
function markersInStrings(value: unknown, inData: boolean, seen: { count: number; helm: boolean }): void {
  if (typeof value === 'string') {
    seen.count += countMarkers(value);
    if (!inData && HELM_REFERENCE.test(value)) seen.helm = true;
  } else if (Array.isArray(value)) {
    for (const item of value) markersInStrings(item, inData, seen);
  } else if (isJson(value)) {
    for (const [key, item] of Object.entries(value))
      markersInStrings(item, inData || DATA_FIELDS.has(key), seen);
  }
}

/**
 * Why a file holding `{{` is an unrendered template, or undefined when every
 * marker is text inside a string value (a ConfigMap holding a Go, Jinja or
 * mustache template, an alert message) and the file is a manifest like any other.
 */
function templateReason(content: string, stream: ParsedStream): string | undefined {
  if (stream.problems.length > 0) return 'template syntax makes the YAML invalid: render it first';
  const seen = { count: 0, helm: false };
  for (const document of stream.documents) markersInStrings(document.value, false, seen);
  const outsideComments = content.replace(/^[ \t]*#.*$/gm, '');
  if (countMarkers(outsideComments) > seen.count) {
    return 'template syntax outside string values (keys, flow positions): render it first';
  }
  if (seen.helm) return 'Helm template references ({{ .Values … }}) in object fields: render it first';
  return undefined;
}

export type ManifestFile = { stream: ParsedStream; template?: undefined } | { template: string };

/**
 * One file's documents, or why it is an unrendered template. Template markers
 * inside string values do not make a template: only syntax the YAML cannot
 * hold, markers outside strings, or Helm references in object fields do.
 */
export function readManifestFile(content: string): ManifestFile {
  const stream = parseAllWithLines(content, { version: '1.1', uniqueKeys: true });
  if (!TEMPLATE_MARKER.test(content)) return { stream };
  const template = templateReason(content, stream);
  return template === undefined ? { stream } : { template };
}

/** A file's documents as objects; syntax errors become problems, never exceptions. */
export function collectStream(stream: ParsedStream, file: string | undefined, into: ParsedManifests): void {
  for (const problem of stream.problems) {
    into.problems.push({ ...(file === undefined ? {} : { file }), ...problem });
  }
  for (const document of stream.documents) collect(document.value, file, document.lineOf, into);
}

/** Parses one file (or text) into objects. */
export function parseManifestText(content: string, file: string | undefined, into: ParsedManifests): void {
  const read = readManifestFile(content);
  if (read.template !== undefined) into.templates.push({ file: file ?? 'manifests', reason: read.template });
  else collectStream(read.stream, file, into);
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
