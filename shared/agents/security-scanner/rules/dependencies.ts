/**
 * The dependency rule (../dependencies.ts): locked packages matched against
 * OSV advisories given with the input or as `*.osv.json` files. The samples
 * pair a lockfile with a made-up advisory (GHSA-xxxx-style ids that name no
 * real record).
 */
import { defineRules } from '../../scan/catalog.js';

/** A package-lock.json (v3) that locks `name` at `version`. */
function npmLock(name: string, version: string) {
  const lock = {
    name: 'shop-api',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'shop-api', dependencies: { [name]: `^${version}` } },
      [`node_modules/${name}`]: {
        version,
        resolved: `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`,
      },
    },
  };
  return { path: 'package-lock.json', content: `${JSON.stringify(lock, null, 2)}\n` };
}

/** OSV `affected`: package `name` of `ecosystem`, vulnerable from `introduced` until `fixed`. */
const affected = (
  ecosystem: string,
  name: string,
  type: 'SEMVER' | 'ECOSYSTEM',
  introduced: string,
  fixed: string,
) => [{ package: { ecosystem, name }, ranges: [{ type, events: [{ introduced }, { fixed }] }] }];

/** An OSV advisory for an npm package, fixed in `fixed`. */
const advisory = (name: string, fixed: string) => ({
  id: 'GHSA-aiop-samp-le01',
  summary: `Prototype pollution in ${name}`,
  aliases: ['CVE-2099-0001'],
  database_specific: { severity: 'HIGH' },
  affected: affected('npm', name, 'SEMVER', '0', fixed),
});

const osvFile = (name: string, fixed: string) => ({
  path: 'security/advisories.osv.json',
  content: JSON.stringify({ vulns: [advisory(name, fixed)] }),
});

export const DEPENDENCY_RULES = defineRules('security-scanner', [
  {
    id: 'DEP-VULNERABLE',
    severity: 'high',
    category: 'dependencies',
    title: 'Dependency with a known vulnerability',
    description:
      'A locked package version falls in an affected range of an OSV advisory given with the input. Severity comes from the advisory (GitHub severity or CVSS base score).',
    remediation:
      'Upgrade to a fixed version (see evidence.fixed); if none exists, check whether the vulnerable code is reachable.',
    cwe: ['CWE-1395'],
    docs: 'https://ossf.github.io/osv-schema/',
    samples: {
      bad: [
        { files: [npmLock('minimist', '1.2.5'), osvFile('minimist', '1.2.6')], line: 12 },
        {
          input: { files: [npmLock('minimist', '1.2.5')], advisories: [advisory('minimist', '1.2.6')] },
          why: 'advisories given in the input',
        },
        {
          files: [
            { path: 'requirements.txt', content: 'flask==3.0.3\njinja2==3.1.2\n' },
            {
              path: 'advisories.osv.json',
              content: JSON.stringify([
                { id: 'PYSEC-2099-1', affected: affected('PyPI', 'Jinja2', 'ECOSYSTEM', '0', '3.1.3') },
              ]),
            },
          ],
          line: 2,
          why: 'PyPI names compare normalised, versions by PEP 440',
        },
        {
          files: [
            {
              path: 'Cargo.lock',
              content:
                'version = 4\n\n[[package]]\nname = "smallvec"\nversion = "1.6.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n',
            },
            {
              path: 'rustsec.osv.json',
              content: JSON.stringify({
                id: 'RUSTSEC-2099-0001',
                affected: affected('crates.io', 'smallvec', 'SEMVER', '0.0.0-0', '1.6.1'),
              }),
            },
          ],
          line: 4,
          why: 'TOML lockfiles (Cargo.lock, poetry.lock, uv.lock) are read too',
        },
      ],
      good: [
        { files: [npmLock('minimist', '1.2.8'), osvFile('minimist', '1.2.6')] },
        { files: [npmLock('minimist', '1.2.5')], why: 'no advisory given' },
      ],
    },
  },
]);
