/**
 * The rules that read one statement's parse tree: SQL001–SQL009 and SQL012
 * (SQL010, the index rule, is in index-advice.ts). Each returns hits — the
 * rule, a message, the location in the statement and a key that tells two
 * places in one statement apart — which analyze.ts turns into findings.
 */
import type { Severity } from '../contract.js';
import {
  asNode,
  columnRef,
  columnsIn,
  conjuncts,
  constValue,
  expressionKey,
  type Fields,
  isAggregateCall,
  lastName,
  list,
  location,
  nodeOf,
  operatorName,
  str,
  walk,
} from './ast.js';
import { type Block, isSingleRow, resolveColumn, type TableRef } from './blocks.js';
import type { DbRuleId, Thresholds } from './rules.js';
import { hasExpressionIndex, hasTrigramIndex, leadsWith, type SchemaModel } from './schema-model.js';

export interface Hit {
  ruleId: DbRuleId;
  message: string;
  /** Byte location in the parsed text (undefined: the statement's first line). */
  location?: number;
  evidence?: Record<string, unknown>;
  key?: (string | number | undefined)[];
  severity?: Severity;
  /** SQL010: the index to create. */
  suggestion?: IndexSuggestion;
}

export interface IndexSuggestion {
  table: string;
  columns: string[];
  ddl: string;
}

export interface RuleContext {
  schema: SchemaModel;
  thresholds: Thresholds;
}

/** Operators that compare (a condition), as opposed to computing a value. */
export const COMPARISON_OPERATORS: ReadonlySet<string> = new Set([
  '=',
  '<',
  '>',
  '<=',
  '>=',
  '<>',
  '!=',
  '~~',
  '~~*',
  '!~~',
  '!~~*',
  '@@',
  '@>',
  '<@',
  '&&',
  '~',
  '~*',
  '!~',
  '!~*',
]);

const PREDICATE_KINDS = new Set([
  'AEXPR_OP_ANY',
  'AEXPR_OP_ALL',
  'AEXPR_IN',
  'AEXPR_LIKE',
  'AEXPR_ILIKE',
  'AEXPR_SIMILAR',
  'AEXPR_BETWEEN',
  'AEXPR_NOT_BETWEEN',
  'AEXPR_BETWEEN_SYM',
  'AEXPR_NOT_BETWEEN_SYM',
  'AEXPR_DISTINCT',
  'AEXPR_NOT_DISTINCT',
]);

/** An A_Expr that is a condition (`a = b`, `a IN (…)`, `a LIKE b`), not arithmetic. */
export function isPredicate(body: Fields): boolean {
  if (body.kind === 'AEXPR_OP') return COMPARISON_OPERATORS.has(operatorName(body) ?? '');
  return PREDICATE_KINDS.has(str(body.kind) ?? '');
}

/** The predicates of a condition, found through AND / OR / NOT only. */
export function predicatesOf(condition: unknown): Fields[] {
  const found: Fields[] = [];
  const stack: unknown[] = [condition];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const node = nodeOf(item);
    if (node === undefined) continue;
    const [type, body] = node;
    if (type === 'BoolExpr') stack.push(...list(body.args));
    else if (type === 'A_Expr' && isPredicate(body)) found.push(body);
  }
  return found;
}

/** The conditions that filter a block's rows: WHERE and the joins' ON. */
function conditions(block: Block): unknown[] {
  return [...(block.where === undefined ? [] : [block.where]), ...block.joinQuals];
}

function refOf(block: Block, column: ReturnType<typeof columnRef>): TableRef | undefined {
  if (column === undefined) return undefined;
  const resolved = resolveColumn(block, column);
  return 'ref' in resolved ? resolved.ref : undefined;
}

function sql001(block: Block): Hit[] {
  if (block.kind !== 'select' || !block.topLevel) return [];
  const hits: Hit[] = [];
  for (const target of list(block.body.targetList)) {
    const star = columnRef(asNode(target, 'ResTarget')?.val);
    if (star?.column !== '*') continue;
    const what = star.qualifier === undefined ? '*' : `${star.qualifier}.*`;
    const from = block.refs.map((r) => r.name ?? r.alias).join(', ');
    hits.push({
      ruleId: 'SQL001',
      message: `SELECT ${what} returns every column${from === '' ? '' : ` of ${from}`}; list the columns the caller reads.`,
      ...(star.location === undefined ? {} : { location: star.location }),
      key: [what],
    });
  }
  return hits;
}

