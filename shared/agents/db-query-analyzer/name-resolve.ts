/**
 * Resolves the relation and column names of one query against the catalog
 * (name-catalog.ts), the way PostgreSQL's parse analysis does: WITH first,
 * then FROM (tables, aliases, subqueries, joins, functions, VALUES), then the
 * expressions, each seeing the FROM items of its query level and, for a
 * correlated subquery, of the levels around it.
 *
 * Conservative where PostgreSQL would need more than names: a FROM item whose
 * columns are unknown (a function, a relation the catalog cannot describe)
 * makes every unqualified column at its level unjudged, and a qualifier that
 * names no FROM item is left alone. What is reported is what PostgreSQL would
 * report: `relation "x" does not exist`, `column "x" does not exist`.
 */
import {
  asNode,
  type Fields,
  isObject,
  lastName,
  list,
  location,
  names,
  nodeOf,
  rangeVarName,
  str,
  stringNode,
  walk,
} from './ast.js';
import type { Catalog, QualifiedName, Relation } from './name-catalog.js';

export interface NameIssue {
  ruleId: 'SQL013' | 'SQL014';
  /** The missing relation or column, as PostgreSQL names it. */
  name: string;
  message: string;
  /** Where in the parsed text (libpg_query's byte location). */
  location?: number;
}

/** A FROM item as the expressions of its level see it. */
interface Source {
  /** The name a qualified column uses: the alias, or the relation's name. */
  name?: string;
  /** Undefined: not known, so no column of it is judged. */
  columns: string[] | undefined;
  relation?: Relation;
}

interface Scope {
  sources: Source[];
  parent: Scope | undefined;
}

/** The WITH names visible at a point, innermost first. */
interface Ctes {
  names: Map<string, string[] | undefined>;
  parent: Ctes | undefined;
}

/** Columns every table has. `oid` is one only before PostgreSQL 12; accepting it costs nothing. */
const SYSTEM_COLUMNS = new Set(['ctid', 'xmin', 'xmax', 'cmin', 'cmax', 'tableoid', 'oid']);

/** An output column's name as PostgreSQL figures it (FigureColname), and whether it is a strong guess. */
interface Figured {
  name: string;
  strong: boolean;
}

const WEAK_NAME = { name: '?column?', strong: false };
const ANONYMOUS = new Set(['A_Const', 'A_Expr', 'BoolExpr', 'ParamRef', 'NullTest', 'BooleanTest']);

function figure(expr: unknown): Figured | undefined {
  const node = nodeOf(expr);
  if (node === undefined) return undefined;
  const [type, body] = node;
  if (ANONYMOUS.has(type)) return WEAK_NAME;
  switch (type) {
    case 'ColumnRef': {
      const last = stringNode(list(body.fields).at(-1));
      return last === undefined ? undefined : { name: last, strong: true };
    }
    case 'FuncCall': {
      const name = lastName(body.funcname);
      return name === undefined ? undefined : { name, strong: true };
    }
    case 'A_Indirection': {
      const last = stringNode(list(body.indirection).at(-1));
      return last === undefined ? figure(body.arg) : { name: last, strong: true };
    }
    case 'TypeCast': {
      const inner = figure(body.arg);
      if (inner?.strong) return inner;
      const typeName = isObject(body.typeName) ? lastName(body.typeName.names) : undefined;
      return typeName === undefined ? undefined : { name: typeName, strong: false };
    }
    case 'CoalesceExpr':
      return { name: 'coalesce', strong: true };
    case 'MinMaxExpr':
      return { name: body.op === 'IS_LEAST' ? 'least' : 'greatest', strong: true };
    case 'CaseExpr':
      return { name: 'case', strong: false };
    case 'SubLink':
      if (body.subLinkType === 'EXISTS_SUBLINK') return { name: 'exists', strong: true };
      if (body.subLinkType === 'ARRAY_SUBLINK') return { name: 'array', strong: true };
      return undefined;
    default:
      return undefined;
  }
}

function shownName(name: QualifiedName): string {
  return [name.catalog, name.schema, name.name].filter((n) => n !== undefined).join('.');
}

/** Columns renamed by an alias list (`AS t(a, b)` renames the first two). */
function renamed(aliases: readonly string[], columns: string[] | undefined): string[] | undefined {
  if (aliases.length === 0 || columns === undefined) return columns;
  return [...aliases, ...columns.slice(aliases.length)];
}

