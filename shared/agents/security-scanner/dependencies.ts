/**
 * Locked dependencies matched against OSV advisories (https://ossf.github.io/osv-schema/).
 * Lockfiles read: package-lock.json / npm-shrinkwrap.json (v1, v2, v3),
 * requirements*.txt (pinned `==` lines), poetry.lock, uv.lock, Pipfile.lock, Cargo.lock, go.sum
 * (modules whose code is in the build; go.mod when there is no go.sum next to
 * it). Advisories come in the input (`advisories`) or from `*.osv.json` files
 * (one advisory, a list, or an osv.dev `{ "vulns": [...] }` answer). Severity:
 * the GitHub severity in database_specific when given, else the CVSS v3 base
 * score computed from the vector, else medium.
 */
import { basename, dirname } from 'node:path';
import { parse as parseToml, type TomlTable } from 'smol-toml';
import { splitLines } from '../../analysis/source/files.js';
import type { Finding, Severity, SourceFile } from '../contract.js';
import { DEPENDENCY_RULES } from './rules/dependencies.js';
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

export interface LockedPackage {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  file: string;
  line?: number;
  /** Where it is installed (package-lock paths), when more than one place. */
  paths?: string[];
}

// --- lockfiles ---------------------------------------------------------------------------------

/** First line of each JSON object key `"key": {` in a file, in one pass. */
function objectKeyLines(content: string): Map<string, number> {
  const lines = new Map<string, number>();
  let line = 1;
  let last = 0;
  for (const m of content.matchAll(/"((?:[^"\\\n]|\\.)*)"\s*:\s*\{/g)) {
    const index = m.index ?? 0;
    for (let i = last; i < index; i++) if (content.charCodeAt(i) === 10) line++;
    last = index;
    const key = m[1] ?? '';
    if (!lines.has(key)) lines.set(key, line);
  }
  return lines;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON text's top-level object; undefined for invalid JSON or another value. */
function jsonObject(content: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(content);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function npmLock(file: SourceFile): LockedPackage[] {
  const lock = jsonObject(file.content);
  if (lock === undefined) return [];
  const keyLines = objectKeyLines(file.content);
  const found = new Map<string, LockedPackage>();
  const add = (name: string, version: unknown, path: string) => {
    if (typeof version !== 'string' || name === '') return;
    if (/^(?:file|link|git\+|https?):|^github:|\//.test(version)) return; // not a registry version
    const id = `${name}@${version}`;
    const existing = found.get(id);
    if (existing) {
      existing.paths?.push(path);
      return;
    }
    const line = keyLines.get(path);
    found.set(id, {
      ecosystem: 'npm',
      name,
      version,
      file: file.path,
      ...(line ? { line } : {}),
      paths: [path],
    });
  };
  if (isObject(lock.packages)) {
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path === '' || !isObject(entry) || entry.link === true) continue;
      const at = path.lastIndexOf('node_modules/');
      if (at < 0) continue; // a workspace folder, not an installed package
      add(
        typeof entry.name === 'string' ? entry.name : path.slice(at + 'node_modules/'.length),
        entry.version,
        path,
      );
    }
  } else if (isObject(lock.dependencies)) {
    const stack: [Json, string][] = [[lock.dependencies, '']];
    for (let top = stack.pop(); top; top = stack.pop()) {
      const [deps, prefix] = top;
      for (const [name, entry] of Object.entries(deps)) {
        if (!isObject(entry)) continue;
        const path = `${prefix}node_modules/${name}`;
        add(name, entry.version, name);
        if (isObject(entry.dependencies)) stack.push([entry.dependencies, `${path}/`]);
      }
    }
  }
  return [...found.values()];
}

function requirements(file: SourceFile): LockedPackage[] {
  const packages: LockedPackage[] = [];
  file.content.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(?:^|\s)#.*$/, '').trim();
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*===?\s*([^\s;,\\]+)/.exec(line);
    if (m)
      packages.push({
        ecosystem: 'PyPI',
        name: m[1] ?? '',
        version: m[2] ?? '',
        file: file.path,
        line: i + 1,
      });
  });
  return packages;
}

/**
 * `[[package]]` lockfiles in TOML (poetry.lock, uv.lock: PyPI; Cargo.lock:
 * crates.io), read by smol-toml. TOML keeps no positions, so each package's
 * line is the `name =` line under the n-th `[[package]]` header, found when
 * the headers and the parsed packages agree in number.
 */
