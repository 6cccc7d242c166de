/**
 * composer.lock: `packages` and `packages-dev`, each with its licences (a
 * list: any of them applies), `require`s, dist checksum and `abandoned`
 * (Packagist's deprecation: `true` or the replacement's name).
 */
import { isObject, jsonObject, stringRecord } from './json.js';
import { type Lockfile, packageKey, type SourceFile } from './model.js';

/** The line of each `"name": "vendor/package"` in the file, by name. */
function nameLines(content: string): Map<string, number> {
  const lines = new Map<string, number>();
  content.split(/\r?\n/).forEach((raw, i) => {
    const m = /^\s*"name"\s*:\s*"([^"]+)"/.exec(raw);
    if (m?.[1] && !lines.has(m[1])) lines.set(m[1], i + 1);
  });
  return lines;
}

export function readComposerLock(file: SourceFile): Lockfile {
  const base: Lockfile = {
    file: file.path,
    kind: 'composer',
    ecosystem: 'Packagist',
    packages: [],
    recordsLicenses: true,
  };
  const parsed = jsonObject(file.content);
  if ('problem' in parsed) return { ...base, problem: { message: parsed.problem } };
  const lines = nameLines(file.content);
  const versions = new Map<string, string>();
  const requires = new Map<string, string[]>();
  for (const [section, dev] of [
    ['packages', false],
    ['packages-dev', true],
  ] as const) {
    const list = parsed.value[section];
    for (const entry of Array.isArray(list) ? list : []) {
      if (!isObject(entry) || typeof entry.name !== 'string' || typeof entry.version !== 'string') continue;
      const version = entry.version.replace(/^v(?=\d)/, '');
      const licenses = Array.isArray(entry.license) ? entry.license.filter((l) => typeof l === 'string') : [];
      const dist = isObject(entry.dist) ? entry.dist : {};
      const abandoned = entry.abandoned;
      const line = lines.get(entry.name);
      versions.set(entry.name.toLowerCase(), version);
      requires.set(packageKey(entry.name, version), Object.keys(stringRecord(entry.require)));
      base.packages.push({
        ecosystem: 'Packagist',
        name: entry.name,
        version,
        file: file.path,
        ...(line ? { line } : {}),
        ...(licenses.length === 1
          ? { license: licenses[0] }
          : licenses.length > 1
            ? { license: `(${licenses.join(' OR ')})` }
            : {}),
        ...(typeof dist.shasum === 'string' && dist.shasum !== ''
          ? { integrity: `sha1:${dist.shasum}` }
          : {}),
        ...(abandoned === true
          ? { deprecated: 'abandoned' }
          : typeof abandoned === 'string'
            ? { deprecated: `abandoned; use ${abandoned}` }
            : {}),
        ...(dev ? { dev: true } : {}),
      });
    }
  }
  for (const pkg of base.packages) {
    const dependsOn = (requires.get(packageKey(pkg.name, pkg.version)) ?? []).flatMap((name) => {
      const version = versions.get(name.toLowerCase());
      return version === undefined
        ? []
        : [
            packageKey(
              base.packages.find((p) => p.name.toLowerCase() === name.toLowerCase())?.name ?? name,
              version,
            ),
          ];
    });
    if (dependsOn.length > 0) pkg.dependsOn = dependsOn;
  }
  return base;
}
