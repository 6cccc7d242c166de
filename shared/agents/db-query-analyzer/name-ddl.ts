/**
 * Replays one DDL statement on the name catalog (name-catalog.ts): what it
 * creates, renames, moves, alters or drops, as far as relation and column
 * names go. A statement that would fail in PostgreSQL (an ALTER of a table
 * the DDL never created) is reported as a failure and leaves the relation it
 * names with unknown columns, so no query about it is judged.
 */
import {
  asNode,
  constValue,
  type Fields,
  isObject,
  list,
  names,
  rangeVarName,
  str,
  stringNode,
} from './ast.js';
import type { Catalog, QualifiedName, Relation } from './name-catalog.js';
import { NameResolver } from './name-resolve.js';
import type { Statement } from './sql-source.js';

/** The statements the replay reads: DDL, and what changes how names resolve (SET search_path, DO). */
export const REPLAYED_TYPES: ReadonlySet<string> = new Set([
  'CreateStmt',
  'CreateForeignTableStmt',
  'ViewStmt',
  'CreateTableAsStmt',
  'CreateSeqStmt',
  'AlterTableStmt',
  'RenameStmt',
  'AlterObjectSchemaStmt',
  'DropStmt',
  'CreateSchemaStmt',
  'CreateExtensionStmt',
  'ImportForeignSchemaStmt',
  'VariableSetStmt',
  'DoStmt',
]);

const RELATION_OBJECTS = new Set([
  'OBJECT_TABLE',
  'OBJECT_VIEW',
  'OBJECT_MATVIEW',
  'OBJECT_SEQUENCE',
  'OBJECT_FOREIGN_TABLE',
]);

const SEQUENCE_COLUMNS = ['last_value', 'log_cnt', 'is_called'];

function rangeOf(value: unknown): Fields | undefined {
  return isObject(value) ? (asNode(value, 'RangeVar') ?? value) : undefined;
}

/** The name DDL gives a relation; a database qualifier is dropped (it can only name this one). */
function nameOf(range: Fields | undefined): QualifiedName | undefined {
  const relation = rangeVarName(range);
  if (relation === undefined) return undefined;
  const { schema, name } = relation;
  return schema === undefined ? { name } : { schema, name };
}

function shown(name: QualifiedName): string {
  return name.schema === undefined ? name.name : `${name.schema}.${name.name}`;
}

/** Replays statements on one catalog; what it could not follow is in `failures`. */
export class DdlReplay {
  readonly failures: { statement: Statement; message: string }[] = [];

  constructor(private readonly catalog: Catalog) {}

  apply(statement: Statement): void {
    const message = this.statement(statement.type, statement.body, undefined);
    if (message !== undefined) this.failures.push({ statement, message });
  }

  /** Defines the relation a SELECT … INTO creates, with the query's output columns. */
  selectInto(into: unknown, outputs: string[] | undefined): void {
    if (!isObject(into)) return;
    this.create(rangeOf(into.rel), renamedColumns(names(into.colNames), outputs), false, undefined);
  }

  /** Failure message, or undefined. `schema`: the schema of a CREATE SCHEMA whose elements these are. */
  private statement(type: string, body: Fields, schema: string | undefined): string | undefined {
    switch (type) {
      case 'CreateStmt':
        return this.createTable(body, schema);
      case 'CreateForeignTableStmt':
        return isObject(body.base) ? this.createTable(body.base, schema) : undefined;
      case 'ViewStmt': {
        const outputs = new NameResolver(this.catalog, false).query(body.query);
        return this.create(
          rangeOf(body.view),
          renamedColumns(names(body.aliases), outputs),
          body.replace === true,
          schema,
        );
      }
      case 'CreateTableAsStmt': {
        const into = isObject(body.into) ? body.into : undefined;
        const outputs = new NameResolver(this.catalog, false).query(body.query);
        return this.create(
          rangeOf(into?.rel),
          renamedColumns(names(into?.colNames), outputs),
          false,
          schema,
          body.if_not_exists === true,
        );
      }
      case 'CreateSeqStmt':
        return this.create(
          rangeOf(body.sequence),
          [...SEQUENCE_COLUMNS],
          false,
          schema,
          body.if_not_exists === true,
        );
      case 'AlterTableStmt':
        return this.alterTable(body);
      case 'RenameStmt':
        return this.rename(body);
      case 'AlterObjectSchemaStmt':
        return this.setSchema(body);
      case 'DropStmt':
        return this.drop(body);
      case 'CreateSchemaStmt':
        return this.createSchema(body);
      case 'CreateExtensionStmt': {
        const extension = str(body.extname);
        const option = list(body.options)
          .map((o) => asNode(o, 'DefElem'))
          .find((o) => o?.defname === 'schema');
        if (extension !== undefined) this.catalog.createExtension(extension, stringNode(option?.arg));
        return undefined;
      }
      case 'ImportForeignSchemaStmt': {
        const local = str(body.local_schema);
        if (local !== undefined) this.catalog.undescribe(local);
        return undefined;
      }
      case 'VariableSetStmt':
        return this.setSearchPath(body);
      case 'DoStmt':
        return this.doBlock(body);
      default:
        return undefined;
    }
  }

