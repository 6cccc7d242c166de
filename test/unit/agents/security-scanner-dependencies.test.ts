/** Lockfiles against OSV advisories: real range matching per ecosystem, in and out of range. */
import { describe, expect, it } from '@jest/globals';
import { analyzeSecurity } from '../../../shared/agents/security-scanner/analyze.js';
import { securityInputSchema } from '../../../shared/agents/security-scanner/schema.js';
import { lockedPackages } from '../../../shared/analysis/dependencies/lockfiles.js';
import { advisorySeverity, cvss3BaseScore } from '../../../shared/analysis/dependencies/osv.js';
import { comparePep440, compareSemver, inRange } from '../../../shared/analysis/dependencies/versions.js';
import { fixture } from '../../helpers/fixtures.js';

const NOW = new Date('2025-06-01T12:00:00Z');

const lockfiles = () =>
  ['package-lock.json', 'requirements.txt', 'go.sum'].map((name) => ({
    path: `app/${name}`,
    content: fixture(`security/dependencies/${name}`),
  }));

async function scan(input: object) {
  return analyzeSecurity(securityInputSchema.parse(input), { traceId: 'test', now: NOW });
}

describe('dependency advisories', () => {
  it('matches the locked versions in range, with the advisory severity and the fixed version', async () => {
    // Act
    const result = await scan({
      files: [
        ...lockfiles(),
        { path: 'app/advisories.osv.json', content: fixture('security/dependencies/advisories.osv.json') },
      ],
    });

    // Assess
    expect(
      result.findings.map((f) => {
        const e = f.evidence as { advisory: string; fixed?: string };
        return [f.resource?.name, f.resource?.file, f.resource?.line, e.advisory, f.severity, e.fixed];
      }),
    ).toEqual([
      ['minimist@1.2.5', 'app/package-lock.json', 53, 'GHSA-xvch-5gv4-984h', 'critical', '1.2.6'],
      ['django@3.2.10', 'app/requirements.txt', 2, 'GHSA-2gwj-7jmv-h26r', 'critical', '3.2.13'],
      ['PyYAML@5.3.1', 'app/requirements.txt', 4, 'GHSA-8q59-q68h-6hv4', 'critical', '5.4'],
      ['golang.org/x/net@v0.17.0', 'app/go.sum', 5, 'GO-2024-2687', 'high', '0.23.0'],
      ['lodash@4.17.20', 'app/package-lock.json', 30, 'GHSA-35jh-r3h4-6jhm', 'high', '4.17.21'],
      ['axios@0.21.1', 'app/package-lock.json', 17, 'GHSA-cph5-m8f7-6c5x', 'medium', undefined],
    ]);
    expect(result.metrics).toMatchObject({ packages: 13, advisories: 8, vulnerablePackages: 6 });
    expect(result.findings[4]?.message).toBe(
      'lodash 4.17.20 (npm) is affected by GHSA-35jh-r3h4-6jhm (CVE-2021-23337): Command Injection in lodash. Fixed in 4.17.21.',
    );
  });

  it('leaves out versions at or past the fix, withdrawn advisories and go.mod-only modules', async () => {
    // Act
    const { findings } = await scan({
      files: [
        ...lockfiles(),
        { path: 'app/advisories.osv.json', content: fixture('security/dependencies/advisories.osv.json') },
      ],
    });

    // Assess
    const names = findings.map((f) => f.resource?.name);
    for (const safe of [
      'lodash@4.17.21',
      'minimist@1.2.8',
      'follow-redirects@1.15.6',
      'golang.org/x/crypto@v0.31.0',
      'golang.org/x/net@v0.10.0',
    ]) {
      expect(names).not.toContain(safe);
    }
    expect(
      findings.some((f) => (f.evidence as { advisory: string }).advisory === 'GHSA-jchw-25xp-jwwc'),
    ).toBe(false);
  });

  it('takes advisories from the input too, as a list or an osv.dev answer', async () => {
    // Arrange
    const { vulns } = JSON.parse(fixture('security/dependencies/advisories.osv.json')) as {
      vulns: unknown[];
    };

    // Act
    const asList = await scan({ files: lockfiles(), advisories: vulns });
    const asAnswer = await scan({ files: lockfiles(), advisories: { vulns } });

    // Assess
    expect(asList.findings).toHaveLength(6);
    expect(asAnswer.findings.map((f) => f.fingerprint)).toEqual(asList.findings.map((f) => f.fingerprint));
  });

  it('reads poetry.lock, Pipfile.lock, go.mod and package-lock v1', () => {
    // Arrange
    const files = [
      {
        path: 'svc/poetry.lock',
        content:
          '[[package]]\nname = "Jinja2"\nversion = "3.1.2"\n\n[package.dependencies]\nMarkupSafe = ">=2.0"\n\n[[package]]\nname = "markupsafe"\nversion = "2.1.3"\n\n[metadata]\nlock-version = "2.0"\n',
      },
      { path: 'svc/Pipfile.lock', content: '{"default":{"urllib3":{"version":"==1.26.5"}},"develop":{}}' },
      {
        path: 'tool/go.mod',
        content:
          'module example.com/tool\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.0\n\tgolang.org/x/text v0.3.7 // indirect\n)\n\nrequire github.com/google/uuid v1.6.0\n',
      },
      {
        path: 'old/package-lock.json',
        content:
          '{"lockfileVersion":1,"dependencies":{"qs":{"version":"6.5.2","dependencies":{"side-channel":{"version":"1.0.4"}}}}}',
      },
    ];

    // Act
    const packages = lockedPackages(files).map(
      (p) => `${p.ecosystem}:${p.name}@${p.version}:${p.line ?? '-'}`,
    );

    // Assess
    expect(packages).toEqual([
      'PyPI:Jinja2@3.1.2:2',
      'PyPI:markupsafe@2.1.3:9',
      'PyPI:urllib3@1.26.5:1',
      'Go:github.com/gin-gonic/gin@v1.9.0:6',
      'Go:golang.org/x/text@v0.3.7:7',
      'Go:github.com/google/uuid@v1.6.0:10',
      'npm:qs@6.5.2:1',
      'npm:side-channel@1.0.4:1',
    ]);
  });

  it('reads uv.lock and Cargo.lock as TOML, each package at its name line, the project itself left out', () => {
    // Arrange
    const files = [
      {
        path: 'api/uv.lock',
        content: [
          'version = 1',
          'requires-python = ">=3.12"',
          '',
          '[[package]]',
          'name = "api"',
          'version = "0.1.0"',
          'source = { editable = "." }',
          'dependencies = [',
          '    { name = "jinja2" },',
          ']',
          '',
          '[[package]]',
          'name = "jinja2"',
          'version = "3.1.2"',
          'source = { registry = "https://pypi.org/simple" }',
          'sdist = { url = "https://files.pythonhosted.org/jinja2-3.1.2.tar.gz", hash = "sha256:0" }',
          '',
          '[package.optional-dependencies]',
          'i18n = [{ name = "babel" }]',
        ].join('\n'),
      },
      {
        path: 'cli/Cargo.lock',
        content: [
          '# This file is automatically @generated by Cargo.',
          'version = 4',
          '',
          '[[package]]',
          'name = "smallvec"',
          'version = "1.6.0"',
          'source = "registry+https://github.com/rust-lang/crates.io-index"',
          '',
          '[[package]]',
          'name = "cli"',
          'version = "0.3.0"',
          'dependencies = [',
          ' "smallvec",',
          ']',
        ].join('\n'),
      },
      { path: 'broken/poetry.lock', content: '[[package]\nname = "x"\n' },
    ];

    // Act
    const packages = lockedPackages(files).map(
      (p) => `${p.ecosystem}:${p.name}@${p.version}:${p.line ?? '-'}`,
    );

    // Assess
    // api (uv's editable root) and cli (a Cargo workspace member, no source) are the project, not
    // dependencies: an advisory for a published package of the same name must not match them.
    expect(packages).toEqual(['PyPI:jinja2@3.1.2:13', 'crates.io:smallvec@1.6.0:5']);
  });

  it('compares PyPI names normalised and versions by PEP 440', async () => {
    // Arrange
    const advisory = {
      id: 'PYSEC-2099-1',
      affected: [
        {
          package: { ecosystem: 'PyPI', name: 'Zope.Interface' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '5.0rc1' }, { fixed: '5.4.post1' }] }],
        },
      ],
    };

    // Act
    const result = await scan({
      files: [
        {
          path: 'requirements.txt',
          content: 'zope-interface==5.4\nzope_interface==5.4.post1\nzope.interface==5.0b2\n',
        },
      ],
      advisories: [advisory],
    });

    // Assess
    expect(result.findings.map((f) => [f.resource?.line, f.severity])).toEqual([[1, 'medium']]);
  });
});

