/**
 * dependency-analyzer's rules as data. The samples are small lockfiles and
 * manifests as the tools write them; the advisory is made up (a GHSA-style id
 * that names no real record).
 */
import { defineRules } from '../scan/catalog.js';

interface LockEntry {
  name: string;
  version: string;
  license?: string;
  deprecated?: string;
  dev?: boolean;
  dependencies?: Record<string, string>;
  /** Installed under another package's folder (a second version). */
  under?: string;
}

/** A package-lock.json (v3) of `app` with these installed packages; the root depends on the ones not `under` another. */
function npmLock(entries: readonly LockEntry[], project: { license?: string } = { license: 'MIT' }) {
  const packages: Record<string, unknown> = {
    '': {
      name: 'app',
      version: '1.0.0',
      ...project,
      dependencies: Object.fromEntries(
        entries.filter((e) => !e.under && !e.dev).map((e) => [e.name, `^${e.version}`]),
      ),
      devDependencies: Object.fromEntries(
        entries.filter((e) => !e.under && e.dev).map((e) => [e.name, `^${e.version}`]),
      ),
    },
  };
  for (const e of entries) {
    packages[`${e.under ? `node_modules/${e.under}/` : ''}node_modules/${e.name}`] = {
      version: e.version,
      resolved: `https://registry.npmjs.org/${e.name}/-/${e.name.split('/').pop()}-${e.version}.tgz`,
      integrity:
        'sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==',
      ...(e.dev ? { dev: true } : {}),
      ...(e.deprecated ? { deprecated: e.deprecated } : {}),
      ...(e.dependencies ? { dependencies: e.dependencies } : {}),
      ...(e.license ? { license: e.license } : {}),
    };
  }
  const lock = { name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
  return { path: 'package-lock.json', content: `${JSON.stringify(lock, null, 2)}\n` };
}

const express = { name: 'express', version: '4.21.2', license: 'MIT' };

const packageJson = (dependencies: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  path: 'package.json',
  content: `${JSON.stringify({ name: 'app', version: '1.0.0', license: 'MIT', ...extra, dependencies }, null, 2)}\n`,
});

const server = (imports: string) => ({
  path: 'src/server.ts',
  content: `${imports}\n\nconst app = express();\napp.listen(3000);\n`,
});

/** A chain a → b → c … of `n` packages, each depending on the next. */
function chain(n: number): LockEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `level-${i + 1}`,
    version: '1.0.0',
    license: 'MIT',
    ...(i + 1 < n ? { dependencies: { [`level-${i + 2}`]: '^1.0.0' } } : {}),
  }));
}

/** A package-lock where only level-1 is a root dependency and the rest hang below it. */
function chainLock(n: number) {
  const lock = JSON.parse(npmLock(chain(n)).content) as {
    packages: Record<string, { dependencies?: object }>;
  };
  const root = lock.packages[''] as { dependencies: Record<string, string> };
  root.dependencies = { 'level-1': '^1.0.0' };
  return { path: 'package-lock.json', content: `${JSON.stringify(lock, null, 2)}\n` };
}

