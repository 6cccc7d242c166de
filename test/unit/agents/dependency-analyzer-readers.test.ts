/**
 * The dependency engine under dependency-analyzer (shared/analysis/dependencies/):
 * each lockfile reader on the fixtures and on the variants they do not show
 * (npm v1, pnpm v6 and v5 keys), SPDX expressions and licence classes, purls
 * and the version order of the non-SemVer ecosystems.
 */
import { describe, expect, it } from '@jest/globals';
import { hashesOf } from '../../../shared/agents/dependency-analyzer/sbom.js';
import {
  importedPackages,
  packageOfSpecifier,
} from '../../../shared/agents/dependency-analyzer/unused-js.js';
import { importedModules, moduleNames } from '../../../shared/agents/dependency-analyzer/unused-python.js';
import {
  alternatives,
  classOf,
  knownSpdxIds,
  normaliseLicense,
  parseExpression,
} from '../../../shared/analysis/dependencies/licenses.js';
import { readLockfiles } from '../../../shared/analysis/dependencies/lockfiles.js';
import { pnpmKey } from '../../../shared/analysis/dependencies/pnpm.js';
import { purlOf } from '../../../shared/analysis/dependencies/purl.js';
import { compareVersions, majorMinor } from '../../../shared/analysis/dependencies/versions.js';
import { fixture } from '../../helpers/fixtures.js';
import { SPDX_IDS } from './dependency-analyzer-cyclonedx.js';

const file = (path: string) => ({ path, content: fixture(`dependency-analyzer/${path}`) });
const one = (path: string) => {
  const [lockfile] = readLockfiles([file(path)]);
  if (lockfile === undefined) throw new Error(`${path} is not a lockfile`);
  return lockfile;
};
const rows = (path: string) =>
  one(path).packages.map((p) => `${p.name}@${p.version}:${p.line ?? '-'}${p.dev ? ' dev' : ''}`);
const edges = (path: string) =>
  Object.fromEntries(
    one(path).packages.flatMap((p) => (p.dependsOn ? [[`${p.name}@${p.version}`, p.dependsOn]] : [])),
  );

