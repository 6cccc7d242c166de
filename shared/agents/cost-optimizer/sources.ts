/**
 * Where resources come from: the input's `resources`, JSON / YAML inventory
 * files (a list of resources, or `{ resources, dailyCosts }`), and CSVs (AWS
 * Cost and Usage Reports and `date,cost` daily costs, ./cur.ts). Every
 * resource keeps its file and a line locator.
 */
import { basename } from 'node:path';
import { type Locator, type Path, readDocumentOf } from '../../analysis/documents/structured.js';
import { type PendingCur, readCostCsv, readCurDeliveries } from './cur.js';
import { type CostResource, resourceSchema } from './schema.js';
import type { Sources } from './sources-model.js';
import { readCostTemplate } from './template.js';

export type { SourcedResource, Sources } from './sources-model.js';

const noLines: Locator = () => undefined;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function addResources(list: unknown[], file: string, lineOf: Locator, prefix: Path, into: Sources): void {
  list.forEach((item, index) => {
    const path = [...prefix, index];
    const parsed = resourceSchema.safeParse(item);
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      const where = issue?.path.map(String).join('.') ?? '';
      into.problems.push({
        file,
        ...(lineOf(path) === undefined ? {} : { line: lineOf(path) }),
        message: `resource ${index + 1}: ${where === '' ? '' : `${where}: `}${issue?.message ?? 'invalid'}`,
      });
      return;
    }
    into.resources.push({
      resource: parsed.data,
      file,
      lineOf: (sub) => lineOf([...path, ...sub]),
      fromCur: false,
    });
  });
}

function readInventory(path: string, content: string, into: Sources): void {
  const parsed = readDocumentOf(path, content, into.problems);
  if (parsed === undefined) return;
  const { value, lineOf } = parsed;
  const looksLikeResources = (list: unknown[]) =>
    list.length > 0 && list.every((item) => isRecord(item) && 'type' in item && 'id' in item);
  if (Array.isArray(value)) {
    if (looksLikeResources(value)) addResources(value, path, lineOf, [], into);
    else into.skipped.push(path);
    return;
  }
  if (!isRecord(value) || (!Array.isArray(value.resources) && !Array.isArray(value.dailyCosts))) {
    into.skipped.push(path);
    return;
  }
  if (Array.isArray(value.resources)) addResources(value.resources, path, lineOf, ['resources'], into);
  if (Array.isArray(value.dailyCosts)) {
    value.dailyCosts.forEach((point, index) => {
      const date = isRecord(point) ? point.date : undefined;
      const cost = isRecord(point) ? point.cost : undefined;
      if (typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) && typeof cost === 'number') {
        into.dailyCosts.push({ date, cost });
      } else {
        const line = lineOf(['dailyCosts', index]);
        into.problems.push({
          file: path,
          ...(line === undefined ? {} : { line }),
          message: `dailyCosts ${index + 1}: needs { date: YYYY-MM-DD, cost: number }`,
        });
      }
    });
  }
}

export function readSources(
  resources: readonly CostResource[] | undefined,
  files: readonly { path: string; content: string }[],
): Sources {
  const sources: Sources = {
    resources: [],
    dailyCosts: [],
    problems: [],
    skipped: [],
    notes: [],
    curRowsDropped: 0,
    templateCosts: [],
  };
  const reports: PendingCur[] = [];
  for (const resource of resources ?? []) {
    sources.resources.push({ resource, lineOf: noLines, fromCur: false });
  }
  for (const file of files) {
    if (basename(file.path) === '.aiopsignore') continue;
    if (/\.csv$/i.test(file.path)) {
      const report = readCostCsv(file.path, file.content, sources);
      if (report !== undefined) reports.push(report);
    } else if (/\.(?:json|ya?ml|template)$/i.test(file.path)) {
      if (!readCostTemplate(file.path, file.content, sources))
        readInventory(file.path, file.content, sources);
    } else sources.skipped.push(file.path);
  }
  readCurDeliveries(reports, sources);
  return sources;
}
