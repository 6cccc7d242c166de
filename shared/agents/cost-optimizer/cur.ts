/**
 * CSV inputs of cost-optimizer, read by the documents CSV reader: AWS Cost and
 * Usage Reports (legacy `lineItem/…` and CUR 2.0 `line_item_…` headers),
 * grouped by resource id and scaled to a 730-hour month, and plain `date,cost`
 * series of daily costs. Each resource keeps the line of its first row.
 */
import { basename, dirname } from 'node:path';
import { type CsvRecord, readCsv } from '../../analysis/documents/csv.js';
import { HOURS_PER_MONTH } from './catalog.js';
import type { CostResource } from './schema.js';
import type { Sources } from './sources-model.js';

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

const DATE = /^\d{4}-\d{2}-\d{2}$/;

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

/** The header's columns, looked up by any of their names (legacy or CUR 2.0). */
export class Columns {
  readonly #names: string[];

  constructor(header: CsvRecord) {
    this.#names = header.cells.map(curColumn);
  }

  index(...names: string[]): number {
    return names.map((n) => this.#names.indexOf(n)).find((i) => i >= 0) ?? -1;
  }

  /** A row's trimmed cell of the first column named, '' when absent. */
  reader(...names: string[]): (row: CsvRecord) => string {
    const index = this.index(...names);
    return (row) => (index < 0 ? '' : (row.cells[index] ?? '').trim());
  }
}

/** A Cost and Usage Report file read but not yet counted: deliveries of one month are settled first. */
export interface PendingCur {
  path: string;
  records: readonly CsvRecord[];
  columns: Columns;
}

/**
 * A CSV file: a daily series, a Cost and Usage Report (returned, to be
 * counted by `readCurDeliveries` with the other files), or (neither) skipped.
 */
export function readCostCsv(path: string, content: string, into: Sources): PendingCur | undefined {
  const table = readCsv(content);
  if (table.error !== undefined) {
    const { line, message } = table.error;
    into.problems.push({ file: path, ...(line === undefined ? {} : { line }), message });
    return undefined;
  }
  const [header, ...records] = table.records;
  if (header === undefined) {
    into.skipped.push(path);
    return undefined;
  }
  const columns = new Columns(header);
  const date = columns.index('date', 'day', 'usage_date');
  const cost = columns.index('cost', 'amount', 'unblended_cost');
  const curCost = columns.index(
    'line_item_unblended_cost',
    'line_item_net_unblended_cost',
    'line_item_blended_cost',
  );
  if (curCost < 0 && date >= 0 && cost >= 0) readDailySeries(path, records, columns, into);
  else if (curCost < 0 || columns.index('line_item_usage_start_date', 'bill_billing_period_start_date') < 0)
    into.skipped.push(path);
  else return { path, records, columns };
  return undefined;
}

/**
 * One delivery of a report: its folder and name without the part number, so
 * `report-1.csv` and `report-2.csv` of one assembly are one delivery, while a
 * re-delivery (another assembly folder, another file name) is another.
 */
function deliveryOf(path: string): string {
  return `${dirname(path)}/${basename(path).replace(/(?:[-_]\d+)?\.csv$/i, '')}`;
}

interface Delivery {
  key: string;
  files: Set<string>;
  rows: number;
  invoice?: string;
  lastUsage: string;
}

/** The delivery of a billing period to keep: the final one (with an invoice id), else the latest. */
function latest(a: Delivery, b: Delivery): number {
  const final = Number(a.invoice !== undefined) - Number(b.invoice !== undefined);
  if (final !== 0) return final;
  if (a.lastUsage !== b.lastUsage) return a.lastUsage < b.lastUsage ? -1 : 1;
  // Assembly folders and file names carry the delivery time (20250301T101010Z, …).
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * Cost and Usage Report files, counted once per billing period: AWS rewrites
 * a month's report several times and marks the final one with an invoice id
 * (bill/InvoiceId), so when several deliveries of one period are given only
 * the final (else the latest) counts, and the others are named in a note.
 */
export function readCurDeliveries(pending: readonly PendingCur[], into: Sources): void {
  const periods = new Map<string, Map<string, Delivery>>();
  const periodOfRow = new Map<CsvRecord, string>();
  for (const file of pending) {
    const periodOf = file.columns.reader('bill_billing_period_start_date');
    const startOf = file.columns.reader('line_item_usage_start_date');
    const invoiceOf = file.columns.reader('bill_invoice_id');
    const key = deliveryOf(file.path);
    for (const row of file.records) {
      const start = startOf(row).slice(0, 10);
      const period = periodOf(row).slice(0, 7) || start.slice(0, 7);
      if (!/^\d{4}-\d{2}$/.test(period)) continue;
      periodOfRow.set(row, period);
      const byKey = periods.get(period) ?? new Map<string, Delivery>();
      periods.set(period, byKey);
      const delivery = byKey.get(key) ?? { key, files: new Set<string>(), rows: 0, lastUsage: '' };
      byKey.set(key, delivery);
      delivery.files.add(file.path);
      delivery.rows += 1;
      const invoice = invoiceOf(row);
      if (invoice !== '') delivery.invoice = invoice;
      if (start > delivery.lastUsage) delivery.lastUsage = start;
    }
  }
  const dropped = new Set<string>();
  for (const [period, byKey] of [...periods].sort(([a], [b]) => a.localeCompare(b))) {
    if (byKey.size < 2) continue;
    const [kept, ...others] = [...byKey.values()].sort((a, b) => latest(b, a));
    if (kept === undefined) continue;
    for (const other of others) {
      dropped.add(`${period}\u0000${other.key}`);
      into.notes.push(
        `Billing period ${period}: ${other.rows} row${other.rows === 1 ? '' : 's'} of ${[...other.files].join(', ')} ` +
          `left out (${other.invoice === undefined ? 'not final: no bill/InvoiceId' : 'an earlier delivery'}); ` +
          `counted ${[...kept.files].join(', ')} (${kept.invoice === undefined ? 'the latest delivery' : `final, invoice ${kept.invoice}`}).`,
      );
      into.curRowsDropped += other.rows;
    }
  }
  for (const file of pending) {
    const key = deliveryOf(file.path);
    const rows = file.records.filter((row) => {
      const period = periodOfRow.get(row);
      return period === undefined || !dropped.has(`${period}\u0000${key}`);
    });
    if (rows.length > 0) readCur(file.path, rows, file.columns, into);
  }
}

/** A plain daily series: date,cost. */
function readDailySeries(path: string, records: readonly CsvRecord[], columns: Columns, into: Sources): void {
  const costOf = columns.reader('cost', 'amount', 'unblended_cost');
  const dateOf = columns.reader('date', 'day', 'usage_date');
  for (const row of records) {
    const cost = Number(costOf(row));
    const date = dateOf(row).slice(0, 10);
    if (Number.isFinite(cost) && DATE.test(date)) into.dailyCosts.push({ date, cost });
    else
      into.problems.push({
        file: path,
        line: row.line,
        message: 'a row without a YYYY-MM-DD date and a number cost',
      });
  }
}

type CurCells = Record<
  'cost' | 'start' | 'resource' | 'product' | 'usageType' | 'itemType' | 'amount',
  (row: CsvRecord) => string
> &
  Record<'instance' | 'region' | 'term' | 'os' | 'engine', (row: CsvRecord) => string>;

function curCells(columns: Columns): CurCells {
  return {
    cost: columns.reader(
      'line_item_unblended_cost',
      'line_item_net_unblended_cost',
      'line_item_blended_cost',
    ),
    start: columns.reader('line_item_usage_start_date', 'bill_billing_period_start_date'),
    resource: columns.reader('line_item_resource_id'),
    product: columns.reader('line_item_product_code', 'product_servicecode'),
    usageType: columns.reader('line_item_usage_type'),
    itemType: columns.reader('line_item_line_item_type'),
    amount: columns.reader('line_item_usage_amount'),
    instance: columns.reader('product_instance_type'),
    region: columns.reader('product_region_code', 'product_region'),
    term: columns.reader('pricing_term'),
    os: columns.reader('product_operating_system'),
    engine: columns.reader('product_database_engine'),
  };
}

/** Cost and Usage Report rows grouped by resource id, with the daily totals. */
function readCur(path: string, records: readonly CsvRecord[], columns: Columns, into: Sources): void {
  const cells = curCells(columns);
  const groups = new Map<string, CurGroup>();
  const daily = new Map<string, number>();
  for (const row of records) {
    const cost = Number(cells.cost(row));
    const date = cells.start(row).slice(0, 10);
    if (!Number.isFinite(cost) || !DATE.test(date)) {
      into.problems.push({
        file: path,
        line: row.line,
        message: 'a row without a usage start date or a number cost',
      });
      continue;
    }
    if (cells.itemType(row) === 'Tax') continue;
    daily.set(date, (daily.get(date) ?? 0) + cost);
    const id = cells.resource(row);
    if (id !== '') addToGroup(groups, id, row, cells, cost);
  }
  const periodHours = hoursCovered([...daily.keys()]);
  for (const [date, cost] of daily) into.dailyCosts.push({ date, cost: Math.round(cost * 1e6) / 1e6 });
  for (const group of groups.values()) {
    into.resources.push({
      resource: groupResource(group, periodHours),
      file: path,
      lineOf: () => group.line,
      fromCur: true,
    });
  }
}

function addToGroup(
  groups: Map<string, CurGroup>,
  id: string,
  row: CsvRecord,
  cells: CurCells,
  cost: number,
): void {
  const usageType = cells.usageType(row);
  const kind = curKind(cells.product(row), usageType);
  let group = groups.get(id);
  if (group === undefined) {
    const region = cells.region(row);
    group = { id, line: row.line, type: kind.type, pricingModel: 'on-demand', cost: 0, usageHours: 0 };
    if (region !== '') group.region = region;
    groups.set(id, group);
  }
  if (kind.volumeType !== undefined) group.volumeType = kind.volumeType;
  if (kind.type === 'eip') group.type = 'eip';
  group.cost += cost;
  if (kind.compute) addCompute(group, row, cells, usageType);
}

/** What a compute row says about its resource: hours, type, pricing model, platform. */
function addCompute(group: CurGroup, row: CsvRecord, cells: CurCells, usageType: string): void {
  const itemType = cells.itemType(row);
  group.usageHours += Number(cells.amount(row)) || 0;
  const instanceType = cells.instance(row) || /Usage:([a-z0-9.]+)$/i.exec(usageType)?.[1];
  if (instanceType) group.instanceType = instanceType;
  if (itemType === 'SavingsPlanCoveredUsage') group.pricingModel = 'savings-plan';
  else if (itemType === 'DiscountedUsage' || cells.term(row) === 'Reserved') group.pricingModel = 'reserved';
  else if (/SpotUsage/i.test(usageType)) group.pricingModel = 'spot';
  const os = cells.os(row);
  if (os !== '') group.platform = os;
  const engine = cells.engine(row);
  if (engine !== '') group.engine = engine;
}

/** Hours from the first day's start to the last day's end. */
function hoursCovered(dates: string[]): number {
  dates.sort();
  const first = Date.parse(`${dates[0]}T00:00:00Z`);
  const last = Date.parse(`${dates[dates.length - 1]}T00:00:00Z`);
  return (Math.round((last - first) / 86_400_000) + 1) * 24;
}

function groupResource(group: CurGroup, periodHours: number): CostResource {
  return {
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
}
