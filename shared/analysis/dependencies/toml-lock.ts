/**
 * The `[[package]]` lockfiles in TOML, read by smol-toml: poetry.lock and
 * uv.lock (PyPI), Cargo.lock (crates.io). TOML keeps no positions, so each
 * package's line is the `name =` line under the n-th `[[package]]` header,
 * found when the headers and the parsed packages agree in number. The
 * project's own packages (uv's virtual or editable root, Cargo's workspace
 * members without a `source`) are the project, not dependencies: their
 * dependencies are the direct ones.
 */
import { parse as parseToml } from 'smol-toml';
import { splitLines } from '../source/files.js';
import { isObject, type Json } from './json.js';
import { type LockedPackage, type Lockfile, packageKey, type SourceFile } from './model.js';
import { type Ecosystem, normalisePackageName } from './versions.js';

export type TomlLockKind = 'poetry' | 'uv' | 'cargo';

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

interface Entry {
  entry: Json;
  name: string;
  version: string;
  line?: number;
}

/** The names (and versions, when given) an entry depends on, as its format writes them. */
function dependencyRefs(kind: TomlLockKind, entry: Json): { name: string; version?: string }[] {
  if (kind === 'poetry')
    return isObject(entry.dependencies) ? Object.keys(entry.dependencies).map((name) => ({ name })) : [];
  if (kind === 'cargo') {
    const deps = Array.isArray(entry.dependencies) ? entry.dependencies : [];
    return deps.flatMap((dep) => {
      if (typeof dep !== 'string') return [];
      const [name = '', version] = dep.split(' ');
      return [{ name, ...(version === undefined ? {} : { version }) }];
    });
  }
  const groups = [
    entry.dependencies,
    ...(isObject(entry['dev-dependencies']) ? Object.values(entry['dev-dependencies']) : []),
  ];
  return groups.flatMap((group) =>
    (Array.isArray(group) ? group : []).flatMap((dep) =>
      isObject(dep) && typeof dep.name === 'string'
        ? [{ name: dep.name, ...(typeof dep.version === 'string' ? { version: dep.version } : {}) }]
        : [],
    ),
  );
}

/** The project's own entries: uv's `source = { virtual | editable = "." }`, Cargo's entries without a source. */
function isProjectEntry(kind: TomlLockKind, entry: Json): boolean {
  if (kind === 'cargo') return entry.source === undefined;
  if (kind === 'uv')
    return (
      isObject(entry.source) && (entry.source.virtual !== undefined || entry.source.editable !== undefined)
    );
  return false;
}

function integrityOf(kind: TomlLockKind, entry: Json): string | undefined {
  return kind === 'cargo' && typeof entry.checksum === 'string' ? `sha256:${entry.checksum}` : undefined;
}

export function readTomlLock(file: SourceFile, kind: TomlLockKind): Lockfile {
  const ecosystem: Ecosystem = kind === 'cargo' ? 'crates.io' : 'PyPI';
  const base: Lockfile = { file: file.path, kind, ecosystem, packages: [] };
  let lock: Json;
  try {
    lock = parseToml(file.content);
  } catch (error) {
    const line = (error as { line?: unknown }).line;
    return {
      ...base,
      problem: {
        message: `invalid TOML: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`,
        ...(typeof line === 'number' ? { line } : {}),
      },
    };
  }
  const raw = Array.isArray(lock.package) ? lock.package : [];
  const lines = packageNameLines(file.content);
  const entries: Entry[] = raw.flatMap((entry, i) => {
    if (!isObject(entry) || typeof entry.name !== 'string' || typeof entry.version !== 'string') return [];
    const line = lines.length === raw.length ? lines[i] : undefined;
    return [{ entry, name: entry.name, version: entry.version, ...(line ? { line } : {}) }];
  });
  const byName = new Map<string, Entry[]>();
  const norm = (name: string) => normalisePackageName(ecosystem, name);
  for (const e of entries) byName.set(norm(e.name), [...(byName.get(norm(e.name)) ?? []), e]);
  const resolve = (ref: { name: string; version?: string }) => {
    const candidates = byName.get(norm(ref.name)) ?? [];
    const hit =
      candidates.find((c) => ref.version === undefined || c.version === ref.version) ?? candidates[0];
    return hit === undefined ? [] : [packageKey(hit.name, hit.version)];
  };
  const packages: LockedPackage[] = [];
  const direct = new Set<string>();
  let project: Lockfile['project'];
  for (const { entry, name, version, line } of entries) {
    const dependsOn = [...new Set(dependencyRefs(kind, entry).flatMap(resolve))];
    if (isProjectEntry(kind, entry)) {
      project ??= { name, version };
      for (const key of dependsOn) direct.add(key);
      continue;
    }
    const integrity = integrityOf(kind, entry);
    packages.push({
      ecosystem,
      name,
      version,
      file: file.path,
      ...(line ? { line } : {}),
      ...(integrity === undefined ? {} : { integrity }),
      ...(kind === 'poetry' && entry.category === 'dev' ? { dev: true } : {}),
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
    });
  }
  return {
    ...base,
    packages,
    ...(direct.size > 0 ? { direct: [...direct] } : {}),
    ...(project === undefined ? {} : { project }),
  };
}
