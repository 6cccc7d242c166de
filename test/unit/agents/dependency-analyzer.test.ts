/**
 * dependency-analyzer end to end, as `aiops analyze` reads the fixtures: exact
 * rule ids, files and lines; the CycloneDX 1.6 SBOM validated against the
 * official schema (this project's own package-lock.json included); the
 * licence table; SARIF; bad and unknown input.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { type ReadOptions, readFiles } from '../../../bin/commands/read-files.js';
import type { SourceFile } from '../../../shared/agents/contract.js';
import agent from '../../../shared/agents/dependency-analyzer/index.js';
import {
  type DependencyOutput,
  dependencyOutputSchema,
} from '../../../shared/agents/dependency-analyzer/schema.js';
import { getAgent, runAgent, validateAgentInput } from '../../../shared/agents/registry.js';
import { toSarif } from '../../../shared/agents/sarif.js';
import { AgentValidationError } from '../../../shared/core/errors.js';
import { fixture } from '../../helpers/fixtures.js';
import { sarifSchemaErrors } from '../../helpers/sarif.js';
import { cycloneDxErrors } from './dependency-analyzer-cyclonedx.js';

const root = new URL('../../..', import.meta.url).pathname;
const CONTEXT = { traceId: 'trace-deps', now: new Date('2026-06-01T12:00:00Z') };
const OPTIONS: ReadOptions = { maxFiles: 5000, maxFileBytes: 5 * 1024 * 1024 };
const DIR = 'test/fixtures/dependency-analyzer';

/** The files of `paths` as the CLI reads them for this agent. */
async function read(...paths: string[]): Promise<SourceFile[]> {
  const previous = process.cwd();
  process.chdir(root);
  try {
    return (await readFiles(paths, agent, OPTIONS)).files;
  } finally {
    process.chdir(previous);
  }
}

async function analyze(input: Record<string, unknown>): Promise<DependencyOutput> {
  return dependencyOutputSchema.parse(await runAgent('dependency-analyzer', input, CONTEXT));
}

const placeOf = (f: DependencyOutput['findings'][number]) => [
  f.ruleId,
  f.severity,
  f.resource?.name,
  f.resource?.file?.replace(`${DIR}/`, ''),
  f.resource?.line,
];

