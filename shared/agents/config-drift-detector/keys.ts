/**
 * Which config keys are critical, which hold secrets, and how a key path is
 * written. Kept apart from the walk so the matching rule can be read (and
 * tested) on its own.
 *
 * Critical-key matching rule (patterns are case-insensitive):
 * - A pattern without a dot is tested against every key segment of the path
 *   (array indices are not segments); a path is critical when any segment
 *   matches, so everything below a critical key is critical too.
 *   - With `*` it is a glob over the key lowercased with separators (`_`, `-`,
 *     spaces, dots, slashes) removed: `*password*` matches `db.password`,
 *     `DB_PASSWORD` and `passwordFile`; `*secret*` matches `apiSecretKey`.
 *   - Without `*` its words must appear as consecutive words of the key, words
 *     being split at camelCase humps and separators: `auth` matches `auth`,
 *     `AUTH_TOKEN` and `basicAuth` but neither `authentication` nor `author`;
 *     `database_url` matches `DATABASE_URL`, `databaseUrl` and
 *     `primary_database_url`; a run of two or more words also matches across
 *     consecutive keys of the path, so `database_url` matches `database.url`.
 * - A pattern with a dot is a path pattern, matched against the end of the key
 *   path (keys joined with `.`, array indices left out, `[n]` in the pattern
 *   ignored) with `*` spanning any characters: `datasource.url` matches
 *   `spring.datasource.url`, `spring.datasource.*` everything under it.
 */
import { compileGlob, type Glob } from '../../analysis/glob.js';
import {
  CREDENTIAL_SHAPES,
  classifySecretName,
  holdsCredential,
  shannonEntropy,
  wordsOf,
} from '../../analysis/secrets/index.js';

/** The default critical keys; `criticalKeys` in the input replaces them. */
export const DEFAULT_CRITICAL_KEYS: readonly string[] = [
  'database_url',
  '*password*',
  '*secret*',
  '*token*',
  'auth',
  // Whole words, so `auth` alone would leave `authentication.enabled: false` at low severity.
  'authentication',
  'authorization',
  'security',
  'encryption',
];

/**
 * Keys whose flips weaken a connection's protection (`tls.enabled: false`,
 * `ssl_verify`, `insecureSkipVerify`): a changed value under one is at least high,
 * whatever `criticalKeys` says. Whole words, matched like the critical keys.
 */
export const SECURITY_TOGGLE_KEYS: readonly string[] = ['tls', 'ssl', 'mtls', 'verify', 'insecure'];

/**
 * Keys whose values are never echoed, whatever `criticalKeys` says: a user who
 * narrows the critical list must not thereby unmask passwords. A key is secret
 * when the one secret-name classifier says it holds a secret, carries one (a
 * connection string, Docker's `auths`) or describes one (`passwordFile`: hidden
 * all the same). Everything below such a key is secret too; broad words
 * (`auth`, `security`) are not secret names: `auth.issuer` is no secret.
 * Critical keys are redacted as well.
 */
export function isSecretKey(key: string): boolean {
  return classifySecretName(key) !== undefined;
}

/** Credential shapes of the one table that a value may hold whatever its key is called. */
const VALUE_SHAPES = CREDENTIAL_SHAPES.filter((kind) => kind.id !== 'db-url-credentials');
const URL_SHAPES = CREDENTIAL_SHAPES.filter(
  (kind) => kind.id === 'db-url-credentials' || kind.id === 'url-credentials',
);

/** Whether a value is (or holds) a URL with a user and password in it: a change of it changes a credential. */
export function holdsUrlCredentials(value: unknown): boolean {
  return typeof value === 'string' && holdsCredential(value, URL_SHAPES) !== undefined;
}

const OPAQUE_TOKEN = /^[A-Za-z0-9+/=_-]{32,}$/;

/** Long, random-looking strings (base64 keys, API tokens) that no shape of the table knows. */
function looksRandom(value: string): boolean {
  if (!OPAQUE_TOKEN.test(value)) return false;
  // Hex digests and UUIDs use two character classes at most; generated secrets mix three.
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(value)).length;
  return classes >= 3 && shannonEntropy(value) >= 4;
}

export function looksLikeCredential(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  return holdsCredential(value, VALUE_SHAPES) !== undefined || looksRandom(value.trim());
}

function compact(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}*]+/gu, '');
}

function containsRun(words: readonly string[], run: readonly string[]): boolean {
  if (run.length === 0 || run.length > words.length) return false;
  for (let start = 0; start + run.length <= words.length; start += 1) {
    if (run.every((word, i) => words[start + i] === word)) return true;
  }
  return false;
}

export interface KeyMatcher {
  /** Whether a single object key matches one of the segment patterns. */
  matchesKey(key: string): boolean;
  /** Whether the key path (`spring.datasource.url`, indices left out) matches a path pattern. */
  matchesPath(keyPath: string): boolean;
}

export function compileKeyPatterns(patterns: readonly string[]): KeyMatcher {
  // Through the one linear glob matcher, never a RegExp: `*a*a*a…b` would backtrack for seconds.
  const globs: Glob[] = [];
  const runs: string[][] = [];
  const paths: Glob[] = [];
  for (const raw of patterns) {
    const pattern = raw.trim();
    if (pattern.includes('.')) {
      const glob = pattern.toLowerCase().replace(/\[[^\]]*\]/g, '');
      paths.push(compileGlob(glob, { syntax: 'text', suffixAfter: '.' }));
    } else if (pattern.includes('*')) {
      globs.push(compileGlob(compact(pattern), { syntax: 'text' }));
    } else {
      runs.push(wordsOf(pattern));
    }
  }
  return {
    matchesKey(key) {
      if (globs.length > 0) {
        const compacted = compact(key);
        if (globs.some((glob) => glob.matches(compacted))) return true;
      }
      if (runs.length > 0) {
        const words = wordsOf(key);
        if (runs.some((run) => containsRun(words, run))) return true;
      }
      return false;
    },
    matchesPath(keyPath) {
      if (runs.some((run) => run.length > 1) && keyPath.includes('.')) {
        const words = wordsOf(keyPath);
        if (runs.some((run) => run.length > 1 && containsRun(words, run))) return true;
      }
      if (paths.length === 0) return false;
      const lowered = keyPath.toLowerCase();
      return paths.some((glob) => glob.matches(lowered));
    },
  };
}

const BARE_KEY = /^[^.[\]"'\s]+$/;

/** The path of a child: `spring.datasource`, `servers[0]`, `annotations["kubernetes.io/ingress.class"]`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (BARE_KEY.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** The path used for path patterns: keys only, joined with dots. */
export function childKeyPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return parent;
  return parent === '' ? key : `${parent}.${key}`;
}
