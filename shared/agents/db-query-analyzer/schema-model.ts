/**
 * The schema the DDL given describes, as the index rules need it: tables with
 * their columns, and every index a lookup can use — primary keys and unique
 * constraints (PostgreSQL backs both with a B-tree index), CREATE INDEX
 * statements (expression and partial ones included), in the order the DDL
 * builds them (ALTER TABLE … ADD CONSTRAINT and ADD COLUMN included, as
 * pg_dump writes them). Names are matched without their schema: `public.users`
 * and `users` are the same table here.
 */
import {
  asNode,
  expressionKey,
  type Fields,
  isObject,
  list,
  names,
  rangeVarName,
  str,
  stringNode,
} from './ast.js';
import type { Statement } from './sql-source.js';

export interface IndexDef {
  name?: string;
  /** Key per index column: the column name, or the expression's key (ast.ts expressionKey). */
  keys: (string | undefined)[];
  /** 'ASC' | 'DESC' per key. */
  directions: ('ASC' | 'DESC')[];
  /** Operator classes, any key (gin_trgm_ops …). */
  opclasses: string[];
  method: string;
  unique: boolean;
  partial: boolean;
  origin: 'primary key' | 'unique constraint' | 'index';
}

export interface TableDef {
  name: string;
  schema?: string;
  /** Undefined when the DDL does not list them (CREATE MATERIALIZED VIEW … AS). */
  columns?: Set<string>;
  indexes: IndexDef[];
  kind: 'table' | 'materialized view';
  file?: string;
  line: number;
}

export interface SchemaModel {
  tables: Map<string, TableDef>;
  /** Views: their names are known (not unknown tables) but they hold no index. */
  views: Set<string>;
}

function relationOf(value: unknown): { name: string; schema?: string } | undefined {
  const relation = rangeVarName(value);
  if (relation === undefined) return undefined;
  const { schema, name } = relation;
  return schema === undefined ? { name } : { name, schema };
}

function constraintIndex(constraint: Fields, columns: string[]): IndexDef | undefined {
  const type = constraint.contype;
  if (type !== 'CONSTR_PRIMARY' && type !== 'CONSTR_UNIQUE') return undefined;
  const keys = list(constraint.keys).map(stringNode);
  const resolved = keys.length > 0 ? keys : columns;
  const name = str(constraint.conname);
  return {
    ...(name === undefined ? {} : { name }),
    keys: resolved,
    directions: resolved.map(() => 'ASC'),
    opclasses: [],
    method: 'btree',
    unique: true,
    partial: false,
    origin: type === 'CONSTR_PRIMARY' ? 'primary key' : 'unique constraint',
  };
}

function indexFromStatement(body: Fields): IndexDef {
  const elements = list(body.indexParams).map((param) => asNode(param, 'IndexElem') ?? {});
  const name = str(body.idxname);
  return {
    ...(name === undefined ? {} : { name }),
    keys: elements.map((element) => str(element.name) ?? expressionKey(element.expr)),
    directions: elements.map((element) => (element.ordering === 'SORTBY_DESC' ? 'DESC' : 'ASC')),
    opclasses: elements.flatMap((element) => names(element.opclass)),
    method: str(body.accessMethod) ?? 'btree',
    unique: body.unique === true,
    partial: body.whereClause !== undefined,
    origin: 'index',
  };
}

function addTable(
  schema: SchemaModel,
  statement: Statement,
  relation: { name: string; schema?: string },
  def: Partial<TableDef>,
): TableDef {
  const table: TableDef = {
    name: relation.name,
    ...(relation.schema === undefined ? {} : { schema: relation.schema }),
    indexes: [],
    kind: 'table',
    ...(statement.file === undefined ? {} : { file: statement.file }),
    line: statement.line,
    ...def,
  };
  schema.tables.set(relation.name, table);
  return table;
}

/** The table a statement's `relation` names, if it was defined before. */
function tableOf(schema: SchemaModel, relation: unknown): TableDef | undefined {
  const named = relationOf(relation);
  return named === undefined ? undefined : schema.tables.get(named.name);
}

/** A column definition's name and the indexes its constraints (PRIMARY KEY, UNIQUE) create. */
function addColumn(table: TableDef, columnDef: unknown): void {
  const column = asNode(columnDef, 'ColumnDef');
  const colname = str(column?.colname);
  if (column === undefined || colname === undefined) return;
  table.columns?.add(colname);
  for (const constraint of list(column.constraints)) {
    const index = constraintIndex(asNode(constraint, 'Constraint') ?? {}, [colname]);
    if (index !== undefined) table.indexes.push(index);
  }
}

