/**
 * Dependency bumps read from the diff of a manifest or lockfile: a package
 * whose version line was removed and added again with another version. The
 * size of the bump follows SemVer: a different major is a breaking change;
 * below 1.0 the minor plays that part (0.4 → 0.5 may break, as npm's caret
 * ranges assume).
 */
import type { ChangedFile, DiffLine } from './model.js';
import { isLockfile, isManifest } from './paths.js';

export interface Bump {
  file: string;
  name: string;
  from: string;
  to: string;
  kind: 'major' | 'minor' | 'patch';
  /** The added line. */
  at: DiffLine;
}

const VERSION = String.raw`[~^=v<>! ]*(\d+(?:\.\d+){0,3}[\w.+-]*)`;

/** Package name and version from one manifest or lockfile line, in the common formats. */
const LINE_FORMS: readonly RegExp[] = [
  // package.json / composer.json: "name": "^1.2.3"
  new RegExp(String.raw`^\s*"(@?[\w./-]+)"\s*:\s*"${VERSION}"`),
  // requirements.txt / Pipfile: name==1.2.3, name>=1.2
  new RegExp(String.raw`^\s*([A-Za-z0-9][\w.-]*)(?:\[[\w,]+\])?\s*(?:==|>=|~=|===)\s*${VERSION}`),
  // go.mod: require line or block entry
  new RegExp(String.raw`^\s*(?:require\s+)?([\w.-]+\.[\w.-]+/[\w./-]+)\s+${VERSION}`),
  // Cargo.toml / pyproject (poetry): name = "1.2.3" or name = { version = "1.2.3" }
  new RegExp(String.raw`^\s*([\w-]+)\s*=\s*(?:\{[^}]*version\s*=\s*)?"${VERSION}"`),
  // Gemfile: gem 'name', '~> 1.2'
  new RegExp(String.raw`^\s*gem\s+['"]([\w-]+)['"]\s*,\s*['"]${VERSION}['"]`),
  // yarn.lock / Gemfile.lock entries are read through the manifests; pom.xml: <version> needs context, skipped.
];

/** Lines that carry versions of the project itself, not of a dependency. */
const NOT_DEPENDENCIES = new Set(['version', 'node', 'npm', 'python', 'go', 'edition', 'rust-version']);

function versionEntry(text: string): { name: string; version: string } | undefined {
  for (const form of LINE_FORMS) {
    const match = form.exec(text);
    if (match !== null && !NOT_DEPENDENCIES.has((match[1] as string).toLowerCase())) {
      return { name: match[1] as string, version: match[2] as string };
    }
  }
  return undefined;
}

function parts(version: string): number[] {
  return version
    .split(/[.+-]/)
    .slice(0, 3)
    .map((part) => Number.parseInt(part, 10))
    .map((n) => (Number.isNaN(n) ? 0 : n));
}

/** major when the first significant component changes (the minor below 1.0), minor, else patch. */
export function bumpKind(from: string, to: string): Bump['kind'] {
  const [fromMajor = 0, fromMinor = 0] = parts(from);
  const [toMajor = 0, toMinor = 0] = parts(to);
  if (fromMajor !== toMajor) return 'major';
  if (fromMajor === 0 && fromMinor !== toMinor) return 'major';
  if (fromMinor !== toMinor) return 'minor';
  return 'patch';
}

/** The bumps in one changed file (a manifest or lockfile with its diff lines). */
export function bumpsOf(file: ChangedFile): Bump[] {
  if (!file.hasPatch || !(isManifest(file.path) || isLockfile(file.path))) return [];
  const before = new Map<string, string>();
  for (const line of file.removed) {
    const entry = versionEntry(line.text);
    if (entry !== undefined && !before.has(entry.name)) before.set(entry.name, entry.version);
  }
  const bumps: Bump[] = [];
  const seen = new Set<string>();
  for (const line of file.added) {
    const entry = versionEntry(line.text);
    if (entry === undefined || seen.has(entry.name)) continue;
    const from = before.get(entry.name);
    if (from === undefined || from === entry.version) continue;
    seen.add(entry.name);
    bumps.push({
      file: file.path,
      name: entry.name,
      from,
      to: entry.version,
      kind: bumpKind(from, entry.version),
      at: line,
    });
  }
  return bumps;
}
