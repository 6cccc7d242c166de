/**
 * yarn.lock, both formats. Classic (v1) is yarn's own indented format: a
 * header of comma-separated descriptors (`lodash@^4.17.0, lodash@^4.17.21:`)
 * over `version`, `integrity` and `dependencies`. Berry (v2+) is YAML with
 * `__metadata`, npm descriptors (`lodash@npm:^4.17.21`), a `resolution`, and
 * the workspaces as entries of their own — the project, whose dependencies
 * are the direct ones. A dependency resolves through its descriptor
 * `name@range` to the entry that lists it.
 */
import { parseWithLines } from '../documents/structured.js';
import { isObject, stringRecord } from './json.js';
import { type LockedPackage, type Lockfile, packageKey, type SourceFile } from './model.js';

/** The package name of a descriptor: all before the last `@` that is not the first character. */
export function descriptorName(descriptor: string): string {
  const at = descriptor.lastIndexOf('@');
  return at > 0 ? descriptor.slice(0, at) : descriptor;
}

const unquote = (s: string) => s.trim().replace(/^"(.*)"$/, '$1');

interface Block {
  descriptors: string[];
  line: number;
  fields: Map<string, string>;
  dependencies: Map<string, string>;
}

/** Classic yarn.lock blocks: header descriptors, the 2-space fields, the 4-space dependency lines. */
function classicBlocks(content: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  let inDependencies = false;
  content.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '' || raw.startsWith('#')) return;
    if (!raw.startsWith(' ')) {
      const header = raw.replace(/:\s*$/, '');
      current = {
        descriptors: header.split(',').map(unquote),
        line: i + 1,
        fields: new Map(),
        dependencies: new Map(),
      };
      blocks.push(current);
      inDependencies = false;
      return;
    }
    if (current === undefined) return;
    const indent = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (indent <= 2) {
      inDependencies = /^(?:dependencies|optionalDependencies):$/.test(text);
      const m = /^("?[^"\s]+"?)\s+(.+)$/.exec(text);
      if (m && !inDependencies) current.fields.set(unquote(m[1] ?? ''), unquote(m[2] ?? ''));
    } else if (inDependencies) {
      const m = /^("?[^"\s]+"?)\s+(.+)$/.exec(text);
      if (m) current.dependencies.set(unquote(m[1] ?? ''), unquote(m[2] ?? ''));
    }
  });
  return blocks;
}

function readClassic(file: SourceFile): Lockfile {
  const blocks = classicBlocks(file.content);
  const byDescriptor = new Map<string, string>();
  const packages = new Map<string, LockedPackage>();
  const edges = new Map<string, Map<string, string>>();
  for (const block of blocks) {
    const version = block.fields.get('version');
    const first = block.descriptors[0];
    if (version === undefined || first === undefined) continue;
    const name = descriptorName(first);
    const key = packageKey(name, version);
    for (const d of block.descriptors) byDescriptor.set(d, key);
    const integrity = block.fields.get('integrity');
    if (!packages.has(key))
      packages.set(key, {
        ecosystem: 'npm',
        name,
        version,
        file: file.path,
        line: block.line,
        ...(integrity === undefined ? {} : { integrity }),
      });
    edges.set(key, new Map([...(edges.get(key) ?? []), ...block.dependencies]));
  }
  for (const [key, deps] of edges) {
    const pkg = packages.get(key);
    if (pkg === undefined) continue;
    const dependsOn = [...deps].flatMap(([name, range]) => {
      const hit = byDescriptor.get(`${name}@${range}`);
      return hit === undefined ? [] : [hit];
    });
    if (dependsOn.length > 0) pkg.dependsOn = [...new Set(dependsOn)];
  }
  return { file: file.path, kind: 'yarn', ecosystem: 'npm', packages: [...packages.values()] };
}

function readBerry(file: SourceFile): Lockfile {
  const base: Lockfile = { file: file.path, kind: 'yarn', ecosystem: 'npm', packages: [] };
  const parsed = parseWithLines(file.content);
  if ('error' in parsed)
    return { ...base, problem: { message: parsed.error, ...(parsed.line ? { line: parsed.line } : {}) } };
  if (!isObject(parsed.value)) return { ...base, problem: { message: 'the file is not a YAML mapping' } };
  const byDescriptor = new Map<string, string>();
  const packages = new Map<string, LockedPackage>();
  const dependencies = new Map<string, Record<string, string>>();
  const workspaces: Record<string, string>[] = [];
  let project: Lockfile['project'];
  for (const [header, entry] of Object.entries(parsed.value)) {
    if (header === '__metadata' || !isObject(entry) || typeof entry.version !== 'string') continue;
    const descriptors = header.split(',').map((d) => d.trim());
    const resolution = typeof entry.resolution === 'string' ? entry.resolution : (descriptors[0] ?? '');
    const name = descriptorName(resolution);
    const deps = stringRecord(entry.dependencies);
    if (resolution.includes('@workspace:')) {
      if (resolution.endsWith('@workspace:.')) project = { name, version: entry.version };
      workspaces.push(deps);
      continue;
    }
    const key = packageKey(name, entry.version);
    for (const d of descriptors) byDescriptor.set(d, key);
    if (!packages.has(key)) {
      const line = parsed.lineOf([header]);
      packages.set(key, {
        ecosystem: 'npm',
        name,
        version: entry.version,
        file: file.path,
        ...(line ? { line } : {}),
      });
    }
    dependencies.set(key, { ...dependencies.get(key), ...deps });
  }
  const resolve = (deps: Record<string, string>) =>
    Object.entries(deps).flatMap(([name, range]) => {
      const hit = byDescriptor.get(`${name}@${range}`) ?? byDescriptor.get(`${name}@npm:${range}`);
      return hit === undefined ? [] : [hit];
    });
  for (const [key, deps] of dependencies) {
    const pkg = packages.get(key);
    const dependsOn = [...new Set(resolve(deps))];
    if (pkg && dependsOn.length > 0) pkg.dependsOn = dependsOn;
  }
  const direct = [...new Set(workspaces.flatMap(resolve))];
  return {
    ...base,
    packages: [...packages.values()],
    ...(direct.length > 0 ? { direct } : {}),
    ...(project === undefined ? {} : { project }),
  };
}

export function readYarnLock(file: SourceFile): Lockfile {
  return /^__metadata:/m.test(file.content) ? readBerry(file) : readClassic(file);
}
