/**
 * PLAN001–PLAN005 on `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` output. A plan
 * without ANALYZE is read from its estimates where a rule can (PLAN001,
 * PLAN005) and skipped where it cannot (PLAN002 needs actual rows, PLAN003 and
 * PLAN004 actual spills). Actual rows are per loop, so totals are rows × loops;
 * BUFFERS counts include the children's, so a node's own temp writes are its
 * count minus its children's.
 *
 * A finding carries the line of its node's "Node Type" key: nodes appear in
 * the JSON in pre-order (PostgreSQL writes "Node Type" first and "Plans"
 * last), so the k-th node visited is the k-th "Node Type" in the text.
 */
import { parseSync } from 'libpg-query';
import { asNode, columnRef, columnsIn, conjuncts, type Fields, isObject, operatorName } from './ast.js';
import { suggestIndex } from './index-advice.js';
import { planItems } from './plan-format.js';
import type { Hit } from './query-rules.js';
import { MISESTIMATE_FACTOR, MISESTIMATE_MIN_ROWS, SELECTIVE_FILTER, type Thresholds } from './rules.js';

export interface PlanInput {
  /** A file path, or `plans[i]` for a plan given in the input. */
  name: string;
  file?: string;
  /** The parsed JSON (EXPLAIN's array, or one `{ Plan }` object). */
  value: unknown;
  /** The text it was parsed from, for line numbers. */
  text?: string;
}

export interface PlanHit extends Hit {
  node: string;
  path: string;
  line?: number;
}

export interface PlanSummary {
  plans: number;
  nodes: number;
  executionTimeMs: number;
  analyzed: boolean;
}

const number = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

function describeNode(node: Fields): string {
  const type = String(node['Node Type'] ?? 'Node');
  const index = typeof node['Index Name'] === 'string' ? ` using ${node['Index Name']}` : '';
  const relation = typeof node['Relation Name'] === 'string' ? ` on ${node['Relation Name']}` : '';
  const alias =
    typeof node.Alias === 'string' && node.Alias !== node['Relation Name'] && relation !== ''
      ? ` ${node.Alias}`
      : '';
  const join = type === 'Nested Loop' || type.endsWith('Join') ? String(node['Join Type'] ?? '') : '';
  return `${type}${join !== '' && join !== 'Inner' ? ` (${join})` : ''}${index}${relation}${alias}`;
}

function children(node: Fields): Fields[] {
  return (Array.isArray(node.Plans) ? node.Plans : []).filter(isObject);
}

function tempWritten(node: Fields): number {
  return number(node['Temp Written Blocks']) ?? 0;
}

/** Columns of a plan's Filter, equality ones first: the index the filter wants. */
function filterColumns(filter: string): string[] {
  let where: unknown;
  try {
    const parsed = parseSync(`SELECT 1 WHERE ${filter}`);
    where = asNode(parsed.stmts?.[0]?.stmt, 'SelectStmt')?.whereClause;
  } catch {
    return [];
  }
  const eq: string[] = [];
  const range: string[] = [];
  const bare = (expr: unknown) => {
    // The planner writes `(status)::text = 'x'::text` for a varchar column: look through casts.
    let inner = expr;
    for (let cast = asNode(inner, 'TypeCast'); cast !== undefined; cast = asNode(inner, 'TypeCast'))
      inner = cast.arg;
    return columnRef(inner)?.column;
  };
  for (const conjunct of conjuncts(where)) {
    const expr = asNode(conjunct, 'A_Expr');
    if (expr === undefined) continue;
    const op = operatorName(expr) ?? '';
    const column = bare(expr.lexpr) ?? bare(expr.rexpr);
    const other = bare(expr.lexpr) === undefined ? expr.lexpr : expr.rexpr;
    if (column === undefined || columnsIn(other).length > 0) continue;
    if (
      (expr.kind === 'AEXPR_OP' && op === '=') ||
      expr.kind === 'AEXPR_IN' ||
      expr.kind === 'AEXPR_OP_ANY'
    ) {
      if (!eq.includes(column)) eq.push(column);
    } else if (['<', '>', '<=', '>='].includes(op) || expr.kind === 'AEXPR_BETWEEN') {
      if (!range.includes(column)) range.push(column);
    }
  }
  return [...eq, ...range.slice(0, 1)];
}

