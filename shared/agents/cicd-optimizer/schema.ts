/**
 * Input and output of cicd-optimizer. Pipelines arrive as files (path and
 * text, as `aiops analyze` reads them and as the API carries them); run
 * timings as GitHub's jobs JSON (`GET /repos/{o}/{r}/actions/runs/{id}/jobs`,
 * one page or a list of pages), test results as JUnit XML with the commit
 * they ran on, step logs with the job's conclusion.
 */
import * as z from 'zod';
import { agentResultSchema } from '../contract.js';
import { filesField } from '../scan/files.js';
import { ignoreInputSchema } from '../suppressions.js';

const MAX_CONTENT_CHARS = 5_000_000;
const timestamp = z.string().max(64).nullish();

const stepSchema = z.looseObject({
  name: z.string().max(1000),
  number: z.number().int().optional(),
  status: z.string().max(40).nullish(),
  conclusion: z.string().max(40).nullish(),
  started_at: timestamp,
  completed_at: timestamp,
});

export const jobRunSchema = z.looseObject({
  id: z.number().optional(),
  run_id: z.union([z.number(), z.string().max(100)]).optional(),
  run_attempt: z.number().int().optional(),
  workflow_name: z.string().max(1000).nullish(),
  name: z.string().min(1).max(1000),
  head_sha: z.string().max(64).nullish(),
  status: z.string().max(40).nullish(),
  conclusion: z.string().max(40).nullish(),
  started_at: timestamp,
  completed_at: timestamp,
  steps: z.array(stepSchema).max(1000).optional(),
});
export type JobRun = z.output<typeof jobRunSchema>;

const jobsPageSchema = z.looseObject({
  total_count: z.number().optional(),
  jobs: z.array(jobRunSchema).max(10_000),
});

export const logSchema = z.strictObject({
  job: z.string().min(1).max(1000).describe('The job name, as in the jobs JSON.'),
  step: z.string().max(1000).optional(),
  run: z.union([z.number(), z.string().max(100)]).optional(),
  sha: z.string().max(64).optional(),
  conclusion: z
    .string()
    .min(1)
    .max(40)
    .describe('success, failure, cancelled…: failing logs are compared with passing ones.'),
  text: z.string().max(MAX_CONTENT_CHARS),
});
export type StepLog = z.output<typeof logSchema>;

export const testReportSchema = z.strictObject({
  sha: z.string().min(1).max(64).describe('The commit the tests ran on.'),
  run: z.union([z.number(), z.string().max(100)]).optional(),
  xml: z.string().max(MAX_CONTENT_CHARS),
});

export const cicdInputSchema = z
  .strictObject({
    files: filesField(
      'Pipeline files (.github/workflows/*.yml, action.yml, .gitlab-ci.yml, .circleci/config.yml, Buildkite YAML), ' +
        'JUnit XML reports and GitHub jobs JSON files, and `.aiopsignore` files.',
      MAX_CONTENT_CHARS,
    ),
    runs: z
      .union([jobsPageSchema, z.array(jobsPageSchema).max(1000)])
      .optional()
      .describe(
        'GitHub Actions jobs of one run ({ jobs: [...] }, as the REST API returns it) or of several runs.',
      ),
    testReports: z
      .array(testReportSchema)
      .max(5000)
      .optional()
      .describe('JUnit XML reports with the commit each ran on.'),
    logs: z
      .array(logSchema)
      .max(5000)
      .optional()
      .describe('Step or job logs with their conclusion, for failure root causes.'),
    public: z
      .boolean()
      .optional()
      .describe('The repository is public (self-hosted runners on pull requests, CICD011).'),
    repository: z
      .looseObject({ private: z.boolean().optional(), visibility: z.string().max(40).optional() })
      .optional()
      .describe(
        'The repository as GET /repos/{owner}/{repo} returns it: `private` / `visibility` say whether it is public.',
      ),
    matrixLimit: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .optional()
      .describe('Matrix combinations above which CICD010 reports (default 20).'),
    slowPipelineMinutes: z
      .number()
      .positive()
      .max(10_000)
      .optional()
      .describe('Critical path duration CICD030 reports from (default 15).'),
    slowStepMinutes: z
      .number()
      .positive()
      .max(10_000)
      .optional()
      .describe('Step duration CICD031 reports from (default 5).'),
    ignore: ignoreInputSchema,
  })
  .refine(
    (input) =>
      input.files !== undefined ||
      input.runs !== undefined ||
      input.testReports !== undefined ||
      input.logs !== undefined,
    { message: 'give pipeline files, runs, testReports or logs', path: ['files'] },
  );

export type CicdInput = z.output<typeof cicdInputSchema>;

const count = z.number().int().nonnegative();
const minutes = z.number().nonnegative();

export const cicdOutputSchema = agentResultSchema.extend({
  score: z.number().int().min(0).max(100),
  metrics: z.object({
    pipelines: count.describe('Workflows, actions and pipeline files read.'),
    jobs: count,
    parseErrors: count,
    skippedFiles: count,
    runs: count,
    testReports: count,
    findingsSecurity: count,
    findingsReliability: count,
    findingsEfficiency: count,
    findingsCorrectness: count,
    suppressed: count,
    criticalPathMinutes: minutes.optional().describe('The longest critical path over the runs given.'),
  }),
  pipelines: z.array(z.object({ file: z.string(), kind: z.string(), jobs: count, findings: count })),
  timings: z
    .object({
      runs: z.array(
        z.object({
          run: z.string(),
          sha: z.string().optional(),
          workflow: z.string().optional(),
          criticalPath: z.array(z.object({ job: z.string(), minutes })),
          criticalPathMinutes: minutes,
          wallClockMinutes: minutes.optional(),
          totalJobMinutes: minutes,
          jobs: count,
        }),
      ),
      slowestSteps: z.array(
        z.object({ job: z.string(), step: z.string(), medianMinutes: minutes, runs: count }),
      ),
      flakyJobs: z.array(z.object({ job: z.string(), sha: z.string(), passed: count, failed: count })),
      flakyTests: z.array(z.object({ test: z.string(), sha: z.string(), passed: count, failed: count })),
      failureCauses: z.array(
        z.object({
          job: z.string(),
          candidates: z.array(z.object({ template: z.string(), line: z.string(), count, score: z.number() })),
        }),
      ),
    })
    .optional(),
  skipped: z
    .array(z.object({ file: z.string(), reason: z.string() }))
    .describe('Inputs not analysed, each with why.'),
});

export type CicdOutput = z.output<typeof cicdOutputSchema>;