function alwaysTrue(condition: unknown): boolean {
  const constant = constValue(condition);
  if (constant !== undefined) return constant.kind === 'bool' && constant.value === true;
  const expr = asNode(condition, 'A_Expr');
  if (expr === undefined || expr.kind !== 'AEXPR_OP' || operatorName(expr) !== '=') return false;
  const left = constValue(expr.lexpr);
  const right = constValue(expr.rexpr);
  return left !== undefined && right !== undefined && left.value === right.value;
}

function sql002(block: Block): Hit[] {
  if (block.kind === 'select') return [];
  if (block.where !== undefined && !alwaysTrue(block.where)) return [];
  const table = block.refs[0]?.name ?? 'the table';
  const verb = block.kind === 'update' ? 'UPDATE' : 'DELETE';
  const how = block.where === undefined ? 'has no WHERE clause' : 'has a WHERE clause that is always true';
  return [
    {
      ruleId: 'SQL002',
      message: `${verb} of ${table} ${how}: it changes every row.`,
      evidence: { table, statement: verb },
      key: [table],
    },
  ];
}

/** The text a LIKE pattern starts with, when it starts with a constant. */
function patternStart(pattern: unknown): { text: string; at?: number } | undefined {
  const constant = constValue(pattern);
  if (constant !== undefined) {
    const at = location(asNode(pattern, 'A_Const'));
    return constant.kind === 'string'
      ? { text: String(constant.value), ...(at === undefined ? {} : { at }) }
      : undefined;
  }
  const expr = asNode(pattern, 'A_Expr');
  if (expr?.kind === 'AEXPR_OP' && operatorName(expr) === '||') return patternStart(expr.lexpr);
  const call = asNode(pattern, 'FuncCall');
  if (call !== undefined && lastName(call.funcname) === 'concat') return patternStart(list(call.args)[0]);
  return undefined;
}

function sql003(block: Block): Hit[] {
  const hits: Hit[] = [];
  for (const predicate of conditions(block).flatMap(predicatesOf)) {
    const op = operatorName(predicate) ?? '';
    const like =
      predicate.kind === 'AEXPR_LIKE' ||
      predicate.kind === 'AEXPR_ILIKE' ||
      (predicate.kind === 'AEXPR_OP' && ['~~', '~~*', '!~~', '!~~*'].includes(op));
    if (!like) continue;
    const start = patternStart(predicate.rexpr);
    if (start === undefined || !/^[%_]/.test(start.text)) continue;
    const key = expressionKey(predicate.lexpr);
    const column = columnsIn(predicate.lexpr)[0];
    const table = refOf(block, column)?.table;
    if (table !== undefined && key !== undefined && hasTrigramIndex(table, key)) continue;
    const what = key ?? column?.column ?? 'the expression';
    const at = location(predicate) ?? start.at;
    hits.push({
      ruleId: 'SQL003',
      message: `${what} is matched with a pattern that starts with a wildcard ('${start.text.slice(0, 20)}…'): no B-tree index can serve it.`,
      ...(at === undefined ? {} : { location: at }),
      evidence: { expression: what, pattern: start.text.slice(0, 40) },
      key: [what],
    });
  }
  return hits;
}

/** A side of a comparison that transforms a column of this block: the column, and the expression's key. */
function wrappedColumn(
  block: Block,
  side: unknown,
): { column: string; key?: string; ref?: TableRef } | undefined {
  const node = nodeOf(side);
  if (node === undefined) return undefined;
  const [type, body] = node;
  const wraps =
    (type === 'FuncCall' && !isAggregateCall(body)) ||
    type === 'TypeCast' ||
    type === 'CoalesceExpr' ||
    (type === 'A_Expr' && body.kind === 'AEXPR_OP' && !isPredicate(body));
  if (!wraps) return undefined;
  for (const column of columnsIn(side)) {
    const resolved = resolveColumn(block, column);
    if ('outer' in resolved) continue;
    const key = expressionKey(side);
    return {
      column: column.column,
      ...(key === undefined ? {} : { key }),
      ...('ref' in resolved ? { ref: resolved.ref } : {}),
    };
  }
  return undefined;
}

