/**
 * The input, fields and files alike, read into one Release (model.ts). A
 * file is told apart by name and content: a unified diff or numstat / stat
 * text is the change set; JSON or YAML by its keys (a list of pull requests,
 * canary metrics, incidents, deploys, freeze windows, or one object holding
 * several of them); a CSV of `metric,group,value` rows (or `baseline,canary`
 * columns, the metric named after the file) is canary samples. Anything else
 * becomes an input problem with its file and line — reported, never scored.
 */
import type * as z from 'zod';
import {
  type InputProblem,
  type Locator,
  type Path,
  parseWithLines,
} from '../../analysis/documents/structured.js';
import type { SourceFile } from '../contract.js';
import { readCanaryCsv } from './canary-csv.js';
import { isChangeList, isUnifiedDiff, parseChangeText, patchLines } from './changes.js';
import {
  type ChangedFile,
  type Criticality,
  type Deploy,
  directionOf,
  emptyRelease,
  instantOf,
  offsetOf,
  type Release,
  type Where,
} from './model.js';
import {
  CRITICALITIES,
  deploySchema,
  freezeWindowSchema,
  incidentSchema,
  metricSchema,
  outcomeOf,
  pullRequestSchema,
  type ReleaseInput,
  type SampleInput,
} from './schema.js';

/** Where values of one document are: the file, and the line of a path in it (absent for input fields). */
interface Origin {
  file?: string;
  lineOf?: Locator;
}

function at(origin: Origin, path: Path): Where {
  const line = origin.lineOf?.(path);
  return {
    ...(origin.file === undefined ? {} : { file: origin.file }),
    ...(line === undefined ? {} : { line }),
  };
}

function problem(release: Release, where: Where, message: string): void {
  release.problems.push({
    ...(where.file === undefined ? {} : { file: where.file }),
    ...(where.line === undefined ? {} : { line: where.line }),
    message,
  });
}

/** An item checked against its schema; a failure is a problem at the item, naming the first issue. */
function checked<T>(
  release: Release,
  schema: z.ZodType<T>,
  value: unknown,
  origin: Origin,
  path: Path,
  what: string,
): T | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field =
    issue === undefined || issue.path.length === 0 ? '' : ` (${issue.path.map(String).join('.')})`;
  problem(release, at(origin, path), `${what} is not valid${field}: ${issue?.message ?? 'unknown problem'}`);
  return undefined;
}

function sampleValue(value: SampleInput): number {
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return value[1];
  return typeof value.value === 'number' ? value.value : (value.v as number);
}

function addChangeText(release: Release, text: string, file?: string): void {
  const parsed = parseChangeText(text, file);
  release.hasChanges = true;
  release.changes.push(...parsed.files);
  release.problems.push(...parsed.problems);
}

/**
 * Change text inside a JSON / YAML document: its own line numbers are not
 * lines of the file, so everything read from it points at the `changes` key.
 */
function addEmbeddedChanges(release: Release, text: string, where: Where): void {
  const parsed = parseChangeText(text);
  release.hasChanges = true;
  for (const file of parsed.files) {
    file.where = where;
    for (const line of [...file.added, ...file.removed]) line.where = where;
    release.changes.push(file);
  }
  for (const { message } of parsed.problems) problem(release, where, `changes: ${message}`);
}

function addPullRequests(release: Release, value: readonly unknown[], origin: Origin, prefix: Path): void {
  release.hasChanges = true;
  for (const [i, item] of value.entries()) {
    const pr = checked(release, pullRequestSchema, item, origin, [...prefix, i], 'Pull request');
    if (pr === undefined) continue;
    const author = typeof pr.author === 'object' ? pr.author.login : pr.author;
    if (author !== undefined && !release.authors.includes(author)) release.authors.push(author);
    for (const label of pr.labels ?? []) release.labels.push(typeof label === 'string' ? label : label.name);
    for (const [j, file] of pr.files.entries()) {
      const where = at(origin, [...prefix, i, 'files', j]);
      const lines = file.patch === undefined ? { added: [], removed: [] } : patchLines(file.patch, where);
      const changed: ChangedFile = {
        path: file.path,
        additions: file.additions ?? lines.added.length,
        deletions: file.deletions ?? lines.removed.length,
        hasPatch: file.patch !== undefined,
        ...lines,
        where,
      };
      release.changes.push(changed);
    }
  }
}

function criticalityOf(value: unknown): Criticality | undefined {
  if (value === undefined) return 'normal';
  return CRITICALITIES.find((c) => c === String(value).toLowerCase());
}

function addMetric(release: Release, value: unknown, origin: Origin, path: Path): void {
  const metric = checked(release, metricSchema, value, origin, path, 'Canary metric');
  if (metric === undefined) return;
  const direction = directionOf(metric.direction);
  const where = at(origin, path);
  if (direction === undefined) {
    problem(
      release,
      where,
      `Canary metric ${metric.name}: direction "${metric.direction}" is not lower, higher or either (is better)`,
    );
    return;
  }
  release.metrics.push({
    name: metric.name,
    direction,
    criticality: metric.criticality ?? 'normal',
    baseline: metric.baseline.map(sampleValue),
    canary: metric.canary.map(sampleValue),
    where,
  });
}

