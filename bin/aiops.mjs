#!/usr/bin/env node
/**
 * The `aiops` command as installed (package.json "bin"): works from any
 * directory, because everything it loads is resolved from this file, never
 * from the current directory.
 *
 * - In a checkout (the TypeScript sources and the tsx dev dependency are
 *   here): runs ./aiops.ts through tsx, so an edit is live at once and a
 *   stale bundle is never run by mistake.
 * - As an installed package (`npm i -g`, `npx`): runs ../dist/aiops.mjs, the
 *   bundle `npm pack` builds (the "prepack" script); the package ships no
 *   sources and no tsx.
 */
import { existsSync } from 'node:fs';

// The process's files are its user's alone (bin/aiops.ts sets it too, for the bundle run directly).
process.umask(0o077);

const source = new URL('./aiops.ts', import.meta.url);
const bundle = new URL('../dist/aiops.mjs', import.meta.url);

/** tsx from this package's node_modules (a bare specifier here resolves from this file), or undefined. */
async function tsx() {
  try {
    return await import('tsx/esm/api');
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

const loader = existsSync(source) ? await tsx() : undefined;
if (loader !== undefined) {
  // Our tsconfig, not one found in the directory the user runs aiops from (a project being scanned).
  loader.register({ tsconfig: new URL('../tsconfig.json', import.meta.url).pathname });
  await import(source.href);
} else if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  process.stderr.write(
    'aiops: this installation has neither its compiled CLI (dist/aiops.mjs: run `npm run build`) nor its sources with tsx (`npm ci`)\n',
  );
  process.exitCode = 3;
}