function sql004(block: Block): Hit[] {
  const hits: Hit[] = [];
  const seen = new Set<string>();
  for (const predicate of conditions(block).flatMap(predicatesOf)) {
    for (const side of [predicate.lexpr, predicate.rexpr]) {
      const wrapped = wrappedColumn(block, side);
      if (wrapped === undefined) continue;
      const table = wrapped.ref?.table;
      if (table !== undefined && wrapped.key !== undefined && hasExpressionIndex(table, wrapped.key))
        continue;
      const what = wrapped.key ?? `an expression on ${wrapped.column}`;
      if (seen.has(what)) continue;
      seen.add(what);
      const at = location(asNode(side, nodeOf(side)?.[0] ?? '')) ?? location(predicate);
      hits.push({
        ruleId: 'SQL004',
        message:
          `${what} is compared in a condition: an index on ${wrapped.column} cannot be used for it. ` +
          `Compare ${wrapped.column} itself, or create an expression index on ${what}.`,
        ...(at === undefined ? {} : { location: at }),
        evidence: {
          expression: what,
          column: wrapped.column,
          ...(wrapped.ref?.name === undefined ? {} : { table: wrapped.ref.name }),
        },
        key: [what],
      });
    }
  }
  return hits;
}

function sql005(block: Block): Hit[] {
  const hits: Hit[] = [];
  const report = (sublink: Fields, form: string) => {
    const test = expressionKey(sublink.testexpr) ?? 'the value';
    const at = location(sublink);
    hits.push({
      ruleId: 'SQL005',
      message: `${test} ${form} (subquery): no row matches once the subquery returns a NULL, and it is not planned as an anti-join. Use NOT EXISTS.`,
      ...(at === undefined ? {} : { location: at }),
      evidence: { expression: test },
      key: [test, at],
    });
  };
  walk(
    [block.body.targetList, block.where, block.joinQuals, block.body.havingClause],
    (type, body) => {
      if (type === 'BoolExpr' && body.boolop === 'NOT_EXPR') {
        const sublink = asNode(list(body.args)[0], 'SubLink');
        if (sublink?.subLinkType === 'ANY_SUBLINK' && list(sublink.operName).length === 0) {
          report(sublink, 'NOT IN');
        }
      } else if (type === 'SubLink' && body.subLinkType === 'ALL_SUBLINK') {
        const op = lastName(body.operName);
        if (op === '<>' || op === '!=') report(body, `${op} ALL`);
      }
      return undefined;
    },
    { stopAtQueries: true },
  );
  return hits;
}

/** SQL006: union-find over the block's references, joined by conditions that read two of them. */
function sql006(block: Block): Hit[] {
  const candidates = block.refs.filter((r) => !r.joinExempt);
  if (candidates.length < 2) return [];
  const parent = block.refs.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] ?? root;
    return root;
  };
  const union = (a: number, b: number) => {
    parent[find(a)] = find(b);
  };
  const index = (ref: TableRef) => block.refs.indexOf(ref);
  let uncertain = false;
  // USING and NATURAL joins link their two sides; ON conditions are read like WHERE.
  for (const join of block.joins) {
    const [first, ...rest] = join.usesKeys ? [...join.left, ...join.right] : [];
    if (first !== undefined) for (const ref of rest) union(index(ref), index(first));
  }
  for (const condition of conditions(block)) {
    for (const conjunct of conjuncts(condition)) {
      const refs = new Set<number>();
      const columns = columnsIn(conjunct);
      for (const column of columns) {
        const resolved = resolveColumn(block, column);
        if ('ref' in resolved) refs.add(index(resolved.ref));
        // A bare name no table of the DDL has (a stale or partial schema) may well be the join's other side.
        else if (columns.length > 1 && ('unknown' in resolved || column.qualifier === undefined))
          uncertain = true;
      }
      // A correlated subquery can link two relations of this block (EXISTS (… a.id … b.id)).
      walk(conjunct, (type, body) => {
        if (type !== 'ColumnRef') return undefined;
        const column = columnRef({ ColumnRef: body });
        if (column?.qualifier === undefined) return undefined;
        const ref = block.refs.find((r) => r.alias === column.qualifier);
        if (ref !== undefined) refs.add(index(ref));
        return undefined;
      });
      const [first, ...rest] = [...refs];
      if (first !== undefined) for (const other of rest) union(other, first);
    }
  }
  if (uncertain) return [];
  const exempt = block.refs.filter((r) => r.joinExempt);
  for (const ref of exempt) if (candidates[0]) union(index(ref), index(candidates[0]));
  const roots = new Map<number, TableRef[]>();
  for (const ref of candidates) {
    const root = find(index(ref));
    roots.set(root, [...(roots.get(root) ?? []), ref]);
  }
  if (roots.size < 2) return [];
  const label = (r: TableRef) =>
    r.name !== undefined && r.name !== r.alias ? `${r.name} ${r.alias}` : r.alias;
  const unlinked = [...roots.values()].map((refs) =>
    refs.length === 1 ? label(refs[0] as TableRef) : `(${refs.map(label).join(', ')})`,
  );
  const loose = [...roots.values()][1]?.[0];
  return [
    {
      ruleId: 'SQL006',
      message: `${unlinked.join(' and ')} are not joined by any condition: every row of one is paired with every row of the other.`,
      ...(loose?.location === undefined ? {} : { location: loose.location }),
      evidence: { unlinked: unlinked },
      key: unlinked,
    },
  ];
}