describe('dependency-analyzer', () => {
  it('is registered for the agents lane with its input schema and rules', () => {
    // Assess
    expect(getAgent('dependency-analyzer')).toMatchObject({ name: 'dependency-analyzer', lane: 'agents' });
    expect(agent.rules?.rules.map((r) => r.id)).toContain('DEPS-UNUSED');
    expect(() => validateAgentInput('dependency-analyzer', { files: [] })).toThrow(AgentValidationError);
  });

  it('reports an npm project: licences, advisories, deprecation, metadata, duplicates and unused, at their lines', async () => {
    // Prepare
    const files = await read(`${DIR}/npm`);
    const metadata = JSON.parse(fixture('dependency-analyzer/npm-metadata.json')) as unknown;

    // Act
    const result = await analyze({ ...(agent.fromFiles?.(files) as object), metadata });

    // Assess
    expect(result.findings.map(placeOf)).toEqual([
      ['DEPS-LICENSE-COPYLEFT', 'high', 'ckeditor5@41.4.2', 'npm/package-lock.json', 48],
      ['DEPS-VULNERABLE', 'high', 'lodash@4.17.20', 'npm/package-lock.json', 95],
      ['DEPS-LICENSE-COPYLEFT', 'medium', '@ffmpeg-installer/ffmpeg@1.1.0', 'npm/package-lock.json', 28],
      ['DEPS-DEPRECATED', 'medium', 'request@2.88.2', 'npm/package-lock.json', 145],
      ['DEPS-LICENSE-UNKNOWN', 'low', '@shop/telemetry@0.3.1', 'npm/package-lock.json', 34],
      ['DEPS-OUTDATED-MAJOR', 'low', 'express@4.21.2', 'npm/package-lock.json', 63],
      ['DEPS-UNMAINTAINED', 'low', 'lodash@4.17.20', 'npm/package-lock.json', 95],
      ['DEPS-UNMAINTAINED', 'low', 'moment@2.29.4', 'npm/package-lock.json', 101],
      ['DEPS-UNUSED', 'low', 'moment', 'npm/package.json', 20],
      ['DEPS-DUPLICATE', 'info', 'debug', 'npm/package-lock.json', 54],
      ['DEPS-DUPLICATE', 'info', 'ms', 'npm/package-lock.json', 82],
      ['DEPS-OUTDATED-MINOR', 'info', 'moment@2.29.4', 'npm/package-lock.json', 101],
      ['DEPS-OUTDATED-MINOR', 'info', 'pg@8.13.1', 'npm/package-lock.json', 113],
    ]);
    expect(result.metrics).toMatchObject({
      lockfiles: 1,
      packages: 18,
      direct: 12,
      maxDepth: 3,
      vulnerable: 1,
      deprecated: 1,
      unused: 1,
      licensesUnknown: 1,
    });
    // lodash 4.17.20 → 4.17.21 (0.53 y) and pg 8.13.1 → 8.16.0 (0.55 y), moment 2.29.4 → 2.30.1 (1.47 y), express (0.32 y).
    expect(result.metrics.libyears).toBeCloseTo(2.87, 1);
    expect(result.summary).toContain('project: UNLICENSED, proprietary');
    expect(result.findings.find((f) => f.ruleId === 'DEPS-VULNERABLE')?.message).toBe(
      'lodash 4.17.20 (npm) is affected by GHSA-35jh-r3h4-6jhm (CVE-2021-23337): Command Injection in lodash. Fixed in 4.17.21.',
    );
  });

  it('keeps unused-dependency false positives out: imports, requires, dynamic imports, scripts, @types, peers', async () => {
    // Prepare
    const files = await read(`${DIR}/npm`);

    // Act
    const result = await analyze({ files });

    // Assess
    expect(result.findings.filter((f) => f.ruleId === 'DEPS-UNUSED').map((f) => f.resource?.name)).toEqual([
      'moment',
    ]);
  });

  it('judges unused dependencies only when sources are given', async () => {
    // Prepare
    const files = (await read(`${DIR}/npm`)).filter((f) => !f.path.endsWith('.ts'));

    // Act
    const result = await analyze({ files });

    // Assess
    expect(result.findings.filter((f) => f.ruleId === 'DEPS-UNUSED')).toEqual([]);
  });

  it('reads Python requirements against imports, with import names that differ and servers run from a Procfile', async () => {
    // Act
    const result = await analyze({ files: await read(`${DIR}/python`) });

    // Assess
    expect(result.findings.map(placeOf)).toEqual([
      ['DEPS-UNUSED', 'low', 'boto3', 'python/requirements.txt', 8],
    ]);
    expect(result.lockfiles.map((l) => [l.kind, l.packages, l.direct])).toEqual([
      ['poetry', 3, 1],
      ['requirements', 7, 7],
    ]);
  });

  it('reads pyproject.toml dependencies (PEP 621 and Poetry) against the imports', async () => {
    // Prepare
    const pyproject = [
      '[project]',
      'name = "ledger"',
      'dependencies = [',
      '    "fastapi>=0.115",',
      '    "SQLAlchemy[asyncio]~=2.0",',
      '    "httpx>=0.28",',
      ']',
      '',
      '[tool.poetry.dependencies]',
      'python = "^3.12"',
      'beautifulsoup4 = "^4.12"',
      'uvicorn = "^0.34"',
    ].join('\n');
    const source =
      'from fastapi import FastAPI\nfrom sqlalchemy.ext.asyncio import create_async_engine\nfrom bs4 import BeautifulSoup\n';

    // Act
    const result = await analyze({
      files: [
        { path: 'ledger/pyproject.toml', content: pyproject },
        { path: 'ledger/app/main.py', content: source },
        { path: 'ledger/poetry.lock', content: fixture('dependency-analyzer/python/poetry.lock') },
      ],
    });

    // Assess
    expect(result.findings.filter((f) => f.ruleId === 'DEPS-UNUSED').map(placeOf)).toEqual([
      ['DEPS-UNUSED', 'low', 'httpx', 'ledger/pyproject.toml', 6],
    ]);
  });

  it('reports Composer abandoned packages as deprecated and reads their licences', async () => {
    // Act
    const result = await analyze({ files: await read(`${DIR}/php`) });

    // Assess
    expect(result.findings.map(placeOf)).toEqual([
      ['DEPS-DEPRECATED', 'medium', 'swiftmailer/swiftmailer@6.3.0', 'php/composer.lock', 34],
    ]);
    expect(result.findings[0]?.message).toContain('abandoned; use symfony/mailer');
    expect(result.licenses.map((r) => [r.license, r.count])).toEqual([
      ['MIT', 3],
      ['BSD-3-Clause', 1],
    ]);
  });

  it('applies a licence policy: deny and allow lists, development packages left out unless asked', async () => {
    // Prepare
    const files = await read(`${DIR}/npm/package-lock.json`);

    // Act
    const denied = await analyze({ files, policy: { deny: ['GPL-2.0-or-later'], allow: ['MIT', 'ISC'] } });
    const withDev = await analyze({
      files,
      policy: { allow: ['MIT'], includeDev: true },
      project: { license: 'MIT' },
    });

    // Assess
    expect(
      denied.findings
        .filter((f) => f.ruleId.startsWith('DEPS-LICENSE-D') || f.ruleId.endsWith('ALLOWED'))
        .map(placeOf),
    ).toEqual([
      ['DEPS-LICENSE-DENIED', 'high', 'ckeditor5@41.4.2', 'npm/package-lock.json', 48],
      ['DEPS-LICENSE-NOT-ALLOWED', 'medium', '@ffmpeg-installer/ffmpeg@1.1.0', 'npm/package-lock.json', 28],
      ['DEPS-LICENSE-NOT-ALLOWED', 'medium', 'request@2.88.2', 'npm/package-lock.json', 145],
    ]);
    // In an MIT project the GPL dependency is medium and the LGPL one is no conflict; typescript (dev) is checked.
    expect(withDev.findings.filter((f) => f.ruleId === 'DEPS-LICENSE-COPYLEFT').map(placeOf)).toEqual([
      ['DEPS-LICENSE-COPYLEFT', 'medium', 'ckeditor5@41.4.2', 'npm/package-lock.json', 48],
    ]);
    expect(
      withDev.findings.filter((f) => f.ruleId === 'DEPS-LICENSE-NOT-ALLOWED').map((f) => f.resource?.name),
    ).toContain('typescript@5.7.2');
  });

  it('reports a lockfile that does not parse, and lists files it does not read', async () => {
    // Act
    const result = await analyze({
      files: [
        { path: 'api/poetry.lock', content: '[[package]]\nname = "flask"\nversion = 3.1.0"\n' },
        { path: 'docs/logo.svg', content: '<svg xmlns="http://www.w3.org/2000/svg"/>' },
      ],
    });

    // Assess
    expect(result.findings.map(placeOf)).toEqual([
      ['DEPS-UNREADABLE', 'medium', 'api/poetry.lock', 'api/poetry.lock', 3],
    ]);
    expect(result.unread).toEqual([
      {
        path: 'docs/logo.svg',
        reason: 'not a lockfile, manifest, source or configuration file dependency-analyzer reads',
      },
    ]);
    expect(result.summary).toContain('1 file not read (see unread)');
  });

  it('says so when no lockfile is among the files', async () => {
    // Act
    const result = await analyze({ files: [{ path: 'src/index.ts', content: 'export const x = 1;\n' }] });

    // Assess
    expect(result.summary).toBe('No lockfile among the 1 file given: nothing to analyse (no open findings).');
    expect(result.findings).toEqual([]);
  });

  it('writes SARIF 2.1.0 that validates', async () => {
    // Prepare
    const result = await analyze({ files: await read(`${DIR}/npm`) });

    // Act
    const log = toSarif([{ agent, rules: agent.rules, result }]);

    // Assess
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0]?.results?.length).toBe(result.findings.length);
  });
});

