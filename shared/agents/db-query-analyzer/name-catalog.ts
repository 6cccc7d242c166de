/**
 * The relations the DDL defines, as PostgreSQL would hold them after running
 * it, for the name check (name-check.ts): tables, views, sequences and
 * foreign tables with their columns, per schema, and the search path that
 * unqualified names resolve through. Only names are kept, never types, so a
 * type from an extension costs nothing.
 *
 * The catalog is conservative: whatever it cannot follow (a column list it
 * cannot derive, an ALTER of a table it never saw, a schema the DDL does not
 * create, a DO block that may create tables) leaves a relation's columns
 * unknown or a name unresolvable, never a finding.
 */

/** A table, view, sequence or foreign table. */
export interface Relation {
  name: string;
  schema: string;
  /** In order; undefined when the DDL does not say them all. */
  columns: string[] | undefined;
}

/** The answer to "which relation does this name mean?". */
export type Lookup =
  | { kind: 'relation'; relation: Relation }
  /** Exists, or may: a system catalog, another database, a schema the DDL does not describe. */
  | { kind: 'unverifiable' }
  | { kind: 'missing' };

export interface QualifiedName {
  catalog?: string;
  schema?: string;
  name: string;
}

/** Relations extensions create in their schema, so naming them is not a finding. */
const EXTENSION_RELATIONS: Readonly<Record<string, readonly string[]>> = {
  postgis: ['spatial_ref_sys', 'geometry_columns', 'geography_columns'],
  postgis_raster: ['raster_columns', 'raster_overviews'],
};

/** Extensions known to create no relation a query would name (their objects are types and functions). */
const EXTENSIONS_WITHOUT_RELATIONS = new Set([
  'plpgsql',
  'pgcrypto',
  'uuid-ossp',
  'citext',
  'hstore',
  'pg_trgm',
  'btree_gin',
  'btree_gist',
  'unaccent',
  'ltree',
  'intarray',
  'fuzzystrmatch',
  'pg_stat_statements',
  'vector',
  'cube',
  'earthdistance',
  'tablefunc',
  'isn',
  'lo',
  'pgstattuple',
  'pg_buffercache',
  'pg_prewarm',
  'postgres_fdw',
  'dblink',
  'tsm_system_rows',
  'tsm_system_time',
  'bloom',
]);

const TEMP_SCHEMA = 'pg_temp';

function isSystemSchema(schema: string): boolean {
  return schema === 'information_schema' || schema.startsWith('pg_');
}

export class Catalog {
  private readonly schemas = new Map<string, Map<string, Relation>>();
  /** Schemas whose every relation the DDL defines: a name missing from one is a finding. */
  private readonly described = new Set<string>(['public']);
  private searchPath: string[] = ['public'];
  /** Set once something may have created relations the catalog cannot see (a DO block, an unknown extension). */
  private opaque = false;

  /** The schema an unqualified CREATE puts its relation in. */
  creationSchema(temporary: boolean): string {
    return temporary ? TEMP_SCHEMA : (this.searchPath[0] ?? 'public');
  }

  private relations(schema: string): Map<string, Relation> {
    let found = this.schemas.get(schema);
    if (found === undefined) {
      found = new Map();
      this.schemas.set(schema, found);
    }
    return found;
  }

  /** The relation itself (not a CTE, not a system catalog), for DDL that changes it. */
  find(name: QualifiedName): Relation | undefined {
    if (name.catalog !== undefined) return undefined;
    if (name.schema !== undefined) return this.schemas.get(name.schema)?.get(name.name);
    for (const schema of this.lookupPath()) {
      const found = this.schemas.get(schema)?.get(name.name);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  private lookupPath(): string[] {
    return [TEMP_SCHEMA, ...this.searchPath];
  }

  /** What a query's relation name means here. */
  lookup(name: QualifiedName): Lookup {
    if (name.catalog !== undefined) return { kind: 'unverifiable' };
    if (name.schema !== undefined) {
      if (isSystemSchema(name.schema)) return { kind: 'unverifiable' };
      const found = this.schemas.get(name.schema)?.get(name.name);
      if (found !== undefined) return { kind: 'relation', relation: found };
      return this.described.has(name.schema) && !this.opaque ? { kind: 'missing' } : { kind: 'unverifiable' };
    }
    if (name.name.startsWith('pg_')) return { kind: 'unverifiable' };
    const found = this.find(name);
    if (found !== undefined) return { kind: 'relation', relation: found };
    // In a schema off the search path, or on a path through a schema the DDL does not describe: not judged.
    for (const relations of this.schemas.values())
      if (relations.has(name.name)) return { kind: 'unverifiable' };
    if (this.opaque || this.searchPath.some((s) => !this.described.has(s))) return { kind: 'unverifiable' };
    return { kind: 'missing' };
  }

  define(schema: string, name: string, columns: string[] | undefined): Relation {
    const relation: Relation = { name, schema, columns: columns?.slice() };
    this.relations(schema).set(name, relation);
    return relation;
  }

  remove(relation: Relation): void {
    this.schemas.get(relation.schema)?.delete(relation.name);
  }

  rename(relation: Relation, name: string): void {
    this.remove(relation);
    relation.name = name;
    this.relations(relation.schema).set(name, relation);
  }

  move(relation: Relation, schema: string): void {
    this.remove(relation);
    relation.schema = schema;
    this.relations(schema).set(relation.name, relation);
  }

  createSchema(schema: string): void {
    this.relations(schema);
    this.described.add(schema);
  }

  dropSchema(schema: string): void {
    this.schemas.delete(schema);
    this.described.delete(schema);
  }

  renameSchema(from: string, to: string): void {
    const relations = this.schemas.get(from);
    const wasDescribed = this.described.has(from);
    this.dropSchema(from);
    if (relations !== undefined) {
      for (const relation of relations.values()) relation.schema = to;
      this.schemas.set(to, relations);
    }
    if (wasDescribed) this.described.add(to);
  }

  /** A schema whose relations come from elsewhere (IMPORT FOREIGN SCHEMA): names in it are not judged. */
  undescribe(schema: string): void {
    this.described.delete(schema);
  }

  setSearchPath(schemas: readonly string[]): void {
    const path = schemas.filter((s) => s !== '$user' && s !== TEMP_SCHEMA && s !== 'pg_catalog');
    this.searchPath = path.length === 0 ? ['public'] : path;
  }

  createExtension(extension: string, schema: string | undefined): void {
    const relations = EXTENSION_RELATIONS[extension];
    if (relations !== undefined) {
      for (const name of relations) this.define(schema ?? this.creationSchema(false), name, undefined);
    } else if (!EXTENSIONS_WITHOUT_RELATIONS.has(extension)) {
      this.opaque = true;
    }
  }

  /** Relations may exist that the catalog did not see: no name is missing from here on. */
  makeOpaque(): void {
    this.opaque = true;
  }
}
