import { defineAgent } from '../contract.js';
import { filesAsInput } from '../scan/files.js';
import { analyzeDbQueries } from './analyze.js';
import { metadata } from './meta.js';
import { AGENT_RULES } from './rules.js';
import { dbQueryInputSchema, dbQueryOutputSchema } from './schema.js';

/**
 * SQL files; JSON and CSV only when named as plans or pg_stat_statements
 * exports, logs when named as PostgreSQL's (a folder holds many others).
 */
export function acceptsSqlInput(path: string): boolean {
  const name = path.replaceAll('\\', '/').split('/').at(-1)?.toLowerCase() ?? '';
  if (/\.(sql|psql|pgsql)$/.test(name)) return true;
  if (name.endsWith('.log')) return /(postgres|postgresql|pg)/.test(name);
  return /\.(json|csv)$/.test(name) && /(explain|plan|pg_stat|stat_statements|statements)/.test(name);
}

export default defineAgent({
  ...metadata,
  input: dbQueryInputSchema,
  output: dbQueryOutputSchema,
  analyze: analyzeDbQueries,
  rules: AGENT_RULES,
  accepts: acceptsSqlInput,
  /** Every file as is: .sql, pg_stat_statements .csv / .json, EXPLAIN .json and .aiopsignore, told apart by the analysis. */
  fromFiles: filesAsInput,
});
