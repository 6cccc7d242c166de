/**
 * Migration histories: which SQL files are the ordered steps of one, in what
 * order their statements ran, and which statements undo a step (a down
 * migration). The layouts recognised, by file path:
 *
 *   20240105080000_add_phone.sql, 0001_init.sql   a number or timestamp first (dbmate, goose, sqlx, …)
 *   V1__init.sql, V1.2__add.sql, U1__undo.sql    Flyway (U… undoes V…; R__ repeatables run after them)
 *   000001_init.up.sql / 000001_init.down.sql    golang-migrate
 *   2024-01-05-080000_add/up.sql / down.sql      Diesel, sourcegraph (a step folder)
 *   20240105080000_add/migration.sql             Prisma
 *
 * and inside a file, the down half of goose (`-- +goose Down`) and dbmate
 * (`-- migrate:down`) migrations. Statements run step by step, a step's down
 * right after its up (as a rollback would run it), then by line.
 */
import type { SourceFile } from '../contract.js';
import type { Statement } from './sql-source.js';

export type Order = (a: Statement, b: Statement) => number;

export interface MigrationHistory {
  /** The order statements ran in. */
  order: Order;
  /** How many steps (up and down of one step count once). */
  steps: number;
}

type Direction = 'up' | 'down';

interface Step {
  /** The step's path with its file name reduced to the step name: what orders the steps. */
  key: string;
  direction: Direction;
  /** Flyway repeatables run after every versioned step. */
  repeatable: boolean;
}

const STEP_NAME = /^(?:\d{3,}|\d{4}-\d{2}-\d{2}|V\d+(?:[._]\d+)*__)/i;

/** The step a file is, or undefined when its path is not named as one. */
function stepOf(path: string): Step | undefined {
  const parts = path.split(/[\\/]/);
  const base = parts.at(-1) ?? '';
  const folder = parts.slice(0, -1).join('/');
  const inFolder = /^(up|down|migration)\.sql$/i.exec(base);
  if (inFolder?.[1] !== undefined) {
    const name = parts.at(-2) ?? '';
    if (!STEP_NAME.test(name)) return undefined;
    const direction = inFolder[1].toLowerCase() === 'down' ? 'down' : 'up';
    return { key: folder, direction, repeatable: false };
  }
  const split = /^(.+)\.(up|down)\.sql$/i.exec(base);
  if (split?.[1] !== undefined && split[2] !== undefined && STEP_NAME.test(split[1])) {
    const direction = split[2].toLowerCase() === 'down' ? 'down' : 'up';
    return { key: `${folder}/${split[1]}`, direction, repeatable: false };
  }
  const undo = /^U(\d+(?:[._]\d+)*__.*)\.sql$/i.exec(base);
  if (undo?.[1] !== undefined) return { key: `${folder}/V${undo[1]}`, direction: 'down', repeatable: false };
  if (/^R__.+\.sql$/i.test(base)) return { key: `${folder}/${base}`, direction: 'up', repeatable: true };
  if (STEP_NAME.test(base) && /\.sql$/i.test(base))
    return { key: `${folder}/${base}`, direction: 'up', repeatable: false };
  return undefined;
}

/** Flyway's `V1_2__add` and `V1.2__add` name one version; its `U1.2__` undoes it. */
function versionKey(key: string): string {
  return key.replace(
    /\/V(\d+(?:[._]\d+)*)__.*$/i,
    (_, version: string) => `/V${version.replaceAll('_', '.')}`,
  );
}

/** The line a goose / dbmate file's down half starts at, if it has one. */
export function downSectionLine(content: string): number | undefined {
  const lines = content.split('\n');
  const at = lines.findIndex((line) => /^\s*--\s*(?:\+goose\s+down|migrate:down)\b/i.test(line));
  return at < 0 ? undefined : at + 1;
}

/**
 * Which statements of the SQL files belong to a down migration (a down file,
 * or the down half of a goose / dbmate file): they undo a step, so the schema
 * that later steps see is built without them.
 */
export function downMigrations(files: readonly SourceFile[]): (statement: Statement) => boolean {
  const downFiles = new Set<string>();
  const downFrom = new Map<string, number>();
  for (const file of files) {
    if (stepOf(file.path)?.direction === 'down') downFiles.add(file.path);
    const line = downSectionLine(file.content);
    if (line !== undefined) downFrom.set(file.path, line);
  }
  return (statement) => {
    const file = statement.file ?? '';
    return downFiles.has(file) || statement.line > (downFrom.get(file) ?? Number.POSITIVE_INFINITY);
  };
}

/**
 * Which files the migration tool runs inside a transaction of its own, as its
 * layout says: Diesel step folders (`YYYY-MM-DD-HHMMSS_name/up.sql`), goose
 * files (`-- +goose Up`, unless `-- +goose NO TRANSACTION`), dbmate files
 * (`-- migrate:up`, unless `transaction:false`) and Flyway's `V`/`U`/`R`
 * files (executeInTransaction is on by default). Other layouts run what the
 * file says; `assume` (the input's `options.assumeInTransaction`) overrides.
 */
export function toolTransactions(files: readonly SourceFile[], assume?: boolean): (file: string) => boolean {
  if (assume !== undefined) return () => assume;
  const wrapped = new Set<string>();
  for (const file of files) {
    const base = file.path.split(/[\\/]/).at(-1) ?? '';
    const diesel = /(?:^|[\\/])\d{4}-\d{2}-\d{2}-\d{6}_[^\\/]+[\\/](?:up|down)\.sql$/i.test(file.path);
    const flyway = /^(?:[VU]\d+(?:[._]\d+)*|R)__.+\.sql$/i.test(base);
    const goose =
      /^\s*--\s*\+goose\s+up\b/im.test(file.content) &&
      !/^\s*--\s*\+goose\s+no\s+transaction\b/im.test(file.content);
    const dbmate = /^\s*--\s*migrate:up\b(?![^\n]*transaction:false)/im.test(file.content);
    if (diesel || flyway || goose || dbmate) wrapped.add(file.path);
  }
  return (file) => wrapped.has(file);
}

/**
 * When the SQL files are a migration history (two or more, each named as a
 * step), the order its statements ran in; otherwise undefined (the files are
 * one schema, read as a whole).
 */
export function migrationHistory(files: readonly SourceFile[]): MigrationHistory | undefined {
  if (files.length < 2) return undefined;
  /** File → the key its step sorts by. */
  const keys = new Map<string, string>();
  for (const file of files) {
    const step = stepOf(file.path);
    if (step === undefined) return undefined;
    keys.set(file.path, `${step.repeatable ? '\uffff' : ''}${versionKey(step.key)}`);
  }
  const isDown = downMigrations(files);
  const keyOf = (s: Statement) => (s.file === undefined ? undefined : keys.get(s.file)) ?? '\uffff';
  const order: Order = (a, b) =>
    keyOf(a).localeCompare(keyOf(b), 'en', { numeric: true }) ||
    Number(isDown(a)) - Number(isDown(b)) ||
    a.line - b.line;
  return { order, steps: new Set(keys.values()).size };
}