function sql007(block: Block, thresholds: Thresholds): Hit[] {
  if (block.kind !== 'select' || block.body.limitOffset === undefined) return [];
  const offset = block.body.limitOffset;
  const constant = constValue(offset);
  const at = location(nodeOf(offset)?.[1]);
  const place = at === undefined ? {} : { location: at };
  if (constant !== undefined) {
    const rows = Number(constant.value);
    if (!(rows >= thresholds.largeOffset)) return [];
    return [
      {
        ruleId: 'SQL007',
        message: `OFFSET ${rows} reads and discards ${rows} rows before returning a page; use keyset pagination.`,
        ...place,
        evidence: { offset: rows, threshold: thresholds.largeOffset },
        key: ['offset'],
      },
    ];
  }
  return [
    {
      ruleId: 'SQL007',
      severity: 'low',
      message:
        'OFFSET is a parameter: a deep page reads and discards every row before it. Prefer keyset pagination.',
      ...place,
      evidence: { offset: 'parameter' },
      key: ['offset'],
    },
  ];
}

/** The columns an OR arm tests, as `relation.column`. */
function armColumns(block: Block, arm: unknown): Set<string> {
  const columns = new Set<string>();
  for (const column of columnsIn(arm)) {
    const resolved = resolveColumn(block, column);
    if ('outer' in resolved) continue;
    const owner = 'ref' in resolved ? resolved.ref.alias : (column.qualifier ?? '');
    columns.add(owner === '' ? column.column : `${owner}.${column.column}`);
  }
  return columns;
}

function orNodes(condition: unknown): Fields[] {
  const found: Fields[] = [];
  const stack: unknown[] = [condition];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const bool = asNode(item, 'BoolExpr');
    if (bool === undefined) continue;
    if (bool.boolop === 'OR_EXPR') found.push(bool);
    else stack.push(...list(bool.args));
  }
  return found;
}

function sql008(block: Block): Hit[] {
  const hits: Hit[] = [];
  for (const or of conditions(block).flatMap(orNodes)) {
    const arms = list(or.args)
      .map((arm) => armColumns(block, arm))
      .filter((columns) => columns.size > 0);
    if (arms.length < 2) continue;
    const signature = (set: Set<string>) => [...set].sort().join(',');
    const first = signature(arms[0] as Set<string>);
    if (arms.every((arm) => signature(arm) === first)) continue;
    const all = [...new Set(arms.flatMap((arm) => [...arm]))].sort();
    const indexed = all.every((name) => {
      const [alias, column] = name.includes('.') ? name.split('.', 2) : [undefined, name];
      const ref =
        block.refs.find((r) => r.alias === alias) ?? (block.refs.length === 1 ? block.refs[0] : undefined);
      return ref?.table?.indexes.some((index) => leadsWith(index, column ?? '')) === true;
    });
    const at = location(or);
    hits.push({
      ruleId: 'SQL008',
      ...(indexed ? { severity: 'low' as const } : {}),
      message:
        `OR across different columns (${all.join(', ')}): one index cannot serve the condition` +
        (indexed
          ? '; each column has an index, so a BitmapOr is possible.'
          : '; consider a UNION of one query per column.'),
      ...(at === undefined ? {} : { location: at }),
      evidence: { columns: all, everyColumnIndexed: indexed },
      key: all,
    });
  }
  return hits;
}

