/**
 * Schema migrations in the change set: whether each comes with a way back,
 * and which statements make it unsafe for the old version still running
 * (a column dropped or renamed under it), i.e. not backward compatible — the
 * condition for blue-green, where both versions share the database for a while.
 */
import type { ChangedFile, DiffLine } from './model.js';
import { isMigration, isRollbackMigration } from './paths.js';

export interface MigrationFacts {
  file: ChangedFile;
  /** A rollback for it exists in the change set, or in the file itself (a `down` method). */
  reversible: boolean | 'unknown';
  /** Statements that break the previous version. */
  breaking: { statement: string; at: DiffLine }[];
}

/**
 * DDL that the running (old) version cannot live with: dropping or renaming
 * tables and columns, changing a column's type or making it NOT NULL,
 * truncating; in SQL, Alembic, Rails, Knex, Django and Prisma-generated SQL.
 */
const BREAKING: readonly RegExp[] = [
  /\bdrop\s+(table|column|schema|view|type)\b/i,
  /\balter\s+table\s+\S+\s+drop\b/i,
  /\brename\s+(column|to)\b/i,
  /\balter\s+column\s+\S+\s+(set\s+data\s+)?type\b/i,
  /\balter\s+column\s+\S+\s+set\s+not\s+null\b/i,
  /\btruncate\b/i,
  /\bop\.(drop_table|drop_column|alter_column|rename_table)\b/,
  /\b(remove_column|drop_table|rename_column|rename_table|change_column)\b/,
  /\.(dropColumn|dropTable|renameColumn|renameTable)\(/,
  /\bmigrations\.(RemoveField|DeleteModel|RenameField|RenameModel|AlterField)\b/,
];

/**
 * Where the rollback starts inside a migration file: Rails / Alembic `down` /
 * `downgrade`, Knex / TypeORM / Sequelize `down`, and the Down sections of
 * goose, dbmate and sql-migrate SQL files. What follows it undoes the
 * migration, so its DROPs break nothing.
 */
const DOWN_START =
  /\bdef\s+(down|downgrade)\b|\bexports\.down\b|\basync\s+down\s*\(|\bdown\s*[:(]|public\s+async\s+down\b|^\s*--\s*(\+goose\s+down|migrate:down|\+migrate\s+down)\b/i;
/** Rails `def change` migrations are reversed by Rails itself. */
const REVERSIBLE_BY_FRAMEWORK = /\bdef\s+change\b/;

/** The stem that pairs an up file with its down file: `0042_add_user.up.sql` ↔ `0042_add_user.down.sql`, `V3__x` ↔ `U3__x`. */
function stem(path: string): string {
  const name = path.replaceAll('\\', '/').split('/').pop() ?? path;
  return name
    .toLowerCase()
    .replace(/\.(up|down)\.sql$|\.sql$/, '')
    .replace(/^[vu](\d)/, '$1')
    .replace(/[._-](up|down|rollback|revert|undo)$/, '');
}

const isCode = (path: string) => /\.(py|rb|ts|js|mjs|cjs|go|java|kt|php|cs)$/i.test(path);

/** The migrations of a change set (not the rollback files themselves) with their facts. */
export function migrationsOf(changes: readonly ChangedFile[]): MigrationFacts[] {
  const rollbacks = new Set(
    changes.filter((f) => isMigration(f.path) && isRollbackMigration(f.path)).map((f) => stem(f.path)),
  );
  const facts: MigrationFacts[] = [];
  for (const file of changes) {
    if (!isMigration(file.path) || isRollbackMigration(file.path)) continue;
    // A deleted migration file (only removals) is not a schema change of this release.
    if (file.additions === 0 && file.deletions > 0) continue;
    const downAt = file.added.findIndex((line) => DOWN_START.test(line.text));
    const up = downAt < 0 ? file.added : file.added.slice(0, downAt);
    let reversible: MigrationFacts['reversible'] = rollbacks.has(stem(file.path)) || downAt >= 0;
    if (!reversible && isCode(file.path)) {
      reversible = file.hasPatch
        ? file.added.some((line) => REVERSIBLE_BY_FRAMEWORK.test(line.text))
        : 'unknown';
      // Django operations are reversible unless RunPython / RunSQL lacks its reverse.
      if (!reversible && file.hasPatch && /\.py$/i.test(file.path)) {
        const text = file.added.map((line) => line.text).join('\n');
        if (/\bmigrations\.Migration\b/.test(text) && !/Run(Python|SQL)\((?![^)]*reverse)/.test(text))
          reversible = true;
      }
    }
    const breaking = up.flatMap((line) => {
      const hit = BREAKING.find((pattern) => pattern.test(line.text));
      return hit === undefined || /^\s*(--|#|\/\/)/.test(line.text)
        ? []
        : [{ statement: line.text.trim(), at: line }];
    });
    facts.push({ file, reversible, breaking });
  }
  return facts;
}