interface Visit {
  node: Fields;
  path: string;
  index: number;
  parent?: Visit;
  underLimit: boolean;
}

class PlanReader {
  readonly hits: PlanHit[] = [];
  nodes = 0;
  analyzed = false;
  readonly #lines: number[] | undefined;

  constructor(
    readonly input: PlanInput,
    readonly thresholds: Thresholds,
  ) {
    this.#lines = nodeLines(input.text);
  }

  read(items: Fields[]): void {
    items.forEach((item, i) => {
      const root = item.Plan as Fields;
      this.#visit(root, items.length > 1 ? `${i}` : '0', undefined, false);
    });
    if (this.#lines !== undefined && this.#lines.length !== this.nodes) {
      // The JSON was reordered: no line is better than a wrong one.
      for (const hit of this.hits) delete hit.line;
    }
  }

  /** Visits a node and its children; returns the direction of its row misestimate, if any. */
  #visit(
    node: Fields,
    path: string,
    parent: Visit | undefined,
    underLimit: boolean,
  ): 'under' | 'over' | undefined {
    const visit: Visit = {
      node,
      path,
      index: this.nodes,
      ...(parent === undefined ? {} : { parent }),
      underLimit,
    };
    this.nodes += 1;
    if (number(node['Actual Rows']) !== undefined) this.analyzed = true;
    const isLimit = node['Node Type'] === 'Limit';
    const childDirections = children(node).map((child, i) =>
      this.#visit(child, `${path}.${i}`, visit, underLimit || isLimit),
    );
    this.#seqScan(visit);
    const direction = this.#misestimate(visit, childDirections);
    this.#sortSpill(visit);
    this.#hashSpill(visit);
    this.#nestedLoop(visit);
    return direction;
  }

  #add(visit: Visit, hit: Omit<PlanHit, 'node' | 'path' | 'key'> & { key?: Hit['key'] }): void {
    const line = this.#lines?.[visit.index];
    this.hits.push({
      ...hit,
      node: describeNode(visit.node),
      path: visit.path,
      key: [this.input.name, visit.path, ...(hit.key ?? [])],
      ...(line === undefined ? {} : { line }),
    });
  }

  #seqScan(visit: Visit): void {
    const { node } = visit;
    if (node['Node Type'] !== 'Seq Scan') return;
    const actual = number(node['Actual Rows']);
    const loops = number(node['Actual Loops']) ?? 1;
    const removed = number(node['Rows Removed by Filter']) ?? 0;
    const read = actual === undefined ? (number(node['Plan Rows']) ?? 0) : (actual + removed) * loops;
    if (read < this.thresholds.largeScanRows) return;
    const relation = String(node['Relation Name'] ?? '?');
    const filter = typeof node.Filter === 'string' ? node.Filter : undefined;
    const removedShare = actual === undefined || read === 0 ? undefined : (removed * loops) / read;
    const selective = filter !== undefined && removedShare !== undefined && removedShare >= SELECTIVE_FILTER;
    const columns = filter === undefined ? [] : filterColumns(filter);
    const schema = typeof node.Schema === 'string' && node.Schema !== 'public' ? { schema: node.Schema } : {};
    const suggestion =
      columns.length > 0
        ? suggestIndex(
            { name: relation, ...schema, indexes: [], kind: 'table', line: 0 },
            columns.map((column) => ({ column })),
          )
        : undefined;
    const share = (part: number) => {
      const percent = (100 * part) / Math.max(read, 1);
      return percent >= 1 || percent === 0 ? percent.toFixed(1) : percent.toPrecision(1);
    };
    const kept =
      actual === undefined
        ? ''
        : ` and returns ${(actual * loops).toLocaleString('en-US')} (${share(actual * loops)}%)`;
    this.#add(visit, {
      ruleId: 'PLAN001',
      ...(selective ? { severity: 'high' as const } : {}),
      message:
        `Sequential scan on ${relation} reads ${Math.round(read).toLocaleString('en-US')} rows${actual === undefined ? ' (estimated)' : ''}${kept}` +
        (filter === undefined ? '.' : ` (Filter: ${filter.slice(0, 120)}).`) +
        (suggestion === undefined ? '' : ` Suggested: ${suggestion.ddl}`),
      evidence: {
        relation,
        rowsRead: Math.round(read),
        ...(actual === undefined
          ? { estimated: true }
          : { rowsReturned: actual * loops, rowsRemovedByFilter: removed * loops }),
        ...(filter === undefined ? {} : { filter }),
        ...(suggestion === undefined ? {} : { suggestedIndex: suggestion.ddl }),
      },
      ...(suggestion === undefined ? {} : { suggestion }),
    });
  }

  #misestimate(
    visit: Visit,
    childDirections: ('under' | 'over' | undefined)[],
  ): 'under' | 'over' | undefined {
    const { node } = visit;
    const actual = number(node['Actual Rows']);
    const estimate = number(node['Plan Rows']);
    const loops = number(node['Actual Loops']) ?? 0;
    if (actual === undefined || estimate === undefined || loops === 0) return undefined;
    const larger = Math.max(actual, estimate);
    const factor = larger / Math.max(Math.min(actual, estimate), 1);
    if (factor < MISESTIMATE_FACTOR || larger * loops < MISESTIMATE_MIN_ROWS) return undefined;
    const direction = actual > estimate ? 'under' : 'over';
    // Under a Limit (or a semi/anti join's inner side) a node stops early: fewer rows than estimated is expected.
    const parentJoin = String(visit.parent?.node['Join Type'] ?? '');
    const stoppedEarly =
      direction === 'over' &&
      (visit.underLimit ||
        ((parentJoin === 'Semi' || parentJoin === 'Anti') && node['Parent Relationship'] === 'Inner'));
    if (stoppedEarly || ['Hash', 'Materialize', 'Memoize'].includes(String(node['Node Type'])))
      return direction;
    // Reported where the error starts; the nodes above inherit it.
    if (childDirections.includes(direction)) return direction;
    const rounded = Math.round(factor);
    this.#add(visit, {
      ruleId: 'PLAN002',
      message: `${describeNode(node)}: estimated ${estimate.toLocaleString('en-US')} rows, got ${actual.toLocaleString('en-US')}${loops > 1 ? ` per loop (${loops} loops)` : ''} — ${direction === 'under' ? 'under' : 'over'}estimated ${rounded.toLocaleString('en-US')}×.`,
      evidence: { estimatedRows: estimate, actualRows: actual, loops, factor: rounded, direction },
    });
    return direction;
  }

  #sortSpill(visit: Visit): void {
    const { node } = visit;
    const type = String(node['Node Type'] ?? '');
    if (type !== 'Sort' && type !== 'Incremental Sort') return;
    const method = String(node['Sort Method'] ?? '');
    const groups = [node['Full-sort Groups'], node['Pre-sorted Groups']].filter(isObject);
    const spilled =
      method.startsWith('external') ||
      node['Sort Space Type'] === 'Disk' ||
      groups.some((g) => g['Sort Space Disk'] !== undefined) ||
      exclusiveTemp(node) > 0;
    if (!spilled) return;
    const space = number(node['Sort Space Used']);
    this.#add(visit, {
      ruleId: 'PLAN003',
      message: `${describeNode(node)} spilled to disk${method === '' ? '' : ` (${method}`}${space === undefined ? (method === '' ? '' : ')') : `, ${space.toLocaleString('en-US')} kB)`}${sortKey(node)}.`,
      evidence: {
        ...(method === '' ? {} : { sortMethod: method }),
        ...(space === undefined ? {} : { sortSpaceKb: space }),
        tempWrittenBlocks: tempWritten(node),
      },
    });
  }

  #hashSpill(visit: Visit): void {
    const { node } = visit;
    const type = String(node['Node Type'] ?? '');
    if (type === 'Sort' || type === 'Incremental Sort') return;
    const batches = number(node['Hash Batches']) ?? 0;
    const aggBatches = number(node['HashAgg Batches']) ?? 0;
    const disk = number(node['Disk Usage']) ?? 0;
    const own = exclusiveTemp(node);
    let reason: string | undefined;
    if (type === 'Hash' && batches > 1) {
      const original = number(node['Original Hash Batches']);
      reason = `${batches} batches${original !== undefined && original !== batches ? ` (planned ${original})` : ''}, peak memory ${number(node['Peak Memory Usage']) ?? '?'} kB`;
    } else if (aggBatches > 1 || disk > 0) {
      reason = `${aggBatches} batches, ${disk.toLocaleString('en-US')} kB on disk`;
    } else if (own > 0 && type !== 'Hash' && !children(node).some((c) => spilledHash(c))) {
      reason = `${own.toLocaleString('en-US')} temp blocks written`;
    }
    if (reason === undefined) return;
    this.#add(visit, {
      ruleId: 'PLAN004',
      message: `${describeNode(node)} spilled to disk: ${reason}.`,
      evidence: {
        ...(batches > 0 ? { hashBatches: batches } : {}),
        ...(aggBatches > 0 ? { hashAggBatches: aggBatches } : {}),
        ...(disk > 0 ? { diskUsageKb: disk } : {}),
        tempWrittenBlocks: own,
      },
    });
  }

  #nestedLoop(visit: Visit): void {
    const { node } = visit;
    if (node['Node Type'] !== 'Nested Loop') return;
    const kids = children(node);
    const outer = kids.find((c) => c['Parent Relationship'] === 'Outer') ?? kids[0];
    const inner = kids.find((c) => c['Parent Relationship'] === 'Inner') ?? kids[1];
    if (outer === undefined || inner === undefined) return;
    const actual = number(outer['Actual Rows']);
    const rows =
      actual === undefined
        ? (number(outer['Plan Rows']) ?? 0)
        : actual * (number(outer['Actual Loops']) ?? 1);
    if (rows < this.thresholds.largeOuterRows) return;
    const innerScan = inner['Node Type'] === 'Seq Scan';
    this.#add(visit, {
      ruleId: 'PLAN005',
      ...(innerScan ? { severity: 'high' as const } : {}),
      message:
        `Nested loop runs its inner side (${describeNode(inner)}) ${Math.round(rows).toLocaleString('en-US')} times${actual === undefined ? ' (estimated)' : ''}` +
        (innerScan ? ': each loop reads the whole relation.' : '.'),
      evidence: {
        outerRows: Math.round(rows),
        outer: describeNode(outer),
        inner: describeNode(inner),
        ...(actual === undefined ? { estimated: true } : {}),
      },
    });
  }
}

