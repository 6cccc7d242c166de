/**
 * SQL010: filter, join and sort columns without a supporting index in the DDL.
 *
 * For each table a block reads, the top-level AND conditions are sorted into
 * equality tests (`=`, IN, `= ANY`, IS NULL, a bare boolean column), range
 * tests (`<`, `>`, BETWEEN, LIKE 'prefix%') and equi-joins with another
 * relation of the block; ORDER BY … LIMIT on that table's columns is its sort.
 * A B-tree serves a lookup from its leading column on, so:
 * - filters none of whose columns leads an index: medium, with an index of the
 *   equality columns first, then one range column (a B-tree range scan stops
 *   using keys after the first range), or else the sort columns;
 * - equality filters served only by an index that leads with a range column:
 *   low, the same index order suggested;
 * - a join column that leads no index, on a table without a usable filter of
 *   its own joined to one with filters (the filtered side drives a nested loop
 *   into this one): medium;
 * - ORDER BY … LIMIT that no index delivers in order after the equality
 *   columns: medium without filters (the whole table is sorted for a top-N),
 *   low with them.
 * Columns the DDL does not have are left to the name check (SQL014).
 */
import {
  asNode,
  columnRef,
  columnsIn,
  conjuncts,
  constValue,
  expressionKey,
  list,
  location,
  nodeOf,
  operatorName,
} from './ast.js';
import { type Block, isGrouped, resolveColumn, type TableRef } from './blocks.js';
import type { Hit, IndexSuggestion } from './query-rules.js';
import { hasTrigramIndex, type IndexDef, leadsWith, type TableDef } from './schema-model.js';

interface Use {
  /** A column name, or the key of an indexed expression (`lower(email)`). */
  column: string;
  location?: number;
  /** An IN list or `= ANY`: several values. */
  multi?: boolean;
}

interface Usage {
  ref: TableRef;
  table: TableDef;
  eq: Use[];
  range: Use[];
  /** LIKE '%…%' served by a trigram index: a filter with index support. */
  trigram: Use[];
  joins: (Use & { other: TableRef })[];
  sort: (Use & { desc: boolean })[];
}

const RANGE_OPERATORS = new Set(['<', '>', '<=', '>=']);

/** The reference and column of a bare column of this block. */
function bareColumn(block: Block, expr: unknown): { ref: TableRef; column: string } | undefined {
  const column = columnRef(expr);
  if (column === undefined || column.column === '*') return undefined;
  const resolved = resolveColumn(block, column);
  return 'ref' in resolved ? { ref: resolved.ref, column: column.column } : undefined;
}

/** A bare column, or an expression on one relation's columns that an index of its table is on. */
function indexedSide(block: Block, expr: unknown): { ref: TableRef; column: string } | undefined {
  const bare = bareColumn(block, expr);
  if (bare !== undefined) return bare;
  const key = expressionKey(expr);
  const columns = columnsIn(expr);
  if (key === undefined || columns.length === 0) return undefined;
  const refs = new Set(
    columns.map((column) => resolveColumn(block, column)).map((r) => ('ref' in r ? r.ref : undefined)),
  );
  const [ref] = [...refs];
  if (refs.size !== 1 || ref === undefined || ref.table === undefined) return undefined;
  return ref.table.indexes.some((index) => index.keys.includes(key)) ? { ref, column: key } : undefined;
}

/** Whether an expression is fixed for the block's scan: constants, parameters, outer columns. */
function isValue(block: Block, expr: unknown): boolean {
  if (expr === undefined) return false;
  return columnsIn(expr).every((column) => 'outer' in resolveColumn(block, column));
}

function usageOf(usages: Map<TableRef, Usage>, ref: TableRef): Usage | undefined {
  if (ref.kind !== 'table' || ref.table === undefined) return undefined;
  let usage = usages.get(ref);
  if (usage === undefined) {
    usage = { ref, table: ref.table, eq: [], range: [], trigram: [], joins: [], sort: [] };
    usages.set(ref, usage);
  }
  return usage;
}