function aliasOf(value: unknown): { name?: string; columns: string[] } {
  const alias = isObject(value) ? (asNode(value, 'Alias') ?? value) : undefined;
  const name = str(alias?.aliasname);
  return { ...(name === undefined ? {} : { name }), columns: names(alias?.colnames) };
}

function union(sources: readonly Source[]): string[] | undefined {
  const columns: string[] = [];
  for (const source of sources) {
    if (source.columns === undefined) return undefined;
    columns.push(...source.columns);
  }
  return columns;
}

/** Resolves one statement's names (`query`), collecting what PostgreSQL would not find in `issues`. */
export class NameResolver {
  readonly issues: NameIssue[] = [];

  /** With `report` false the resolver only derives output columns (a view's), finding nothing. */
  constructor(
    private readonly catalog: Catalog,
    private readonly report = true,
  ) {}

  private fail(issue: NameIssue): void {
    if (this.report) this.issues.push(issue);
  }

  /** Resolves a statement; its output columns (undefined when not known). */
  query(
    value: unknown,
    outer: Scope | undefined = undefined,
    ctes: Ctes | undefined = undefined,
  ): string[] | undefined {
    const node = nodeOf(value);
    if (node === undefined) return undefined;
    const [type, body] = node;
    switch (type) {
      case 'SelectStmt':
        return this.select(body, outer, ctes);
      case 'InsertStmt':
        return this.insert(body, outer, ctes);
      case 'UpdateStmt':
        return this.update(body, outer, ctes);
      case 'DeleteStmt':
        return this.delete(body, outer, ctes);
      case 'MergeStmt':
        return this.merge(body, outer, ctes);
      default:
        return undefined;
    }
  }

  private with(clause: unknown, outer: Scope | undefined, ctes: Ctes | undefined): Ctes | undefined {
    if (!isObject(clause)) return ctes;
    const own: Ctes = { names: new Map(), parent: ctes };
    const recursive = clause.recursive === true;
    for (const item of list(clause.ctes)) {
      const cte = asNode(item, 'CommonTableExpr');
      const name = str(cte?.ctename);
      if (cte === undefined || name === undefined) continue;
      const aliases = names(cte.aliascolnames);
      // A recursive CTE names itself: inside, its columns are the list given, or not known.
      if (recursive) own.names.set(name, aliases.length === 0 ? undefined : aliases);
      own.names.set(name, renamed(aliases, this.query(cte.ctequery, outer, own)));
    }
    return own;
  }

  private select(body: Fields, outer: Scope | undefined, outerCtes: Ctes | undefined): string[] | undefined {
    const ctes = this.with(body.withClause, outer, outerCtes);
    if (str(body.op) !== undefined && body.op !== 'SETOP_NONE') {
      const left = this.select(asNodeOrSelf(body.larg), outer, ctes);
      this.select(asNodeOrSelf(body.rarg), outer, ctes);
      // ORDER BY of a UNION names its output columns.
      const scope: Scope = { sources: [{ columns: left }], parent: outer };
      this.ordering(body.sortClause, scope, left, ctes);
      this.expressions([body.limitCount, body.limitOffset], scope, ctes);
      return left;
    }
    const rows = list(body.valuesLists);
    if (rows.length > 0) {
      this.expressions(rows, { sources: [], parent: outer }, ctes);
      const first = asNode(rows[0], 'List');
      return list(first?.items ?? rows[0]).map((_, i) => `column${i + 1}`);
    }
    const scope: Scope = { sources: this.from(body.fromClause, outer, ctes), parent: outer };
    this.expressions([body.targetList, body.whereClause, body.havingClause, body.windowClause], scope, ctes);
    const outputs = this.outputs(body.targetList, scope);
    for (const clause of [body.groupClause, body.sortClause, body.distinctClause])
      this.ordering(clause, scope, outputs, ctes);
    this.expressions([body.limitCount, body.limitOffset], scope, ctes);
    return outputs;
  }

  /** GROUP BY, ORDER BY, DISTINCT ON: an item that is a bare name may be an output column's (`outputs`). */
  private ordering(
    items: unknown,
    scope: Scope,
    outputs: string[] | undefined,
    ctes: Ctes | undefined,
  ): void {
    for (const item of list(items)) {
      const grouping = asNode(item, 'GroupingSet');
      if (grouping !== undefined) {
        this.ordering(grouping.content, scope, outputs, ctes);
        continue;
      }
      const expr = asNode(item, 'SortBy')?.node ?? item;
      const fields = list(asNode(expr, 'ColumnRef')?.fields);
      const name = fields.length === 1 ? stringNode(fields[0]) : undefined;
      if (name !== undefined && (outputs === undefined || outputs.includes(name))) continue;
      this.expressions([expr], scope, ctes);
    }
  }