function tomlLock(file: SourceFile, ecosystem: Ecosystem): LockedPackage[] {
  let lock: TomlTable;
  try {
    lock = parseToml(file.content);
  } catch {
    return [];
  }
  const entries = Array.isArray(lock.package) ? lock.package : [];
  const lines = packageNameLines(file.content);
  return entries.flatMap((entry, i) => {
    if (!isObject(entry) || typeof entry.name !== 'string' || typeof entry.version !== 'string') return [];
    const line = lines.length === entries.length ? lines[i] : undefined;
    return [
      { ecosystem, name: entry.name, version: entry.version, file: file.path, ...(line ? { line } : {}) },
    ];
  });
}

/** The 1-based line of the first `name =` under each `[[package]]` header, in order. */
function packageNameLines(content: string): (number | undefined)[] {
  const lines: (number | undefined)[] = [];
  let open = false;
  splitLines(content).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '[[package]]') {
      lines.push(undefined);
      open = true;
    } else if (line.startsWith('[')) open = false;
    else if (open && /^name\s*=/.test(line)) {
      lines[lines.length - 1] = i + 1;
      open = false;
    }
  });
  return lines;
}

function pipfileLock(file: SourceFile): LockedPackage[] {
  const lock = jsonObject(file.content);
  if (lock === undefined) return [];
  const keyLines = objectKeyLines(file.content);
  const packages: LockedPackage[] = [];
  for (const section of ['default', 'develop']) {
    const deps = lock[section];
    if (!isObject(deps)) continue;
    for (const [name, entry] of Object.entries(deps)) {
      if (!isObject(entry) || typeof entry.version !== 'string') continue;
      const version = entry.version.replace(/^===?/, '');
      const line = keyLines.get(name);
      packages.push({ ecosystem: 'PyPI', name, version, file: file.path, ...(line ? { line } : {}) });
    }
  }
  return packages;
}

function goSum(file: SourceFile): LockedPackage[] {
  const found = new Map<string, LockedPackage>();
  file.content.split(/\r?\n/).forEach((raw, i) => {
    const m = /^(\S+)\s+(v\S+?)(\/go\.mod)?\s+h1:/.exec(raw.trim());
    if (!m || m[3] !== undefined) return; // go.mod-only lines: the module's code is not in the build
    const id = `${m[1]}@${m[2]}`;
    if (!found.has(id))
      found.set(id, { ecosystem: 'Go', name: m[1] ?? '', version: m[2] ?? '', file: file.path, line: i + 1 });
  });
  return [...found.values()];
}

function goMod(file: SourceFile): LockedPackage[] {
  const packages: LockedPackage[] = [];
  let block = false;
  file.content.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (/^require\s*\($/.test(line)) {
      block = true;
      return;
    }
    if (block && line === ')') {
      block = false;
      return;
    }
    const m = (block ? /^(\S+)\s+(v\S+)$/ : /^require\s+(\S+)\s+(v\S+)$/).exec(line);
    if (m)
      packages.push({ ecosystem: 'Go', name: m[1] ?? '', version: m[2] ?? '', file: file.path, line: i + 1 });
  });
  return packages;
}

/** The lockfile kind of a path, or undefined. */
export function lockfileKind(
  path: string,
): 'npm' | 'requirements' | 'poetry' | 'uv' | 'cargo' | 'pipfile' | 'gosum' | 'gomod' | undefined {
  const name = basename(path).toLowerCase();
  if (name === 'package-lock.json' || name === 'npm-shrinkwrap.json') return 'npm';
  if (/^requirements.*\.txt$|^constraints.*\.txt$/.test(name)) return 'requirements';
  if (name === 'poetry.lock') return 'poetry';
  if (name === 'uv.lock') return 'uv';
  if (name === 'cargo.lock') return 'cargo';
  if (name === 'pipfile.lock') return 'pipfile';
  if (name === 'go.sum') return 'gosum';
  if (name === 'go.mod') return 'gomod';
  return undefined;
}