/** Metrics as a list of `{ name, … }` or a map of name → `{ direction, baseline, canary }`. */
function addMetrics(release: Release, value: unknown, origin: Origin, prefix: Path): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) addMetric(release, item, origin, [...prefix, i]);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [name, item] of Object.entries(value)) {
      const withName =
        typeof item === 'object' && item !== null && !Array.isArray(item) ? { name, ...item } : item;
      addMetric(release, withName, origin, [...prefix, name]);
    }
    return;
  }
  problem(release, at(origin, prefix), 'Canary metrics must be a list or a map of metrics');
}

/** `{ baseline: { m: [...] }, canary: { m: [...] } }`: two maps of metric name → samples. */
function addMetricPairs(release: Release, doc: Record<string, unknown>, origin: Origin): void {
  const baseline = doc.baseline as Record<string, unknown>;
  const canary = doc.canary as Record<string, unknown>;
  const directions = (doc.directions ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(baseline)) {
    if (!(name in canary)) {
      problem(
        release,
        at(origin, ['baseline', name]),
        `Canary metric ${name} has baseline samples and no canary samples`,
      );
      continue;
    }
    addMetric(
      release,
      {
        name,
        baseline: baseline[name],
        canary: canary[name],
        ...(typeof directions[name] === 'string' ? { direction: directions[name] } : {}),
      },
      origin,
      ['baseline', name],
    );
  }
}

function addList<T>(
  release: Release,
  value: unknown,
  origin: Origin,
  prefix: Path,
  schema: z.ZodType<T>,
  what: string,
  add: (item: T, where: Where) => void,
): void {
  if (!Array.isArray(value)) {
    problem(release, at(origin, prefix), `${what}s must be a list`);
    return;
  }
  for (const [i, item] of value.entries()) {
    const parsed = checked(release, schema, item, origin, [...prefix, i], what);
    if (parsed !== undefined) add(parsed, at(origin, [...prefix, i]));
  }
}

const time = (text: string) => instantOf(text) as Date;

function addIncidents(release: Release, value: unknown, origin: Origin, prefix: Path): void {
  addList(release, value, origin, prefix, incidentSchema, 'Incident', (item, where) =>
    release.incidents.push({
      id: item.id,
      time: time(item.time),
      files: item.files ?? [],
      services: item.services ?? [],
      where,
    }),
  );
}

function addDeploys(release: Release, value: unknown, origin: Origin, prefix: Path): void {
  addList(release, value, origin, prefix, deploySchema, 'Deploy', (item, where) =>
    release.deploys.push({
      ...(item.id === undefined ? {} : { id: item.id }),
      time: time(item.time),
      // The schema admitted only words outcomeOf knows.
      outcome: outcomeOf(item.outcome) as Deploy['outcome'],
      ...(item.author === undefined ? {} : { author: item.author }),
      files: item.files ?? [],
      where,
    }),
  );
}

function addFreezes(release: Release, value: unknown, origin: Origin, prefix: Path): void {
  addList(release, value, origin, prefix, freezeWindowSchema, 'Freeze window', (item, where) =>
    release.freezes.push({
      start: time(item.start),
      end: time(item.end),
      ...(item.name === undefined ? {} : { name: item.name }),
      where,
    }),
  );
}

