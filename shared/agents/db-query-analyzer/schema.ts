/**
 * Input and output of db-query-analyzer. SQL arrives as files (path and text,
 * as `aiops analyze` reads them and as the API carries them: `.sql` with DDL
 * and queries mixed, pg_stat_statements `.csv` / `.json`, EXPLAIN `.json`,
 * `.aiopsignore`) or inline: `sql`, `statistics` rows and `plans`.
 */
import * as z from 'zod';
import { agentResultSchema } from '../contract.js';
import { filesField } from '../scan/files.js';
import { ignoreInputSchema } from '../suppressions.js';
import { DEFAULT_POSTGRES_VERSION } from './migration-catalog.js';
import { planItems, unframePlanText } from './plan-format.js';
import { DEFAULT_THRESHOLDS } from './rules.js';
import { statRowSchema } from './statistics.js';

/** The CLI reads files up to 1 MiB; the API body is capped at 10 MB. */
const MAX_CONTENT_CHARS = 5_000_000;

/** An EXPLAIN (FORMAT JSON) result: the JSON value, or its text (psql's framing allowed). */
const planSchema = z
  .union([
    z.string().max(MAX_CONTENT_CHARS),
    z.array(z.unknown()).max(1000),
    z.record(z.string(), z.unknown()),
  ])
  .transform((value, ctx): { value: unknown; text?: string } => {
    let parsed: unknown = value;
    let text: string | undefined;
    if (typeof value === 'string') {
      text = unframePlanText(value);
      try {
        parsed = JSON.parse(text);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'not JSON: give the output of EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)',
        });
        return z.NEVER;
      }
    }
    if (planItems(parsed) === undefined) {
      ctx.addIssue({
        code: 'custom',
        message:
          'not EXPLAIN (FORMAT JSON) output: expected [{ "Plan": { "Node Type": … } }] or { "Plan": … }',
      });
      return z.NEVER;
    }
    return text === undefined ? { value: parsed } : { value: parsed, text };
  });

const positiveInt = (max: number) => z.number().int().positive().max(max);

export const dbQueryInputSchema = z
  .strictObject({
    files: filesField(
      'SQL files (DDL and queries, several statements each), pg_stat_statements exports (.csv, .json), ' +
        'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) outputs (.json) and `.aiopsignore` files.',
      MAX_CONTENT_CHARS,
    ),
    sql: z
      .string()
      .max(MAX_CONTENT_CHARS)
      .optional()
      .describe('SQL without a file (read as `input.sql`): DDL and queries, several statements.'),
    statistics: z
      .array(statRowSchema)
      .max(50_000)
      .optional()
      .describe(
        'pg_stat_statements rows: query and calls, total_exec_time, mean_exec_time (ms; total_time / ' +
          'mean_time before PostgreSQL 13), rows. Queries are ranked by total time.',
      ),
    plans: z
      .array(planSchema)
      .max(100)
      .optional()
      .describe('EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) outputs, as JSON or text.'),
    options: z
      .strictObject({
        largeOffset: positiveInt(1e9)
          .optional()
          .describe(
            `SQL007: a constant OFFSET from this many rows (default ${DEFAULT_THRESHOLDS.largeOffset}).`,
          ),
        nPlusOneMin: z
          .number()
          .int()
          .min(2)
          .max(1e6)
          .optional()
          .describe(
            `SQL011: runs of one statement with this many different literals (default ${DEFAULT_THRESHOLDS.nPlusOneMin}).`,
          ),
        largeScanRows: positiveInt(1e12)
          .optional()
          .describe(
            `PLAN001: rows a sequential scan reads to be reported (default ${DEFAULT_THRESHOLDS.largeScanRows}).`,
          ),
        largeOuterRows: positiveInt(1e12)
          .optional()
          .describe(`PLAN005: outer rows of a nested loop (default ${DEFAULT_THRESHOLDS.largeOuterRows}).`),
        top: positiveInt(100).optional().describe('How many top queries to list (default 10).'),
        postgresVersion: z
          .number()
          .int()
          .min(9)
          .max(30)
          .optional()
          .describe(
            `The PostgreSQL major version migrations run on (default ${DEFAULT_POSTGRES_VERSION}): MIG002, MIG009.`,
          ),
        assumeInTransaction: z
          .boolean()
          .optional()
          .describe(
            'Whether the migration tool runs each file in a transaction of its own (default: as the layout says — ' +
              'Diesel, goose, dbmate and Flyway do). Inside one, CONCURRENTLY fails (MIG005) and a rerun is safe (no MIG027).',
          ),
      })
      .optional(),
    ignore: ignoreInputSchema,
  })
  .refine(
    (input) =>
      (input.files?.length ?? 0) > 0 ||
      input.sql !== undefined ||
      (input.statistics?.length ?? 0) > 0 ||
      (input.plans?.length ?? 0) > 0,
    { message: 'give at least one of files, sql, statistics or plans' },
  );

export type DbQueryInput = z.output<typeof dbQueryInputSchema>;

const count = z.number().int().nonnegative();

export const topQuerySchema = z.object({
  rank: z.number().int().positive(),
  fingerprint: z
    .string()
    .describe("libpg_query's fingerprint: equal for statements that differ only in literals."),
  query: z.string().describe('The statement with its literals replaced by $n (cut at 500 characters).'),
  calls: count.describe('Calls in the statistics, else occurrences in the SQL given.'),
  totalTimeMs: z.number().nonnegative().optional(),
  meanTimeMs: z.number().nonnegative().optional(),
  rows: z.number().nonnegative().optional(),
  sharePercent: z.number().min(0).max(100).optional().describe('Share of the total execution time.'),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  ruleIds: z.array(z.string()).describe('Rules with unsuppressed findings on this statement.'),
});

export const indexSuggestionSchema = z.object({
  table: z.string(),
  columns: z.array(z.string()),
  ddl: z.string().describe('CREATE INDEX CONCURRENTLY …: run outside a transaction.'),
  statements: count.describe('Distinct statements it serves.'),
});

export const dbQueryOutputSchema = agentResultSchema.extend({
  score: z.number().int().min(0).max(100),
  metrics: z.object({
    files: count,
    statements: count.describe('Statements parsed from SQL files and statistics.'),
    queries: count.describe('Distinct queries (fingerprints).'),
    ddlStatements: count,
    tables: count.describe('Tables the DDL defines.'),
    indexes: count.describe('Indexes, primary keys and unique constraints included.'),
    parseErrors: count,
    statisticsRows: count,
    plans: count,
    planNodes: count,
    namesChecked: count.describe('Queries whose names were checked against the schema the DDL defines.'),
    ddlFailures: count.describe(
      'DDL statements that would fail (an ALTER of a relation never created): their relations are not name-checked.',
    ),
    totalExecTimeMs: z.number().nonnegative(),
    queriesNotAnalyzed: count.describe(
      'Distinct queries beyond the per-analysis bound that no rule read (see the SQL015 finding).',
    ),
    findingsLeftOut: count.describe('Findings beyond the per-rule bound, left out of the list (see SQL015).'),
  }),
  topQueries: z.array(topQuerySchema),
  indexSuggestions: z.array(indexSuggestionSchema),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })).describe('Files not read, and why.'),
});

export type DbQueryOutput = z.output<typeof dbQueryOutputSchema>;
