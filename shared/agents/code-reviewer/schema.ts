/**
 * Input and output of code-reviewer. The input is source files, a unified
 * diff (with the changed files' full post-images in `files` when available),
 * or a batch of such items; the output is the common result with a score,
 * strengths, recommendations, per-file and per-item summaries and a markdown
 * pull-request comment.
 */
import * as z from 'zod';
import { agentResultSchema, SEVERITIES } from '../contract.js';
import { ignoreInputSchema } from '../suppressions.js';

export const MAX_FILE_CHARS = 2_000_000;
export const MAX_FILES = 5_000;
export const MAX_DIFF_CHARS = 10_000_000;
export const MAX_ITEMS = 500;

const fileSchema = z.strictObject({
  path: z
    .string()
    .min(1)
    .max(4096)
    .describe('Path relative to the repository root; its extension picks the parser.'),
  content: z.string().max(MAX_FILE_CHARS).describe('The file as UTF-8 text.'),
});

const files = z
  .array(fileSchema)
  .max(MAX_FILES)
  .optional()
  .describe(
    'Source files (TS/JS, Python, Go, Java; other text files are searched for secrets only) and `.aiopsignore` ' +
      'files. With `diff`: the full post-images of changed files (parsed whole; only added lines reported) and ' +
      'other files to compare for duplicates.',
  );
const diff = z
  .string()
  .max(MAX_DIFF_CHARS)
  .optional()
  .describe('A unified diff (`git diff`): only the lines it adds are reported.');

const positive = z.number().int().positive().max(10_000);

export const codeReviewInputSchema = z
  .strictObject({
    files,
    diff,
    items: z
      .array(
        z
          .strictObject({
            name: z
              .string()
              .min(1)
              .max(200)
              .describe('Names the item in the results (a pull request, a module).'),
            files,
            diff,
          })
          .refine((item) => item.files !== undefined || item.diff !== undefined, {
            message: 'an item needs files or a diff',
          }),
      )
      .min(1)
      .max(MAX_ITEMS)
      .optional()
      .describe(
        'A batch: each item is reviewed on its own (CR010 and CR011 within the item) and summarised.',
      ),
    thresholds: z
      .strictObject({
        complexity: positive.optional().describe('CR001: cyclomatic complexity above this (default 10).'),
        functionLines: positive
          .optional()
          .describe('CR002: code lines per function above this (default 60).'),
        testFunctionLines: positive
          .optional()
          .describe('CR002 for test-suite callbacks (it / test / hooks / describe bodies; default 150).'),
        nesting: positive.optional().describe('CR003: nesting depth above this (default 4).'),
        duplicateLines: z
          .number()
          .int()
          .min(2)
          .max(1000)
          .optional()
          .describe('CR011: shortest run (default 6).'),
      })
      .optional(),
    ignore: ignoreInputSchema,
  })
  .superRefine((input, ctx) => {
    const direct = input.files !== undefined || input.diff !== undefined;
    if (input.items !== undefined && direct)
      ctx.addIssue({
        code: 'custom',
        path: ['items'],
        message: 'give items, or files and/or a diff, not both',
      });
    if (input.items === undefined && !direct)
      ctx.addIssue({ code: 'custom', path: ['files'], message: 'give files, a diff or items' });
  });

export type CodeReviewInput = z.output<typeof codeReviewInputSchema>;

const count = z.number().int().nonnegative();
const counts = z.object(
  Object.fromEntries(SEVERITIES.map((s) => [s, count])) as Record<(typeof SEVERITIES)[number], typeof count>,
);

export const fileSummarySchema = z.object({
  path: z.string(),
  item: z.string().optional(),
  language: z.string().optional().describe('Parser used; absent: searched for secrets only.'),
  mode: z
    .enum(['file', 'diff', 'fragment'])
    .describe(
      'file: reviewed whole; diff: whole post-image parsed, added lines reported; fragment: only the hunks were known.',
    ),
  codeLines: count,
  addedLines: count.optional(),
  functions: count,
  findingCounts: counts,
  score: z.number().int().min(0).max(100),
});

export const codeReviewOutputSchema = agentResultSchema.extend({
  score: z.number().int().min(0).max(100).describe('Code-line weighted mean of the per-file scores.'),
  strengths: z.array(z.string()).describe('What the code or change does well, by the same measures.'),
  recommendations: z.array(z.string()).describe('One line per rule with open findings, most severe first.'),
  files: z.array(fileSummarySchema),
  items: z
    .array(
      z.object({
        name: z.string(),
        summary: z.string(),
        score: z.number().int().min(0).max(100),
        findingCounts: counts,
        files: count,
      }),
    )
    .optional(),
  markdown: z.string().describe('The review as a pull-request comment.'),
  metrics: z.record(z.string(), z.number()),
});

export type CodeReviewOutput = z.output<typeof codeReviewOutputSchema>;
export type FileSummary = z.output<typeof fileSummarySchema>;
