/**
 * A statement as query blocks: each SELECT (set-operation arms, subqueries,
 * CTEs and derived tables each count as one), UPDATE and DELETE, with the
 * relations in its FROM and the conditions that belong to it. Column
 * references are resolved to the relation they read, by qualifier, or — for an
 * unqualified name — by the columns the DDL gives each table; a reference to a
 * relation outside the block is `outer` (a correlated subquery's parameter).
 */
import {
  asNode,
  type ColumnName,
  constValue,
  type Fields,
  isAggregateCall,
  isObject,
  list,
  nodeOf,
  str,
  walk,
} from './ast.js';
import type { SchemaModel, TableDef } from './schema-model.js';

export type RefKind = 'table' | 'cte' | 'subquery' | 'function' | 'values' | 'other';

export interface TableRef {
  /** The name columns are qualified with: the alias, else the relation name. */
  alias: string;
  kind: RefKind;
  /** The relation name of a table or CTE reference. */
  name?: string;
  /** The DDL's table, when the reference is to one. */
  table?: TableDef;
  /** Can be paired with anything without a cartesian blow-up (SQL006): functions, LATERAL, one-row subqueries. */
  joinExempt: boolean;
  location?: number;
}

export interface Block {
  kind: 'select' | 'update' | 'delete';
  body: Fields;
  /** Its rows are the statement's result (SQL001). */
  topLevel: boolean;
  refs: TableRef[];
  /** FROM items (each a relation or a join tree); for UPDATE/DELETE the target first. */
  fromItems: unknown[];
  where?: unknown;
  /** ON conditions of the joins in this block's FROM. */
  joinQuals: unknown[];
  /** The joins of this block's FROM: `usesKeys` for USING / NATURAL (which link their sides without ON). */
  joins: { left: TableRef[]; right: TableRef[]; usesKeys: boolean }[];
}

const QUERY_TYPES = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** Whether a subquery returns at most one row: no FROM, LIMIT 1, or an aggregate without GROUP BY. */
export function isSingleRow(select: Fields): boolean {
  if (select.op !== undefined && select.op !== 'SETOP_NONE') return false;
  if (list(select.fromClause).length === 0 && list(select.valuesLists).length <= 1) return true;
  const limit = constValue(select.limitCount);
  if (limit !== undefined && limit.value === 1) return true;
  if (list(select.groupClause).length > 0) return false;
  return list(select.targetList).some((target) => {
    const val = asNode(target, 'ResTarget')?.val;
    const call = asNode(val, 'FuncCall');
    return call !== undefined && isAggregateCall(call);
  });
}

class BlockCollector {
  readonly blocks: Block[] = [];
  readonly #ctes: Map<string, Fields>;

  constructor(
    readonly schema: SchemaModel,
    ctes: Map<string, Fields>,
  ) {
    this.#ctes = ctes;
  }

  statement(type: string, body: Fields): void {
    this.#query(type, body, true);
  }

