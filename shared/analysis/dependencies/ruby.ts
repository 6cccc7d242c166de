/**
 * Gemfile.lock: the `specs:` of each GEM source (`name (version)` at four
 * spaces, what it needs at six), and `DEPENDENCIES` — the gems the Gemfile
 * names, the direct ones. A platform suffix (`1.16.0-x86_64-linux`) is part
 * of the locked version as Bundler writes it; the version is what precedes it.
 */
import { type LockedPackage, type Lockfile, packageKey, type SourceFile } from './model.js';

export function readGemfileLock(file: SourceFile): Lockfile {
  const packages = new Map<string, LockedPackage>();
  const needs = new Map<string, string[]>();
  const versionOf = new Map<string, string>();
  const directNames: string[] = [];
  let section = '';
  let current: string | undefined;
  file.content.split(/\r?\n/).forEach((raw, i) => {
    if (/^[A-Z]/.test(raw)) {
      section = raw.trim();
      current = undefined;
      return;
    }
    const spec = /^ {4}([^\s(]+) \(([^)]+)\)$/.exec(raw);
    if ((section === 'GEM' || section === 'GIT' || section === 'PATH') && spec) {
      const name = spec[1] ?? '';
      const version = (spec[2] ?? '').replace(
        /-(?:x86|x64|arm|aarch|universal|java|mingw|mswin|darwin|linux)[\w.-]*$/,
        '',
      );
      const key = packageKey(name, version);
      current = key;
      versionOf.set(name, version);
      if (section === 'GEM' && !packages.has(key))
        packages.set(key, { ecosystem: 'RubyGems', name, version, file: file.path, line: i + 1 });
      return;
    }
    const need = /^ {6}([^\s(]+)/.exec(raw);
    if (need && current !== undefined) {
      needs.set(current, [...(needs.get(current) ?? []), need[1] ?? '']);
      return;
    }
    const dependency = /^ {2}([^\s(!]+)/.exec(raw);
    if (section === 'DEPENDENCIES' && dependency) directNames.push(dependency[1] ?? '');
  });
  const keyOfName = (name: string) => {
    const version = versionOf.get(name);
    const key = version === undefined ? undefined : packageKey(name, version);
    return key !== undefined && packages.has(key) ? [key] : [];
  };
  for (const [key, names] of needs) {
    const pkg = packages.get(key);
    const dependsOn = names.flatMap(keyOfName);
    if (pkg && dependsOn.length > 0) pkg.dependsOn = dependsOn;
  }
  return {
    file: file.path,
    kind: 'bundler',
    ecosystem: 'RubyGems',
    packages: [...packages.values()],
    direct: directNames.flatMap(keyOfName),
  };
}