function classify(block: Block, conjunct: unknown, usages: Map<TableRef, Usage>): void {
  const node = nodeOf(conjunct);
  if (node === undefined) return;
  const [type, body] = node;
  const at = location(body);
  const place = at === undefined ? {} : { location: at };
  const add = (
    target: 'eq' | 'range' | 'trigram',
    side: { ref: TableRef; column: string } | undefined,
    multi = false,
  ) => {
    if (side === undefined) return;
    usageOf(usages, side.ref)?.[target].push({ column: side.column, ...place, ...(multi ? { multi } : {}) });
  };
  // A bare boolean column or IS NULL selects a large share of rows: not a reason for an index of its own.
  if (type !== 'A_Expr') return;
  const op = operatorName(body) ?? '';
  const left = indexedSide(block, body.lexpr);
  const right = indexedSide(block, body.rexpr);
  switch (body.kind) {
    case 'AEXPR_OP': {
      if (op === '=' && left !== undefined && right !== undefined && left.ref !== right.ref) {
        usageOf(usages, left.ref)?.joins.push({ column: left.column, other: right.ref, ...place });
        usageOf(usages, right.ref)?.joins.push({ column: right.column, other: left.ref, ...place });
        return;
      }
      const target = op === '=' ? 'eq' : RANGE_OPERATORS.has(op) ? 'range' : undefined;
      if (target === undefined) return;
      if (left !== undefined && isValue(block, body.rexpr)) add(target, left);
      else if (right !== undefined && isValue(block, body.lexpr)) add(target, right);
      return;
    }
    case 'AEXPR_IN':
      if (op === '=' && isValue(block, body.rexpr)) add('eq', left, list(body.rexpr).length !== 1);
      return;
    case 'AEXPR_OP_ANY':
      if (op === '=' && isValue(block, body.rexpr)) add('eq', left, true);
      return;
    case 'AEXPR_BETWEEN':
    case 'AEXPR_BETWEEN_SYM':
      if (isValue(block, body.rexpr)) add('range', left);
      return;
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE': {
      const pattern = constValue(body.rexpr);
      const table = left?.ref.table;
      if (left !== undefined && table !== undefined && hasTrigramIndex(table, left.column))
        add('trigram', left);
      else if (op === '~~' && pattern?.kind === 'string' && /^[^%_]/.test(String(pattern.value)))
        add('range', left);
      return;
    }
    default:
      return;
  }
}

/** ORDER BY … LIMIT whose keys are all bare columns of one table of the block. */
function sortOf(block: Block, usages: Map<TableRef, Usage>): void {
  if (block.kind !== 'select' || block.body.limitCount === undefined || isGrouped(block)) return;
  const keys = list(block.body.sortClause).map((item) => asNode(item, 'SortBy'));
  if (keys.length === 0) return;
  const columns = keys.map((key) => (key === undefined ? undefined : bareColumn(block, key.node)));
  const ref = columns[0]?.ref;
  if (ref === undefined || columns.some((c) => c === undefined || c.ref !== ref)) return;
  const usage = usageOf(usages, ref);
  if (usage === undefined) return;
  keys.forEach((key, i) => {
    const column = columns[i]?.column as string;
    const at = location(asNode(key?.node, 'ColumnRef'));
    usage.sort.push({
      column,
      desc: key?.sortby_dir === 'SORTBY_DESC',
      ...(at === undefined ? {} : { location: at }),
    });
  });
}

function unique<T extends Use>(uses: T[], table: TableDef): T[] {
  const seen = new Set<string>();
  const known = (column: string) =>
    table.columns === undefined ||
    table.columns.has(column) ||
    table.indexes.some((i) => i.keys.includes(column));
  return uses.filter((use) => {
    if (seen.has(use.column) || !known(use.column)) return false;
    seen.add(use.column);
    return true;
  });
}

function identifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