describe('lockfile readers', () => {
  it('reads yarn classic blocks, integrity and edges through descriptors', () => {
    // Assess
    expect(rows('yarn-classic/yarn.lock')).toEqual([
      '@babel/code-frame@7.26.2:5',
      'chalk@2.4.2:12',
      'chalk@4.1.2:19',
      'js-tokens@4.0.0:26',
      'supports-color@5.5.0:31',
      'supports-color@7.2.0:36',
    ]);
    expect(edges('yarn-classic/yarn.lock')).toEqual({
      '@babel/code-frame@7.26.2': ['js-tokens@4.0.0'],
      'chalk@2.4.2': ['supports-color@5.5.0'],
      'chalk@4.1.2': ['supports-color@7.2.0'],
    });
    expect(one('yarn-classic/yarn.lock').packages[0]?.integrity).toMatch(/^sha512-/);
  });

  it('reads yarn berry entries, the workspace as the project, its dependencies as direct', () => {
    // Act
    const lock = one('yarn-berry/yarn.lock');

    // Assess
    expect(lock.project).toEqual({ name: 'report-cli', version: '0.0.0-use.local' });
    expect(lock.direct).toEqual(['chalk@4.1.2']);
    expect(rows('yarn-berry/yarn.lock')).toContain('color-convert@2.0.1:27');
    expect(edges('yarn-berry/yarn.lock')['chalk@4.1.2']).toEqual([
      'ansi-styles@4.3.0',
      'supports-color@7.2.0',
    ]);
  });

  it('reads pnpm v9 packages with snapshots, and the keys of v6 and v5', () => {
    // Assess
    expect(rows('pnpm/pnpm-lock.yaml')).toEqual([
      'fast-json-stringify@6.0.0:24',
      'fastify@5.2.0:27',
      'vitest@2.1.8:30',
      'zod@3.24.1:35',
    ]);
    expect(one('pnpm/pnpm-lock.yaml').direct).toEqual(['fastify@5.2.0', 'zod@3.24.1', 'vitest@2.1.8']);
    expect(edges('pnpm/pnpm-lock.yaml')).toEqual({ 'fastify@5.2.0': ['fast-json-stringify@6.0.0'] });
    expect(pnpmKey('/@babel/core@7.26.0(supports-color@8.1.1)')).toEqual({
      name: '@babel/core',
      version: '7.26.0',
    });
    expect(pnpmKey('/@babel/core/7.26.0_supports-color@8.1.1')).toEqual({
      name: '@babel/core',
      version: '7.26.0',
    });
    expect(pnpmKey('/lodash/4.17.21')).toEqual({ name: 'lodash', version: '4.17.21' });
  });

  it('reads a pnpm v6 lockfile with inline dependencies and dev flags', () => {
    // Prepare
    const content = [
      "lockfileVersion: '6.0'",
      '',
      'dependencies:',
      '  express:',
      '    specifier: ^4.21.2',
      '    version: 4.21.2',
      '',
      'packages:',
      '',
      '  /express@4.21.2:',
      '    resolution: {integrity: sha512-28HqgMZAmih1Czt9ny7qr6ek2qddF4FclbMzwhCREB6OFfH+rXAnuNCwo1/wFvrtbgsQDb4kSbX9de9lFbrXnA==}',
      '    dependencies:',
      '      debug: 2.6.9',
      '    dev: false',
      '',
      '  /debug@2.6.9:',
      '    resolution: {integrity: sha512-bC7ElrdJaJnPbAP+1EotYvqZsb3ecl5wi6Bfi6BJTUcNowp6cvspg0jXznRTKDjm/E7AdgFBVeAPVMNcKGsHMA==}',
      '    deprecated: Debug versions >=3.2.0 <3.2.7 || >=4 <4.3.1 have a low-severity ReDos regression',
      '    dev: false',
    ].join('\n');

    // Act
    const [lock] = readLockfiles([{ path: 'web/pnpm-lock.yaml', content }]);

    // Assess
    expect(lock?.direct).toEqual(['express@4.21.2']);
    expect(
      lock?.packages.map((p) => [p.name, p.version, p.line, p.dependsOn, p.deprecated !== undefined]),
    ).toEqual([
      ['express', '4.21.2', 10, ['debug@2.6.9'], false],
      ['debug', '2.6.9', 16, undefined, true],
    ]);
  });

  it('reads npm lockfileVersion 1 with requires resolved up the nesting', () => {
    // Prepare
    const content = JSON.stringify(
      {
        name: 'legacy',
        lockfileVersion: 1,
        dependencies: {
          express: {
            version: '4.17.1',
            integrity: 'sha1-4bmfLQ5LlOojx4M+Bp5b6GQGBqg=',
            requires: { debug: '2.6.9' },
            dependencies: {
              debug: { version: '2.6.9', requires: { ms: '2.0.0' } },
              ms: { version: '2.0.0' },
            },
          },
          ms: { version: '2.1.1' },
          jest: { version: '24.9.0', dev: true },
        },
      },
      null,
      2,
    );

    // Act
    const [lock] = readLockfiles([{ path: 'package-lock.json', content }]);

    // Assess
    expect(lock?.project).toEqual({ name: 'legacy' });
    expect(lock?.recordsLicenses).toBeUndefined();
    expect(lock?.packages.map((p) => [`${p.name}@${p.version}`, p.dependsOn ?? [], p.dev === true])).toEqual([
      ['express@4.17.1', ['debug@2.6.9'], false],
      ['debug@2.6.9', ['ms@2.0.0'], false],
      ['ms@2.0.0', [], false],
      ['ms@2.1.1', [], false],
      ['jest@24.9.0', [], true],
    ]);
  });

  it('reports a lockfile it cannot read with the reason', () => {
    // Act
    const problems = readLockfiles([
      { path: 'package-lock.json', content: '{"name": "x", "lockfileVersion": 3' },
      { path: 'a/package-lock.json', content: '{"name": "x"}' },
      { path: 'b/package-lock.json', content: '[]' },
      { path: 'composer.lock', content: 'not json' },
      { path: 'Pipfile.lock', content: '{' },
      { path: 'pnpm-lock.yaml', content: 'packages: [\n' },
      { path: 'c/pnpm-lock.yaml', content: '- a\n' },
      { path: 'yarn.lock', content: '__metadata:\n  version: 8\n"a@npm:1": [\n' },
      { path: 'pom.xml', content: '<settings/>' },
    ]).map((l) => [l.file, l.problem?.message.split(':')[0]]);

    // Assess
    expect(problems).toEqual([
      ['package-lock.json', 'invalid JSON'],
      ['a/package-lock.json', 'neither `packages` (lockfileVersion 2, 3) nor `dependencies` (1)'],
      ['b/package-lock.json', 'the file is JSON but not an object'],
      ['composer.lock', 'invalid JSON'],
      ['Pipfile.lock', 'invalid JSON'],
      ['pnpm-lock.yaml', expect.any(String)],
      ['c/pnpm-lock.yaml', 'the file is not a YAML mapping'],
      ['yarn.lock', expect.any(String)],
      ['pom.xml', 'no <project> element'],
    ]);
  });

  it('reads Maven coordinates with properties, skipping managed and plugin dependencies', () => {
    // Assess
    expect(rows('maven/pom.xml')).toEqual([
      'com.fasterxml.jackson.core:jackson-databind@2.18.2:36',
      'org.apache.logging.log4j:log4j-core@2.14.1:41',
      'org.junit.jupiter:junit-jupiter@5.11.4:46 dev',
    ]);
    expect(one('maven/pom.xml').project).toEqual({ name: 'com.shop:orders', version: '2.3.0' });
  });

  it('reads gradle.lockfile, Gemfile.lock, Cargo.lock, go.mod with go.sum, poetry.lock and composer.lock', () => {
    // Assess
    expect(rows('gradle/gradle.lockfile')).toEqual([
      'com.google.guava:failureaccess@1.0.2:4',
      'com.google.guava:guava@33.4.0-jre:5',
      'org.junit.jupiter:junit-jupiter-api@5.11.4:6 dev',
      'org.slf4j:slf4j-api@2.0.16:7',
    ]);
    expect(one('ruby/Gemfile.lock').direct).toEqual(['nokogiri@1.16.8', 'sinatra@3.2.0']);
    expect(edges('ruby/Gemfile.lock')['sinatra@3.2.0']).toEqual([
      'mustermann@3.0.3',
      'rack@2.2.10',
      'tilt@2.5.0',
    ]);
    expect(one('cargo/Cargo.lock').project).toEqual({ name: 'sensor-agent', version: '0.2.0' });
    expect(one('cargo/Cargo.lock').packages.find((p) => p.name === 'rand')?.dependsOn).toEqual([
      'rand_core@0.6.4',
    ]);
    const [mod, sum] = readLockfiles([file('go/go.mod'), file('go/go.sum')]);
    expect([mod?.packages.length, sum?.direct, sum?.project]).toEqual([
      0,
      ['github.com/gin-gonic/gin@v1.9.1', 'github.com/google/uuid@v1.6.0'],
      { name: 'github.com/shop/inventory' },
    ]);
    expect(edges('python/poetry.lock')).toEqual({
      'requests@2.32.3': ['certifi@2024.12.14', 'urllib3@2.3.0'],
    });
    expect(
      one('php/composer.lock').packages.map((p) => [p.name, p.license, p.dev === true, p.deprecated]),
    ).toEqual([
      ['guzzlehttp/guzzle', 'MIT', false, undefined],
      ['psr/http-client', 'MIT', false, undefined],
      ['swiftmailer/swiftmailer', 'MIT', false, 'abandoned; use symfony/mailer'],
      ['phpunit/phpunit', 'BSD-3-Clause', true, undefined],
    ]);
  });
});