export function lockedPackages(files: readonly SourceFile[]): LockedPackage[] {
  const goSumDirs = new Set(
    files.filter((f) => lockfileKind(f.path) === 'gosum').map((f) => dirname(f.path)),
  );
  return files.flatMap((file) => {
    switch (lockfileKind(file.path)) {
      case 'npm':
        return npmLock(file);
      case 'requirements':
        return requirements(file);
      case 'poetry':
      case 'uv':
        return tomlLock(file, 'PyPI');
      case 'cargo':
        return tomlLock(file, 'crates.io');
      case 'pipfile':
        return pipfileLock(file);
      case 'gosum':
        return goSum(file);
      case 'gomod':
        return goSumDirs.has(dirname(file.path)) ? [] : goMod(file);
      default:
        return [];
    }
  });
}

// --- advisories --------------------------------------------------------------------------------

/** Advisories in an `*.osv.json` file: one object, a list, or `{ "vulns": [...] }`; undefined when unreadable. */
export function advisoriesFromFile(file: SourceFile): unknown[] | undefined {
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
};

interface Match {
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

export interface DependencyScan {
  findings: Finding[];
  packages: number;
  advisories: number;
}

/** The ecosystem of an OSV `affected` entry (the part before any ':'), when it is one the scanner reads. */
function ecosystemOf(affected: NonNullable<OsvAdvisory['affected']>[number]): Ecosystem | undefined {
  return ECOSYSTEMS[(affected.package?.ecosystem ?? '').split(':')[0]?.toLowerCase() ?? ''];
}

const packageKey = (ecosystem: Ecosystem, name: string) =>
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
      if (ecosystem && name) keys.add(packageKey(ecosystem, name));
    }
    for (const key of keys) byPackage.set(key, [...(byPackage.get(key) ?? []), advisory]);
  }
  return { byPackage, usable };
}

/** The advisories among `candidates` whose ranges hold the package's version, with the fixes above it. */
function matchesOf(pkg: LockedPackage, candidates: readonly OsvAdvisory[]): Match[] {
  const key = packageKey(pkg.ecosystem, pkg.name);
  const matches: Match[] = [];
  for (const advisory of candidates) {
    const fixed: string[] = [];
    let hit = false;
    for (const affected of advisory.affected ?? []) {
      const ecosystem = ecosystemOf(affected);
      if (ecosystem !== pkg.ecosystem || packageKey(ecosystem, affected.package?.name ?? '') !== key)
        continue;
      const result = affects(pkg.ecosystem, pkg.version, affected);
      hit ||= result.hit;
      fixed.push(...result.fixed);
    }
    if (hit) matches.push({ advisory, fixed });
  }
  return matches;
}

function vulnerablePackage(pkg: LockedPackage, { advisory, fixed }: Match): Finding {
  const { severity, source, score } = advisorySeverity(advisory);
  const lowestFix = fixed.sort((a, b) => compareVersions(pkg.ecosystem, a, b) ?? 0)[0];
  const cves = (advisory.aliases ?? []).filter((a) => a.startsWith('CVE-'));
  const summary = (advisory.summary ?? advisory.details ?? '').split('\n')[0]?.slice(0, 200) ?? '';
  return DEPENDENCY_RULES.finding('DEP-VULNERABLE', {
    message:
      `${pkg.name} ${pkg.version} (${pkg.ecosystem}) is affected by ${advisory.id}` +
      `${cves.length > 0 ? ` (${cves.join(', ')})` : ''}${summary ? `: ${summary}` : ''}` +
      `${lowestFix ? `. Fixed in ${lowestFix}.` : '. No fixed version is listed.'}`,
    resource: {
      kind: 'Package',
      name: `${pkg.name}@${pkg.version}`,
      file: pkg.file,
      ...(pkg.line ? { line: pkg.line } : {}),
    },
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
      cwe: DEPENDENCY_RULES.rule('DEP-VULNERABLE').cwe?.[0],
    },
    key: [advisory.id],
  });
}

export function scanDependencies(
  packages: readonly LockedPackage[],
  advisories: readonly OsvAdvisory[],
): DependencyScan {
  const { byPackage, usable } = advisoriesByPackage(advisories);
  const findings = packages.flatMap((pkg) =>
    matchesOf(pkg, byPackage.get(packageKey(pkg.ecosystem, pkg.name)) ?? []).map((match) =>
      vulnerablePackage(pkg, match),
    ),
  );
  return { findings, packages: packages.length, advisories: usable };
}
