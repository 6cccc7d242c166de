/**
 * DOCKER006: which package-manager caches a RUN leaves in its layer. A cache
 * is gone when the same RUN removes it (`rm` with the path anywhere among its
 * arguments, `find … -delete`), tells the tool not to keep it (`--no-cache`,
 * `--no-cache-dir`, `clean all`), or mounts a BuildKit cache / tmpfs over it
 * (then it never enters the layer). For apt the cache that matters is the
 * package lists in /var/lib/apt/lists (official Debian/Ubuntu images already
 * drop downloaded .debs), so a cache mount on /var/cache/apt alone keeps them.
 */
import { removedPaths, type ShellCommand } from './docker-shell.js';

interface Cache {
  tool: string;
  install: RegExp;
  /** The directories that hold the cache: removing or mounting over one of them cleans it. */
  paths: RegExp;
  /** A flag or command in the same RUN that keeps the cache from being written. */
  off?: RegExp;
}

const CACHES: readonly Cache[] = [
  {
    tool: 'apt-get',
    install: /\bapt(?:-get)?\s+(?:-\S+\s+)*install\b/,
    paths: /^\/var\/lib\/apt(?:\/lists)?(?:\/\*?)?$/,
  },
  {
    tool: 'apk',
    install: /\bapk\s+(?:-\S+\s+)*add\b/,
    paths: /^\/(?:var\/cache\/apk|etc\/apk\/cache)(?:\/\*?)?$/,
    off: /--no-cache\b/,
  },
  {
    tool: 'pip',
    install: /\b(?:pip3?|python3?\s+-m\s+pip)\s+install\b/,
    paths: /^(?:~|\/root|\$HOME|\$\{HOME\})\/\.cache(?:\/pip)?(?:\/\*?)?$/,
    off: /--no-cache-dir\b|\bPIP_NO_CACHE_DIR=(?:1|true|on|yes|off|0)\b/i,
  },
  {
    tool: 'yum/dnf',
    install: /\b(?:yum|dnf|microdnf)\s+(?:-\S+\s+)*install\b/,
    paths: /^\/var\/cache\/(?:yum|dnf)(?:\/\*?)?$/,
    off: /\b(?:yum|dnf|microdnf)\s+clean\s+all\b/,
  },
];

/** The targets of `--mount=type=cache|tmpfs,target=…` flags. */
function mountedPaths(flags: readonly string[]): string[] {
  const targets: string[] = [];
  for (const flag of flags) {
    if (!flag.startsWith('--mount=')) continue;
    const fields = new Map(
      flag
        .slice('--mount='.length)
        .split(',')
        .map((field) => {
          const eq = field.indexOf('=');
          return eq === -1 ? [field, ''] : [field.slice(0, eq), field.slice(eq + 1)];
        }),
    );
    const type = fields.get('type');
    const target = fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
    if ((type === 'cache' || type === 'tmpfs') && target) targets.push(target.replace(/\/+$/, ''));
  }
  return targets;
}

/** The tools whose cache this RUN installs with and leaves in its layer. */
export function cachesLeft(
  command: string,
  flags: readonly string[],
  commands: readonly ShellCommand[],
  pipNoCache: boolean,
): string[] {
  const cleared = [...removedPaths(commands), ...mountedPaths(flags)];
  return CACHES.filter((cache) => {
    if (!cache.install.test(command)) return false;
    if (cache.off?.test(command) || (cache.tool === 'pip' && pipNoCache)) return false;
    return !cleared.some((path) => cache.paths.test(path.replace(/\/{2,}/g, '/')));
  }).map((cache) => cache.tool);
}
