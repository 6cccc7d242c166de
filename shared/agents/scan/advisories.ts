/**
 * OSV advisories as every agent that matches lockfiles takes them
 * (security-scanner, dependency-analyzer): the input field's schema, and the
 * `*.osv.json` files among the input files — one advisory, a list, or an
 * osv.dev answer — read into advisories, the rest left to scan. The matching
 * itself is the dependency engine's (shared/analysis/dependencies/osv.ts).
 */
import * as z from 'zod';
import { advisoriesFromFile, type OsvAdvisory } from '../../analysis/dependencies/osv.js';
import type { SourceFile } from '../contract.js';

const osvEvent = z.looseObject({
  introduced: z.string().optional(),
  fixed: z.string().optional(),
  last_affected: z.string().optional(),
  limit: z.string().optional(),
});

/** The parts of an OSV record (https://ossf.github.io/osv-schema/) the scanner reads; other fields pass. */
export const osvAdvisorySchema = z.looseObject({
  id: z.string().min(1).max(200),
  summary: z.string().optional(),
  details: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  withdrawn: z.string().optional(),
  severity: z.array(z.looseObject({ type: z.string(), score: z.string() })).optional(),
  database_specific: z.record(z.string(), z.unknown()).optional(),
  affected: z
    .array(
      z.looseObject({
        package: z.looseObject({ ecosystem: z.string().optional(), name: z.string().optional() }).optional(),
        ranges: z
          .array(z.looseObject({ type: z.string().optional(), events: z.array(osvEvent).optional() }))
          .optional(),
        versions: z.array(z.string()).optional(),
        database_specific: z.record(z.string(), z.unknown()).optional(),
        ecosystem_specific: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
});

/** The input field: a list, or an osv.dev answer `{ vulns: [...] }`. */
export const advisoriesInputSchema = z
  .union([z.array(osvAdvisorySchema), z.looseObject({ vulns: z.array(osvAdvisorySchema) })])
  .transform((value) => (Array.isArray(value) ? value : value.vulns));

const ADVISORY_FILE = /\.osv\.json$/i;

/** The advisories of the input and of its `*.osv.json` files, and the other files (the ones to scan). */
export function readAdvisories(files: readonly SourceFile[], given: readonly OsvAdvisory[]) {
  const advisories: OsvAdvisory[] = [...given];
  const sources: SourceFile[] = [];
  let unreadable = 0;
  for (const file of files) {
    if (!ADVISORY_FILE.test(file.path)) {
      sources.push(file);
      continue;
    }
    for (const entry of advisoriesFromFile(file) ?? [undefined]) {
      const parsed = osvAdvisorySchema.safeParse(entry);
      if (parsed.success) advisories.push(parsed.data);
      else unreadable++;
    }
  }
  return { advisories, sources, unreadable };
}
