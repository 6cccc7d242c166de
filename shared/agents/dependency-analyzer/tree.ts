/**
 * The dependency tree of each lockfile: direct and transitive counts, depth
 * (shortest path from a direct dependency, so a cycle ends the walk), the
 * packages locked at several versions, and the direct dependencies that pull
 * in most of the tree. Where a lockfile does not say which dependencies are
 * direct, the packages nothing depends on are the roots.
 */
import { keyOf, type LockedPackage, type Lockfile } from '../../analysis/dependencies/model.js';
import type { Finding } from '../contract.js';
import { DEPENDENCY_ANALYZER_RULES as RULES } from './rules.js';

export const DEFAULT_LIMITS = { transitive: 150, depth: 12 } as const;

export interface TreeFacts {
  direct: string[];
  /** Depth of each reachable package: 1 for a direct dependency. */
  depth: Map<string, number>;
  maxDepth: number;
  /** The deepest chain, direct dependency first. */
  deepest: string[];
}

function rootsOf(lockfile: Lockfile, byKey: ReadonlyMap<string, LockedPackage>): string[] {
  if (lockfile.direct !== undefined && lockfile.direct.length > 0)
    return lockfile.direct.filter((k) => byKey.has(k));
  const depended = new Set(lockfile.packages.flatMap((p) => p.dependsOn ?? []));
  return lockfile.packages.map(keyOf).filter((k) => !depended.has(k));
}

export function treeFacts(lockfile: Lockfile): TreeFacts {
  const byKey = new Map(lockfile.packages.map((p) => [keyOf(p), p]));
  const direct = rootsOf(lockfile, byKey);
  const depth = new Map<string, number>();
  const parent = new Map<string, string>();
  let frontier = direct.filter((k) => !depth.has(k));
  for (const k of frontier) depth.set(k, 1);
  for (let level = 2; frontier.length > 0; level++) {
    const next: string[] = [];
    for (const key of frontier) {
      for (const dep of byKey.get(key)?.dependsOn ?? []) {
        if (depth.has(dep) || !byKey.has(dep)) continue;
        depth.set(dep, level);
        parent.set(dep, key);
        next.push(dep);
      }
    }
    frontier = next;
  }
  let maxDepth = 0;
  let deepestKey: string | undefined;
  for (const [key, d] of depth) {
    if (d > maxDepth) {
      maxDepth = d;
      deepestKey = key;
    }
  }
  const deepest: string[] = [];
  for (let k = deepestKey; k !== undefined; k = parent.get(k)) deepest.unshift(k);
  return { direct, depth, maxDepth, deepest };
}

/** Every package reachable from `key`, itself left out. */
function closure(key: string, byKey: ReadonlyMap<string, LockedPackage>): Set<string> {
  const seen = new Set<string>();
  const stack = [...(byKey.get(key)?.dependsOn ?? [])];
  for (let k = stack.pop(); k !== undefined; k = stack.pop()) {
    if (seen.has(k) || k === key) continue;
    seen.add(k);
    stack.push(...(byKey.get(k)?.dependsOn ?? []));
  }
  return seen;
}

const where = (pkg: LockedPackage) => ({
  kind: 'Package',
  name: `${pkg.name}@${pkg.version}`,
  file: pkg.file,
  ...(pkg.line ? { line: pkg.line } : {}),
});

export function treeFindings(
  lockfile: Lockfile,
  facts: TreeFacts,
  limits: { transitive: number; depth: number },
): Finding[] {
  const findings: Finding[] = [];
  const byKey = new Map(lockfile.packages.map((p) => [keyOf(p), p]));
  const byName = new Map<string, LockedPackage[]>();
  for (const pkg of lockfile.packages) byName.set(pkg.name, [...(byName.get(pkg.name) ?? []), pkg]);
  for (const [name, versions] of byName) {
    if (versions.length < 2) continue;
    const first = [...versions].sort((a, b) => (a.line ?? 0) - (b.line ?? 0))[0] as LockedPackage;
    findings.push(
      RULES.finding('DEPS-DUPLICATE', {
        message: `${name} is locked at ${versions.length} versions (${versions.map((v) => v.version).join(', ')}): each is installed and shipped.`,
        resource: { kind: 'Package', name, file: lockfile.file, ...(first.line ? { line: first.line } : {}) },
        severity: versions.length >= 3 ? 'low' : 'info',
        evidence: { versions: versions.map((v) => v.version) },
      }),
    );
  }
  for (const key of facts.direct) {
    const pkg = byKey.get(key);
    if (pkg === undefined) continue;
    const pulled = closure(key, byKey).size;
    if (pulled < limits.transitive) continue;
    findings.push(
      RULES.finding('DEPS-HEAVY', {
        message: `${pkg.name} ${pkg.version} pulls in ${pulled} other packages (limit ${limits.transitive}).`,
        resource: where(pkg),
        evidence: { transitive: pulled, limit: limits.transitive },
      }),
    );
  }
  if (facts.maxDepth > limits.depth) {
    const head = byKey.get(facts.deepest[0] ?? '');
    findings.push(
      RULES.finding('DEPS-DEEP-TREE', {
        message: `The dependency tree of ${lockfile.file} is ${facts.maxDepth} levels deep (limit ${limits.depth}): ${facts.deepest.join(' → ')}.`,
        resource: {
          kind: 'Lockfile',
          name: lockfile.file,
          file: lockfile.file,
          ...(head?.line ? { line: head.line } : {}),
        },
        evidence: { depth: facts.maxDepth, chain: facts.deepest, limit: limits.depth },
      }),
    );
  }
  return findings;
}