function sql009(block: Block): Hit[] {
  const hits: Hit[] = [];
  for (const sort of list(block.body.sortClause)) {
    const call = asNode(asNode(sort, 'SortBy')?.node, 'FuncCall');
    if (call === undefined || lastName(call.funcname) !== 'random') continue;
    const at = location(call);
    hits.push({
      ruleId: 'SQL009',
      message: 'ORDER BY random() gives every row a random value and sorts them all to return a few.',
      ...(at === undefined ? {} : { location: at }),
      key: ['random'],
    });
  }
  return hits;
}

/** A count(*) / count(x) call, or a scalar subquery that returns one, ungrouped. */
function isCount(expr: unknown, direct: boolean): boolean {
  const call = asNode(expr, 'FuncCall');
  if (call !== undefined) {
    return direct && lastName(call.funcname) === 'count' && call.over === undefined;
  }
  const sublink = asNode(expr, 'SubLink');
  if (sublink?.subLinkType !== 'EXPR_SUBLINK') return false;
  const select = asNode(sublink.subselect, 'SelectStmt');
  if (select === undefined || list(select.groupClause).length > 0) return false;
  const targets = list(select.targetList);
  const value = asNode(targets[0], 'ResTarget')?.val;
  const inner = asNode(value, 'FuncCall');
  return (
    targets.length === 1 &&
    inner !== undefined &&
    lastName(inner.funcname) === 'count' &&
    inner.over === undefined
  );
}

/** `count > 0`, `count >= 1`, `count <> 0`, `count = 0`, `count < 1` and their mirrors. */
function isExistenceComparison(op: string, constant: number, countOnLeft: boolean): boolean {
  const mirrored: Record<string, string> = { '>': '<', '<': '>', '>=': '<=', '<=': '>=' };
  const normal = countOnLeft ? op : (mirrored[op] ?? op);
  if (constant === 0) return ['>', '<>', '!=', '=', '<='].includes(normal);
  if (constant === 1) return ['>=', '<'].includes(normal);
  return false;
}

function sql012(block: Block): Hit[] {
  const hits: Hit[] = [];
  const grouped = list(block.body.groupClause).length > 0;
  const inspect = (expr: Fields, directAllowed: boolean) => {
    if (expr.kind !== 'AEXPR_OP') return;
    const op = operatorName(expr) ?? '';
    for (const [count, other, left] of [
      [expr.lexpr, expr.rexpr, true],
      [expr.rexpr, expr.lexpr, false],
    ] as const) {
      const constant = constValue(other);
      if (constant?.kind !== 'int' || !isCount(count, directAllowed)) continue;
      if (!isExistenceComparison(op, Number(constant.value), left)) continue;
      const at = location(expr);
      hits.push({
        ruleId: 'SQL012',
        message: `count compared with ${constant.value} (${op}) counts every matching row to answer yes or no; use EXISTS.`,
        ...(at === undefined ? {} : { location: at }),
        key: [op, constant.value as number, at],
      });
      return;
    }
  };
  // count(*) directly in the select list (no GROUP BY) is a whole-result check; in HAVING it is a group filter.
  walk(
    block.body.targetList,
    (type, body) => {
      if (type === 'A_Expr') inspect(body, !grouped);
      return undefined;
    },
    { stopAtQueries: true },
  );
  walk(
    [block.where, block.joinQuals],
    (type, body) => {
      if (type === 'A_Expr') inspect(body, false);
      return undefined;
    },
    { stopAtQueries: true },
  );
  return hits;
}

/** SQL001–SQL009 and SQL012 on every block of one statement. */
export function statementRuleHits(blocks: readonly Block[], context: RuleContext): Hit[] {
  return blocks.flatMap((block) => [
    ...sql001(block),
    ...sql002(block),
    ...sql003(block),
    ...sql004(block),
    ...sql005(block),
    ...sql006(block),
    ...sql007(block, context.thresholds),
    ...sql008(block),
    ...sql009(block),
    ...sql012(block),
  ]);
}

export { isSingleRow };
