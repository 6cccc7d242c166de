/**
 * The one place that knows lockfiles by name and reads them: each format's
 * reader (./npm.ts, ./yarn.ts, ./pnpm.ts, ./python.ts, ./toml-lock.ts,
 * ./go.ts, ./jvm.ts, ./ruby.ts, ./composer.ts) returns the same Lockfile
 * model (./model.ts). A go.mod beside a go.sum is read for its direct
 * requirements only: go.sum names every module whose code is in the build.
 */
import { basename, dirname } from 'node:path';
import { readComposerLock } from './composer.js';
import { readGoMod, readGoSum } from './go.js';
import { readGradleLock, readPom } from './jvm.js';
import type { LockedPackage, Lockfile, SourceFile } from './model.js';
import { readNpmLock } from './npm.js';
import { readPnpmLock } from './pnpm.js';
import { readPipfileLock, readRequirements } from './python.js';
import { readGemfileLock } from './ruby.js';
import { readTomlLock } from './toml-lock.js';
import { readYarnLock } from './yarn.js';

export type LockfileKind =
  | 'npm'
  | 'yarn'
  | 'pnpm'
  | 'requirements'
  | 'poetry'
  | 'uv'
  | 'pipfile'
  | 'cargo'
  | 'gosum'
  | 'gomod'
  | 'maven'
  | 'gradle'
  | 'bundler'
  | 'composer';

const BY_NAME: Readonly<Record<string, LockfileKind>> = {
  'package-lock.json': 'npm',
  'npm-shrinkwrap.json': 'npm',
  'yarn.lock': 'yarn',
  'pnpm-lock.yaml': 'pnpm',
  'poetry.lock': 'poetry',
  'uv.lock': 'uv',
  'pipfile.lock': 'pipfile',
  'cargo.lock': 'cargo',
  'go.sum': 'gosum',
  'go.mod': 'gomod',
  'pom.xml': 'maven',
  'gradle.lockfile': 'gradle',
  'gemfile.lock': 'bundler',
  'composer.lock': 'composer',
};

/** The lockfile kind of a path, or undefined. */
export function lockfileKind(path: string): LockfileKind | undefined {
  const name = basename(path).toLowerCase();
  if (/^requirements.*\.txt$|^constraints.*\.txt$/.test(name)) return 'requirements';
  // Gradle also writes per-configuration lockfiles under gradle/dependency-locks/.
  if (name.endsWith('.lockfile') && path.includes('dependency-locks/')) return 'gradle';
  return BY_NAME[name];
}

function readOne(file: SourceFile, kind: LockfileKind): Lockfile {
  switch (kind) {
    case 'npm':
      return readNpmLock(file);
    case 'yarn':
      return readYarnLock(file);
    case 'pnpm':
      return readPnpmLock(file);
    case 'requirements':
      return readRequirements(file);
    case 'poetry':
    case 'uv':
    case 'cargo':
      return readTomlLock(file, kind);
    case 'pipfile':
      return readPipfileLock(file);
    case 'gosum':
      return readGoSum(file);
    case 'gomod':
      return readGoMod(file);
    case 'maven':
      return readPom(file);
    case 'gradle':
      return readGradleLock(file);
    case 'bundler':
      return readGemfileLock(file);
    case 'composer':
      return readComposerLock(file);
  }
}

/** Every lockfile among the files, read; a go.mod beside a go.sum gives only the direct modules. */
export function readLockfiles(files: readonly SourceFile[]): Lockfile[] {
  const goSumDirs = new Set(
    files.filter((f) => lockfileKind(f.path) === 'gosum').map((f) => dirname(f.path)),
  );
  const read = files.flatMap((file) => {
    const kind = lockfileKind(file.path);
    return kind === undefined ? [] : [readOne(file, kind)];
  });
  for (const mod of read.filter((l) => l.kind === 'gomod' && goSumDirs.has(dirname(l.file)))) {
    const sum = read.find((l) => l.kind === 'gosum' && dirname(l.file) === dirname(mod.file));
    if (sum) {
      sum.direct = mod.direct ?? [];
      if (mod.project) sum.project = mod.project;
    }
    mod.packages = [];
  }
  return read;
}

/** The locked packages of every lockfile among the files (for advisory matching). */
export function lockedPackages(files: readonly SourceFile[]): LockedPackage[] {
  return readLockfiles(files).flatMap((lockfile) => lockfile.packages);
}