  private insert(body: Fields, outer: Scope | undefined, outerCtes: Ctes | undefined): string[] | undefined {
    const ctes = this.with(body.withClause, outer, outerCtes);
    const target = this.target(body.relation);
    if (target === undefined) return undefined;
    this.query(body.selectStmt, outer, ctes);
    this.assigned(list(body.cols), target);
    const conflict = isObject(body.onConflictClause) ? body.onConflictClause : undefined;
    if (conflict !== undefined) {
      const excluded: Source = { name: 'excluded', columns: target.columns };
      const scope: Scope = { sources: [target, excluded], parent: outer };
      const infer = isObject(conflict.infer) ? conflict.infer : undefined;
      for (const element of list(infer?.indexElems)) {
        const index = asNode(element, 'IndexElem');
        const name = str(index?.name);
        // An index element carries no location: PostgreSQL points at the inference clause.
        if (name !== undefined) this.column([name], scope, location(infer));
        else this.expressions([index?.expr], scope, ctes);
      }
      this.expressions([infer?.whereClause], scope, ctes);
      this.assigned(list(conflict.targetList), target);
      this.expressions([conflict.targetList, conflict.whereClause], scope, ctes);
    }
    return this.returning(returningOf(body), [target], outer, ctes);
  }

  private update(body: Fields, outer: Scope | undefined, outerCtes: Ctes | undefined): string[] | undefined {
    const ctes = this.with(body.withClause, outer, outerCtes);
    const target = this.target(body.relation);
    if (target === undefined) return undefined;
    const scope: Scope = { sources: [target, ...this.from(body.fromClause, outer, ctes)], parent: outer };
    this.expressions([body.whereClause], scope, ctes);
    const outputs = this.returning(returningOf(body), scope.sources, outer, ctes);
    this.expressions([body.targetList], scope, ctes);
    this.assigned(list(body.targetList), target);
    return outputs;
  }

  private delete(body: Fields, outer: Scope | undefined, outerCtes: Ctes | undefined): string[] | undefined {
    const ctes = this.with(body.withClause, outer, outerCtes);
    const target = this.target(body.relation);
    if (target === undefined) return undefined;
    const scope: Scope = { sources: [target, ...this.from(body.usingClause, outer, ctes)], parent: outer };
    this.expressions([body.whereClause], scope, ctes);
    return this.returning(returningOf(body), scope.sources, outer, ctes);
  }

  private merge(body: Fields, outer: Scope | undefined, outerCtes: Ctes | undefined): string[] | undefined {
    const ctes = this.with(body.withClause, outer, outerCtes);
    const target = this.target(body.relation);
    if (target === undefined) return undefined;
    const scope: Scope = {
      sources: [target, ...this.fromItem(body.sourceRelation, outer, ctes, [])],
      parent: outer,
    };
    this.expressions([body.joinCondition], scope, ctes);
    for (const item of list(body.mergeWhenClauses)) {
      const when = asNode(item, 'MergeWhenClause');
      if (when === undefined) continue;
      this.expressions([when.condition, when.targetList, when.values], scope, ctes);
      this.assigned(list(when.targetList), target);
    }
    return this.returning(returningOf(body), scope.sources, outer, ctes);
  }

  private returning(
    targets: unknown,
    sources: Source[],
    outer: Scope | undefined,
    ctes: Ctes | undefined,
  ): string[] | undefined {
    const scope: Scope = { sources, parent: outer };
    this.expressions([targets], scope, ctes);
    return this.outputs(targets, scope);
  }

  /** The target of INSERT, UPDATE, DELETE or MERGE: a relation, never a WITH name. */
  private target(value: unknown): Source | undefined {
    const range = isObject(value) ? (asNode(value, 'RangeVar') ?? value) : undefined;
    if (range === undefined) return undefined;
    return this.relationSource(range);
  }