describe('the SBOM', () => {
  it("of this project's own package-lock.json validates as CycloneDX 1.6, with a licence table", async () => {
    // Prepare
    const lock = readFileSync(new URL('../../../package-lock.json', import.meta.url), 'utf8');
    const entries = Object.entries(
      (
        JSON.parse(lock) as {
          packages: Record<string, { name?: string; version?: string; integrity?: string }>;
        }
      ).packages,
    ).filter(([path]) => path.includes('node_modules/'));
    const name = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    // Bundled packages (inside aws-cdk-lib's tarball) have no integrity of their own.
    const withIntegrity = new Set(
      entries.filter(([, e]) => e.integrity).map(([p, e]) => `${e.name ?? name(p)}@${e.version}`),
    );

    // Act
    const result = await analyze({ files: [{ path: 'package-lock.json', content: lock }] });

    // Assess
    expect(cycloneDxErrors(result.sbom)).toEqual([]);
    const components = result.sbom.components as { purl: string; licenses?: unknown[]; hashes?: unknown[] }[];
    expect(components.length).toBe(result.metrics.packages);
    expect(components.length).toBeGreaterThan(100);
    expect(components.length).toBeLessThanOrEqual(entries.length);
    expect(components.every((c) => c.purl.startsWith('pkg:npm/'))).toBe(true);
    expect(components.filter((c) => (c.hashes?.length ?? 0) > 0).length).toBe(withIntegrity.size);
    const table = new Map(result.licenses.map((r) => [r.license, r]));
    expect(table.get('MIT')?.count).toBeGreaterThan(100);
    expect(table.get('MIT')?.class).toBe('permissive');
    expect(result.licenses.reduce((sum, r) => sum + r.count, 0)).toBe(result.metrics.packages);
    expect(result.summary).toContain('project: Apache-2.0, permissive');
    expect(result.findings.filter((f) => f.severity === 'high' || f.severity === 'critical')).toEqual([]);
  });

  it('carries purls, licences as id or expression, hashes from integrity, scope and the dependency graph', async () => {
    // Act
    const result = await analyze({ files: await read(`${DIR}/npm`) });

    // Assess
    expect(cycloneDxErrors(result.sbom)).toEqual([]);
    const components = result.sbom.components as Record<string, unknown>[];
    const byRef = new Map(components.map((c) => [c['bom-ref'], c]));
    expect(byRef.get('pkg:npm/%40ffmpeg-installer/ffmpeg@1.1.0')).toMatchObject({
      group: '@ffmpeg-installer',
      name: 'ffmpeg',
      version: '1.1.0',
      licenses: [{ license: { id: 'LGPL-2.1' } }],
      scope: 'required',
      properties: [{ name: 'aiops:lockfile', value: `${DIR}/npm/package-lock.json:28` }],
    });
    expect(byRef.get('pkg:npm/jest@29.7.0')).toMatchObject({ scope: 'optional' });
    expect(byRef.get('pkg:npm/%40shop/telemetry@0.3.1')).not.toHaveProperty('licenses');
    const hashes = byRef.get('pkg:npm/express@4.21.2')?.hashes as { alg: string; content: string }[];
    expect(hashes[0]?.alg).toBe('SHA-512');
    expect(hashes[0]?.content).toMatch(/^[0-9a-f]{128}$/);
    const graph = new Map(
      (result.sbom.dependencies as { ref: string; dependsOn: string[] }[]).map((d) => [d.ref, d.dependsOn]),
    );
    expect(graph.get('pkg:npm/express@4.21.2')).toEqual(['pkg:npm/debug@2.6.9', 'pkg:npm/send@0.19.0']);
    expect(graph.get('pkg:npm/send@0.19.0')).toEqual(['pkg:npm/debug@2.6.9', 'pkg:npm/ms@2.1.3']);
    expect(graph.get('pkg:npm/shop-api@1.2.0')).toHaveLength(12);
    expect((result.sbom.metadata as { component: object }).component).toMatchObject({
      name: 'shop-api',
      version: '1.2.0',
    });
  });

  it.each([
    ['yarn-classic', 6, 'pkg:npm/chalk@4.1.2'],
    ['yarn-berry', 6, 'pkg:npm/color-convert@2.0.1'],
    ['pnpm', 4, 'pkg:npm/fastify@5.2.0'],
    ['python', 9, 'pkg:pypi/python-dateutil@2.9.0.post0'],
    ['go', 4, 'pkg:golang/github.com/gin-gonic/gin@v1.9.1'],
    ['cargo', 4, 'pkg:cargo/rand_core@0.6.4'],
    ['maven', 3, 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.18.2'],
    ['gradle', 4, 'pkg:maven/com.google.guava/guava@33.4.0-jre'],
    ['ruby', 7, 'pkg:gem/nokogiri@1.16.8'],
    ['php', 4, 'pkg:composer/guzzlehttp/guzzle@7.9.2'],
  ])('of the %s fixture validates, with %d components', async (folder, count, purl) => {
    // Act
    const result = await analyze({ files: await read(`${DIR}/${folder}`) });

    // Assess
    expect(cycloneDxErrors(result.sbom)).toEqual([]);
    const components = result.sbom.components as { purl: string }[];
    expect(components).toHaveLength(count);
    expect(components.map((c) => c.purl)).toContain(purl);
  });

  it('is the same for the same lockfiles (serial number from the content)', async () => {
    // Prepare
    const files = await read(`${DIR}/cargo`);

    // Act
    const first = await analyze({ files });
    const second = await analyze({ files });

    // Assess
    expect(second.sbom.serialNumber).toBe(first.sbom.serialNumber);
    expect(first.sbom.serialNumber).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
