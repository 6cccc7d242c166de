/**
 * requirements*.txt (pinned `==` lines are locked packages; every named line
 * is a declared dependency, for the unused check) and Pipfile.lock.
 */
import { isObject, jsonObject, objectKeyLines } from './json.js';
import type { LockedPackage, Lockfile, SourceFile } from './model.js';

/** A requirement line's distribution name and pinned version, comments and options left out. */
export function requirementLines(content: string): { name: string; version?: string; line: number }[] {
  const found: { name: string; version?: string; line: number }[] = [];
  content.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(?:^|\s)#.*$/, '').trim();
    if (line === '' || line.startsWith('-')) return; // -r, -c, -e, --index-url
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?:(===?)\s*([^\s;,\\]+))?/.exec(line);
    if (!m?.[1]) return;
    found.push({ name: m[1], ...(m[2] && m[3] ? { version: m[3] } : {}), line: i + 1 });
  });
  return found;
}

export function readRequirements(file: SourceFile): Lockfile {
  const packages: LockedPackage[] = requirementLines(file.content).flatMap(({ name, version, line }) =>
    version === undefined ? [] : [{ ecosystem: 'PyPI' as const, name, version, file: file.path, line }],
  );
  return {
    file: file.path,
    kind: 'requirements',
    ecosystem: 'PyPI',
    packages,
    direct: packages.map((p) => `${p.name}@${p.version}`),
  };
}

export function readPipfileLock(file: SourceFile): Lockfile {
  const base: Lockfile = { file: file.path, kind: 'pipfile', ecosystem: 'PyPI', packages: [] };
  const parsed = jsonObject(file.content);
  if ('problem' in parsed) return { ...base, problem: { message: parsed.problem } };
  const keyLines = objectKeyLines(file.content);
  for (const section of ['default', 'develop']) {
    const deps = parsed.value[section];
    if (!isObject(deps)) continue;
    for (const [name, entry] of Object.entries(deps)) {
      if (!isObject(entry) || typeof entry.version !== 'string') continue;
      const version = entry.version.replace(/^===?/, '');
      const line = keyLines.get(name);
      base.packages.push({
        ecosystem: 'PyPI',
        name,
        version,
        file: file.path,
        ...(line ? { line } : {}),
        ...(section === 'develop' ? { dev: true } : {}),
      });
    }
  }
  return base;
}