  #query(type: string, body: Fields, topLevel: boolean): void {
    if (type === 'SelectStmt') this.#select(body, topLevel);
    else if (type === 'UpdateStmt') this.#modify('update', body, body.relation, list(body.fromClause));
    else if (type === 'DeleteStmt') this.#modify('delete', body, body.relation, list(body.usingClause));
    else this.#nested(body, []);
  }

  /** Subqueries anywhere under `body` (not under the keys given), as blocks of their own. */
  #nested(body: Fields, skip: readonly string[]): void {
    for (const [key, value] of Object.entries(body)) {
      if (skip.includes(key)) continue;
      walk(value, (type, inner) => {
        if (!QUERY_TYPES.has(type)) return undefined;
        this.#query(type, inner, false);
        return false;
      });
    }
  }

  #select(body: Fields, topLevel: boolean): void {
    if (body.op !== undefined && body.op !== 'SETOP_NONE') {
      for (const arm of [body.larg, body.rarg]) if (isObject(arm)) this.#select(arm, topLevel);
      this.#nested(body, ['larg', 'rarg']);
      return;
    }
    const block: Block = {
      kind: 'select',
      body,
      topLevel,
      refs: [],
      fromItems: list(body.fromClause),
      ...(body.whereClause === undefined ? {} : { where: body.whereClause }),
      joinQuals: [],
      joins: [],
    };
    for (const item of block.fromItems) this.#leaves(item, block);
    this.blocks.push(block);
    this.#nested(body, []);
  }

  #modify(kind: 'update' | 'delete', body: Fields, relation: unknown, from: unknown[]): void {
    const target = isObject(relation) ? { RangeVar: relation } : undefined;
    const block: Block = {
      kind,
      body,
      topLevel: false,
      refs: [],
      fromItems: target === undefined ? from : [target, ...from],
      ...(body.whereClause === undefined ? {} : { where: body.whereClause }),
      joinQuals: [],
      joins: [],
    };
    for (const item of block.fromItems) this.#leaves(item, block);
    this.blocks.push(block);
    this.#nested(body, ['relation']);
  }

  /** The references a FROM item contributes (a join tree gives all of its leaves). */
  #leaves(item: unknown, block: Block): TableRef[] {
    const node = nodeOf(item);
    if (node === undefined) return [];
    const [type, body] = node;
    const alias = isObject(body.alias) ? str(body.alias.aliasname) : undefined;
    const add = (ref: TableRef) => {
      block.refs.push(ref);
      return [ref];
    };
    const at = typeof body.location === 'number' ? { location: body.location } : {};
    switch (type) {
      case 'RangeVar': {
        const name = str(body.relname) ?? '?';
        const schemaName = str(body.schemaname);
        const cte = schemaName === undefined ? this.#ctes.get(name) : undefined;
        if (cte !== undefined) {
          return add({ alias: alias ?? name, kind: 'cte', name, joinExempt: isSingleRow(cte), ...at });
        }
        const table = this.schema.tables.get(name);
        return add({
          alias: alias ?? name,
          kind: 'table',
          name,
          ...(table === undefined ? {} : { table }),
          joinExempt: false,
          ...at,
        });
      }
      case 'RangeTableSample':
        return this.#leaves(body.relation, block);
      case 'RangeSubselect': {
        const select = asNode(body.subquery, 'SelectStmt');
        const values = select !== undefined && list(select.valuesLists).length > 0;
        const exempt = body.lateral === true || values || (select !== undefined && isSingleRow(select));
        return add({ alias: alias ?? '?', kind: values ? 'values' : 'subquery', joinExempt: exempt, ...at });
      }
      case 'RangeFunction':
        return add({ alias: alias ?? '?', kind: 'function', joinExempt: true, ...at });
      case 'JoinExpr': {
        const left = this.#leaves(body.larg, block);
        const right = this.#leaves(body.rarg, block);
        if (body.quals !== undefined) block.joinQuals.push(body.quals);
        const usesKeys = body.isNatural === true || list(body.usingClause).length > 0;
        block.joins.push({ left, right, usesKeys });
        return [...left, ...right];
      }
      default:
        return add({ alias: alias ?? '?', kind: 'other', joinExempt: true, ...at });
    }
  }
}

/** Every query block of a statement (its CTEs', subqueries' and set-operation arms' included). */
export function queryBlocks(type: string, body: Fields, schema: SchemaModel): Block[] {
  const ctes = new Map<string, Fields>();
  walk(body, (nodeType, inner) => {
    if (nodeType === 'CommonTableExpr') {
      const name = str(inner.ctename);
      const query = asNode(inner.ctequery, 'SelectStmt');
      if (name !== undefined) ctes.set(name, query ?? {});
    }
    return undefined;
  });
  const collector = new BlockCollector(schema, ctes);
  collector.statement(type, body);
  return collector.blocks;
}

export type Resolution = { ref: TableRef } | { outer: true } | { unknown: true };

/** The relation a column reference reads, within one block. */
export function resolveColumn(block: Block, column: ColumnName): Resolution {
  if (column.qualifier !== undefined) {
    const ref =
      block.refs.find((r) => r.alias === column.qualifier) ??
      block.refs.find((r) => r.name === column.qualifier && r.kind === 'table');
    return ref === undefined ? { outer: true } : { ref };
  }
  const known = block.refs.filter((r) => r.table?.columns !== undefined);
  const holders = known.filter((r) => r.table?.columns?.has(column.column));
  if (holders.length === 1 && holders[0] !== undefined) return { ref: holders[0] };
  if (holders.length > 1) return { unknown: true };
  // No table given by the DDL has the column: a single relation whose columns are unknown reads it, …
  const unknownColumns = block.refs.filter((r) => r.table?.columns === undefined);
  if (unknownColumns.length === 1 && unknownColumns[0] !== undefined) return { ref: unknownColumns[0] };
  // … and when every relation's columns are known, it belongs to an enclosing query.
  if (unknownColumns.length === 0 && block.refs.length > 0) return { outer: true };
  return { unknown: true };
}

/** Whether a block computes aggregates or groups (its ORDER BY then sorts groups, not rows). */
export function isGrouped(block: Block): boolean {
  if (list(block.body.groupClause).length > 0 || block.body.distinctClause !== undefined) return true;
  let aggregate = false;
  walk(
    block.body.targetList,
    (type, body) => {
      if (type === 'FuncCall' && isAggregateCall(body)) aggregate = true;
      return undefined;
    },
    { stopAtQueries: true },
  );
  return aggregate;
}
