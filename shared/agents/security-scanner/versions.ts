/**
 * Version ordering per ecosystem and OSV range evaluation
 * (https://ossf.github.io/osv-schema/#affectedranges-field). npm, Go and
 * crates.io use SemVer (`semver`; Go's leading `v` is dropped,
 * pseudo-versions are pre-releases, `+incompatible` is build metadata). PyPI
 * uses PEP 440 (`@renovatebot/pep440`, a port of `packaging.version`: epochs,
 * pre-, post- and dev-releases, local versions, the normal forms).
 */
import * as pep440 from '@renovatebot/pep440';
import semver from 'semver';

export type Ecosystem = 'npm' | 'PyPI' | 'Go' | 'crates.io';

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

export function compareVersions(ecosystem: Ecosystem, a: string, b: string): number | undefined {
  return ecosystem === 'PyPI' ? comparePep440(a, b) : compareSemver(a, b);
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