function createTable(schema: SchemaModel, statement: Statement): void {
  const { body } = statement;
  const relation = relationOf(body.relation);
  if (relation === undefined) return;
  const table = addTable(schema, statement, relation, { columns: new Set<string>() });
  for (const element of list(body.tableElts)) {
    addColumn(table, element);
    const index = constraintIndex(asNode(element, 'Constraint') ?? {}, []);
    if (index !== undefined) table.indexes.push(index);
  }
}

function createTableAs(schema: SchemaModel, statement: Statement): void {
  const { body } = statement;
  const into = isObject(body.into) ? body.into : undefined;
  const relation = relationOf(into?.rel);
  if (relation === undefined) return;
  const listed = list(into?.colNames).map(stringNode);
  addTable(schema, statement, relation, {
    kind: body.objtype === 'OBJECT_MATVIEW' ? 'materialized view' : 'table',
    ...(listed.length > 0 ? { columns: new Set(listed.filter((c): c is string => c !== undefined)) } : {}),
  });
}

function alterTable(schema: SchemaModel, body: Fields): void {
  const table = tableOf(schema, body.relation);
  if (table === undefined) return;
  for (const command of list(body.cmds)) {
    const cmd = asNode(command, 'AlterTableCmd');
    if (cmd?.subtype === 'AT_AddColumn') addColumn(table, cmd.def);
    else if (cmd?.subtype === 'AT_AddConstraint') {
      const constraint = asNode(cmd.def, 'Constraint') ?? {};
      // `ADD CONSTRAINT … PRIMARY KEY USING INDEX idx` promotes an index that is already listed.
      if (constraint.indexname !== undefined) continue;
      const index = constraintIndex(constraint, []);
      if (index !== undefined) table.indexes.push(index);
    } else if (cmd?.subtype === 'AT_DropColumn') {
      const colname = str(cmd.name);
      if (colname !== undefined) table.columns?.delete(colname);
    }
  }
}

function rename(schema: SchemaModel, body: Fields): void {
  const relation = relationOf(body.relation);
  const table = relation === undefined ? undefined : schema.tables.get(relation.name);
  if (body.renameType === 'OBJECT_TABLE') {
    const newname = str(body.newname);
    if (table !== undefined && newname !== undefined && relation !== undefined) {
      schema.tables.delete(relation.name);
      schema.tables.set(newname, { ...table, name: newname });
    }
  } else if (body.renameType === 'OBJECT_COLUMN') {
    const from = str(body.subname);
    const to = str(body.newname);
    if (table?.columns !== undefined && from !== undefined && to !== undefined) {
      table.columns.delete(from);
      table.columns.add(to);
      for (const index of table.indexes) index.keys = index.keys.map((k) => (k === from ? to : k));
    }
  }
}

/** Tables (with columns and indexes) and views as the DDL leaves them, statement by statement. */
export function buildSchema(statements: readonly Statement[]): SchemaModel {
  const schema: SchemaModel = { tables: new Map(), views: new Set() };
  for (const statement of statements) {
    const { body } = statement;
    switch (statement.type) {
      case 'CreateStmt':
        createTable(schema, statement);
        break;
      case 'CreateTableAsStmt':
        createTableAs(schema, statement);
        break;
      case 'ViewStmt': {
        const relation = relationOf(body.view);
        if (relation !== undefined) schema.views.add(relation.name);
        break;
      }
      case 'IndexStmt':
        tableOf(schema, body.relation)?.indexes.push(indexFromStatement(body));
        break;
      case 'AlterTableStmt':
        alterTable(schema, body);
        break;
      case 'RenameStmt':
        rename(schema, body);
        break;
      default:
        break;
    }
  }
  return schema;
}

/** Whether an index can serve a lookup on `column` from its leading key. */
export function leadsWith(index: IndexDef, column: string): boolean {
  return index.keys[0] === column && (index.method === 'btree' || index.method === 'hash');
}

/** Whether any index of the table has a trigram operator class on this key (LIKE '%x%' support). */
export function hasTrigramIndex(table: TableDef, key: string): boolean {
  return table.indexes.some(
    (index) =>
      (index.method === 'gin' || index.method === 'gist') &&
      index.keys.includes(key) &&
      index.opclasses.some((opclass) => /trgm/.test(opclass)),
  );
}

/** Whether any index of the table is on this expression (its key), in any position. */
export function hasExpressionIndex(table: TableDef, key: string): boolean {
  return table.indexes.some((index) => index.keys.includes(key));
}
