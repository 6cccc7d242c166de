/**
 * The hazard classes of the migration benchmark (bench/sql/), under neutral
 * names, each mapped to the squawk rule ids that report it (CLASSES) and to the
 * db-query-analyzer rule id that reports it (OURS: null where no rule of ours
 * covers the class yet). A finding whose rule maps to no
 * class is counted apart as "other" (our SQL0xx query findings, say).
 */

export interface HazardClass {
  /** Neutral class name, as used in the corpus's `-- expect:` annotations and truth.json. */
  id: string;
  /** What is unsafe, in a line. */
  hazard: string;
  /** squawk rule ids (and their aliases) that report this class. */
  squawk: readonly string[];
}

export const CLASSES: readonly HazardClass[] = [
  {
    id: 'required-column',
    hazard: 'ADD COLUMN … NOT NULL without a default',
    squawk: ['adding-required-field'],
  },
  {
    id: 'set-not-null',
    hazard: 'SET NOT NULL (scans under ACCESS EXCLUSIVE)',
    squawk: ['adding-not-nullable-field'],
  },
  {
    id: 'volatile-default',
    hazard: 'ADD COLUMN with a volatile default (table rewrite)',
    squawk: ['adding-field-with-default'],
  },
  {
    id: 'index-not-concurrent',
    hazard: 'CREATE INDEX on a live table without CONCURRENTLY',
    squawk: ['require-concurrent-index-creation'],
  },
  {
    id: 'drop-index-not-concurrent',
    hazard: 'DROP INDEX without CONCURRENTLY',
    squawk: ['require-concurrent-index-deletion'],
  },
  {
    id: 'reindex-not-concurrent',
    hazard: 'REINDEX without CONCURRENTLY',
    squawk: ['require-concurrent-reindex'],
  },
  {
    id: 'concurrent-in-transaction',
    hazard: 'CREATE INDEX CONCURRENTLY inside a transaction',
    squawk: ['ban-concurrent-index-creation-in-transaction'],
  },
  {
    id: 'constraint-not-valid',
    hazard: 'CHECK / FOREIGN KEY added without NOT VALID, or validated in the same transaction',
    squawk: ['constraint-missing-not-valid'],
  },
  {
    id: 'foreign-key',
    hazard: 'foreign key added to a live table (locks both tables)',
    squawk: ['adding-foreign-key-constraint'],
  },
  {
    id: 'primary-key-without-index',
    hazard: 'ADD PRIMARY KEY without USING INDEX',
    squawk: ['adding-serial-primary-key-field', 'adding-primary-key-constraint'],
  },
  {
    id: 'unique-constraint',
    hazard: 'UNIQUE constraint without USING INDEX',
    squawk: ['disallowed-unique-constraint'],
  },
  {
    id: 'column-type-change',
    hazard: 'ALTER COLUMN … TYPE (table rewrite)',
    squawk: ['changing-column-type'],
  },
  { id: 'rename-column', hazard: 'RENAME COLUMN (breaks running code)', squawk: ['renaming-column'] },
  { id: 'rename-table', hazard: 'RENAME TO (breaks running code)', squawk: ['renaming-table'] },
  { id: 'drop-column', hazard: 'DROP COLUMN', squawk: ['ban-drop-column'] },
  { id: 'drop-table', hazard: 'DROP TABLE', squawk: ['ban-drop-table'] },
  { id: 'drop-database', hazard: 'DROP DATABASE', squawk: ['ban-drop-database'] },
  {
    id: 'drop-not-null',
    hazard: 'DROP NOT NULL (NULLs reach code that assumes none)',
    squawk: ['ban-drop-not-null'],
  },
  { id: 'truncate-cascade', hazard: 'TRUNCATE … CASCADE', squawk: ['ban-truncate-cascade'] },
  { id: 'varchar-length', hazard: 'varchar(n) instead of text with a CHECK', squawk: ['prefer-text-field'] },
  { id: 'char-column', hazard: 'char(n)', squawk: ['ban-char-field'] },
  {
    id: 'timestamp-without-tz',
    hazard: 'timestamp without time zone',
    squawk: ['prefer-timestamptz', 'prefer-timestamp-tz'],
  },
  { id: 'int32-column', hazard: 'int / integer / serial (32-bit)', squawk: ['prefer-bigint-over-int'] },
  { id: 'int16-column', hazard: 'smallint / smallserial (16-bit)', squawk: ['prefer-bigint-over-smallint'] },
  { id: 'serial-column', hazard: 'serial types instead of an identity column', squawk: ['prefer-identity'] },
  {
    id: 'domain-with-constraint',
    hazard: 'CREATE DOMAIN … CHECK',
    squawk: ['ban-create-domain-with-constraint'],
  },
  {
    id: 'domain-add-constraint',
    hazard: 'ALTER DOMAIN … ADD CONSTRAINT (scans every user)',
    squawk: ['ban-alter-domain-with-add-constraint'],
  },
  {
    id: 'transaction-nesting',
    hazard: 'BEGIN / COMMIT inside an open transaction',
    squawk: ['transaction-nesting'],
  },
  { id: 'uncommitted-transaction', hazard: 'BEGIN never committed', squawk: ['ban-uncommitted-transaction'] },
  {
    id: 'missing-lock-timeout',
    hazard: 'locking DDL without SET lock_timeout first',
    squawk: ['require-lock-timeout', 'require-timeout-settings'],
  },
  {
    id: 'missing-statement-timeout',
    hazard: 'slow DDL without SET statement_timeout first',
    squawk: ['require-statement-timeout', 'require-timeout-settings'],
  },
  {
    id: 'non-rerunnable',
    hazard: 'outside a transaction, DDL without IF [NOT] EXISTS cannot be rerun after a partial failure',
    squawk: ['prefer-robust-stmts'],
  },
];

