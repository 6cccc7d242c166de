/**
 * pnpm-lock.yaml, lockfile versions 5 to 9. v9 keeps each package's
 * resolution under `packages` (`name@version`) and its dependencies under
 * `snapshots` (`name@version(peer@x)`); v6 writes keys as `/name@version`
 * and v5 as `/name/version`, with the dependencies inline. The importers
 * (`.` and the workspace folders; v5 single projects at the top level) list
 * the direct ones.
 */
import { parseWithLines } from '../documents/structured.js';
import { isObject, type Json } from './json.js';
import { type LockedPackage, type Lockfile, packageKey, type SourceFile } from './model.js';

/** Name and version of a packages/snapshots key of any version: `/@a/b@1.0.0(peer@2)`, `/@a/b/1.0.0_peer@2`. */
export function pnpmKey(key: string): { name: string; version: string } | undefined {
  const plain = key.replace(/^\//, '').replace(/\(.*$/, '');
  // v5: name/version, with any _peer@x suffix
  const v5 = /^((?:@[^/]+\/)?[^/@]+)\/(\d[^_/]*)(?:_.*)?$/.exec(plain);
  if (v5?.[1] && v5[2]) return { name: v5[1], version: v5[2] };
  const at = plain.lastIndexOf('@');
  return at > 0 ? { name: plain.slice(0, at), version: plain.slice(at + 1) } : undefined;
}

/** A dependency's version as the importers and snapshots write it: `1.2.3(peer@1)`, or `{ version }` (v6+ importers). */
function versionOf(value: unknown): string | undefined {
  const raw =
    typeof value === 'string'
      ? value
      : isObject(value) && typeof value.version === 'string'
        ? value.version
        : undefined;
  if (raw === undefined || /^(?:link|file|workspace):/.test(raw)) return undefined;
  return raw.replace(/\(.*$/, '').replace(/_.*$/, '');
}

const FIELDS = ['dependencies', 'optionalDependencies', 'devDependencies'] as const;

/** The keys `name → version` an importer or snapshot depends on; a value may itself be a `/name@version` key (aliases). */
function dependencyKeys(entry: Json, fields: readonly string[] = FIELDS): string[] {
  return fields.flatMap((field) => {
    const deps = isObject(entry[field]) ? entry[field] : {};
    return Object.entries(deps).flatMap(([name, value]) => {
      const version = versionOf(value);
      if (version === undefined) return [];
      const alias =
        version.startsWith('/') || /^(?:@[^/]+\/)?[^@/]+@/.test(version) ? pnpmKey(version) : undefined;
      return [alias ? packageKey(alias.name, alias.version) : packageKey(name, version)];
    });
  });
}

export function readPnpmLock(file: SourceFile): Lockfile {
  const base: Lockfile = { file: file.path, kind: 'pnpm', ecosystem: 'npm', packages: [] };
  const parsed = parseWithLines(file.content);
  if ('error' in parsed)
    return { ...base, problem: { message: parsed.error, ...(parsed.line ? { line: parsed.line } : {}) } };
  const lock = parsed.value;
  if (!isObject(lock)) return { ...base, problem: { message: 'the file is not a YAML mapping' } };
  const entries = isObject(lock.packages) ? lock.packages : {};
  const snapshots = isObject(lock.snapshots) ? lock.snapshots : {};
  const packages = new Map<string, LockedPackage>();
  for (const [key, entry] of Object.entries(entries)) {
    const id = pnpmKey(key);
    if (id === undefined || !isObject(entry)) continue;
    const pkgKey = packageKey(id.name, id.version);
    const resolution = isObject(entry.resolution) ? entry.resolution : {};
    const line = parsed.lineOf(['packages', key]);
    const existing = packages.get(pkgKey);
    const pkg: LockedPackage = existing ?? {
      ecosystem: 'npm',
      name: typeof entry.name === 'string' ? entry.name : id.name,
      version: typeof entry.version === 'string' && !entry.version.includes(':') ? entry.version : id.version,
      file: file.path,
      ...(line ? { line } : {}),
      ...(typeof resolution.integrity === 'string' ? { integrity: resolution.integrity } : {}),
      ...(typeof entry.deprecated === 'string' ? { deprecated: entry.deprecated } : {}),
      ...(entry.dev === true ? { dev: true } : {}),
    };
    pkg.dependsOn = [
      ...new Set([
        ...(pkg.dependsOn ?? []),
        ...dependencyKeys(entry, ['dependencies', 'optionalDependencies']),
      ]),
    ];
    packages.set(pkgKey, pkg);
  }
  for (const [key, snapshot] of Object.entries(snapshots)) {
    const id = pnpmKey(key);
    const pkg = id === undefined ? undefined : packages.get(packageKey(id.name, id.version));
    if (pkg === undefined || !isObject(snapshot)) continue;
    pkg.dependsOn = [
      ...new Set([
        ...(pkg.dependsOn ?? []),
        ...dependencyKeys(snapshot, ['dependencies', 'optionalDependencies']),
      ]),
    ];
  }
  for (const pkg of packages.values()) {
    pkg.dependsOn = pkg.dependsOn?.filter((key) => packages.has(key));
    if (pkg.dependsOn?.length === 0) delete pkg.dependsOn;
  }
  const importers = isObject(lock.importers) ? Object.values(lock.importers).filter(isObject) : [lock];
  const direct = [...new Set(importers.flatMap((importer) => dependencyKeys(importer)))].filter((key) =>
    packages.has(key),
  );
  return { ...base, packages: [...packages.values()], ...(direct.length > 0 ? { direct } : {}) };
}