  /** INSERT's column list and SET's targets name columns of the target relation. */
  private assigned(targets: readonly unknown[], target: Source): void {
    const { relation } = target;
    if (relation?.columns === undefined) return;
    for (const item of targets) {
      const assignment = asNode(item, 'ResTarget');
      const name = str(assignment?.name);
      if (name === undefined || relation.columns.includes(name)) continue;
      const at = location(assignment);
      this.fail({
        ruleId: 'SQL014',
        name,
        message: `column "${name}" of relation "${relation.name}" does not exist`,
        ...(at === undefined ? {} : { location: at }),
      });
    }
  }

  private relationSource(range: Fields, ctes?: Ctes): Source {
    const name: QualifiedName | undefined = rangeVarName(range);
    const alias = aliasOf(range.alias);
    if (name === undefined) return { columns: undefined };
    if (name.schema === undefined && name.catalog === undefined) {
      for (let level = ctes; level !== undefined; level = level.parent) {
        if (level.names.has(name.name))
          return {
            name: alias.name ?? name.name,
            columns: renamed(alias.columns, level.names.get(name.name)),
          };
      }
    }
    const found = this.catalog.lookup(name);
    if (found.kind === 'missing') {
      const at = location(range);
      this.fail({
        ruleId: 'SQL013',
        name: shownName(name),
        message: `relation "${shownName(name)}" does not exist`,
        ...(at === undefined ? {} : { location: at }),
      });
    }
    const relation = found.kind === 'relation' ? found.relation : undefined;
    return {
      name: alias.name ?? name.name,
      columns: renamed(alias.columns, relation?.columns),
      ...(relation === undefined ? {} : { relation }),
    };
  }

  private from(items: unknown, outer: Scope | undefined, ctes: Ctes | undefined): Source[] {
    const sources: Source[] = [];
    for (const item of list(items)) sources.push(...this.fromItem(item, outer, ctes, sources));
    return sources;
  }

  /** One FROM item; `left` are the items before it, which a LATERAL one (and a function) may read. */
  private fromItem(
    item: unknown,
    outer: Scope | undefined,
    ctes: Ctes | undefined,
    left: Source[],
  ): Source[] {
    const node = nodeOf(item);
    if (node === undefined) return [];
    const [type, body] = node;
    const lateral: Scope = { sources: left, parent: outer };
    switch (type) {
      case 'RangeVar':
        return [this.relationSource(body, ctes)];
      case 'RangeTableSample':
        return this.fromItem(body.relation, outer, ctes, left);
      case 'RangeSubselect': {
        const alias = aliasOf(body.alias);
        const columns = this.query(body.subquery, body.lateral === true ? lateral : outer, ctes);
        return [
          {
            ...(alias.name === undefined ? {} : { name: alias.name }),
            columns: renamed(alias.columns, columns),
          },
        ];
      }
      case 'RangeFunction': {
        this.expressions([body.functions], lateral, ctes);
        const alias = aliasOf(body.alias);
        const first = asNode(list(body.functions)[0], 'List');
        const name = alias.name ?? lastName(asNode(list(first?.items)[0], 'FuncCall')?.funcname);
        return [{ ...(name === undefined ? {} : { name }), columns: undefined }];
      }
      case 'JoinExpr':
        return this.join(body, outer, ctes, left);
      default: {
        const alias = aliasOf(body.alias);
        return [{ ...(alias.name === undefined ? {} : { name: alias.name }), columns: undefined }];
      }
    }
  }

  private join(body: Fields, outer: Scope | undefined, ctes: Ctes | undefined, left: Source[]): Source[] {
    const l = this.fromItem(body.larg, outer, ctes, left);
    const r = this.fromItem(body.rarg, outer, ctes, [...left, ...l]);
    const using = names(body.usingClause);
    for (const [side, sources] of [
      ['left', l],
      ['right', r],
    ] as const) {
      const columns = union(sources);
      const missing = columns === undefined ? undefined : using.find((c) => !columns.includes(c));
      if (missing !== undefined) {
        const at = location(body);
        this.fail({
          ruleId: 'SQL014',
          name: missing,
          message: `column "${missing}" specified in USING clause does not exist in ${side} table`,
          ...(at === undefined ? {} : { location: at }),
        });
      }
    }
    // The ON condition sees both sides (and, read generously, the items before them).
    this.expressions([body.quals], { sources: [...left, ...l, ...r], parent: outer }, ctes);
    const alias = aliasOf(body.alias);
    if (alias.name !== undefined)
      return [{ name: alias.name, columns: renamed(alias.columns, union([...l, ...r])) }];
    const usingAlias = aliasOf(body.join_using_alias).name;
    const merged: Source[] = usingAlias === undefined ? [] : [{ name: usingAlias, columns: using }];
    return [...l, ...r, ...merged];
  }

