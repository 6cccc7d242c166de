/**
 * Locked packages matched against OSV advisories (https://ossf.github.io/osv-schema/),
 * for every agent that reports vulnerable dependencies. Advisories come as
 * values or from `*.osv.json` files (one advisory, a list, an osv.dev
 * `{ "vulns": [...] }` or querybatch answer). Severity: the GitHub severity in
 * database_specific when given, else the CVSS v3 base score computed from the
 * vector, else medium. The agent wraps each match in its own rule.
 */
import type { LockedPackage } from './model.js';
import { compareVersions, type Ecosystem, inRange, normalisePackageName, type OsvEvent } from './versions.js';

export interface OsvAdvisory {
  id: string;
  summary?: string;
  details?: string;
  aliases?: string[];
  withdrawn?: string;
  severity?: { type: string; score: string }[];
  database_specific?: Record<string, unknown>;
  affected?: {
    package?: { ecosystem?: string; name?: string };
    ranges?: { type?: string; events?: OsvEvent[] }[];
    versions?: string[];
    database_specific?: Record<string, unknown>;
    ecosystem_specific?: Record<string, unknown>;
  }[];
}

/** The finding severities (shared/agents/finding.ts), named here so the engine stays below the agents. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Advisories in an `*.osv.json` file: one object, a list, or `{ "vulns": [...] }`; undefined when unreadable. */
export function advisoriesFromFile(file: { content: string }): unknown[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(file.content);
  } catch {
    return undefined;
  }
  if (Array.isArray(parsed)) return parsed;
  if (isObject(parsed) && Array.isArray(parsed.vulns)) return parsed.vulns;
  if (isObject(parsed) && Array.isArray(parsed.results)) {
    // osv.dev querybatch answers: { results: [{ vulns: [...] }] }
    return parsed.results.flatMap((r) => (isObject(r) && Array.isArray(r.vulns) ? r.vulns : []));
  }
  return isObject(parsed) ? [parsed] : undefined;
}

const METRICS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
};

/** CVSS 3.x round up to one decimal, as the specification defines it. */
function roundUp(value: number): number {
  const scaled = Math.round(value * 100000);
  return scaled % 10000 === 0 ? scaled / 100000 : (Math.floor(scaled / 10000) + 1) / 10;
}

/** The CVSS v3.x base score of a vector, or undefined when the vector is incomplete. */
export function cvss3BaseScore(vector: string): number | undefined {
  if (!/^CVSS:3\.[01]\//.test(vector)) return undefined;
  const m = new Map(
    vector
      .split('/')
      .slice(1)
      .map((part) => part.split(':') as [string, string]),
  );
  const value = (metric: string) => METRICS[metric]?.[m.get(metric) ?? ''];
  const scope = m.get('S');
  const pr = m.get('PR');
  const av = value('AV');
  const ac = value('AC');
  const ui = value('UI');
  const c = value('C');
  const i = value('I');
  const a = value('A');
  if (
    av === undefined ||
    ac === undefined ||
    ui === undefined ||
    c === undefined ||
    i === undefined ||
    a === undefined
  ) {
    return undefined;
  }
  if ((scope !== 'U' && scope !== 'C') || (pr !== 'N' && pr !== 'L' && pr !== 'H')) return undefined;
  const changed = scope === 'C';
  const privileges = pr === 'N' ? 0.85 : pr === 'L' ? (changed ? 0.68 : 0.62) : changed ? 0.5 : 0.27;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  if (impact <= 0) return 0;
  const exploitability = 8.22 * av * ac * privileges * ui;
  return roundUp(Math.min(changed ? 1.08 * (impact + exploitability) : impact + exploitability, 10));
}

function severityOfScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

const GITHUB_SEVERITY: Readonly<Record<string, Severity>> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MODERATE: 'medium',
  MEDIUM: 'medium',
  LOW: 'low',
};

export function advisorySeverity(advisory: OsvAdvisory): {
  severity: Severity;
  source: string;
  score?: number;
} {
  const stated = advisory.database_specific?.severity;
  if (typeof stated === 'string' && GITHUB_SEVERITY[stated.toUpperCase()]) {
    return {
      severity: GITHUB_SEVERITY[stated.toUpperCase()] as Severity,
      source: 'database_specific.severity',
    };
  }
  for (const entry of advisory.severity ?? []) {
    const score = entry.type.startsWith('CVSS_V3')
      ? cvss3BaseScore(entry.score)
      : Number.parseFloat(entry.score);
    if (score !== undefined && Number.isFinite(score))
      return { severity: severityOfScore(score), source: entry.type, score };
  }
  return { severity: 'medium', source: 'unknown' };
}

const ECOSYSTEMS: Readonly<Record<string, Ecosystem>> = {
  npm: 'npm',
  pypi: 'PyPI',
  go: 'Go',
  'crates.io': 'crates.io',
  maven: 'Maven',
  rubygems: 'RubyGems',
  packagist: 'Packagist',
};

/** One advisory that covers one locked package, with the fixed versions above the locked one. */
export interface AdvisoryMatch {
  pkg: LockedPackage;
  advisory: OsvAdvisory;
  fixed: string[];
}

