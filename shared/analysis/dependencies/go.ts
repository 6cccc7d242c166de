/**
 * go.sum (the modules whose code is in the build: lines with a `/go.mod`
 * hash only are left out) and go.mod (its `require`s: the direct ones are
 * those without `// indirect`; its modules are the packages when no go.sum
 * is given beside it).
 */
import { type LockedPackage, type Lockfile, packageKey, type SourceFile } from './model.js';

export function readGoSum(file: SourceFile): Lockfile {
  const found = new Map<string, LockedPackage>();
  file.content.split(/\r?\n/).forEach((raw, i) => {
    const m = /^(\S+)\s+(v\S+?)(\/go\.mod)?\s+h1:/.exec(raw.trim());
    if (!m || m[3] !== undefined) return;
    const key = packageKey(m[1] ?? '', m[2] ?? '');
    if (!found.has(key))
      found.set(key, {
        ecosystem: 'Go',
        name: m[1] ?? '',
        version: m[2] ?? '',
        file: file.path,
        line: i + 1,
      });
  });
  return { file: file.path, kind: 'gosum', ecosystem: 'Go', packages: [...found.values()] };
}

export function readGoMod(file: SourceFile): Lockfile {
  const packages: LockedPackage[] = [];
  const direct: string[] = [];
  let block = false;
  let module: string | undefined;
  file.content.split(/\r?\n/).forEach((raw, i) => {
    const indirect = /\/\/\s*indirect\b/.test(raw);
    const line = raw.replace(/\/\/.*$/, '').trim();
    module ??= /^module\s+(\S+)$/.exec(line)?.[1];
    if (/^require\s*\($/.test(line)) {
      block = true;
      return;
    }
    if (block && line === ')') {
      block = false;
      return;
    }
    const m = (block ? /^(\S+)\s+(v\S+)$/ : /^require\s+(\S+)\s+(v\S+)$/).exec(line);
    if (!m) return;
    const name = m[1] ?? '';
    const version = m[2] ?? '';
    packages.push({ ecosystem: 'Go', name, version, file: file.path, line: i + 1 });
    if (!indirect) direct.push(packageKey(name, version));
  });
  return {
    file: file.path,
    kind: 'gomod',
    ecosystem: 'Go',
    packages,
    direct,
    ...(module === undefined ? {} : { project: { name: module } }),
  };
}
