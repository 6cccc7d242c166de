/**
 * Input and output of config-drift-detector. The input accepts a config as an
 * object or as JSON / YAML text; text is parsed here, so a config that does not
 * parse is an input error at `baseline` / `target` like any other, and the
 * analysis only ever sees objects.
 */
import { parse as parseYaml, YAMLError } from 'yaml';
import * as z from 'zod';
import { MAX_ALIAS_COUNT } from '../../analysis/documents/yaml.js';
import { agentResultSchema } from '../contract.js';

/** A parsed configuration: a mapping at the top, JSON-like values below. */
export type ConfigObject = Record<string, unknown>;

/** First line of a parser message: the later lines quote the source, which may hold secrets. */
function parserReason(error: Error): string {
  const [first = ''] = error.message.split('\n');
  return first.replace(/:\s*$/, '');
}

function describeParsed(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (the text is empty or null)';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

function configSource(label: 'baseline' | 'target') {
  return z
    .union([z.string(), z.record(z.string(), z.unknown())], {
      error: `${label} must be a config object, or JSON or YAML text`,
    })
    .transform((value, ctx): ConfigObject => {
      if (typeof value !== 'string') return value;
      let parsed: unknown;
      try {
        // YAML 1.2 reads JSON as well; merge keys (`<<: *defaults`) are common in Spring and Helm files.
        parsed = parseYaml(value, { merge: true, logLevel: 'error', maxAliasCount: MAX_ALIAS_COUNT });
      } catch (error) {
        // The parser throws ReferenceError for unresolved or excessive aliases, YAMLError for syntax.
        if (error instanceof YAMLError || error instanceof ReferenceError) {
          ctx.addIssue({
            code: 'custom',
            message: `${label} is not valid JSON or YAML: ${parserReason(error)}`,
          });
          return z.NEVER;
        }
        throw error;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        ctx.addIssue({
          code: 'custom',
          message: `${label} must be a mapping of keys to values; the text holds ${describeParsed(parsed)}`,
        });
        return z.NEVER;
      }
      return parsed as ConfigObject;
    });
}

export const configDriftInputSchema = z.strictObject({
  baseline: configSource('baseline').describe(
    'The reference configuration: an object, or JSON or YAML text (one document, a mapping at the top).',
  ),
  target: configSource('target').describe('The configuration compared with the baseline, in the same forms.'),
  criticalKeys: z
    .array(
      z
        .string()
        .trim()
        .max(200)
        .regex(/[\p{L}\p{N}*]/u, 'a pattern needs a letter, a digit or *'),
    )
    .max(200)
    .optional()
    .describe(
      'Key patterns (case-insensitive, * wildcard) that replace the default critical keys. A pattern ' +
        'without a dot matches any key segment (`*password*`, `auth`); one with a dot matches the end of ' +
        'the key path (`spring.datasource.*`). An empty list means no key is critical.',
    ),
});

export type ConfigDriftInput = z.output<typeof configDriftInputSchema>;

const count = z.number().int().nonnegative();

export const configDriftOutputSchema = agentResultSchema.extend({
  score: z.number().int().min(0).max(100),
  metrics: z.object({
    missing: count.describe('Keys (or whole sections) in the baseline and not in the target.'),
    extra: count.describe('Keys (or whole sections) in the target and not in the baseline.'),
    changed: count.describe('Keys present in both with a different value, type or order.'),
    critical: count.describe('Findings on critical keys, whatever their kind.'),
  }),
});

export type ConfigDriftOutput = z.output<typeof configDriftOutputSchema>;
