/**
 * Input and output of security-scanner. The input is the files themselves
 * (the CLI reads folders into it), optional OSV advisories and optional
 * suppressions; the output is the common result with a risk score.
 */
import * as z from 'zod';
import { agentResultSchema } from '../contract.js';
import { advisoriesInputSchema } from '../scan/advisories.js';
import { ignoreInputSchema } from '../suppressions.js';

/** Per file, and in total: larger inputs travel as object references and are resolved by the app layer. */
export const MAX_FILE_CHARS = 5_000_000;
/**
 * Files in one input. `aiops analyze` reads 5000 by default (`--max-files`)
 * and lists the rest as skipped; an API caller splits a larger repository.
 */
export const MAX_FILES = 50_000;

const skippedFileSchema = z.strictObject({
  path: z.string().min(1).max(4096),
  reason: z.string().min(1).max(500),
});

/** What the scanner can look at; `secrets` includes the credential files. */
export const SCAN_AREAS = ['secrets', 'dockerfile', 'iac', 'code', 'dependencies'] as const;
export type ScanArea = (typeof SCAN_AREAS)[number];

export const securityInputSchema = z.strictObject({
  files: z
    .array(
      z.strictObject({
        path: z
          .string()
          .min(1)
          .max(4096)
          .describe('Path relative to the repository root; decides how the file is read.'),
        content: z.string().max(MAX_FILE_CHARS).describe('The file as UTF-8 text.'),
      }),
    )
    .min(1)
    .max(MAX_FILES)
    .describe(
      'Files to scan: any text file is searched for secrets; Dockerfiles, CloudFormation (JSON/YAML, CDK ' +
        'output), Terraform (.tf), JS/TS/Python/Go/Java sources and lockfiles (package-lock.json, ' +
        'requirements*.txt, poetry.lock, uv.lock, Pipfile.lock, Cargo.lock, go.sum, yarn.lock, pnpm-lock.yaml, pom.xml, gradle.lockfile, Gemfile.lock, composer.lock) get their own rules. `.aiopsignore` files are read ' +
        'as suppressions and `*.osv.json` files as advisories.',
    ),
  advisories: advisoriesInputSchema
    .optional()
    .describe(
      'OSV advisories to match the lockfiles against: a list, or an osv.dev answer `{ vulns: [...] }`.',
    ),
  areas: z
    .array(z.enum(SCAN_AREAS))
    .min(1)
    .max(SCAN_AREAS.length)
    .optional()
    .describe(
      'Only these areas (default: all): secrets (credentials and credential files), dockerfile, iac ' +
        '(CloudFormation, Terraform), code, dependencies. `["secrets"]` is a secret scan like gitleaks or secretlint.',
    ),
  ignore: ignoreInputSchema,
  skipped: z
    .array(skippedFileSchema)
    .max(MAX_FILES)
    .optional()
    .describe(
      'Files the reader found but did not pass (over a size cap, binary, beyond the file cap, an ignored ' +
        'folder), with the reason: listed in the result so nothing is left out silently. `aiops analyze` fills it.',
    ),
});

export type SecurityInput = z.output<typeof securityInputSchema>;

const count = z.number().int().nonnegative();

export const securityOutputSchema = agentResultSchema.extend({
  score: z.number().int().min(0).max(100).describe('100 − riskScore: 100 means nothing open was found.'),
  riskScore: z
    .number()
    .int()
    .min(0)
    .max(100)
    .describe(
      '0 = no open findings; each open finding takes a share of what is left (critical 40%, high 20%, …).',
    ),
  metrics: z.object({
    files: count.describe('Files scanned.'),
    secrets: count.describe('Open secret findings.'),
    dockerfiles: count.describe('Dockerfiles read.'),
    templates: count.describe('CloudFormation templates and Terraform files read.'),
    codeFiles: count.describe('Source files read for code patterns.'),
    packages: count.describe('Locked packages matched against advisories.'),
    advisories: count.describe('Advisories given (withdrawn ones left out).'),
    vulnerablePackages: count.describe('Open dependency findings.'),
    suppressed: count.describe('Findings suppressed with a reason.'),
    filesSkipped: count.describe(
      'Files (and ignored folders) not scanned; each is in `skipped` with its reason.',
    ),
    riskScore: z.number().int().min(0).max(100),
  }),
  skipped: z
    .array(z.object({ path: z.string(), reason: z.string() }))
    .describe('Files and ignored folders not scanned, and why.'),
});

export type SecurityOutput = z.output<typeof securityOutputSchema>;
