/**
 * What each input file of db-query-analyzer holds, by name, then by content
 * for JSON: SQL (and PostgreSQL server logs, read as the statements they
 * record), pg_stat_statements rows (CSV or JSON) and EXPLAIN plans; the
 * input's own `sql`, `statistics` and `plans` join them.
 */
import type { SourceFile } from '../contract.js';
import { planItems, unframePlanText } from './plan-format.js';
import type { PlanInput } from './plans.js';
import type { DbQueryInput } from './schema.js';
import { sqlFromServerLog } from './sql-source.js';
import { type StatRow, statisticsFromCsv, statisticsFromJson } from './statistics.js';

export interface Sources {
  sql: SourceFile[];
  statistics: StatRow[];
  plans: PlanInput[];
  skipped: { path: string; reason: string }[];
}

function baseName(path: string): string {
  return path.replaceAll('\\', '/').split('/').at(-1) ?? path;
}

function addCsv(sources: Sources, file: SourceFile): void {
  const rows = statisticsFromCsv(file.path, file.content);
  if (rows === undefined) {
    sources.skipped.push({
      path: file.path,
      reason: 'CSV without query and calls/time columns (not pg_stat_statements)',
    });
  } else {
    sources.statistics.push(...rows);
  }
}

function addJson(sources: Sources, file: SourceFile): void {
  const text = unframePlanText(file.content);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    sources.skipped.push({ path: file.path, reason: 'not valid JSON' });
    return;
  }
  if (planItems(value) !== undefined) {
    sources.plans.push({ name: file.path, file: file.path, value, text });
    return;
  }
  const rows = statisticsFromJson(file.path, value, text);
  if (rows !== undefined) sources.statistics.push(...rows);
  else
    sources.skipped.push({
      path: file.path,
      reason: 'neither EXPLAIN (FORMAT JSON) output nor pg_stat_statements rows',
    });
}

/** The files (without `.aiopsignore`) and the input's values, sorted by what they hold. */
export function sortSources(input: DbQueryInput, files: readonly SourceFile[]): Sources {
  const sources: Sources = { sql: [], statistics: [], plans: [], skipped: [] };
  for (const file of files) {
    const name = baseName(file.path).toLowerCase();
    if (name.endsWith('.csv')) addCsv(sources, file);
    else if (name.endsWith('.json')) addJson(sources, file);
    // A server log is read as the statements it records, on their lines.
    else if (name.endsWith('.log'))
      sources.sql.push({ path: file.path, content: sqlFromServerLog(file.content) });
    else sources.sql.push(file);
  }
  if (input.sql !== undefined) sources.sql.push({ path: 'input.sql', content: input.sql });
  if (input.statistics !== undefined)
    sources.statistics.push(...(statisticsFromJson(undefined, input.statistics) ?? []));
  input.plans?.forEach((plan, i) => {
    sources.plans.push({
      name: `plans[${i}]`,
      value: plan.value,
      ...(plan.text === undefined ? {} : { text: plan.text }),
    });
  });
  return sources;
}