function sortKey(node: Fields): string {
  const keys = Array.isArray(node['Sort Key']) ? node['Sort Key'].map(String) : [];
  return keys.length === 0 ? '' : ` on ${keys.join(', ').slice(0, 100)}`;
}

function exclusiveTemp(node: Fields): number {
  return Math.max(0, tempWritten(node) - children(node).reduce((sum, child) => sum + tempWritten(child), 0));
}

function spilledHash(node: Fields): boolean {
  return node['Node Type'] === 'Hash' && (number(node['Hash Batches']) ?? 0) > 1;
}

/** The line of each `"Node Type"` key in the text, in order. */
function nodeLines(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const lines: number[] = [];
  let line = 1;
  let from = 0;
  for (const match of text.matchAll(/"Node Type"\s*:/g)) {
    for (let i = from; i < match.index; i += 1) if (text.charCodeAt(i) === 10) line += 1;
    from = match.index;
    lines.push(line);
  }
  return lines;
}

export function analyzePlan(
  input: PlanInput,
  thresholds: Thresholds,
): { hits: PlanHit[]; summary: PlanSummary } {
  const items = planItems(input.value) ?? [];
  const reader = new PlanReader(input, thresholds);
  reader.read(items);
  const executionTimeMs = items.reduce((sum, item) => sum + (number(item['Execution Time']) ?? 0), 0);
  return {
    hits: reader.hits,
    summary: { plans: items.length, nodes: reader.nodes, executionTimeMs, analyzed: reader.analyzed },
  };
}