export function suggestIndex(
  table: TableDef,
  columns: readonly { column: string; desc?: boolean }[],
): IndexSuggestion {
  const mixed = new Set(columns.map((c) => c.desc === true)).size > 1;
  // An expression key (`lower(email)`) is written as an index expression, in parentheses.
  const key = (column: string) => (/[():]/.test(column) ? `(${column})` : identifier(column));
  const parts = columns.map((c) => `${key(c.column)}${mixed && c.desc ? ' DESC' : ''}`);
  const name = `${table.name}_${columns.map((c) => c.column).join('_')}_idx`
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, 63);
  const qualified =
    table.schema === undefined
      ? identifier(table.name)
      : `${identifier(table.schema)}.${identifier(table.name)}`;
  return {
    table: table.name,
    columns: columns.map((c) => c.column),
    ddl: `CREATE INDEX CONCURRENTLY ${identifier(name)} ON ${qualified} (${parts.join(', ')});`,
  };
}

/** Whether an index delivers rows in the sort order after some of the equality columns. */
function servesSort(
  index: IndexDef,
  eq: ReadonlySet<string>,
  sort: readonly (Use & { desc: boolean })[],
): boolean {
  if (index.method !== 'btree') return false;
  let i = 0;
  while (i < index.keys.length && eq.has(index.keys[i] ?? '') && index.keys[i] !== sort[0]?.column) i += 1;
  if (i + sort.length > index.keys.length) return false;
  const flips = sort.map((s, k) => {
    if (index.keys[i + k] !== s.column) return undefined;
    return (index.directions[i + k] === 'DESC') !== s.desc;
  });
  if (flips.some((f) => f === undefined)) return false;
  return flips.every((f) => f === flips[0]);
}

function describe(uses: readonly Use[]): string {
  return uses.map((u) => u.column).join(', ');
}

function hit(
  usage: Usage,
  at: number | undefined,
  message: string,
  columns: { column: string; desc?: boolean }[],
  kind: string,
  severity?: 'low',
): Hit {
  const suggestion = suggestIndex(usage.table, columns);
  return {
    ruleId: 'SQL010',
    ...(severity === undefined ? {} : { severity }),
    message: `${message} Suggested: ${suggestion.ddl}`,
    ...(at === undefined ? {} : { location: at }),
    evidence: {
      table: usage.table.name,
      indexes: usage.table.indexes.map((index) => ({
        ...(index.name === undefined ? {} : { name: index.name }),
        keys: index.keys.map((k) => k ?? '(expression)'),
        origin: index.origin,
      })),
      suggestedIndex: suggestion.ddl,
    },
    key: [usage.table.name, kind, ...suggestion.columns],
    suggestion,
  };
}

/** A table's usage in one block, columns the DDL does not know left out. */
interface Filters {
  usage: Usage;
  eq: Use[];
  /** Range columns that are not also equality columns. */
  range: Use[];
  sort: (Use & { desc: boolean })[];
  /** Equality then range columns. */
  filters: Use[];
  /** The sort can use an index after the equality columns (no range, or a range on the first sort column). */
  sortApplies: boolean;
  supported(column: string): boolean;
}

function filtersOf(usage: Usage): Filters {
  const { table } = usage;
  const eq = unique(usage.eq, table);
  const range = unique(usage.range, table).filter((r) => !eq.some((e) => e.column === r.column));
  const sort = unique(usage.sort, table);
  return {
    usage,
    eq,
    range,
    sort,
    filters: [...eq, ...range],
    sortApplies: sort.length > 0 && (range.length === 0 || range[0]?.column === sort[0]?.column),
    supported: (column) => table.indexes.some((index) => leadsWith(index, column)),
  };
}

/** Filters none of whose columns leads an index: the table is read sequentially. */
function unindexedFilterHit(f: Filters): Hit | undefined {
  const { usage, eq, range, sort, filters } = f;
  if (filters.length === 0 || usage.trigram.length > 0 || filters.some((c) => f.supported(c.column)))
    return undefined;
  const name = usage.table.name;
  const tail = range.length > 0 ? [range[0] as Use] : f.sortApplies ? sort : [];
  const columns = [...eq, ...tail].map((c) => ({
    column: c.column,
    desc: 'desc' in c ? (c.desc as boolean) : false,
  }));
  const order =
    eq.length > 0 && tail.length > 0
      ? ` Equality column${eq.length > 1 ? 's' : ''} (${describe(eq)}) first, then ${range.length > 0 ? `the range column ${range[0]?.column}` : `the ORDER BY column${sort.length > 1 ? 's' : ''} (${describe(sort)})`}, so one index scan serves ${range.length > 0 ? 'the whole filter' : 'the filter and the order'}.`
      : '';
  return hit(
    usage,
    filters[0]?.location,
    `${name} is filtered on ${describe(filters)} and no index of ${name} leads with ${filters.length > 1 ? 'any of them' : 'it'}: the table is read sequentially.${order}`,
    columns,
    'filter',
  );
}

