/**
 * What registry metadata given offline says of each locked package: how far
 * behind the latest release it is (major, or minor within the major), whether
 * it is deprecated (the lockfile's own `deprecated` counts as given too), and
 * whether the package has had no release for a long time. With publish dates,
 * the libyear of each package — the years between the locked release and
 * the latest (https://libyear.com) — sums to the project's.
 */
import type { LockedPackage } from '../../analysis/dependencies/model.js';
import {
  compareVersions,
  type Ecosystem,
  majorMinor,
  normalisePackageName,
} from '../../analysis/dependencies/versions.js';
import type { Finding } from '../contract.js';
import { DEPENDENCY_ANALYZER_RULES as RULES } from './rules.js';
import type { DependencyInput, PackageMetadata } from './schema.js';

const DAY_MS = 86_400_000;
export const DEFAULT_STALE_DAYS = 730;

export interface MetadataIndex {
  of(pkg: LockedPackage): PackageMetadata | undefined;
}

/** The metadata by ecosystem and normalised name; an entry without ecosystem answers for every ecosystem. */
export function indexMetadata(given: DependencyInput['metadata']): MetadataIndex {
  const entries: PackageMetadata[] = Array.isArray(given)
    ? given
    : Object.entries(given ?? {}).map(([name, entry]) => ({ ...entry, name: entry.name ?? name }));
  const byKey = new Map<string, PackageMetadata>();
  const key = (ecosystem: Ecosystem | undefined, name: string) =>
    `${ecosystem ?? '*'}\u0000${ecosystem ? normalisePackageName(ecosystem, name) : name.toLowerCase()}`;
  for (const entry of entries) byKey.set(key(entry.ecosystem, entry.name), entry);
  return {
    of: (pkg) => byKey.get(key(pkg.ecosystem, pkg.name)) ?? byKey.get(key(undefined, pkg.name)),
  };
}

const latestOf = (meta: PackageMetadata) => meta.latest ?? meta['dist-tags']?.latest;
const datesOf = (meta: PackageMetadata) => meta.published ?? meta.time ?? {};

const where = (pkg: LockedPackage) => ({
  kind: 'Package',
  name: `${pkg.name}@${pkg.version}`,
  file: pkg.file,
  ...(pkg.line ? { line: pkg.line } : {}),
});

function outdated(pkg: LockedPackage, latest: string): Finding | undefined {
  if ((compareVersions(pkg.ecosystem, pkg.version, latest) ?? 0) >= 0) return undefined;
  const locked = majorMinor(pkg.ecosystem, pkg.version);
  const newest = majorMinor(pkg.ecosystem, latest);
  if (locked === undefined || newest === undefined) return undefined;
  const evidence = { locked: pkg.version, latest, majorsBehind: newest[0] - locked[0] };
  if (newest[0] > locked[0]) {
    return RULES.finding('DEPS-OUTDATED-MAJOR', {
      message: `${pkg.name} is locked at ${pkg.version}; the latest is ${latest}, ${newest[0] - locked[0]} major version${newest[0] - locked[0] === 1 ? '' : 's'} ahead.`,
      resource: where(pkg),
      evidence,
    });
  }
  if (newest[1] > locked[1]) {
    return RULES.finding('DEPS-OUTDATED-MINOR', {
      message: `${pkg.name} is locked at ${pkg.version}; the latest is ${latest} (same major, newer minor).`,
      resource: where(pkg),
      evidence: { ...evidence, minorsBehind: newest[1] - locked[1] },
    });
  }
  return undefined;
}

function deprecation(pkg: LockedPackage, meta: PackageMetadata | undefined): string | undefined {
  if (pkg.deprecated) return pkg.deprecated;
  if (meta?.deprecated === true) return 'deprecated';
  return typeof meta?.deprecated === 'string' && meta.deprecated !== '' ? meta.deprecated : undefined;
}

const time = (iso: string | undefined) => {
  const ms = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
};

export interface MetadataScan {
  findings: Finding[];
  libyears: number;
}

export function metadataFindings(
  packages: readonly LockedPackage[],
  index: MetadataIndex,
  now: Date,
  staleDays = DEFAULT_STALE_DAYS,
): MetadataScan {
  const findings: Finding[] = [];
  let libyears = 0;
  for (const pkg of packages) {
    const meta = index.of(pkg);
    const message = deprecation(pkg, meta);
    if (message !== undefined) {
      findings.push(
        RULES.finding('DEPS-DEPRECATED', {
          message: `${pkg.name} ${pkg.version} is deprecated: ${message.slice(0, 300)}`,
          resource: where(pkg),
          evidence: { deprecated: message.slice(0, 1000), source: pkg.deprecated ? 'lockfile' : 'metadata' },
        }),
      );
    }
    const latest = meta === undefined ? undefined : latestOf(meta);
    if (meta === undefined || latest === undefined) continue;
    const behind = outdated(pkg, latest);
    if (behind) findings.push(behind);
    const dates = datesOf(meta);
    const lockedAt = time(dates[pkg.version]);
    const latestAt = time(dates[latest]);
    if (lockedAt !== undefined && latestAt !== undefined && latestAt > lockedAt)
      libyears += (latestAt - lockedAt) / (365.25 * DAY_MS);
    // npm's `time` also holds `created` and `modified` (any metadata change), which are not releases.
    const releases = Object.entries(dates).filter(
      ([version]) => version !== 'created' && version !== 'modified',
    );
    const newest = Math.max(...releases.flatMap(([, d]) => time(d) ?? []));
    const idleDays = Math.floor((now.getTime() - newest) / DAY_MS);
    if (Number.isFinite(newest) && idleDays > staleDays && message === undefined) {
      findings.push(
        RULES.finding('DEPS-UNMAINTAINED', {
          message: `${pkg.name} has had no release for ${idleDays} days (latest ${latest}, ${new Date(newest).toISOString().slice(0, 10)}).`,
          resource: where(pkg),
          evidence: { latest, lastRelease: new Date(newest).toISOString(), idleDays },
        }),
      );
    }
  }
  return { findings, libyears: Math.round(libyears * 100) / 100 };
}
