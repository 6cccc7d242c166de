/**
 * Where resources come from: the input's `resources`, JSON / YAML inventory
 * files (a list of resources, or `{ resources, dailyCosts }`), AWS Cost and
 * Usage Report CSVs (legacy `lineItem/…` and CUR 2.0 `line_item_…` headers,
 * grouped by resource id and scaled to a 730-hour month) and `date,cost`
 * CSVs of daily costs. Every resource keeps its file and a line locator.
 */
import { basename } from 'node:path';
import {
  type CsvRow,
  type Locator,
  type Path,
  parseCsv,
  parseWithLines,
} from '../../analysis/documents/structured.js';
import { HOURS_PER_MONTH } from './catalog.js';
import { type CostResource, resourceSchema } from './schema.js';

export interface SourcedResource {
  resource: CostResource;
  file?: string;
  /** Line of a field of this resource (or of the resource itself). */
  lineOf(path: Path): number | undefined;
  /** CUR rows say nothing about lifecycle rules, attachment or age. */
  fromCur: boolean;
}

export interface SourceProblem {
  file?: string;
  line?: number;
  message: string;
}

export interface Sources {
  resources: SourcedResource[];
  dailyCosts: { date: string; cost: number }[];
  problems: SourceProblem[];
  /** Files read that hold no inventory (package.json next to the inventory, …). */
  skipped: string[];
}

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
  const parsed = parseWithLines(content);
  if ('error' in parsed) {
    into.problems.push({
      file: path,
      ...(parsed.line === undefined ? {} : { line: parsed.line }),
      message: parsed.error,
    });
    return;
  }
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

/** 'lineItem/UnblendedCost' and 'line_item_unblended_cost' → 'line_item_unblended_cost'. */
export function curColumn(header: string): string {
  return header
    .trim()
    .split('/')
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase())
    .join('_');
}

interface CurGroup {
  id: string;
  line: number;
  type: string;
  region?: string;
  instanceType?: string;
  volumeType?: string;
  engine?: string;
  platform?: string;
  pricingModel: string;
  cost: number;
  usageHours: number;
}

const VOLUME_TYPES: Record<string, string> = {
  gp2: 'gp2',
  gp3: 'gp3',
  piops: 'io1',
  io2: 'io2',
  st1: 'st1',
  sc1: 'sc1',
};

function curKind(
  product: string,
  usageType: string,
): { type: string; volumeType?: string; compute: boolean } {
  if (/ElasticIP:IdleAddress/i.test(usageType)) return { type: 'eip', compute: false };
  if (/EBS:VolumeUsage/i.test(usageType)) {
    const suffix = /EBS:VolumeUsage\.?([a-z0-9]*)/i.exec(usageType)?.[1]?.toLowerCase() ?? '';
    return { type: 'ebs', volumeType: VOLUME_TYPES[suffix] ?? 'standard', compute: false };
  }
  if (/SnapshotUsage/i.test(usageType)) return { type: 'snapshot', compute: false };
  if (product === 'AmazonEC2')
    return { type: 'ec2', compute: /BoxUsage|HostUsage|SpotUsage/i.test(usageType) };
  if (product === 'AmazonRDS') return { type: 'rds', compute: /InstanceUsage/i.test(usageType) };
  if (product === 'AmazonElastiCache') return { type: 'elasticache', compute: /NodeUsage/i.test(usageType) };
  if (product === 'AmazonS3') return { type: 's3', compute: false };
  if (product === 'AWSLambda') return { type: 'lambda', compute: false };
  return { type: product === '' ? 'other' : product, compute: false };
}

