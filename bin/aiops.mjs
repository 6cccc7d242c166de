#!/usr/bin/env node
/**
 * The `aiops` command as installed (package.json "bin"): works from any
 * directory, because everything it loads is resolved from this file, never
 * from the current directory.
 *
 * - In a checkout (the TypeScript sources are here): runs the compiled build in
 *   ../dist (scripts/build-cli.mjs; `npm ci` makes it) when it was made from the
 *   sources as they are now — every source's size and mtime match the build's
 *   manifest, a check of a few ms. Otherwise it rebuilds first (esbuild, about a
 *   second), so an edit is live at once and a stale build never runs; if the
 *   rebuild fails (a syntax error, no esbuild) it runs ./aiops.ts through tsx,
 *   which reports the error as it stands. AIOPS_FROM_SOURCE=1 always uses tsx.
 * - As an installed package (`npm i -g`, `npx`): runs ../dist/aiops.mjs, the
 *   build `npm pack` makes (the "prepack" script); the package ships no
 *   sources and no tsx.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
// A namespace import: a named one of an export older Node lacks fails before the version check below can speak.
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';

// package.json "engines": Node 24 (the Lambda runtime, nodejs24.x). An older Node fails later with a
// stack trace about some missing API; say so in one line instead.
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
if (NODE_MAJOR < 24) {
  process.stderr.write(
    `aiops: needs Node.js 24 or later; this is ${process.version}. Install Node 24 (or, in a checkout, run it as \`npx aiops\`, which uses the node@24 dev dependency).\n`,
  );
  process.exit(3);
}

// The process's files are its user's alone (bin/aiops.ts sets it too, for the bundle run directly).
process.umask(0o077);

// V8's compiled code of the modules loaded from here on is kept on disk (in the OS temporary
// folder, keyed by file content) and reused by the next run: a start then skips most parsing.
// Where the folder is not writable Node carries on without it.
nodeModule.enableCompileCache?.();

const source = new URL('./aiops.ts', import.meta.url);
const dist = new URL('../dist/', import.meta.url);
const bundle = new URL('aiops.mjs', dist);
const builder = new URL('../scripts/build-cli.mjs', import.meta.url);

/** tsx from this package's node_modules (a bare specifier here resolves from this file), or undefined. */
async function tsx() {
  try {
    return await import('tsx/esm/api');
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

function readManifest() {
  try {
    return JSON.parse(readFileSync(new URL('manifest.json', dist), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Same test as build-cli.mjs's isFresh, inlined so a fresh start does not load the builder. */
function isFresh(manifest) {
  if (!Array.isArray(manifest?.sources) || manifest.sources.length === 0) return false;
  const root = fileURLToPath(new URL('../', import.meta.url));
  for (const [file, size, mtimeMs] of manifest.sources) {
    const info = statSync(root + file, { throwIfNoEntry: false });
    // A file absent at build time (size null) must still be absent.
    if (info === undefined ? size !== null : info.size !== size || info.mtimeMs !== mtimeMs) return false;
  }
  return true;
}

/** The entry of a build of the sources as they are now, rebuilding when needed; undefined when it cannot be had. */
async function currentBuild() {
  if (process.env.AIOPS_FROM_SOURCE === '1') return undefined;
  let manifest = readManifest();
  if (!isFresh(manifest)) {
    try {
      const { buildCli } = await import(builder.href);
      manifest = await buildCli({ quiet: true });
    } catch {
      return undefined;
    }
  }
  return new URL(`${manifest.build}/aiops.mjs`, dist);
}

async function fromSource() {
  const loader = await tsx();
  if (loader === undefined) return false;
  // Our tsconfig, not one found in the directory the user runs aiops from (a project being scanned).
  loader.register({ tsconfig: new URL('../tsconfig.json', import.meta.url).pathname });
  await import(source.href);
  return true;
}

if (existsSync(source)) {
  const build = await currentBuild();
  if (build !== undefined) await import(build.href);
  else if (!(await fromSource())) {
    process.stderr.write(
      'aiops: the sources are here but neither esbuild nor tsx is installed: run `npm ci`\n',
    );
    process.exitCode = 3;
  }
} else if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  process.stderr.write(
    'aiops: this installation has neither its compiled CLI (dist/aiops.mjs: run `npm run build`) nor its sources with tsx (`npm ci`)\n',
  );
  process.exitCode = 3;
}