describe('versions', () => {
  it.each([
    ['1.0.dev0', '1.0a1', -1],
    ['1.0a1', '1.0b1', -1],
    ['1.0b2', '1.0rc1', -1],
    ['1.0rc1', '1.0', -1],
    ['1.0', '1.0.post1', -1],
    ['1.0.post1.dev1', '1.0.post1', -1],
    ['1.0', '1.0.0', 0],
    ['1.0-1', '1.0.post1', 0],
    ['1.0alpha2', '1.0a2', 0],
    ['1!0.1', '2.0', 1],
    ['1.0+local.7', '1.0+local.abc', 1],
    ['1.0', '1.0+local', -1],
    ['2.10', '2.9', 1],
  ])('PEP 440: %s vs %s', (a, b, expected) => {
    expect(comparePep440(a, b)).toBe(expected);
  });

  it('rejects what is not a version', () => {
    expect(comparePep440('latest', '1.0')).toBeUndefined();
    expect(compareSemver('v1.2.3', '1.2.3')).toBe(0);
    expect(compareSemver('v0.0.0-20230101000000-abcdef123456', '0.1.0')).toBe(-1);
  });

  it.each([
    ['1.2.5', [{ introduced: '0' }, { fixed: '1.2.6' }], true],
    ['1.2.6', [{ introduced: '0' }, { fixed: '1.2.6' }], false],
    ['0.2.3', [{ introduced: '1.0.0' }, { fixed: '1.2.6' }], false],
    ['0.21.1', [{ introduced: '0' }, { last_affected: '0.21.1' }], true],
    ['0.21.2', [{ introduced: '0' }, { last_affected: '0.21.1' }], false],
    ['3.0.0', [{ introduced: '2.0.0' }, { limit: '2.5.0' }], false],
    ['2.1.0', [{ introduced: '2.0.0' }, { limit: '2.5.0' }], true],
    [
      '1.5.0',
      [{ introduced: '1.0.0' }, { fixed: '1.2.0' }, { introduced: '1.4.0' }, { fixed: '1.6.0' }],
      true,
    ],
    [
      '1.3.0',
      [{ introduced: '1.0.0' }, { fixed: '1.2.0' }, { introduced: '1.4.0' }, { fixed: '1.6.0' }],
      false,
    ],
    ['not-a-version', [{ introduced: '0' }], undefined],
  ])('npm %s in %j → %s', (version, events, expected) => {
    expect(inRange('npm', version, events)).toBe(expected);
  });
});

describe('advisory severity', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', 7.2],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:3.0/AV:L/AC:H/PR:L/UI:N/S:U/C:N/I:N/A:N', 0],
  ])('CVSS v3 base score of %s is %d', (vector, score) => {
    expect(cvss3BaseScore(vector)).toBe(score);
  });

  it('prefers the GitHub severity, then CVSS, then medium', () => {
    expect(advisorySeverity({ id: 'a', database_specific: { severity: 'MODERATE' } })).toEqual({
      severity: 'medium',
      source: 'database_specific.severity',
    });
    expect(
      advisorySeverity({
        id: 'b',
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N' }],
      }),
    ).toEqual({
      severity: 'medium',
      source: 'CVSS_V3',
      score: 6.1,
    });
    expect(advisorySeverity({ id: 'c' })).toEqual({ severity: 'medium', source: 'unknown' });
    expect(cvss3BaseScore('CVSS:3.1/AV:N')).toBeUndefined();
  });
});