/** Whether one `affected` entry covers the version; the fixed versions above it. */
function affects(
  ecosystem: Ecosystem,
  version: string,
  affected: NonNullable<OsvAdvisory['affected']>[number],
): { hit: boolean; fixed: string[] } {
  const fixed: string[] = [];
  let hit = (affected.versions ?? []).some(
    (v) => compareVersions(ecosystem, v, version) === 0 || v === version,
  );
  for (const range of affected.ranges ?? []) {
    if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') continue; // GIT ranges need commits
    const events = range.events ?? [];
    if (inRange(ecosystem, version, events) === true) {
      hit = true;
      for (const e of events) {
        if (e.fixed !== undefined && (compareVersions(ecosystem, e.fixed, version) ?? 0) > 0)
          fixed.push(e.fixed);
      }
    }
  }
  return { hit, fixed };
}

/** The ecosystem of an OSV `affected` entry (the part before any ':'), when it is one the readers know. */
function ecosystemOf(affected: NonNullable<OsvAdvisory['affected']>[number]): Ecosystem | undefined {
  return ECOSYSTEMS[(affected.package?.ecosystem ?? '').split(':')[0]?.toLowerCase() ?? ''];
}

const advisoryKey = (ecosystem: Ecosystem, name: string) =>
  `${ecosystem}\u0000${normalisePackageName(ecosystem, name)}`;

/** The advisories that are not withdrawn, by the packages they name. */
function advisoriesByPackage(advisories: readonly OsvAdvisory[]) {
  const byPackage = new Map<string, OsvAdvisory[]>();
  let usable = 0;
  for (const advisory of advisories) {
    if (advisory.withdrawn !== undefined) continue;
    usable++;
    const keys = new Set<string>();
    for (const affected of advisory.affected ?? []) {
      const ecosystem = ecosystemOf(affected);
      const name = affected.package?.name;
      if (ecosystem && name) keys.add(advisoryKey(ecosystem, name));
    }
    for (const key of keys) byPackage.set(key, [...(byPackage.get(key) ?? []), advisory]);
  }
  return { byPackage, usable };
}

/** The advisories among `candidates` whose ranges hold the package's version, with the fixes above it. */
function matchesOf(pkg: LockedPackage, candidates: readonly OsvAdvisory[]): AdvisoryMatch[] {
  const key = advisoryKey(pkg.ecosystem, pkg.name);
  const matches: AdvisoryMatch[] = [];
  for (const advisory of candidates) {
    const fixed: string[] = [];
    let hit = false;
    for (const affected of advisory.affected ?? []) {
      const ecosystem = ecosystemOf(affected);
      if (ecosystem !== pkg.ecosystem || advisoryKey(ecosystem, affected.package?.name ?? '') !== key)
        continue;
      const result = affects(pkg.ecosystem, pkg.version, affected);
      hit ||= result.hit;
      fixed.push(...result.fixed);
    }
    if (hit) matches.push({ pkg, advisory, fixed });
  }
  return matches;
}

/** Every (package, advisory) pair where the advisory covers the locked version; withdrawn advisories left out. */
export function matchAdvisories(
  packages: readonly LockedPackage[],
  advisories: readonly OsvAdvisory[],
): { matches: AdvisoryMatch[]; advisories: number } {
  const { byPackage, usable } = advisoriesByPackage(advisories);
  const matches = packages.flatMap((pkg) =>
    matchesOf(pkg, byPackage.get(advisoryKey(pkg.ecosystem, pkg.name)) ?? []),
  );
  return { matches, advisories: usable };
}

/** What a vulnerability finding says: message, severity and evidence, the same in every agent. */
export function describeMatch({ pkg, advisory, fixed }: AdvisoryMatch): {
  message: string;
  severity: Severity;
  evidence: Record<string, unknown>;
} {
  const { severity, source, score } = advisorySeverity(advisory);
  const lowestFix = [...fixed].sort((a, b) => compareVersions(pkg.ecosystem, a, b) ?? 0)[0];
  const cves = (advisory.aliases ?? []).filter((a) => a.startsWith('CVE-'));
  const summary = (advisory.summary ?? advisory.details ?? '').split('\n')[0]?.slice(0, 200) ?? '';
  return {
    message:
      `${pkg.name} ${pkg.version} (${pkg.ecosystem}) is affected by ${advisory.id}` +
      `${cves.length > 0 ? ` (${cves.join(', ')})` : ''}${summary ? `: ${summary}` : ''}` +
      `${lowestFix ? `. Fixed in ${lowestFix}.` : '. No fixed version is listed.'}`,
    severity,
    evidence: {
      package: pkg.name,
      version: pkg.version,
      ecosystem: pkg.ecosystem,
      advisory: advisory.id,
      aliases: advisory.aliases ?? [],
      ...(lowestFix ? { fixed: lowestFix } : {}),
      severitySource: source,
      ...(score === undefined ? {} : { cvssScore: score }),
      ...(pkg.paths && pkg.paths.length > 1 ? { installedAt: pkg.paths.slice(0, 20) } : {}),
    },
  };
}