/** Equality filters served only by an index that leads with the range column. */
function rangeFirstHit(f: Filters): Hit | undefined {
  const { usage, eq, range } = f;
  const single = eq.filter((e) => e.multi !== true);
  // A partial index that leads with the range column usually holds the equality in its predicate.
  const rangeLed = usage.table.indexes.filter((index) => index.keys[0] === range[0]?.column);
  const first = range[0];
  if (
    single.length === 0 ||
    first === undefined ||
    eq.some((e) => f.supported(e.column)) ||
    rangeLed.length === 0 ||
    rangeLed.some((index) => index.partial)
  )
    return undefined;
  return hit(
    usage,
    single[0]?.location,
    `${usage.table.name} is filtered on ${describe(single)} (equality) and ${first.column} (range), but its index leads with the range column: every row in the range is read and ${describe(single)} tested on each. Put the equality column${single.length > 1 ? 's' : ''} first.`,
    [...single, first].map((c) => ({ column: c.column })),
    'order',
    'low',
  );
}

/** Join columns without an index, on a table without filters joined from a filtered one. */
function joinHits(f: Filters, usages: ReadonlyMap<TableRef, Usage>): Hit[] {
  const { usage } = f;
  if (f.filters.length > 0) return [];
  const name = usage.table.name;
  return unique(usage.joins, usage.table).flatMap((join) => {
    if (f.supported(join.column)) return [];
    const other = usages.get(join.other);
    if (other === undefined || other.eq.length + other.range.length === 0) return [];
    return [
      hit(
        usage,
        join.location,
        `${name} is joined on ${join.column} from ${join.other.name ?? join.other.alias}, which is filtered, and no index of ${name} leads with ${join.column}: each lookup reads ${name} sequentially (a foreign key column without an index).`,
        [{ column: join.column }],
        'join',
      ),
    ];
  });
}

/** ORDER BY … LIMIT that no index delivers in order after the equality columns. */
function sortHit(f: Filters): Hit | undefined {
  const { usage, eq, sort, filters } = f;
  const eqSet = new Set(eq.map((e) => e.column));
  if (!f.sortApplies || usage.table.indexes.some((index) => servesSort(index, eqSet, sort))) return undefined;
  const columns = [...eq.map((e) => ({ column: e.column, desc: false })), ...sort];
  const lead = eq.length > 0 ? `the equality column${eq.length > 1 ? 's' : ''} (${describe(eq)}), then ` : '';
  return hit(
    usage,
    sort[0]?.location,
    `ORDER BY ${describe(sort)} … LIMIT on ${usage.table.name}: no index delivers rows in that order${filters.length > 0 ? ' after the filter' : ''}, so every ${filters.length > 0 ? 'matching ' : ''}row is read and sorted to return the first few. An index on ${lead}the ORDER BY column${sort.length > 1 ? 's' : ''} returns them in order.`,
    columns,
    'sort',
    filters.length > 0 ? 'low' : undefined,
  );
}

function adviseTable(usage: Usage, usages: ReadonlyMap<TableRef, Usage>): Hit[] {
  const f = filtersOf(usage);
  const unindexed = unindexedFilterHit(f);
  if (unindexed !== undefined) return [unindexed];
  return [rangeFirstHit(f), ...joinHits(f, usages), sortHit(f)].filter((h): h is Hit => h !== undefined);
}

/** SQL010 hits of one block. */
export function indexHits(block: Block): Hit[] {
  const usages = new Map<TableRef, Usage>();
  for (const condition of [block.where, ...block.joinQuals]) {
    for (const conjunct of conjuncts(condition)) classify(block, conjunct, usages);
  }
  sortOf(block, usages);
  return [...usages.values()].flatMap((usage) => adviseTable(usage, usages));
}
