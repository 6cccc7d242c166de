/**
 * package-lock.json / npm-shrinkwrap.json. v2 and v3 list every installed
 * folder under `packages` with its version, licence, integrity, deprecation
 * and dev flags; a dependency name resolves as Node resolves it — the
 * nearest `node_modules` up the folder path. v1 nests `dependencies` and
 * names what each requires the same way. A package installed in several
 * folders at one version is one package with several paths.
 */
import { isObject, type Json, jsonObject, objectKeyLines, stringRecord } from './json.js';
import { type LockedPackage, type Lockfile, packageKey, type SourceFile } from './model.js';

/** Not a registry version: a local folder, a link, a git or tarball URL. */
const NOT_REGISTRY = /^(?:file|link|git\+|https?):|^github:|\//;

const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

/** The folder a dependency `name` of the package at `from` resolves to, among the lock's folders. */
function resolveFolder(from: string, name: string, folders: ReadonlyMap<string, string>): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
    if (folders.has(candidate)) return candidate;
    if (base === '') return undefined;
    const at = base.lastIndexOf('/node_modules/');
    base = at < 0 ? '' : base.slice(0, at);
  }
}

/** The dependency names an entry declares (with peers: what it needs installed beside it). */
function declaredNames(entry: Json): string[] {
  return [...new Set(DEPENDENCY_FIELDS.flatMap((field) => Object.keys(stringRecord(entry[field]))))];
}

function fromPackages(file: SourceFile, lock: Json, packages: Json): Lockfile {
  const keyLines = objectKeyLines(file.content);
  const found = new Map<string, LockedPackage>();
  const keyOfFolder = new Map<string, string>();
  for (const [path, entry] of Object.entries(packages)) {
    if (path === '' || !isObject(entry) || entry.link === true) continue;
    const at = path.lastIndexOf('node_modules/');
    if (at < 0 || typeof entry.version !== 'string' || NOT_REGISTRY.test(entry.version)) continue;
    const name = typeof entry.name === 'string' ? entry.name : path.slice(at + 'node_modules/'.length);
    const key = packageKey(name, entry.version);
    keyOfFolder.set(path, key);
    const existing = found.get(key);
    if (existing) {
      existing.paths?.push(path);
      if (existing.dev && !isDev(entry)) delete existing.dev;
      // A copy bundled inside another package's tarball has no integrity of its own; an installed one does.
      if (existing.integrity === undefined && typeof entry.integrity === 'string')
        existing.integrity = entry.integrity;
      continue;
    }
    const line = keyLines.get(path);
    found.set(key, {
      ecosystem: 'npm',
      name,
      version: entry.version,
      file: file.path,
      ...(line ? { line } : {}),
      paths: [path],
      ...(typeof entry.license === 'string' ? { license: entry.license } : {}),
      ...(typeof entry.integrity === 'string' ? { integrity: entry.integrity } : {}),
      ...(typeof entry.deprecated === 'string' ? { deprecated: entry.deprecated } : {}),
      ...(isDev(entry) ? { dev: true } : {}),
    });
  }
  const edges = (from: string, entry: Json) =>
    declaredNames(entry).flatMap((name) => {
      const folder = resolveFolder(from, name, keyOfFolder);
      const key = folder === undefined ? undefined : keyOfFolder.get(folder);
      return key === undefined ? [] : [key];
    });
  for (const [path, key] of keyOfFolder) {
    const entry = packages[path];
    const pkg = found.get(key);
    if (!isObject(entry) || pkg === undefined) continue;
    pkg.dependsOn = [...new Set([...(pkg.dependsOn ?? []), ...edges(path, entry)])];
  }
  const root = isObject(packages['']) ? packages[''] : {};
  // Workspace folders (no node_modules in the path) declare direct dependencies like the root does.
  const workspaces = Object.entries(packages).filter(
    (e): e is [string, Json] => !e[0].includes('node_modules/') && isObject(e[1]),
  );
  const direct = workspaces.flatMap(([path, entry]) => [
    ...edges(path, entry),
    ...Object.keys(stringRecord(entry.devDependencies)).flatMap((name) => {
      const folder = resolveFolder(path, name, keyOfFolder);
      const key = folder === undefined ? undefined : keyOfFolder.get(folder);
      return key === undefined ? [] : [key];
    }),
  ]);
  return {
    file: file.path,
    kind: 'npm',
    ecosystem: 'npm',
    packages: [...found.values()],
    direct: [...new Set(direct)],
    // npm 7+ copies each package's `license`; a lockfile with none at all was written or trimmed otherwise.
    recordsLicenses: [...found.values()].some((p) => p.license !== undefined),
    ...projectOf(lock, root),
  };
}