function setPlanned(release: Release, text: unknown, where: Where): void {
  const instant = typeof text === 'string' ? instantOf(text) : undefined;
  if (instant === undefined || typeof text !== 'string') {
    problem(release, where, `plannedAt "${String(text)}" is not an ISO 8601 date-time`);
    return;
  }
  release.plannedAt = { instant, offsetMinutes: offsetOf(text), given: true, where };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first key of `keys` the document has. */
function keyOf(doc: Record<string, unknown>, keys: readonly string[]): string | undefined {
  return keys.find((key) => key in doc);
}

const KEYS = {
  pullRequests: ['pullRequests', 'pull_requests', 'pulls', 'prs'],
  metrics: ['metrics', 'canary'],
  incidents: ['incidents'],
  deploys: ['deploys', 'deployments', 'deployHistory', 'deploy_history'],
  freezes: ['freezeWindows', 'freeze_windows', 'freezes', 'freeze'],
  planned: ['plannedAt', 'planned_at', 'deployAt', 'deploy_at'],
} as const;

/** A list whose items' keys say what it holds. */
function addListDocument(release: Release, list: readonly unknown[], origin: Origin): boolean {
  const first = list.find(isRecord);
  if (first === undefined) return false;
  // Deploys and incidents may list files too: their own keys decide first.
  if ('outcome' in first) addDeploys(release, list, origin, []);
  else if ('start' in first && 'end' in first) addFreezes(release, list, origin, []);
  else if ('id' in first && 'time' in first) addIncidents(release, list, origin, []);
  else if ('baseline' in first && 'canary' in first) addMetrics(release, list, origin, []);
  else if ('files' in first) addPullRequests(release, list, origin, []);
  else return false;
  return true;
}

/** One object holding any of the parts under their usual keys; false when it holds none. */
function addObjectDocument(release: Release, doc: Record<string, unknown>, origin: Origin): boolean {
  let understood = false;
  const pulls = keyOf(doc, KEYS.pullRequests);
  if (pulls !== undefined && Array.isArray(doc[pulls])) {
    addPullRequests(release, doc[pulls] as unknown[], origin, [pulls]);
    understood = true;
  }
  if (typeof doc.changes === 'string') {
    addEmbeddedChanges(release, doc.changes, at(origin, ['changes']));
    understood = true;
  }
  if (isRecord(doc.baseline) && isRecord(doc.canary)) {
    addMetricPairs(release, doc, origin);
    understood = true;
  } else {
    const metrics = keyOf(doc, KEYS.metrics);
    if (metrics !== undefined) {
      addMetrics(release, doc[metrics], origin, [metrics]);
      understood = true;
    }
  }
  const parts = [
    [KEYS.incidents, addIncidents],
    [KEYS.deploys, addDeploys],
    [KEYS.freezes, addFreezes],
  ] as const;
  for (const [keys, add] of parts) {
    const key = keyOf(doc, keys);
    if (key === undefined) continue;
    add(release, doc[key], origin, [key]);
    understood = true;
  }
  const planned = keyOf(doc, KEYS.planned);
  if (planned !== undefined) {
    setPlanned(release, doc[planned], at(origin, [planned]));
    understood = true;
  }
  if (typeof doc.author === 'string' && !release.authors.includes(doc.author))
    release.authors.push(doc.author);
  return understood;
}

function addStructuredFile(release: Release, file: SourceFile): void {
  const parsed = parseWithLines(file.content);
  if ('error' in parsed) {
    problem(
      release,
      { file: file.path, ...(parsed.line === undefined ? {} : { line: parsed.line }) },
      `not valid JSON or YAML: ${parsed.error}`,
    );
    return;
  }
  const origin: Origin = { file: file.path, lineOf: parsed.lineOf };
  const value = parsed.value;
  const understood = Array.isArray(value)
    ? addListDocument(release, value, origin)
    : isRecord(value) && addObjectDocument(release, value, origin);
  if (!understood) {
    problem(
      release,
      { file: file.path, line: 1 },
      'not a release input: expected pull requests, canary metrics, incidents, deploys, freeze windows or plannedAt',
    );
  }
}

function addCanaryCsv(release: Release, file: SourceFile): void {
  const read = readCanaryCsv(file.path, file.content);
  release.problems.push(...read.problems);
  for (const metric of read.metrics) {
    const criticality = criticalityOf(metric.criticality);
    const direction = directionOf(metric.direction);
    const where = { file: file.path, line: metric.line };
    if (criticality === undefined || direction === undefined) {
      problem(
        release,
        where,
        `Canary metric ${metric.name}: unknown ${criticality === undefined ? `criticality "${metric.criticality}"` : `direction "${metric.direction}"`}`,
      );
      continue;
    }
    const { name, baseline, canary } = metric;
    release.metrics.push({ name, direction, criticality, baseline, canary, where });
  }
}

/** What a file is, by its name first and its content when the name does not tell. */
function addFile(release: Release, file: SourceFile): void {
  const name = file.path.toLowerCase();
  if (/\.(diff|patch)$/.test(name) || isUnifiedDiff(file.content))
    addChangeText(release, file.content, file.path);
  else if (name.endsWith('.csv')) addCanaryCsv(release, file);
  else if (/\.(json|ya?ml)$/.test(name)) addStructuredFile(release, file);
  else if (isChangeList(file.content)) addChangeText(release, file.content, file.path);
  else {
    problem(
      release,
      { file: file.path, line: 1 },
      'not a release input: expected a diff, numstat / stat output, JSON / YAML or a canary CSV',
    );
  }
}

/** The whole input as one Release; `now` stands in for a planned time not given. */
export function readRelease(input: ReleaseInput, files: readonly SourceFile[], now: Date): Release {
  const release = emptyRelease();
  const origin: Origin = {};
  if (input.changes !== undefined) addChangeText(release, input.changes);
  if (input.pullRequests !== undefined)
    addPullRequests(release, input.pullRequests, origin, ['pullRequests']);
  if (input.canary !== undefined) addMetrics(release, input.canary, origin, ['canary']);
  if (input.incidents !== undefined) addIncidents(release, input.incidents, origin, ['incidents']);
  if (input.deploys !== undefined) addDeploys(release, input.deploys, origin, ['deploys']);
  if (input.freezeWindows !== undefined) addFreezes(release, input.freezeWindows, origin, ['freezeWindows']);
  if (input.plannedAt !== undefined) setPlanned(release, input.plannedAt, {});
  if (input.author !== undefined && !release.authors.includes(input.author))
    release.authors.push(input.author);
  for (const file of files) addFile(release, file);
  release.plannedAt ??= { instant: now, offsetMinutes: 0, given: false, where: {} };
  return release;
}

export type { InputProblem };
