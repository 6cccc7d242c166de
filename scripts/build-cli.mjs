/**
 * Builds the compiled CLI into dist/ (`npm run build`; `prepare` runs it after `npm ci`,
 * `prepack` before `npm pack`), and rebuilds it for bin/aiops.mjs when a source changed.
 *
 * Layout:
 *   dist/<build>/aiops.mjs, agent-worker.mjs, chunk-*.mjs  one build: ESM, split at every
 *       dynamic import() so a command loads only its own code; node_modules stay external.
 *   dist/manifest.json  { build, sources }: the current build, and every local file it was
 *       made from with its size and mtime, so the launcher can tell in a few ms whether the
 *       build is still the sources' (`isFresh`).
 *   dist/aiops.mjs  a stable entry (Dockerfile, `node dist/aiops.mjs`) that runs the current build.
 *
 * A build is written beside the others under a new name and then named current by replacing
 * manifest.json in one rename, so processes starting (or lazily loading a chunk) while another
 * rebuilds never see half a build. `npm run build` removes the older builds; a rebuild by the
 * launcher keeps the two before it for processes still running from them.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const BUILD_PREFIX = 'cli-';

/**
 * Files the build depends on besides its local inputs: how it is built, and which versions of
 * the bundled packages are installed (npm rewrites node_modules/.package-lock.json on every install).
 */
const BUILD_FILES = [
  'scripts/build-cli.mjs',
  'tsconfig.json',
  'package.json',
  'package-lock.json',
  'node_modules/.package-lock.json',
];

/**
 * Packages compiled into the build rather than loaded from node_modules at run time: the small
 * pure-JavaScript ones every analysis loads, made of dozens of files each (zod ~95, yaml ~70,
 * semver ~50), whose one-by-one resolution and loading is most of a cold start. Everything
 * else stays in node_modules: SDKs, database drivers, WASM and native code, the TypeScript compiler.
 */
const BUNDLED = new Set([
  'commander',
  'zod',
  'yaml',
  'semver',
  'smol-toml',
  '@renovatebot/pep440',
  'csv-parse',
  'dockerfile-ast',
  'vscode-languageserver-textdocument',
  'vscode-languageserver-types',
]);

