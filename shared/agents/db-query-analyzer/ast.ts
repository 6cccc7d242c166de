/**
 * Reading libpg_query's parse tree (the JSON of PostgreSQL's own node
 * structs): a node is `{ TypeName: { …fields } }`; some fields hold a struct
 * without the wrapper (a set operation's `larg` / `rarg`, a statement's
 * `relation`). These helpers read it without trusting its shape: every access
 * checks types, so an unexpected tree yields no finding rather than a crash.
 */

export type Fields = Record<string, unknown>;

export function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ Type: body }` → [Type, body]; anything else → undefined. */
export function nodeOf(value: unknown): [string, Fields] | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const [type] = keys as [string];
  const body = value[type];
  if (!/^[A-Z]/.test(type) || !isObject(body)) return undefined;
  return [type, body];
}

/** The body when `value` is a node of this type. */
export function asNode(value: unknown, type: string): Fields | undefined {
  const node = nodeOf(value);
  return node?.[0] === type ? node[1] : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A relation's name as a `RangeVar` (wrapped or its bare body) gives it; undefined when it names none. */
export function rangeVarName(
  value: unknown,
): { name: string; schema?: string; catalog?: string } | undefined {
  const body = isObject(value) ? (asNode(value, 'RangeVar') ?? value) : undefined;
  const name = str(body?.relname);
  if (name === undefined) return undefined;
  const schema = str(body?.schemaname);
  const catalog = str(body?.catalogname);
  return {
    name,
    ...(schema === undefined ? {} : { schema }),
    ...(catalog === undefined ? {} : { catalog }),
  };
}

/** The text of a `String` node (`{ String: { sval } }`). */
export function stringNode(value: unknown): string | undefined {
  return str(asNode(value, 'String')?.sval);
}

/** The names of a qualified name list (`funcname`, `name`, `names`). */
export function names(value: unknown): string[] {
  return list(value)
    .map(stringNode)
    .filter((n): n is string => n !== undefined);
}

/** The last name of a qualified name list: `pg_catalog.lower` → `lower`. */
export function lastName(value: unknown): string | undefined {
  return names(value).at(-1);
}

export function location(body: Fields | undefined): number | undefined {
  const at = num(body?.location);
  return at !== undefined && at >= 0 ? at : undefined;
}

export type ConstValue = {
  kind: 'int' | 'float' | 'string' | 'bool' | 'null';
  value: string | number | boolean;
};

/** The value of an `A_Const` (libpg_query leaves out zero and false: `ival: {}`). */
export function constValue(value: unknown): ConstValue | undefined {
  const body = asNode(value, 'A_Const');
  if (body === undefined) return undefined;
  if (body.isnull === true) return { kind: 'null', value: 'NULL' };
  if (isObject(body.ival)) return { kind: 'int', value: num(body.ival.ival) ?? 0 };
  if (isObject(body.fval)) return { kind: 'float', value: Number(str(body.fval.fval) ?? 0) };
  if (isObject(body.sval)) return { kind: 'string', value: str(body.sval.sval) ?? '' };
  if (isObject(body.boolval)) return { kind: 'bool', value: body.boolval.boolval === true };
  return undefined;
}

/** A column reference: `t.col` → { qualifier: 't', column: 'col' }; `t.*` → column '*'. */
export interface ColumnName {
  qualifier?: string;
  column: string;
  location?: number;
}

export function columnRef(value: unknown): ColumnName | undefined {
  const body = asNode(value, 'ColumnRef');
  if (body === undefined) return undefined;
  const fields = list(body.fields);
  const last = fields.at(-1);
  const column = asNode(last, 'A_Star') !== undefined ? '*' : stringNode(last);
  if (column === undefined) return undefined;
  const qualifier = fields.length >= 2 ? stringNode(fields.at(-2)) : undefined;
  const at = location(body);
  return {
    column,
    ...(qualifier === undefined ? {} : { qualifier }),
    ...(at === undefined ? {} : { location: at }),
  };
}

/** Node types that start a query block of their own: walks of one block's expressions stop there. */
const QUERY_NODES = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/**
 * Visits every node under `value` depth-first (parents first). `visit`
 * returning false skips the node's children. With `stopAtQueries`, nested
 * query blocks (subqueries) are not entered.
 */
export function walk(
  value: unknown,
  visit: (type: string, body: Fields) => boolean | undefined,
  options: { stopAtQueries?: boolean } = {},
): void {
  const stack: unknown[] = [value];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i -= 1) stack.push(item[i]);
      continue;
    }
    if (!isObject(item)) continue;
    const node = nodeOf(item);
    let body: Fields = item;
    if (node !== undefined) {
      const [type, fields] = node;
      if (options.stopAtQueries && QUERY_NODES.has(type)) continue;
      if (visit(type, fields) === false) continue;
      body = fields;
    }
    const values = Object.values(body);
    for (let i = values.length - 1; i >= 0; i -= 1) {
      const child = values[i];
      if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
}

/** Every column reference in an expression, subqueries left out. */
export function columnsIn(expr: unknown): ColumnName[] {
  const found: ColumnName[] = [];
  walk(
    expr,
    (type, body) => {
      if (type === 'ColumnRef') {
        const ref = columnRef({ ColumnRef: body });
        if (ref !== undefined && ref.column !== '*') found.push(ref);
      }
      return undefined;
    },
    { stopAtQueries: true },
  );
  return found;
}

/** The smallest location inside an expression: where it starts in the text. */
export function firstLocation(expr: unknown): number | undefined {
  let first: number | undefined;
  walk(
    expr,
    (_type, body) => {
      const at = location(body);
      if (at !== undefined && (first === undefined || at < first)) first = at;
      return undefined;
    },
    { stopAtQueries: true },
  );
  return first;
}

/** Top-level AND conjuncts of a condition. */
export function conjuncts(expr: unknown): unknown[] {
  const bool = asNode(expr, 'BoolExpr');
  if (bool?.boolop === 'AND_EXPR') return list(bool.args).flatMap(conjuncts);
  return expr === undefined || expr === null ? [] : [expr];
}

/** An operator's name: `{ name: [{ String: '=' }] }` → '='. */
export function operatorName(body: Fields): string | undefined {
  return lastName(body.name);
}

/** Whether a function call is an aggregate or window function we treat as one (count, sum, …). */
const AGGREGATES = new Set([
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'array_agg',
  'string_agg',
  'json_agg',
  'jsonb_agg',
  'json_object_agg',
  'jsonb_object_agg',
  'bool_and',
  'bool_or',
  'every',
  'bit_and',
  'bit_or',
  'stddev',
  'variance',
  'percentile_cont',
  'percentile_disc',
  'mode',
]);

export function isAggregateCall(body: Fields): boolean {
  return body.over === undefined && AGGREGATES.has(lastName(body.funcname) ?? '');
}

/**
 * A canonical text of an expression made of columns, constants, function
 * calls, casts and operators (`lower(email)`, `(data ->> 'k')`), used to match
 * a query's expression with an expression index; undefined for anything else.
 */
export function expressionKey(expr: unknown): string | undefined {
  const ref = columnRef(expr);
  if (ref !== undefined) return ref.column;
  const constant = constValue(expr);
  if (constant !== undefined) {
    return constant.kind === 'string'
      ? `'${String(constant.value).replaceAll("'", "''")}'`
      : String(constant.value);
  }
  const node = nodeOf(expr);
  if (node === undefined) return undefined;
  const [type, body] = node;
  if (type === 'FuncCall') {
    const args = list(body.args).map(expressionKey);
    if (args.some((a) => a === undefined)) return undefined;
    return `${lastName(body.funcname)}(${args.join(',')})`;
  }
  if (type === 'TypeCast') {
    const arg = expressionKey(body.arg);
    const typeName = isObject(body.typeName) ? lastName(body.typeName.names) : undefined;
    return arg === undefined || typeName === undefined ? undefined : `${arg}::${typeName}`;
  }
  if (type === 'A_Expr' && body.kind === 'AEXPR_OP') {
    const left = body.lexpr === undefined ? '' : expressionKey(body.lexpr);
    const right = expressionKey(body.rexpr);
    return left === undefined || right === undefined ? undefined : `(${left} ${operatorName(body)} ${right})`;
  }
  if (type === 'CoalesceExpr') {
    const args = list(body.args).map(expressionKey);
    return args.some((a) => a === undefined) ? undefined : `coalesce(${args.join(',')})`;
  }
  return undefined;
}
