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
 *     `primary_database_url`.
 * - A pattern with a dot is a path pattern, matched against the end of the key
 *   path (keys joined with `.`, array indices left out, `[n]` in the pattern
 *   ignored) with `*` spanning any characters: `datasource.url` matches
 *   `spring.datasource.url`, `spring.datasource.*` everything under it.
 */
import { compileGlob, type Glob } from '../../analysis/glob.js';

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
 * Keys whose values are never echoed, whatever `criticalKeys` says: a user who
 * narrows the critical list must not thereby unmask passwords. Everything below
 * such a key is secret too, so broad words (`auth`, `security`) stay off this
 * list: `auth.issuer` is no secret. Critical keys are redacted as well.
 */
export const SECRET_KEYS: readonly string[] = [
  '*password*',
  '*passwd*',
  'pwd',
  '*passphrase*',
  '*secret*',
  '*token*',
  '*credential*',
  '*apikey*',
  '*privatekey*',
  '*accesskey*',
  '*signingkey*',
  '*encryptionkey*',
  'database_url',
  'dsn',
  '*connectionstring*',
  // Docker's config.json keeps base64 `user:password` under `auths.<registry>.auth`.
  'auths',
];

/** Values that are credentials whatever their key is called (gitleaks-style signatures). */
const CREDENTIAL_VALUES: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/,
  /\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/,
  /\bgh[pousr]_[A-Za-z0-9]{36,}/,
  /\bgithub_pat_\w{22,}/,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/,
  /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/,
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}/,
  /\bAIza[0-9A-Za-z_-]{35}/,
  // user:password@ in a URL, and password-like query parameters (JDBC URLs carry them).
  // The scheme is bounded (schemes are short): an unbounded run would make the search quadratic on long values.
  /\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/@]{1,256}:[^\s@/]{1,256}@/i,
  /[?&;](?:password|pwd|secret|token|api[_-]?key|access[_-]?key)=[^&;\s]+/i,
  /\b(?:bearer|basic)\s+[A-Za-z0-9._~+/=-]{16,}/i,
];

const OPAQUE_TOKEN = /^[A-Za-z0-9+/=_-]{32,}$/;

/** Long, random-looking strings (base64 keys, API tokens) that no signature above knows. */
function looksRandom(value: string): boolean {
  if (!OPAQUE_TOKEN.test(value)) return false;
  // Hex digests and UUIDs use two character classes at most; generated secrets mix three.
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(value)).length;
  if (classes < 3) return false;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy >= 4;
}

export function looksLikeCredential(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  return CREDENTIAL_VALUES.some((re) => re.test(value)) || looksRandom(value.trim());
}

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const LOWER_OR_DIGIT = /[\p{Ll}\p{N}]/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * `apiSecretKey` → api, secret, key; `DATABASE_URL` → database, url;
 * `HTTPServer` → http, server. One pass over the characters: the regular
 * expression `(\p{Lu}+)(\p{Lu}\p{Ll})` it replaces backtracks quadratically on
 * a long run of capitals, and keys are user input.
 */
export function wordsOf(text: string): string[] {
  const chars = [...text];
  const words: string[] = [];
  let current = '';
  const flush = () => {
    if (current !== '') words.push(current.toLowerCase());
    current = '';
  };
  chars.forEach((c, i) => {
    if (!WORD_CHAR.test(c)) {
      flush();
      return;
    }
    const previous = chars[i - 1] ?? '';
    const next = chars[i + 1] ?? '';
    // A capital after a lower-case letter or digit starts a word (camelCase, v2Api); so does the last
    // capital of a run followed by a lower-case letter (HTTPServer → HTTP Server).
    if (current !== '' && UPPER.test(c)) {
      if (LOWER_OR_DIGIT.test(previous) || (UPPER.test(previous) && LOWER.test(next))) flush();
    }
    current += c;
  });
  flush();
  return words;
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