/** The package a bare import names (`@scope/name/sub` → `@scope/name`), or undefined for a path. */
function packageOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:'))
    return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** esbuild plugin: packages not in BUNDLED (and Node's own modules) stay external imports. */
const externals = {
  name: 'aiops-externals',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = packageOf(args.path);
      if (name === undefined || BUNDLED.has(name)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** Bundled CommonJS packages call require() for Node's modules; ESM output has no require of its own. */
const REQUIRE_BANNER =
  "import { createRequire as __aiopsCreateRequire } from 'node:module'; const require = __aiopsCreateRequire(import.meta.url);";

const STABLE_ENTRY = `// Runs the current build of the CLI (scripts/build-cli.mjs writes this file and manifest.json).
import { readFileSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
// Compiled code cached on disk for the next start (as bin/aiops.mjs does); skipped where not writable.
enableCompileCache?.();
const { build } = JSON.parse(readFileSync(new URL('./manifest.json', import.meta.url), 'utf8'));
await import(new URL(\`./\${build}/aiops.mjs\`, import.meta.url).href);
`;

/** Files changed this close to a build's start may have changed while esbuild read them. */
const SETTLE_MS = 2000;

/**
 * [path relative to the root, size, mtime in ms] of each file. A file modified after
 * `started - SETTLE_MS` is recorded with mtime -1: the build may hold its previous text, so
 * the next launch rebuilds rather than trust it.
 */
async function fingerprint(files, started) {
  return Promise.all(
    files.map(async (file) => {
      const info = await stat(join(ROOT, file)).catch(() => undefined);
      if (info === undefined) return [file, null, null];
      return [file, info.size, info.mtimeMs > started - SETTLE_MS ? -1 : info.mtimeMs];
    }),
  );
}

/** Whether every file of a manifest still has the size and mtime it had at build time (sync: a few ms). */
export function isFresh(manifest, statSync, root = ROOT) {
  if (!Array.isArray(manifest?.sources) || manifest.sources.length === 0) return false;
  for (const [file, size, mtimeMs] of manifest.sources) {
    const info = statSync(join(root, file), { throwIfNoEntry: false });
    // A file absent at build time (size null) must still be absent.
    if (info === undefined ? size !== null : info.size !== size || info.mtimeMs !== mtimeMs) return false;
  }
  return true;
}

async function writeAtomically(path, content) {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode: 0o644 });
  await rename(temporary, path);
}

/** Removes builds other than `keep`: all of them (`clean`), or all but the `spare` most recent. */
async function prune(keep, { clean, spare = 2 }) {
  const entries = await readdir(DIST, { withFileTypes: true });
  const builds = await Promise.all(
    entries
      .filter((e) => e.isDirectory() && e.name.startsWith(BUILD_PREFIX) && e.name !== keep)
      .map(async (e) => ({ name: e.name, mtimeMs: (await stat(join(DIST, e.name))).mtimeMs })),
  );
  builds.sort((a, b) => b.mtimeMs - a.mtimeMs);
  // A process started from an older build may still load chunks from it: one not current for 10 min is done.
  const removed = clean ? builds : builds.slice(spare).filter((b) => b.mtimeMs < Date.now() - 10 * 60_000);
  await Promise.all(removed.map((b) => rm(join(DIST, b.name), { recursive: true, force: true })));
  // Leftovers of the layout before builds had directories of their own.
  if (clean) {
    await Promise.all(
      entries
        .filter((e) => e.isFile() && /^(agent-worker|aiops)\.mjs\.map$|^agent-worker\.mjs$/.test(e.name))
        .map((e) => rm(join(DIST, e.name), { force: true })),
    );
  }
}

/**
 * Builds the CLI and makes it current; returns the manifest. `clean` removes every older
 * build (a build from the command line); otherwise the two most recent stay. `quiet`: errors
 * are thrown, not printed (the launcher falls back to tsx, which reports them).
 */
export async function buildCli({ clean = false, quiet = false } = {}) {
  const esbuild = await import('esbuild');
  const started = Date.now();
  await mkdir(DIST, { recursive: true });
  const staging = join(DIST, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: {
        aiops: 'bin/aiops.ts',
        'agent-worker': 'shared/runtime/pool/agent-worker.ts',
      },
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      plugins: [externals],
      banner: { js: REQUIRE_BANNER },
      sourcemap: 'linked',
      outdir: staging,
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunk-[hash]',
      metafile: true,
      logLevel: quiet ? 'silent' : 'error',
    });
    // Bundled packages change only with an install (BUILD_FILES); their files need no check each.
    const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/'));
    const sources = await fingerprint([...new Set([...inputs, ...BUILD_FILES])].sort(), started);
    const outputs = Object.keys(result.metafile.outputs)
      .map((f) => relative(staging, join(ROOT, f)))
      .sort();
    const build = `${BUILD_PREFIX}${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    await rename(staging, join(DIST, build));
    await writeAtomically(join(DIST, 'aiops.mjs'), STABLE_ENTRY);
    const manifest = { build, sources, outputs };
    await writeAtomically(join(DIST, 'manifest.json'), `${JSON.stringify(manifest)}\n`);
    await prune(build, { clean });
    return manifest;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * From the command line: `node scripts/build-cli.mjs`. With `--if-sources` (the `prepare`
 * script) it does nothing where there is nothing to build: no sources yet (a Docker layer that
 * installs before copying them) or no esbuild (`npm ci --omit=dev`).
 */
async function main(argv) {
  if (argv.includes('--if-sources')) {
    const sources = await stat(join(ROOT, 'bin', 'aiops.ts')).catch(() => undefined);
    const esbuild = await import('esbuild').catch(() => undefined);
    if (sources === undefined || esbuild === undefined) {
      process.stdout.write('build-cli: no sources or no esbuild here; the CLI is not compiled\n');
      return;
    }
  }
  const started = performance.now();
  const manifest = await buildCli({ clean: true });
  process.stdout.write(
    `build-cli: dist/${manifest.build} (${manifest.outputs.length} files from ${manifest.sources.length} sources) in ${Math.round(performance.now() - started)} ms\n`,
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main(process.argv.slice(2));
}