  private createTable(body: Fields, schema: string | undefined): string | undefined {
    let columns: string[] | undefined = [];
    const add = (more: readonly string[] | undefined) => {
      if (more === undefined) columns = undefined;
      else if (columns !== undefined) for (const c of more) if (!columns.includes(c)) columns.push(c);
    };
    // Inherited columns (INHERITS, PARTITION OF) come first.
    for (const parent of list(body.inhRelations)) add(this.columnsOf(rangeOf(parent)));
    if (body.ofTypename !== undefined) add(undefined);
    for (const element of list(body.tableElts)) {
      const column = str(asNode(element, 'ColumnDef')?.colname);
      if (column !== undefined) add([column]);
      const like = asNode(element, 'TableLikeClause');
      if (like !== undefined) add(this.columnsOf(rangeOf(like.relation)));
    }
    return this.create(rangeOf(body.relation), columns, false, schema, body.if_not_exists === true);
  }

  private columnsOf(range: Fields | undefined): string[] | undefined {
    const name = nameOf(range);
    return name === undefined ? undefined : this.catalog.find(name)?.columns;
  }

  private create(
    range: Fields | undefined,
    columns: string[] | undefined,
    replace: boolean,
    schema: string | undefined,
    ifNotExists = false,
  ): string | undefined {
    const name = nameOf(range);
    if (name === undefined) return undefined;
    const target = name.schema ?? schema ?? this.catalog.creationSchema(range?.relpersistence === 't');
    const existing = this.catalog.find({ schema: target, name: name.name });
    if (existing !== undefined && !replace) {
      return ifNotExists ? undefined : `relation "${shown(name)}" already exists`;
    }
    this.catalog.define(target, name.name, columns);
    return undefined;
  }

  /** The relation DDL changes; when missing (and not IF EXISTS), one with unknown columns and the failure. */
  private existing(range: Fields | undefined, missingOk: boolean): { relation?: Relation; failure?: string } {
    const name = nameOf(range);
    if (name === undefined) return {};
    const relation = this.catalog.find(name);
    if (relation !== undefined || missingOk) return relation === undefined ? {} : { relation };
    const schema = name.schema ?? this.catalog.creationSchema(false);
    return {
      relation: this.catalog.define(schema, name.name, undefined),
      failure: `relation "${shown(name)}" does not exist`,
    };
  }

  private alterTable(body: Fields): string | undefined {
    const kind = str(body.objtype);
    if (kind !== undefined && !RELATION_OBJECTS.has(kind)) return undefined;
    const { relation, failure } = this.existing(rangeOf(body.relation), body.missing_ok === true);
    if (relation?.columns === undefined) return failure;
    for (const item of list(body.cmds)) {
      const command = asNode(item, 'AlterTableCmd');
      if (command?.subtype === 'AT_AddColumn') {
        const column = str(asNode(command.def, 'ColumnDef')?.colname);
        if (column !== undefined && !relation.columns.includes(column)) relation.columns.push(column);
      } else if (command?.subtype === 'AT_DropColumn') {
        const column = str(command.name);
        relation.columns = relation.columns.filter((c) => c !== column);
      }
    }
    return failure;
  }

  private rename(body: Fields): string | undefined {
    const kind = str(body.renameType);
    const newName = str(body.newname);
    if (newName === undefined) return undefined;
    if (kind === 'OBJECT_SCHEMA') {
      const from = str(body.subname);
      if (from !== undefined) this.catalog.renameSchema(from, newName);
      return undefined;
    }
    if (kind === 'OBJECT_COLUMN') {
      const { relation, failure } = this.existing(rangeOf(body.relation), body.missing_ok === true);
      const from = str(body.subname);
      if (relation?.columns !== undefined && from !== undefined)
        relation.columns = relation.columns.map((c) => (c === from ? newName : c));
      return failure;
    }
    if (kind === undefined || !RELATION_OBJECTS.has(kind)) return undefined;
    const { relation, failure } = this.existing(rangeOf(body.relation), body.missing_ok === true);
    if (relation !== undefined) this.catalog.rename(relation, newName);
    return failure;
  }

