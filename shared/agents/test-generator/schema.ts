/**
 * Input and output of test-generator: source files (or one `source`), the
 * framework, and where the test goes (`testPath`, or next to the source);
 * the import specifier is derived from the source's own import style unless
 * given.
 */
import * as z from 'zod';
import { agentResultSchema } from '../contract.js';

const MAX_CONTENT_CHARS = 2_000_000;

export const FRAMEWORKS = ['jest', 'vitest', 'pytest'] as const;
export const LANGUAGES = ['typescript', 'javascript', 'python'] as const;

const fileSchema = z.object({
  path: z.string().min(1).max(1000),
  content: z.string().max(MAX_CONTENT_CHARS),
});

export const testGeneratorInputSchema = z
  .strictObject({
    files: z
      .array(fileSchema)
      .max(500)
      .optional()
      .describe(
        'Source files. Tests are generated for each `.ts`, `.tsx`, `.js`, `.mjs` or `.py` file that is not a test or a declaration file; the others help resolve imported types.',
      ),
    source: z.string().max(MAX_CONTENT_CHARS).optional().describe('One module as text (with `path`).'),
    path: z
      .string()
      .min(1)
      .max(1000)
      .optional()
      .describe('Path of `source` (default module.ts, or module.py with language python).'),
    language: z.enum(LANGUAGES).optional().describe('Language of `source` (default from the path).'),
    framework: z
      .enum(FRAMEWORKS)
      .optional()
      .describe('Test framework (default jest for TypeScript / JavaScript, pytest for Python).'),
    testPath: z
      .string()
      .min(1)
      .max(1000)
      .optional()
      .describe(
        'Where the test file goes (one source only; default next to it: name.test.ts, test_name.py).',
      ),
    importPath: z
      .string()
      .min(1)
      .max(1000)
      .optional()
      .describe('How the test imports the module (one source only): a specifier, or a dotted Python module.'),
    importExtension: z
      .enum(['js', 'ts', 'none'])
      .optional()
      .describe(
        'Extension of the derived import specifier: js (NodeNext ESM), ts, none (bundlers). Default: as the source imports its neighbours, else js.',
      ),
  })
  .refine((input) => input.files !== undefined || input.source !== undefined, {
    message: 'give the module as files or source',
    path: ['files'],
  });

export type TestGeneratorInput = z.output<typeof testGeneratorInputSchema>;

const count = z.number().int().nonnegative();

export const generatedCaseSchema = z.object({
  target: z.string().describe("'applyDiscount', 'RateLimiter constructor', 'RateLimiter.tryAcquire'"),
  name: z.string(),
  kind: z.enum(['happy', 'edge', 'error', 'todo']),
  priority: z.enum(['high', 'medium', 'low']),
  errorClass: z.string().optional(),
  reason: z.string().optional(),
  line: z.number().int().positive().optional(),
});

export const testGeneratorOutputSchema = agentResultSchema.extend({
  metrics: z.object({
    files: count,
    functions: count,
    classes: count,
    methods: count,
    cases: count,
    happy: count,
    edge: count,
    error: count,
    todo: count,
  }),
  tests: z.array(
    z.object({
      sourcePath: z.string(),
      testPath: z.string(),
      language: z.enum(LANGUAGES),
      framework: z.enum(FRAMEWORKS),
      importPath: z.string(),
      content: z.string(),
      cases: z.array(generatedCaseSchema),
    }),
  ),
});

export type TestGeneratorOutput = z.output<typeof testGeneratorOutputSchema>;
export type GeneratedTest = TestGeneratorOutput['tests'][number];
