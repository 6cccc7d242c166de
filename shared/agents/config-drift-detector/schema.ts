/**
 * Input and output of config-drift-detector. The input accepts a config as an
 * object or as JSON / YAML text; text is checked here, so a config that does
 * not parse is an input error at `baseline` / `target` like any other, and
 * the analysis reads it with the line of every key (readConfig).
 */
import * as z from 'zod';
import { type Locator, parseWithLines } from '../../analysis/documents/structured.js';
import { agentResultSchema } from '../contract.js';

/** A parsed configuration: a mapping at the top, JSON-like values below. */
export type ConfigObject = Record<string, unknown>;

/** A configuration and, when it was given as text, the line of any key path in it. */
export interface ConfigSource {
  config: ConfigObject;
  lineOf?: Locator;
}

function describeParsed(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (the text is empty or null)';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/** A config as given (an object, or JSON or YAML text), or why the text is not one. */
export function readConfig(value: string | ConfigObject, label: string): ConfigSource | { error: string } {
  if (typeof value !== 'string') return { config: value };
  // YAML 1.2 reads JSON as well; merge keys (`<<: *defaults`) are common in Spring and Helm files.
  const parsed = parseWithLines(value, { merge: true, uniqueKeys: true, positionInMessage: true });
  if ('error' in parsed) return { error: `${label} is not valid JSON or YAML: ${parsed.error}` };
  const config = parsed.value;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    return {
      error: `${label} must be a mapping of keys to values; the text holds ${describeParsed(config)}`,
    };
  }
  return { config: config as ConfigObject, lineOf: parsed.lineOf };
}

/**
 * A config object, or text checked here to parse into one. The text itself
 * stays the input (the analysis reads it again with its lines), so a stored
 * or queued input is plain JSON.
 */
function configSource(label: 'baseline' | 'target') {
  return z
    .union([z.string(), z.record(z.string(), z.unknown())], {
      error: `${label} must be a config object, or JSON or YAML text`,
    })
    .superRefine((value, ctx) => {
      const read = readConfig(value, label);
      if ('error' in read) ctx.addIssue({ code: 'custom', message: read.error });
    });
}

const filePath = z.string().min(1).max(1024);

export const configDriftInputSchema = z.strictObject({
  baseline: configSource('baseline').describe(
    'The reference configuration: an object, or JSON or YAML text (one document, a mapping at the top).',
  ),
  target: configSource('target').describe('The configuration compared with the baseline, in the same forms.'),
  baselinePath: filePath.optional().describe('The file the baseline was read from (set by `aiops analyze`).'),
  targetPath: filePath
    .optional()
    .describe('The file the target was read from: findings point at it, at the line of their key.'),
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
