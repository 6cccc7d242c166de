/**
 * Input and output of dependency-analyzer. The input is files (lockfiles,
 * manifests, and optionally the sources whose imports show what is used),
 * plus what no file gives offline: registry metadata per package, a licence
 * policy, OSV advisories. The output is the common result with the licence
 * table, the dependency tree per lockfile and a CycloneDX 1.6 SBOM.
 */
import * as z from 'zod';
import { agentResultSchema } from '../contract.js';
import { advisoriesInputSchema } from '../scan/advisories.js';
import { ignoreInputSchema } from '../suppressions.js';

export const MAX_FILE_CHARS = 20_000_000;
export const MAX_FILES = 20_000;

/** What a registry says about one package (npm `view --json`, PyPI JSON API, …), reduced to what is read. */
export const packageMetadataSchema = z.looseObject({
  name: z.string().min(1).max(500),
  ecosystem: z
    .enum(['npm', 'PyPI', 'Go', 'crates.io', 'Maven', 'RubyGems', 'Packagist'])
    .optional()
    .describe('When absent, the entry applies to a package of this name in any ecosystem.'),
  latest: z.string().max(200).optional().describe('The latest stable version.'),
  'dist-tags': z
    .looseObject({ latest: z.string().optional() })
    .optional()
    .describe('npm: `latest` as above.'),
  license: z.string().max(2000).optional().describe('The licence, an SPDX expression preferably.'),
  deprecated: z
    .union([z.string().max(5000), z.boolean()])
    .optional()
    .describe('The deprecation message (npm), or true (an abandoned or yanked package).'),
  published: z
    .record(z.string(), z.string())
    .optional()
    .describe('Publish date (ISO 8601) by version; npm `time` is read the same way.'),
  time: z.record(z.string(), z.string()).optional(),
});
export type PackageMetadata = z.output<typeof packageMetadataSchema>;

export const licensePolicySchema = z.strictObject({
  allow: z
    .array(z.string().min(1).max(200))
    .max(1000)
    .optional()
    .describe('SPDX ids allowed: a licence none of whose alternatives is entirely allowed is reported.'),
  deny: z
    .array(z.string().min(1).max(200))
    .max(1000)
    .optional()
    .describe('SPDX ids denied: a licence whose every alternative holds a denied id is reported.'),
  includeDev: z
    .boolean()
    .optional()
    .describe('Check development-only packages too (default false: they are not distributed).'),
});

export const dependencyInputSchema = z.strictObject({
  files: z
    .array(
      z.strictObject({
        path: z
          .string()
          .min(1)
          .max(4096)
          .describe('Path relative to the repository root; decides how the file is read.'),
        content: z.string().max(MAX_FILE_CHARS),
      }),
    )
    .min(1)
    .max(MAX_FILES)
    .describe(
      'Lockfiles (package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml, requirements*.txt, ' +
        'poetry.lock, uv.lock, Pipfile.lock, go.mod, go.sum, Cargo.lock, pom.xml, gradle.lockfile, Gemfile.lock, ' +
        'composer.lock), manifests (package.json, pyproject.toml) and optionally sources (JS/TS, Python) and ' +
        'configuration files, read for the unused-dependency check. `*.osv.json` files are advisories.',
    ),
  metadata: z
    .union([
      z.array(packageMetadataSchema).max(100_000),
      z.record(z.string(), packageMetadataSchema.partial({ name: true })),
    ])
    .optional()
    .describe('Registry metadata per package, given offline: a list, or an object keyed by package name.'),
  project: z
    .strictObject({
      license: z
        .string()
        .min(1)
        .max(200)
        .optional()
        .describe(
          'The project\'s own licence (SPDX), or "proprietary"; default: the root manifest\'s, else proprietary.',
        ),
    })
    .optional(),
  policy: licensePolicySchema.optional(),
  limits: z
    .strictObject({
      transitive: z
        .number()
        .int()
        .min(1)
        .optional()
        .describe('A direct dependency pulling in more packages is heavy (default 150).'),
      depth: z.number().int().min(1).optional().describe('A tree deeper than this is reported (default 12).'),
      staleDays: z
        .number()
        .int()
        .min(1)
        .optional()
        .describe('No release for this many days: unmaintained (default 730).'),
    })
    .optional(),
  advisories: advisoriesInputSchema
    .optional()
    .describe('OSV advisories to match the locked packages against.'),
  ignore: ignoreInputSchema,
});
export type DependencyInput = z.output<typeof dependencyInputSchema>;

const count = z.number().int().nonnegative();

export const licenseRowSchema = z.object({
  license: z.string().describe('The SPDX expression, or "(none)" when the package states none.'),
  class: z.string(),
  count,
  packages: z.array(z.string()),
});

export const dependencyOutputSchema = agentResultSchema.extend({
  score: z.number().int().min(0).max(100),
  metrics: z.object({
    lockfiles: count,
    packages: count.describe('Distinct packages across the lockfiles.'),
    direct: count,
    transitive: count,
    maxDepth: count,
    duplicates: count.describe('Packages locked at more than one version.'),
    vulnerable: count,
    outdated: count,
    deprecated: count,
    unused: count,
    licensesUnknown: count,
    libyears: z
      .number()
      .nonnegative()
      .describe('Years between each locked release and the latest, summed (when dates are given).'),
  }),
  licenses: z.array(licenseRowSchema).describe('Licence → count, packages; most used first.'),
  lockfiles: z.array(
    z.object({
      file: z.string(),
      kind: z.string(),
      packages: count,
      direct: count,
      maxDepth: count,
      problem: z.string().optional(),
    }),
  ),
  unread: z
    .array(z.object({ path: z.string(), reason: z.string() }))
    .describe('Files given that the agent does not read, and why: nothing is skipped silently.'),
  sbom: z
    .looseObject({ bomFormat: z.literal('CycloneDX'), specVersion: z.literal('1.6') })
    .describe('The dependencies as a CycloneDX 1.6 JSON BOM (`jq .sbom`).'),
});
export type DependencyOutput = z.output<typeof dependencyOutputSchema>;