/** npm marks dev-only folders `dev`, and `devOptional` for optional ones only dev tools need. */
const isDev = (entry: Json) => entry.dev === true || entry.devOptional === true;

function projectOf(lock: Json, root: Json): Pick<Lockfile, 'project'> {
  const name =
    typeof root.name === 'string' ? root.name : typeof lock.name === 'string' ? lock.name : undefined;
  if (name === undefined) return {};
  const version =
    typeof root.version === 'string'
      ? root.version
      : typeof lock.version === 'string'
        ? lock.version
        : undefined;
  return {
    project: {
      name,
      ...(version === undefined ? {} : { version }),
      ...(typeof root.license === 'string' ? { license: root.license } : {}),
    },
  };
}

/** lockfileVersion 1: nested `dependencies`, each with `requires` resolved up the nesting. */
function fromNested(file: SourceFile, lock: Json, dependencies: Json): Lockfile {
  const found = new Map<string, LockedPackage>();
  const keyLines = objectKeyLines(file.content);
  const direct: string[] = [];
  // Each scope maps a name to the key installed there; requires resolve in the innermost scope first.
  const walk = (deps: Json, scopes: ReadonlyMap<string, string>[], prefix: string, top: boolean) => {
    const scope = new Map<string, string>();
    for (const [name, entry] of Object.entries(deps)) {
      if (isObject(entry) && typeof entry.version === 'string' && !NOT_REGISTRY.test(entry.version))
        scope.set(name, packageKey(name, entry.version));
    }
    const inner = [scope, ...scopes];
    for (const [name, entry] of Object.entries(deps)) {
      const key = scope.get(name);
      if (!isObject(entry) || key === undefined) continue;
      if (top) direct.push(key);
      const path = `${prefix}node_modules/${name}`;
      const line = keyLines.get(name);
      const pkg = found.get(key) ?? {
        ecosystem: 'npm' as const,
        name,
        version: String(entry.version),
        file: file.path,
        ...(line ? { line } : {}),
        paths: [],
        ...(typeof entry.integrity === 'string' ? { integrity: entry.integrity } : {}),
        ...(entry.dev === true ? { dev: true } : {}),
      };
      pkg.paths?.push(path);
      const nested = isObject(entry.dependencies) ? entry.dependencies : {};
      const childScope = new Map<string, string>();
      for (const [child, value] of Object.entries(nested)) {
        if (isObject(value) && typeof value.version === 'string')
          childScope.set(child, packageKey(child, value.version));
      }
      const requires = Object.keys(stringRecord(entry.requires)).flatMap((required) => {
        const hit = [childScope, ...inner].find((s) => s.has(required))?.get(required);
        return hit === undefined ? [] : [hit];
      });
      pkg.dependsOn = [...new Set([...(pkg.dependsOn ?? []), ...requires])];
      found.set(key, pkg);
      if (Object.keys(nested).length > 0) walk(nested, inner, `${path}/`, false);
    }
  };
  walk(dependencies, [], '', true);
  return {
    file: file.path,
    kind: 'npm',
    ecosystem: 'npm',
    packages: [...found.values()],
    ...projectOf(lock, {}),
  };
}

export function readNpmLock(file: SourceFile): Lockfile {
  const parsed = jsonObject(file.content);
  const empty: Lockfile = { file: file.path, kind: 'npm', ecosystem: 'npm', packages: [] };
  if ('problem' in parsed) return { ...empty, problem: { message: parsed.problem } };
  const lock = parsed.value;
  if (isObject(lock.packages)) return fromPackages(file, lock, lock.packages);
  if (isObject(lock.dependencies)) return fromNested(file, lock, lock.dependencies);
  return {
    ...empty,
    problem: { message: 'neither `packages` (lockfileVersion 2, 3) nor `dependencies` (1)' },
  };
}