describe('licences', () => {
  it('parses SPDX expressions with precedence, WITH and parentheses; rejects what is not one', () => {
    // Assess
    expect(normaliseLicense('(mit OR Apache-2.0) AND bsd-3-clause')?.expression).toBe(
      '(MIT OR Apache-2.0) AND BSD-3-Clause',
    );
    expect(alternatives(parseExpression('MIT OR Apache-2.0 AND ISC') ?? { id: '' })).toEqual([
      [{ id: 'MIT' }],
      [{ id: 'Apache-2.0' }, { id: 'ISC' }],
    ]);
    expect(normaliseLicense('GPL-2.0-only WITH Classpath-exception-2.0')?.expression).toBe(
      'GPL-2.0-only WITH Classpath-exception-2.0',
    );
    for (const bad of ['SEE LICENSE IN LICENSE.md', 'MIT OR', '(MIT', 'MIT WITH', 'AND MIT', '']) {
      expect([bad, normaliseLicense(bad)]).toEqual([bad, undefined]);
    }
    expect(normaliseLicense('Apache License 2.0')?.expression).toBe('Apache-2.0');
    expect(normaliseLicense('The MIT License')?.expression).toBe('MIT');
  });

  it('classes an expression by its least binding alternative, each as binding as its worst part', () => {
    // Assess
    const cls = (text: string) => classOf(parseExpression(text) ?? { id: '' });
    expect(cls('MIT OR GPL-3.0-or-later')).toBe('permissive');
    expect(cls('MIT AND GPL-3.0-or-later')).toBe('strong-copyleft');
    expect(cls('GPL-2.0-only WITH Classpath-exception-2.0')).toBe('weak-copyleft');
    expect(cls('AGPL-3.0-only')).toBe('network-copyleft');
    expect(cls('BUSL-1.1')).toBe('restricted');
    expect(cls('LicenseRef-Acme')).toBe('unknown');
  });

  it('knows only identifiers that are on the SPDX list CycloneDX validates against', () => {
    // Assess
    expect(knownSpdxIds().filter((id) => !SPDX_IDS.has(id))).toEqual([]);
  });
});

