import * as z from 'zod';
import { agentResultSchema } from '../contract.js';
import { filesField } from '../scan/files.js';

/** Enough for a large incident window while keeping one execution inside its memory and time budget. */
export const MAX_LINES = 200_000;
const MAX_LINE_LENGTH = 16_384;

/** Non-blank lines over the files. */
function lineCount(files: readonly { content: string }[]): number {
  let count = 0;
  for (const { content } of files) for (const line of content.split('\n')) if (line.trim() !== '') count += 1;
  return count;
}

export const logAnalyzerInputSchema = z
  .strictObject({
    /** Log lines, oldest first. */
    lines: z.array(z.string().max(MAX_LINE_LENGTH)).max(MAX_LINES).optional(),
    /** Or log files, read in the order given: findings name the file and line. */
    files: filesField(
      'Log files, read in the order given; findings name the file and line.',
      MAX_LINES * 256,
    ),
    /** Or the raw text, split on line breaks. */
    text: z
      .string()
      .max(MAX_LINES * 256)
      .optional(),
    /** Header format in the logparser convention, e.g. `<Date> <Time> <Level> <Component>: <Content>`; inferred when absent. */
    format: z.string().min(1).max(2000).optional(),
    /** Templates known from normal operation; templates not among them are reported as new. */
    baseline: z.strictObject({ templates: z.array(z.string().max(MAX_LINE_LENGTH)).max(100_000) }).optional(),
    /** Width of the time buckets bursts are found in. */
    bucketSeconds: z.number().int().min(1).max(86_400).default(60),
    /** Templates listed in the result, most frequent first. */
    maxTemplates: z.number().int().min(1).max(1000).default(50),
  })
  .refine((v) => v.lines !== undefined || v.text !== undefined || v.files !== undefined, {
    message: 'give the log as `lines`, `text` or `files`',
    path: ['lines'],
  })
  .refine((v) => v.files === undefined || lineCount(v.files) <= MAX_LINES, {
    message: `the files hold more than ${MAX_LINES} lines`,
    path: ['files'],
  });
export type LogAnalyzerInput = z.output<typeof logAnalyzerInputSchema>;

export const templateSummarySchema = z.object({
  id: z.string(),
  template: z.string(),
  count: z.number().int(),
  levels: z.record(z.string(), z.number().int()),
  firstSeen: z.string().optional(),
  lastSeen: z.string().optional(),
  firstLine: z.number().int(),
  lastLine: z.number().int(),
  sample: z.string(),
  component: z.string().optional(),
  isNew: z.boolean().optional(),
});
export type TemplateSummary = z.infer<typeof templateSummarySchema>;

export const logAnalyzerOutputSchema = agentResultSchema.extend({
  format: z.string().nullable(),
  templates: z.array(templateSummarySchema),
  metrics: z.object({
    lines: z.number().int(),
    unparsedLines: z.number().int(),
    templates: z.number().int(),
    errorLines: z.number().int(),
    warningLines: z.number().int(),
    timestampedLines: z.number().int(),
    newTemplates: z.number().int(),
    bursts: z.number().int(),
  }),
});
export type LogAnalyzerOutput = z.infer<typeof logAnalyzerOutputSchema>;
