/**
 * Unused `dependencies` of a package.json, judged only when sources under
 * its folder are given. A dependency is used when a source imports it
 * (`import`, `export … from`, `require`, dynamic `import()`,
 * `require.resolve`, a `/// <reference types>`), when a file names it in
 * quotes (a preset, plugin or driver loaded by name), when a script or
 * command file runs it (its own name or, scoped, its last part — the usual
 * bin name), when a used dependency needs it installed beside it (peers and
 * what the lockfile says it depends on), or when it is an `@types/` package
 * of something imported. ESLint, Babel, Prettier and Stylelint plugins also
 * count under their short names. devDependencies are left alone: build and
 * test tools are run, not imported.
 */
import { dirname } from 'node:path';
import { jsonObject, stringRecord } from '../../analysis/dependencies/json.js';
import { lockfileKind } from '../../analysis/dependencies/lockfiles.js';
import type { Lockfile } from '../../analysis/dependencies/model.js';
import type { Finding, SourceFile } from '../contract.js';
import { textCorpus } from './references.js';
import { DEPENDENCY_ANALYZER_RULES as RULES } from './rules.js';

const JS_SOURCE = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/i;
/** Loaded by compilers and bundlers, never imported by name. */
const IMPLICIT = new Set([
  'typescript',
  'tslib',
  '@babel/runtime',
  'core-js',
  'regenerator-runtime',
  '@swc/helpers',
]);

const IMPORT_PATTERNS = [
  /\b(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\b(?:require|require\.resolve|import)\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
  /\/\/\/\s*<reference\s+types\s*=\s*['"]([^'"]+)['"]/g,
];

/** The package a module specifier names (`@scope/name/sub` → `@scope/name`); undefined for relative and built-in ones. */
export function packageOfSpecifier(specifier: string): string | undefined {
  if (/^(?:\.|\/|#|node:|[a-z]+:)/.test(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export function importedPackages(content: string): Set<string> {
  const found = new Set<string>();
  for (const pattern of IMPORT_PATTERNS) {
    for (const m of content.matchAll(pattern)) {
      const name = m[1] === undefined ? undefined : packageOfSpecifier(m[1]);
      if (name) found.add(name);
    }
  }
  return found;
}

/** The names a plugin package is also written as in its tool's configuration. */
function shortNames(name: string): string[] {
  const m =
    /^(@[^/]+\/)?(?:eslint-plugin|eslint-config|prettier-plugin|babel-plugin|babel-preset|stylelint-config|stylelint-plugin)(?:-(.+))?$/.exec(
      name,
    );
  if (!m) return [];
  const scope = m[1]?.slice(0, -1);
  if (m[2] === undefined) return scope ? [scope] : [];
  return [scope ? `${scope}/${m[2]}` : m[2]];
}

/** The package an `@types/` package types: `@types/babel__core` → `@babel/core`. */
const typedPackage = (name: string) => {
  const bare = name.slice('@types/'.length);
  return bare.includes('__') ? `@${bare.replace('__', '/')}` : bare;
};

/** Line of each key of the top-level `dependencies` object of a package.json. */
function dependencyLines(content: string): Map<string, number> {
  const lines = new Map<string, number>();
  let inside = false;
  content.split(/\r?\n/).forEach((raw, i) => {
    if (!inside) {
      inside = /^\s{0,4}"dependencies"\s*:\s*\{/.test(raw);
      return;
    }
    if (/^\s*\}/.test(raw)) {
      inside = false;
      return;
    }
    const m = /^\s*"([^"]+)"\s*:/.exec(raw);
    if (m?.[1] && !lines.has(m[1])) lines.set(m[1], i + 1);
  });
  return lines;
}

const within = (dir: string, path: string) => dir === '.' || dir === '' || path.startsWith(`${dir}/`);

export function unusedJsDependencies(
  files: readonly SourceFile[],
  lockfiles: readonly Lockfile[],
): Finding[] {
  const findings: Finding[] = [];
  for (const manifest of files.filter((f) => /(?:^|\/)package\.json$/.test(f.path))) {
    const parsed = jsonObject(manifest.content);
    if ('problem' in parsed) continue;
    const dir = dirname(manifest.path);
    const sources = files.filter(
      (f) => JS_SOURCE.test(f.path) && within(dir, f.path) && !/(?:^|\/)node_modules\//.test(f.path),
    );
    if (sources.length === 0) continue;
    const declared = Object.keys(stringRecord(parsed.value.dependencies));
    const imported = new Set(sources.flatMap((f) => [...importedPackages(f.content)]));
    const { dependencies: _deps, devDependencies: _dev, ...rest } = parsed.value;
    const others = files.filter(
      (f) => f !== manifest && lockfileKind(f.path) === undefined && !/\.osv\.json$/i.test(f.path),
    );
    const scripts = Object.values(stringRecord(parsed.value.scripts));
    const corpus = textCorpus([...others, { path: manifest.path, content: JSON.stringify(rest) }], scripts);
    const lock = lockfiles.find((l) => l.ecosystem === 'npm' && dirname(l.file) === dir);
    const used = (name: string): boolean =>
      imported.has(name) ||
      IMPLICIT.has(name) ||
      corpus.quoted(name) ||
      corpus.commandWord(name) ||
      (name.startsWith('@') && corpus.commandWord(name.split('/')[1] ?? name)) ||
      shortNames(name).some((short) => corpus.quoted(short)) ||
      (name.startsWith('@types/') && (typedPackage(name) === 'node' || imported.has(typedPackage(name))));
    const direct = declared.filter(used);
    const needed = neededBy(direct, lock);
    const lines = dependencyLines(manifest.content);
    for (const name of declared) {
      if (used(name) || needed.has(name)) continue;
      const line = lines.get(name);
      findings.push(
        RULES.finding('DEPS-UNUSED', {
          message: `${name} is declared in ${manifest.path} dependencies, but none of the ${sources.length} source files given imports it and no configuration or script names it.`,
          resource: { kind: 'Dependency', name, file: manifest.path, ...(line ? { line } : {}) },
          evidence: { manifest: manifest.path, sourcesRead: sources.length, ecosystem: 'npm' },
        }),
      );
    }
  }
  return findings;
}

/** The names the used direct dependencies need installed (lockfile edges, peers included), transitively. */
function neededBy(used: readonly string[], lock: Lockfile | undefined): Set<string> {
  const needed = new Set<string>();
  if (lock === undefined) return needed;
  const byName = new Map(lock.packages.map((p) => [p.name, p]));
  const byKey = new Map(lock.packages.map((p) => [`${p.name}@${p.version}`, p]));
  const stack = used.flatMap((name) => byName.get(name)?.dependsOn ?? []);
  for (let key = stack.pop(); key !== undefined; key = stack.pop()) {
    const pkg = byKey.get(key);
    if (pkg === undefined || needed.has(pkg.name)) continue;
    needed.add(pkg.name);
    stack.push(...(pkg.dependsOn ?? []));
  }
  return needed;
}