  private setSchema(body: Fields): string | undefined {
    const kind = str(body.objectType);
    const schema = str(body.newschema);
    if (kind === undefined || !RELATION_OBJECTS.has(kind) || schema === undefined) return undefined;
    const { relation, failure } = this.existing(rangeOf(body.relation), body.missing_ok === true);
    if (relation !== undefined) this.catalog.move(relation, schema);
    return failure;
  }

  private drop(body: Fields): string | undefined {
    const kind = str(body.removeType);
    if (kind === 'OBJECT_SCHEMA') {
      for (const object of list(body.objects)) {
        const schema = stringNode(object) ?? names(asNode(object, 'List')?.items)[0];
        if (schema !== undefined) this.catalog.dropSchema(schema);
      }
      return undefined;
    }
    if (kind === undefined || !RELATION_OBJECTS.has(kind)) return undefined;
    for (const object of list(body.objects)) {
      const parts = names(asNode(object, 'List')?.items);
      const name = parts.at(-1);
      if (name === undefined || parts.length > 2) continue;
      const relation = this.catalog.find(
        parts.length === 2 ? { schema: parts[0] as string, name } : { name },
      );
      if (relation !== undefined) this.catalog.remove(relation);
    }
    return undefined;
  }

  private createSchema(body: Fields): string | undefined {
    const schema = str(body.schemaname);
    if (schema === undefined) return undefined;
    this.catalog.createSchema(schema);
    for (const element of list(body.schemaElts)) {
      const [type, fields] = Object.entries(isObject(element) ? element : {})[0] ?? [];
      if (type !== undefined && isObject(fields)) this.statement(type, fields, schema);
    }
    return undefined;
  }

  private setSearchPath(body: Fields): string | undefined {
    if (body.name !== 'search_path') return undefined;
    if (body.kind === 'VAR_SET_VALUE') {
      const schemas = list(body.args)
        .map((arg) => constValue(arg)?.value ?? stringNode(arg))
        .filter((s): s is string => typeof s === 'string')
        .flatMap((s) => s.split(',').map((part) => part.trim().replace(/^"|"$/g, '')))
        .filter((s) => s !== '');
      this.catalog.setSearchPath(schemas);
    } else if (body.kind === 'VAR_SET_DEFAULT' || body.kind === 'VAR_RESET') {
      this.catalog.setSearchPath([]);
    }
    return undefined;
  }

  /**
   * A DO block's PL/pgSQL is not parsed here: a relation it names after TABLE, VIEW or SEQUENCE gets
   * unknown columns, and dynamic SQL or a rename makes every name unjudged from here on.
   */
  private doBlock(body: Fields): string | undefined {
    const code = list(body.args)
      .map((arg) => asNode(arg, 'DefElem'))
      .filter((arg) => arg?.defname === 'as')
      .map((arg) => stringNode(arg?.arg) ?? '')
      .join('\n');
    if (/\b(?:execute|rename)\b/i.test(code)) {
      this.catalog.makeOpaque();
      return undefined;
    }
    const named =
      /\b(?:table|view|sequence)\s+(?:only\s+)?(?:if\s+(?:not\s+)?exists\s+)?("?[\w$]+"?(?:\s*\.\s*"?[\w$]+"?)?)/gi;
    for (const match of code.matchAll(named)) {
      const parts = (match[1] ?? '').split('.').map((p) => {
        const trimmed = p.trim();
        return trimmed.startsWith('"') ? trimmed.replace(/^"|"$/g, '') : trimmed.toLowerCase();
      });
      const name = parts.at(-1);
      if (name === undefined) continue;
      const qualified = parts.length === 2 ? { schema: parts[0] as string, name } : { name };
      const relation = this.catalog.find(qualified);
      if (relation !== undefined) relation.columns = undefined;
      else this.catalog.define(qualified.schema ?? this.catalog.creationSchema(false), name, undefined);
    }
    return undefined;
  }
}

function renamedColumns(aliases: readonly string[], columns: string[] | undefined): string[] | undefined {
  if (aliases.length === 0 || columns === undefined) return columns;
  return [...aliases, ...columns.slice(aliases.length)];
}
