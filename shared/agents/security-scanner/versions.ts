/**
 * Version ordering per ecosystem and OSV range evaluation
 * (https://ossf.github.io/osv-schema/#affectedranges-field). npm and Go use
 * SemVer (`semver`; Go's leading `v` is dropped, pseudo-versions are
 * pre-releases, `+incompatible` is build metadata). PyPI uses PEP 440,
 * implemented here after `packaging.version`: epochs, pre-, post- and
 * dev-releases, local versions, and the normal forms (alpha → a, -1 → .post1).
 */
import semver from 'semver';

export type Ecosystem = 'npm' | 'PyPI' | 'Go';

// --- PEP 440 -----------------------------------------------------------------------------------

const PEP440 =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/;

type Segment = number | string;
/** A comparison key: tuples compared element by element. */
type Key = readonly (number | readonly Segment[])[];

const PRE_RANK: Readonly<Record<string, number>> = {
  a: 0,
  alpha: 0,
  b: 1,
  beta: 1,
  c: 2,
  rc: 2,
  pre: 2,
  preview: 2,
};

/** The PEP 440 ordering key of a version, or undefined when it is not a valid version. */
export function pep440Key(version: string): Key | undefined {
  const m = PEP440.exec(version.trim().toLowerCase());
  if (!m) return undefined;
  const [
    ,
    epoch,
    release = '0',
    preLetter,
    preNumber,
    postDash,
    postLetter,
    postNumber,
    dev,
    devNumber,
    local,
  ] = m;
  const parts = release.split('.').map(Number);
  while (parts.length > 1 && parts[parts.length - 1] === 0) parts.pop();
  const hasPost = postDash !== undefined || postLetter !== undefined;
  const post = hasPost ? Number(postDash ?? postNumber ?? 0) : Number.NEGATIVE_INFINITY;
  const devKey = dev !== undefined ? Number(devNumber ?? 0) : Number.POSITIVE_INFINITY;
  let pre: readonly number[];
  if (preLetter !== undefined) pre = [PRE_RANK[preLetter] ?? 0, Number(preNumber ?? 0)];
  else if (!hasPost && dev !== undefined)
    pre = [Number.NEGATIVE_INFINITY]; // 1.0.dev0 sorts before 1.0a0
  else pre = [Number.POSITIVE_INFINITY];
  const localKey: Segment[] =
    local === undefined ? [] : local.split(/[-_.]/).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  return [Number(epoch ?? 0), parts, pre, post, devKey, localKey];
}

function compareSegments(a: readonly Segment[], b: readonly Segment[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return y === undefined ? 0 : -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return x < y ? -1 : 1;
    } else if (typeof x === 'number')
      return 1; // numeric local segments sort after alphanumeric ones
    else if (typeof y === 'number') return -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number | readonly Segment[];
    const y = b[i] as number | readonly Segment[];
    const c =
      typeof x === 'number' && typeof y === 'number'
        ? Math.sign(x - y) || 0
        : compareSegments(x as readonly Segment[], y as readonly Segment[]);
    if (c !== 0) return c;
  }
  return 0;
}

export function comparePep440(a: string, b: string): number | undefined {
  const x = pep440Key(a);
  const y = pep440Key(b);
  return x && y ? compareKeys(x, y) : undefined;
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
