/**
 * `aiops --version` (the version alone, for scripts) and `aiops version` (with the
 * Node.js and platform it runs on, for bug reports). The version is the package's:
 * package.json is found upward from this module, which runs from bin/ in a checkout
 * and from dist/<build>/ once compiled or installed.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';

/** The version in the nearest package.json named `aiops` above this module, or `unknown`. */
export function packageVersion(from: URL = new URL('.', import.meta.url)): string {
  for (let dir = from; ; dir = new URL('..', dir)) {
    try {
      const manifest = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (manifest.name === 'aiops' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // No readable package.json here: look further up.
    }
    if (new URL('..', dir).href === dir.href) return 'unknown';
  }
}

export function registerVersion(program: Command): void {
  const version = packageVersion();
  program.version(version, '-V, --version', 'print the version and exit');
  program
    .command('version')
    .description('print the version, the Node.js it runs on and the platform')
    .action(() => {
      process.stdout.write(
        `aiops ${version} (Node.js ${process.version}, ${process.platform}-${process.arch})\n`,
      );
    });
}