describe('identities, versions and imports', () => {
  it.each([
    ['npm', '@aws-sdk/client-s3', '3.700.0', 'pkg:npm/%40aws-sdk/client-s3@3.700.0'],
    ['PyPI', 'Django_Rest', '1.0+local', 'pkg:pypi/django-rest@1.0%2Blocal'],
    ['Go', 'github.com/google/uuid', 'v1.6.0', 'pkg:golang/github.com/google/uuid@v1.6.0'],
    ['Maven', 'org.slf4j:slf4j-api', '2.0.16', 'pkg:maven/org.slf4j/slf4j-api@2.0.16'],
    ['RubyGems', 'rack', '2.2.10', 'pkg:gem/rack@2.2.10'],
    ['Packagist', 'psr/log', '3.0.2', 'pkg:composer/psr/log@3.0.2'],
    ['crates.io', 'serde', '1.0.217', 'pkg:cargo/serde@1.0.217'],
  ] as const)('purl of %s %s', (ecosystem, name, version, purl) => {
    // Assess
    expect(purlOf(ecosystem, name, version)).toBe(purl);
  });

  it('orders Maven and RubyGems versions by their numbers when they are not SemVer', () => {
    // Assess
    expect(compareVersions('Maven', '2.0.0.RELEASE', '2.0.1')).toBe(-1);
    expect(compareVersions('Maven', '1.2', '1.2.0')).toBe(0);
    expect(compareVersions('RubyGems', '1.16.8', '1.9')).toBe(1);
    expect(compareVersions('Maven', 'latest', '1.0')).toBeUndefined();
    expect(majorMinor('PyPI', '2.9.0.post0')).toEqual([2, 9]);
    expect(majorMinor('Maven', '33.4.0-jre')).toEqual([33, 4]);
    expect(majorMinor('Maven', 'RELEASE')).toBeUndefined();
  });

  it('turns SRI and hex checksums into CycloneDX hashes', () => {
    // Assess
    expect(hashesOf('sha1-4bmfLQ5LlOojx4M+Bp5b6GQGBqg=')).toEqual([
      { alg: 'SHA-1', content: 'e1b99f2d0e4b94ea23c7833e069e5be8640606a8' },
    ]);
    expect(
      hashesOf('sha256:BAF1DE4339761588BC0619E3CBC0120EE582EBB74B53B4EFBF79117BD2DA40FD')[0]?.content,
    ).toBe('baf1de4339761588bc0619e3cbc0120ee582ebb74b53b4efbf79117bd2da40fd');
    expect(hashesOf('md5-abc')).toEqual([]);
  });

  it('finds the packages JS sources import and the modules Python sources import', () => {
    // Assess
    expect(
      [
        ...importedPackages(
          "import a from '@scope/a/sub';\nexport * from 'b';\nimport 'c/polyfill';\nconst d = require('d');\nawait import('e');\nimport x from './local';\nimport fs from 'node:fs';\n/// <reference types=\"f\" />",
        ),
      ].sort(),
    ).toEqual(['@scope/a', 'b', 'c', 'd', 'e', 'f']);
    expect(packageOfSpecifier('#internal/x')).toBeUndefined();
    expect([
      ...importedModules(
        'import os, sys\nfrom google.cloud import storage\nfrom . import local\n  import yaml',
      ),
    ]).toEqual(['os', 'sys', 'google', 'yaml']);
    expect(moduleNames('beautifulsoup4')).toContain('bs4');
    expect(moduleNames('python-dateutil')).toContain('dateutil');
  });
});
