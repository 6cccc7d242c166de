/**
 * Version ordering per ecosystem and OSV range evaluation
 * (https://ossf.github.io/osv-schema/#affectedranges-field). npm, Go,
 * crates.io and Packagist use SemVer (`semver`; a leading `v` is dropped, Go
 * pseudo-versions are pre-releases, `+incompatible` is build metadata). PyPI
 * uses PEP 440 (`@renovatebot/pep440`, a port of `packaging.version`: epochs,
 * pre-, post- and dev-releases, local versions, the normal forms). Maven and
 * RubyGems versions that are not SemVer (`1.2`, `2.0.0.RELEASE`,
 * `1.14.0-x86_64-linux`) fall back to comparing their numeric parts.
 */
import * as pep440 from '@renovatebot/pep440';
import semver from 'semver';

export type Ecosystem = 'npm' | 'PyPI' | 'Go' | 'crates.io' | 'Maven' | 'RubyGems' | 'Packagist';

// --- PEP 440 (PyPI) ----------------------------------------------------------------------------

/** PEP 440 order of two versions; undefined when either is not a valid version. */
export function comparePep440(a: string, b: string): number | undefined {
  const x = a.trim();
  const y = b.trim();
  if (pep440.valid(x) === null || pep440.valid(y) === null) return undefined;
  return Math.sign(pep440.compare(x, y));
}

// --- SemVer (npm, Go) -------------------------------------------------------------------------

function semverOf(version: string): semver.SemVer | undefined {
  const cleaned = version.trim().replace(/^v/, '');
  return semver.parse(cleaned, { loose: true }) ?? undefined;
}

export function compareSemver(a: string, b: string): number | undefined {
  const x = semverOf(a);
  const y = semverOf(b);
  return x && y ? semver.compare(x, y) : undefined;
}

/** The leading dot-separated numbers of a version (`2.0.0.RELEASE` → [2, 0, 0]); undefined without any. */
function numericParts(version: string): number[] | undefined {
  const m = /^v?(\d+(?:\.\d+)*)/.exec(version.trim());
  return m?.[1]?.split('.').map(Number);
}

/** Order by numeric parts, missing parts as 0 (`1.2` = `1.2.0`); what follows the numbers is not compared. */
function compareNumeric(a: string, b: string): number | undefined {
  const x = numericParts(a);
  const y = numericParts(b);
  if (x === undefined || y === undefined) return undefined;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

export function compareVersions(ecosystem: Ecosystem, a: string, b: string): number | undefined {
  if (ecosystem === 'PyPI') return comparePep440(a, b);
  const semverOrder = compareSemver(a, b);
  if (semverOrder !== undefined || ecosystem === 'npm' || ecosystem === 'Go' || ecosystem === 'crates.io')
    return semverOrder;
  return compareNumeric(a, b);
}

/** The major and minor number of a version, for "how far behind"; undefined when it has none. */
export function majorMinor(ecosystem: Ecosystem, version: string): [number, number] | undefined {
  if (ecosystem === 'PyPI') {
    const parsed = pep440.explain(version.trim());
    if (parsed === null) return undefined;
    return [parsed.release[0] ?? 0, parsed.release[1] ?? 0];
  }
  const parsed = semverOf(version);
  if (parsed) return [parsed.major, parsed.minor];
  const parts = numericParts(version);
  return parts ? [parts[0] ?? 0, parts[1] ?? 0] : undefined;
}

// --- OSV ranges --------------------------------------------------------------------------------

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

/**
 * Whether `version` is affected by one range's events, by the OSV algorithm:
 * events sorted by version; an `introduced` at or below the version turns it
 * affected, a `fixed` at or below (or a `last_affected` below) turns it back;
 * `limit` events cap the range. Returns undefined when a version in the
 * events cannot be compared (the range is then not trusted either way).
 */
export function inRange(
  ecosystem: Ecosystem,
  version: string,
  events: readonly OsvEvent[],
): boolean | undefined {
  const compare = (a: string, b: string) =>
    a === '0' ? (b === '0' ? 0 : -1) : b === '0' ? 1 : compareVersions(ecosystem, a, b);
  const points: { kind: keyof OsvEvent; at: string }[] = [];
  for (const event of events) {
    for (const kind of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
      const at = event[kind];
      if (typeof at === 'string') points.push({ kind, at });
    }
  }
  for (const p of points) if (compare(p.at, p.at) === undefined) return undefined;
  if (compare(version, version) === undefined) return undefined;
  points.sort((a, b) => compare(a.at, b.at) ?? 0);
  let affected = false;
  for (const p of points) {
    const c = compare(version, p.at) ?? 0;
    if (p.kind === 'introduced' && c >= 0) affected = true;
    else if (p.kind === 'fixed' && c >= 0) affected = false;
    else if (p.kind === 'last_affected' && c > 0) affected = false;
  }
  const limits = points.filter((p) => p.kind === 'limit');
  if (affected && limits.length > 0) affected = limits.some((p) => (compare(version, p.at) ?? 0) < 0);
  return affected;
}

/** PyPI names compare normalised (PEP 503): case-insensitive, runs of -_. are one dash. */
export function normalisePackageName(ecosystem: Ecosystem, name: string): string {
  return ecosystem === 'PyPI' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}