/**
 * Our rule id(s) for each class (db-query-analyzer's migration-catalog.ts);
 * null = no rule of ours maps here (the bench prints "not mapped" for the
 * class). Every class has one now.
 */
export const OURS: Readonly<Record<string, string | readonly string[] | null>> = {
  'required-column': 'MIG001',
  'set-not-null': 'MIG009',
  'volatile-default': 'MIG002',
  'index-not-concurrent': 'MIG003',
  'drop-index-not-concurrent': 'MIG004',
  'reindex-not-concurrent': 'MIG004',
  'concurrent-in-transaction': 'MIG005',
  'constraint-not-valid': 'MIG007',
  'foreign-key': 'MIG021',
  'primary-key-without-index': 'MIG008',
  'unique-constraint': 'MIG008',
  'column-type-change': 'MIG006',
  'rename-column': 'MIG010',
  'rename-table': 'MIG010',
  'drop-column': 'MIG011',
  'drop-table': 'MIG011',
  'drop-database': 'MIG011',
  'drop-not-null': 'MIG022',
  'truncate-cascade': 'MIG012',
  'varchar-length': 'MIG018',
  'char-column': 'MIG019',
  'timestamp-without-tz': 'MIG020',
  'int32-column': 'MIG015',
  'int16-column': 'MIG016',
  'serial-column': 'MIG017',
  'domain-with-constraint': 'MIG023',
  'domain-add-constraint': 'MIG024',
  'transaction-nesting': 'MIG014',
  'uncommitted-transaction': 'MIG025',
  'missing-lock-timeout': 'MIG013',
  'missing-statement-timeout': 'MIG026',
  'non-rerunnable': 'MIG027',
};

/** Rule id → class id for squawk. A rule listed under two classes (a deprecated alias) maps to the first. */
export function squawkRuleClasses(classes: readonly HazardClass[] = CLASSES): Map<string, string> {
  const map = new Map<string, string>();
  for (const c of classes) for (const rule of c.squawk) if (!map.has(rule)) map.set(rule, c.id);
  return map;
}

/** Rule id → class ids for ours, from a map like OURS (null entries skipped): one rule may cover several classes. */
export function ourRuleClasses(
  ours: Readonly<Record<string, string | readonly string[] | null>> = OURS,
): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [cls, rules] of Object.entries(ours)) {
    if (rules === null) continue;
    for (const rule of typeof rules === 'string' ? [rules] : rules)
      map.set(rule, [...(map.get(rule) ?? []), cls]);
  }
  return map;
}