  /** The output column names of a target list (undefined when one cannot be named). */
  private outputs(targets: unknown, scope: Scope): string[] | undefined {
    const outputs: string[] = [];
    for (const item of list(targets)) {
      const target = asNode(item, 'ResTarget');
      if (target === undefined) return undefined;
      const name = str(target.name);
      if (name !== undefined) {
        outputs.push(name);
        continue;
      }
      const ref = asNode(target.val, 'ColumnRef');
      const fields = list(ref?.fields);
      if (ref !== undefined && asNode(fields.at(-1), 'A_Star') !== undefined) {
        const qualifier = fields.length === 2 ? stringNode(fields[0]) : undefined;
        const sources =
          fields.length === 1
            ? scope.sources
            : scope.sources.filter((s) => qualifier !== undefined && s.name === qualifier);
        const columns = sources.length === 0 ? undefined : union(sources);
        if (columns === undefined) return undefined;
        outputs.push(...columns);
        continue;
      }
      const figured = figure(target.val);
      if (figured === undefined) return undefined;
      outputs.push(figured.name);
    }
    return outputs;
  }

  /** Every column reference in these expressions, subqueries resolved with this scope around them. */
  private expressions(values: readonly unknown[], scope: Scope, ctes: Ctes | undefined): void {
    // walk() stops at an undefined item: leave out the clauses a statement does not have.
    const present = values.filter((v) => v !== undefined && v !== null);
    walk(present, (type, body) => {
      if (type === 'ColumnRef') {
        const fields = list(body.fields);
        // `t.*` and `*` are read by outputs(); a field that is not a name (a subscript) is left alone.
        if (asNode(fields.at(-1), 'A_Star') !== undefined) return false;
        const parts = fields.map(stringNode);
        if (parts.every((p): p is string => p !== undefined)) this.column(parts, scope, location(body));
        return false;
      }
      if (type === 'SubLink') {
        this.expressions([body.testexpr], scope, ctes);
        this.query(body.subselect, scope, ctes);
        return false;
      }
      if (type === 'SelectStmt' || type === 'InsertStmt' || type === 'UpdateStmt' || type === 'DeleteStmt') {
        this.query({ [type]: body }, scope, ctes);
        return false;
      }
      return undefined;
    });
  }

  private column(parts: readonly string[], scope: Scope, at: number | undefined): void {
    const where = at === undefined ? {} : { location: at };
    if (parts.length === 1) {
      const [name] = parts as [string];
      if (SYSTEM_COLUMNS.has(name)) return;
      for (let level: Scope | undefined = scope; level !== undefined; level = level.parent) {
        let unknown = false;
        for (const source of level.sources) {
          // A FROM item's own name is its whole row (`SELECT t FROM t`).
          if (source.columns?.includes(name) || source.name === name) return;
          if (source.columns === undefined) unknown = true;
        }
        if (unknown) return;
      }
      this.fail({ ruleId: 'SQL014', name, message: `column "${name}" does not exist`, ...where });
      return;
    }
    // `t.c`, or `s.t.c`: judged only when the qualifier is a FROM item in view.
    const column = parts.at(-1) as string;
    const qualifier = parts.at(-2) as string;
    const schema = parts.length === 3 ? parts[0] : undefined;
    if (parts.length > 3) return;
    for (let level: Scope | undefined = scope; level !== undefined; level = level.parent) {
      const source = level.sources.find(
        (s) => s.name === qualifier && (schema === undefined || s.relation?.schema === schema),
      );
      if (source === undefined) continue;
      if (source.columns === undefined || source.columns.includes(column) || SYSTEM_COLUMNS.has(column))
        return;
      // PostgreSQL names the column by its last two parts, schema left out.
      const name = `${qualifier}.${column}`;
      this.fail({ ruleId: 'SQL014', name, message: `column ${name} does not exist`, ...where });
      return;
    }
  }
}

/** RETURNING's targets (PostgreSQL 18 wraps them in a ReturningClause). */
function returningOf(body: Fields): unknown {
  return isObject(body.returningClause) ? body.returningClause.exprs : body.returningList;
}

/** A set operation's arms are SelectStmt bodies without the node wrapper. */
function asNodeOrSelf(value: unknown): Fields {
  if (!isObject(value)) return {};
  return asNode(value, 'SelectStmt') ?? value;
}