const advisory = {
  id: 'GHSA-aiop-deps-0001',
  summary: 'Prototype pollution in minimist',
  aliases: ['CVE-2099-0002'],
  database_specific: { severity: 'HIGH' },
  affected: [
    {
      package: { ecosystem: 'npm', name: 'minimist' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.6' }] }],
    },
  ],
};

export const DEPENDENCY_ANALYZER_RULES = defineRules('dependency-analyzer', [
  {
    id: 'DEPS-VULNERABLE',
    severity: 'high',
    category: 'security',
    title: 'Dependency with a known vulnerability',
    description:
      'A locked version falls in an affected range of an OSV advisory given with the input (or as *.osv.json). Severity comes from the advisory.',
    remediation:
      'Upgrade to a fixed version (evidence.fixed); if there is none, check whether the vulnerable code is reachable.',
    cwe: ['CWE-1395'],
    docs: 'https://ossf.github.io/osv-schema/',
    references: ['npm audit', 'osv-scanner'],
    samples: {
      bad: [
        {
          input: {
            files: [npmLock([{ name: 'minimist', version: '1.2.5', license: 'MIT' }])],
            advisories: [advisory],
          },
        },
      ],
      good: [
        {
          input: {
            files: [npmLock([{ name: 'minimist', version: '1.2.8', license: 'MIT' }])],
            advisories: [advisory],
          },
        },
      ],
    },
  },
  {
    id: 'DEPS-LICENSE-COPYLEFT',
    severity: 'high',
    category: 'licence',
    title: 'Copyleft licence in a project under another licence',
    description:
      "A dependency shipped with the project is under a copyleft licence the project licence does not match: in proprietary code GPL and AGPL are high, LGPL, MPL and EPL medium; in a permissive project GPL and AGPL are medium. The project licence is `project.license`, else the root manifest's, else proprietary. Development-only packages are left out.",
    remediation:
      'Replace the package, obtain another licence, or take legal advice on how it is linked and distributed.',
    docs: 'https://spdx.org/licenses/',
    references: ['FOSSA', 'license-checker', 'ScanCode'],
    samples: {
      bad: [
        {
          files: [
            npmLock([express, { name: 'mysql-events', version: '0.0.11', license: 'GPL-3.0-only' }], {
              license: 'UNLICENSED',
            }),
          ],
        },
        {
          input: {
            files: [npmLock([{ name: 'ghostscript4js', version: '3.2.3', license: 'AGPL-3.0-or-later' }])],
            project: { license: 'proprietary' },
          },
          why: 'network copyleft',
        },
      ],
      good: [
        {
          files: [
            npmLock(
              [express, { name: 'node-forge', version: '1.3.1', license: '(BSD-3-Clause OR GPL-2.0)' }],
              { license: 'UNLICENSED' },
            ),
          ],
          why: 'a permissive alternative may be chosen',
        },
        {
          files: [
            npmLock([{ name: 'eslint-plugin-gpl', version: '1.0.0', license: 'GPL-3.0-only', dev: true }], {
              license: 'UNLICENSED',
            }),
          ],
          why: 'development-only',
        },
      ],
    },
  },
  {
    id: 'DEPS-LICENSE-DENIED',
    severity: 'high',
    category: 'licence',
    title: 'Licence denied by the policy',
    description:
      "Every alternative of the package's licence expression holds an identifier on the policy's deny list.",
    remediation: 'Replace the package, or change the policy with a recorded reason.',
    samples: {
      bad: [
        {
          input: {
            files: [npmLock([{ name: 'left-pad', version: '1.3.0', license: 'WTFPL' }])],
            policy: { deny: ['WTFPL'] },
          },
        },
      ],
      good: [
        {
          input: {
            files: [npmLock([{ name: 'left-pad', version: '1.3.0', license: 'WTFPL OR MIT' }])],
            policy: { deny: ['WTFPL'] },
          },
        },
      ],
    },
  },
  {
    id: 'DEPS-LICENSE-NOT-ALLOWED',
    severity: 'medium',
    category: 'licence',
    title: 'Licence outside the allow list',
    description: "An allow list is given and no alternative of the package's licence is entirely on it.",
    remediation: 'Review the licence; add it to the allow list if it is acceptable, or replace the package.',
    samples: {
      bad: [
        {
          input: {
            files: [npmLock([{ name: 'caniuse-lite', version: '1.0.30001690', license: 'CC-BY-4.0' }])],
            policy: { allow: ['MIT', 'ISC', 'Apache-2.0'] },
          },
        },
      ],
      good: [{ input: { files: [npmLock([express])], policy: { allow: ['MIT', 'ISC', 'Apache-2.0'] } } }],
    },
  },
  {
    id: 'DEPS-LICENSE-RESTRICTED',
    severity: 'medium',
    category: 'licence',
    title: 'Source-available or non-commercial licence',
    description:
      'The licence (BUSL, SSPL, Elastic, CC non-commercial or no-derivatives) is not an open-source licence and limits use.',
    remediation:
      'Check the terms against how the project is used and sold; replace the package if they do not fit.',
    samples: {
      bad: [{ files: [npmLock([{ name: 'some-sdk', version: '2.0.0', license: 'BUSL-1.1' }])] }],
      good: [{ files: [npmLock([{ name: 'some-sdk', version: '2.0.0', license: 'Apache-2.0' }])] }],
    },
  },
  {
    id: 'DEPS-LICENSE-UNKNOWN',
    severity: 'low',
    category: 'licence',
    title: 'Dependency without a recognisable licence',
    description:
      'The lockfile (or the metadata given) states no licence for the package, or one that is not an SPDX expression ("SEE LICENSE IN …", "Custom"). Without a licence no right to use the code is granted.',
    remediation:
      "Read the package's licence file; record the licence in the metadata, or replace the package.",
    samples: {
      bad: [
        { files: [npmLock([express, { name: 'internal-sdk', version: '0.4.0' }])] },
        {
          files: [npmLock([{ name: 'vendor-sdk', version: '3.1.0', license: 'SEE LICENSE IN LICENSE.md' }])],
        },
      ],
      good: [{ files: [npmLock([express])] }],
    },
  },
  {
    id: 'DEPS-DEPRECATED',
    severity: 'medium',
    category: 'maintenance',
    title: 'Deprecated package',
    description:
      'The registry marks the package deprecated (npm `deprecated` in the lockfile or the metadata, Packagist `abandoned`).',
    remediation: 'Move to the replacement the deprecation message names, or to a maintained alternative.',
    samples: {
      bad: [
        {
          files: [
            npmLock([
              {
                name: 'request',
                version: '2.88.2',
                license: 'Apache-2.0',
                deprecated: 'request has been deprecated, see https://github.com/request/request/issues/3142',
              },
            ]),
          ],
        },
      ],
      good: [{ files: [npmLock([{ name: 'undici', version: '6.21.0', license: 'MIT' }])] }],
    },
  },
  {
    id: 'DEPS-OUTDATED-MAJOR',
    severity: 'low',
    category: 'maintenance',
    title: 'Major version behind',
    description:
      'The registry metadata given names a latest release with a higher major version than the locked one.',
    remediation: 'Plan the upgrade: read the changelog for breaking changes, upgrade, run the tests.',
    references: ['npm outdated', 'pip list --outdated'],
    samples: {
      bad: [
        {
          input: {
            files: [npmLock([express])],
            metadata: [{ name: 'express', ecosystem: 'npm', latest: '5.1.0' }],
          },
        },
      ],
      good: [{ input: { files: [npmLock([express])], metadata: [{ name: 'express', latest: '4.21.2' }] } }],
    },
  },
  {
    id: 'DEPS-OUTDATED-MINOR',
    severity: 'info',
    category: 'maintenance',
    title: 'Minor version behind',
    description: 'The latest release has the same major version and a higher minor one.',
    remediation: 'Upgrade within the major version; minor releases should not break.',
    samples: {
      bad: [{ input: { files: [npmLock([express])], metadata: { express: { latest: '4.22.0' } } } }],
      good: [{ input: { files: [npmLock([express])], metadata: { express: { latest: '4.21.3' } } } }],
    },
  },
  {
    id: 'DEPS-UNMAINTAINED',
    severity: 'low',
    category: 'maintenance',
    title: 'No release for a long time',
    description:
      'By the publish dates given, the package has had no release for longer than `limits.staleDays` (default 730 days).',
    remediation:
      'Check whether the project is still maintained; prefer a maintained alternative for code that faces input.',
    samples: {
      bad: [
        {
          input: {
            files: [npmLock([{ name: 'left-pad', version: '1.3.0', license: 'WTFPL' }])],
            metadata: [
              { name: 'left-pad', latest: '1.3.0', published: { '1.3.0': '2018-04-09T01:32:01.000Z' } },
            ],
          },
        },
      ],
      good: [
        {
          input: {
            files: [npmLock([express])],
            metadata: [
              { name: 'express', latest: '4.21.2', published: { '4.21.2': '2025-12-01T00:00:00.000Z' } },
            ],
          },
        },
      ],
    },
  },
  {
    id: 'DEPS-DUPLICATE',
    severity: 'info',
    category: 'tree',
    title: 'Package locked at several versions',
    description:
      'One package is installed at two or more versions in one lockfile (low from three): each copy is shipped, and fixes must reach all of them.',
    remediation:
      'Align the ranges of the packages that need it (npm dedupe, overrides/resolutions) so one version satisfies all.',
    references: ['npm dedupe', 'yarn-deduplicate'],
    samples: {
      bad: [
        {
          files: [
            npmLock([
              { name: 'debug', version: '4.4.0', license: 'MIT' },
              { name: 'send', version: '0.19.0', license: 'MIT', dependencies: { debug: '2.6.9' } },
              { name: 'debug', version: '2.6.9', license: 'MIT', under: 'send' },
            ]),
          ],
        },
      ],
      good: [{ files: [npmLock([{ name: 'debug', version: '4.4.0', license: 'MIT' }])] }],
    },
  },
  {
    id: 'DEPS-HEAVY',
    severity: 'low',
    category: 'tree',
    title: 'Direct dependency with a large tree',
    description:
      'A direct dependency pulls in at least `limits.transitive` other packages (default 150): install size, attack surface and update churn.',
    remediation:
      'Check whether a smaller package, a narrower import (a sub-package) or the platform does the job.',
    samples: {
      bad: [{ input: { files: [chainLock(6)], limits: { transitive: 5 } } }],
      good: [{ input: { files: [chainLock(6)], limits: { transitive: 10 } } }],
    },
  },
  {
    id: 'DEPS-DEEP-TREE',
    severity: 'info',
    category: 'tree',
    title: 'Deep dependency tree',
    description: 'The longest chain from a direct dependency is deeper than `limits.depth` (default 12).',
    remediation:
      'Look at the chain in the evidence: a direct dependency that pulls a long chain is a candidate to replace.',
    samples: {
      bad: [{ input: { files: [chainLock(6)], limits: { depth: 4 } } }],
      good: [{ input: { files: [chainLock(6)], limits: { depth: 6 } } }],
    },
  },
  {
    id: 'DEPS-UNUSED',
    severity: 'low',
    category: 'tree',
    title: 'Declared dependency that nothing uses',
    description:
      'A package.json `dependencies` entry, or a requirements.txt / pyproject.toml dependency, that no given source imports and no configuration, script or command names. Judged only when sources are given; @types packages, plugins named in configuration, bin-only tools and packages other dependencies need installed count as used.',
    remediation:
      'Remove it from the manifest (npm uninstall / pip), or move a build tool to devDependencies.',
    references: ['depcheck', 'knip', 'deptry'],
    samples: {
      bad: [
        {
          files: [
            packageJson({ express: '^4.21.2', lodash: '^4.17.21' }),
            server("import express from 'express';"),
          ],
          line: 7,
        },
        {
          files: [
            { path: 'requirements.txt', content: 'flask==3.1.0\nrequests==2.32.3\n' },
            { path: 'app.py', content: 'from flask import Flask\n\napp = Flask(__name__)\n' },
          ],
          line: 2,
          why: 'Python: requirements against imports',
        },
      ],
      good: [
        {
          files: [
            packageJson(
              { express: '^4.21.2', 'pino-pretty': '^13.0.0', '@types/express': '^5.0.0' },
              { scripts: { dev: 'node dist/server.js | pino-pretty' } },
            ),
            server("import express from 'express';"),
          ],
          why: 'a bin run by a script, and types of an imported package',
        },
        {
          files: [
            { path: 'requirements.txt', content: 'PyYAML==6.0.2\ngunicorn==23.0.0\n' },
            { path: 'app.py', content: 'import yaml\n\nconfig = yaml.safe_load(open("config.yaml"))\n' },
          ],
          why: 'import name differs from the distribution; a server run, not imported',
        },
      ],
    },
  },
  {
    id: 'DEPS-UNREADABLE',
    severity: 'medium',
    category: 'input',
    title: 'Lockfile that could not be read',
    description:
      'A file named as a lockfile does not parse (invalid JSON, TOML or YAML, or not the format its name says): its packages are not in the SBOM or the checks.',
    remediation: 'Regenerate the lockfile with its tool (npm install, poetry lock, …) and commit it whole.',
    samples: {
      bad: [{ path: 'package-lock.json', content: '{\n  "name": "app",\n  "lockfileVersion": 3,\n' }],
      good: [{ files: [npmLock([express])] }],
    },
  },
]);
