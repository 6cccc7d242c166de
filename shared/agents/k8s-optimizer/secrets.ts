/**
 * Which literal environment values are secrets (K8S020). A variable is
 * secret-looking by its name (password, token, secret, API key, credential
 * — unless the name ends in a word that makes it metadata: TOKEN_TTL,
 * PASSWORD_FILE, SECRET_NAME) or by its value (a known credential format, a
 * URL with a password). Values that cannot be a secret (empty, booleans,
 * numbers, paths, `$(VAR)` references) are skipped; obvious placeholders are
 * reported at low severity. Nothing here returns the value itself.
 */

/** A word that is a secret on its own wherever it stands. */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'credential',
  'credentials',
  'apikey',
  'privatekey',
  'secretkey',
  'accesskey',
  'clientsecret',
]);

/** Words that are a secret only as the last word (`DB_PASS`, not `PASS_THROUGH`). */
const SECRET_LAST_WORDS = new Set(['pass', 'pwd', 'pw']);

/** Two-word names that are a secret (`API_KEY`, `client-secret`, `signingKey`). */
const SECRET_PAIRS: readonly (readonly [string, string])[] = [
  ['api', 'key'],
  ['access', 'key'],
  ['private', 'key'],
  ['secret', 'key'],
  ['signing', 'key'],
  ['encryption', 'key'],
  ['master', 'key'],
  ['session', 'key'],
  ['account', 'key'],
  ['license', 'key'],
  ['auth', 'key'],
];

/** A name ending in one of these describes a secret (where it is, how long it lives), it does not hold one. */
const METADATA_LAST_WORDS = new Set([
  'file',
  'path',
  'dir',
  'directory',
  'name',
  'names',
  'ref',
  'ttl',
  'expiry',
  'expiration',
  'expires',
  'lifetime',
  'age',
  'timeout',
  'interval',
  'duration',
  'seconds',
  'secs',
  'ms',
  'minutes',
  'hours',
  'days',
  'length',
  'len',
  'size',
  'min',
  'max',
  'count',
  'limit',
  'header',
  'enabled',
  'enable',
  'disabled',
  'required',
  'mode',
  'type',
  'kind',
  'format',
  'version',
  'algorithm',
  'alg',
  'id',
  'url',
  'uri',
  'endpoint',
  'host',
  'hostname',
  'port',
  'issuer',
  'audience',
  'scope',
  'scopes',
  'policy',
  'rotation',
  'provider',
  'store',
  'arn',
  'namespace',
  'prefix',
  'suffix',
  'pattern',
  'regex',
  'field',
  'strategy',
  'location',
  'mount',
]);

/** Known credential formats: a value like these is a secret whatever the variable is called. */
const CREDENTIAL_VALUES: readonly RegExp[] = [
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/,
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/,
  /\bgithub_pat_[A-Za-z0-9_]{22,}\b/,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/,
  /\b(?:sk|rk)_live_[A-Za-z0-9]{16,}\b/,
  /\bAIza[0-9A-Za-z_-]{35}\b/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/,
  /hooks\.slack\.com\/services\/[A-Za-z0-9/]+/,
];

/** `scheme://user:password@host`: the password part is the group. */
// Bounded runs: unbounded ones make the search quadratic on a long value (values are user input).
const URL_CREDENTIALS = /[a-z][a-z0-9+.-]{0,31}:\/\/[^\s/:@]{1,256}:([^\s/@]{1,256})@/i;

const PLACEHOLDER =
  /^(?:change[-_ ]?me|changeit|replace[-_ ]?me|to[-_ ]?do|tbd|placeholder|example|sample|dummy|fake|test|secret|password|passw0rd|token|none|null|nil|redacted|x+|\*+|\.+|<[^>]*>|\[[^\]]*\]|your[-_ ].*)$/i;

/** Values that cannot be a literal secret: empty, booleans, numbers and durations, paths, env references. */
function cannotBeSecret(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed.length < 3) return true;
  if (/^(?:true|false|yes|no|on|off|enabled|disabled)$/i.test(trimmed)) return true;
  if (/^-?\d+(?:\.\d+)?(?:ms|[smhdw])?$/i.test(trimmed)) return true;
  if (/^(?:\/|~\/|\.\.?\/|file:)/.test(trimmed)) return true;
  return /\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[^}]+\}/.test(trimmed) && !URL_CREDENTIALS.test(trimmed);
}

/** `apiSecretKey` → api, secret, key; `DB_PASSWORD` → db, password; `HTTPToken` → http, token. */
export function wordsOf(name: string): string[] {
  return name
    .replace(/(\p{Ll}|\p{N})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

function hasPair(words: readonly string[]): boolean {
  return SECRET_PAIRS.some(([first, second]) =>
    words.some((word, i) => word === first && words[i + 1] === second),
  );
}

/** Whether the variable name says it holds a secret. */
export function secretName(name: string): boolean {
  const words = wordsOf(name);
  const last = words.at(-1);
  if (last === undefined || METADATA_LAST_WORDS.has(last)) return false;
  return (
    words.some(
      (word) =>
        SECRET_WORDS.has(word) ||
        word.includes('password') ||
        word.includes('passwd') ||
        (word.endsWith('token') && word.length > 5) ||
        (word.endsWith('secret') && word.length > 6),
    ) ||
    SECRET_LAST_WORDS.has(last) ||
    hasPair(words)
  );
}

export type SecretVerdict =
  | { secret: false }
  | { secret: true; placeholder: boolean; reason: 'name' | 'credential-format' | 'url-password' };

/** Whether a literal `value` of the variable `name` is a secret that should not be in the manifest. */
export function classifyEnvValue(name: string, value: string): SecretVerdict {
  const url = URL_CREDENTIALS.exec(value);
  if (url?.[1] !== undefined && !/^\$[({]/.test(url[1])) {
    return { secret: true, placeholder: PLACEHOLDER.test(url[1]), reason: 'url-password' };
  }
  if (CREDENTIAL_VALUES.some((re) => re.test(value))) {
    return { secret: true, placeholder: false, reason: 'credential-format' };
  }
  if (!secretName(name) || cannotBeSecret(value)) return { secret: false };
  return { secret: true, placeholder: PLACEHOLDER.test(value.trim()), reason: 'name' };
}