function readCsv(path: string, content: string, into: Sources): void {
  const rows = parseCsv(content);
  const [header, ...records] = rows;
  if (header === undefined) {
    into.skipped.push(path);
    return;
  }
  const columns = header.cells.map(curColumn);
  const col = (...names: string[]) => names.map((n) => columns.indexOf(n)).find((i) => i >= 0) ?? -1;
  const cell = (row: CsvRow, index: number) => (index < 0 ? '' : (row.cells[index] ?? '').trim());

  // A plain daily series: date,cost.
  const dateCol = col('date', 'day', 'usage_date');
  const costCol = col('cost', 'amount', 'unblended_cost');
  const curCost = col('line_item_unblended_cost', 'line_item_net_unblended_cost', 'line_item_blended_cost');
  if (curCost < 0 && dateCol >= 0 && costCol >= 0) {
    for (const row of records) {
      const cost = Number(cell(row, costCol));
      const date = cell(row, dateCol).slice(0, 10);
      if (Number.isFinite(cost) && /^\d{4}-\d{2}-\d{2}$/.test(date)) into.dailyCosts.push({ date, cost });
      else
        into.problems.push({
          file: path,
          line: row.line,
          message: 'a row without a YYYY-MM-DD date and a number cost',
        });
    }
    return;
  }
  const start = col('line_item_usage_start_date', 'bill_billing_period_start_date');
  if (curCost < 0 || start < 0) {
    into.skipped.push(path);
    return;
  }
  const resourceCol = col('line_item_resource_id');
  const productCol = col('line_item_product_code', 'product_servicecode');
  const usageTypeCol = col('line_item_usage_type');
  const itemTypeCol = col('line_item_line_item_type');
  const amountCol = col('line_item_usage_amount');
  const instanceCol = col('product_instance_type');
  const regionCol = col('product_region_code', 'product_region');
  const termCol = col('pricing_term');
  const osCol = col('product_operating_system');
  const engineCol = col('product_database_engine');

  const groups = new Map<string, CurGroup>();
  const daily = new Map<string, number>();
  for (const row of records) {
    const cost = Number(cell(row, curCost));
    const date = cell(row, start).slice(0, 10);
    if (!Number.isFinite(cost) || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      into.problems.push({
        file: path,
        line: row.line,
        message: 'a row without a usage start date or a number cost',
      });
      continue;
    }
    const itemType = cell(row, itemTypeCol);
    if (itemType === 'Tax') continue;
    daily.set(date, (daily.get(date) ?? 0) + cost);
    const id = cell(row, resourceCol);
    if (id === '') continue;
    const usageType = cell(row, usageTypeCol);
    const kind = curKind(cell(row, productCol), usageType);
    let group = groups.get(id);
    if (group === undefined) {
      const region = cell(row, regionCol);
      group = { id, line: row.line, type: kind.type, pricingModel: 'on-demand', cost: 0, usageHours: 0 };
      if (region !== '') group.region = region;
      groups.set(id, group);
    }
    if (kind.volumeType !== undefined) group.volumeType = kind.volumeType;
    if (kind.type === 'eip') group.type = 'eip';
    group.cost += cost;
    if (kind.compute) {
      group.usageHours += Number(cell(row, amountCol)) || 0;
      const instanceType = cell(row, instanceCol) || /Usage:([a-z0-9.]+)$/i.exec(usageType)?.[1];
      if (instanceType) group.instanceType = instanceType;
      if (itemType === 'SavingsPlanCoveredUsage') group.pricingModel = 'savings-plan';
      else if (itemType === 'DiscountedUsage' || cell(row, termCol) === 'Reserved')
        group.pricingModel = 'reserved';
      else if (/SpotUsage/i.test(usageType)) group.pricingModel = 'spot';
      const os = cell(row, osCol);
      if (os !== '') group.platform = os;
      const engine = cell(row, engineCol);
      if (engine !== '') group.engine = engine;
    }
  }
  const dates = [...daily.keys()].sort();
  const first = Date.parse(`${dates[0]}T00:00:00Z`);
  const last = Date.parse(`${dates[dates.length - 1]}T00:00:00Z`);
  const periodHours = (Math.round((last - first) / 86_400_000) + 1) * 24;
  for (const [date, cost] of daily) into.dailyCosts.push({ date, cost: Math.round(cost * 1e6) / 1e6 });
  for (const group of groups.values()) {
    const resource: CostResource = {
      type: group.type,
      id: group.id,
      pricingModel: group.pricingModel,
      monthlyCost: Math.round(((group.cost * HOURS_PER_MONTH) / periodHours) * 100) / 100,
      ...(group.region === undefined ? {} : { region: group.region }),
      ...(group.instanceType === undefined ? {} : { instanceType: group.instanceType }),
      ...(group.volumeType === undefined ? {} : { volumeType: group.volumeType }),
      ...(group.platform === undefined ? {} : { platform: group.platform }),
      ...(group.engine === undefined ? {} : { engine: group.engine }),
      ...(group.type === 'eip' ? { attached: false } : {}),
      ...(group.usageHours > 0
        ? { uptime: Math.min(100, Math.round((group.usageHours / periodHours) * 1000) / 10) }
        : {}),
    };
    into.resources.push({ resource, file: path, lineOf: () => group.line, fromCur: true });
  }
}

export function readSources(
  resources: readonly CostResource[] | undefined,
  files: readonly { path: string; content: string }[],
): Sources {
  const sources: Sources = { resources: [], dailyCosts: [], problems: [], skipped: [] };
  for (const resource of resources ?? []) {
    sources.resources.push({ resource, lineOf: noLines, fromCur: false });
  }
  for (const file of files) {
    if (basename(file.path) === '.aiopsignore') continue;
    if (/\.csv$/i.test(file.path)) readCsv(file.path, file.content, sources);
    else if (/\.(?:json|ya?ml)$/i.test(file.path)) readInventory(file.path, file.content, sources);
    else sources.skipped.push(file.path);
  }
  return sources;
}
