/**
 * The one answer to "does this key or variable name hold a secret", for
 * every caller: the security scanner's generic rule and its Dockerfile and
 * IaC checks, k8s-optimizer's literal env values, config-drift-detector's
 * redaction, the LLM masking and the log redaction (./redaction.ts). It lives
 * in core because the log redaction does, and core imports nothing; the
 * analysis engine (shared/analysis/secrets) re-exports it.
 *
 * A name is split into words (camelCase humps, `_`, `-`, `.`, spaces) and read
 * as one of:
 * - `secret`: its value is the secret (`DB_PASSWORD`, `apiKey`,
 *   `oauth_token_secret`, `AWS_ACCESS_KEY_ID` — half of a key pair);
 * - `about`: it names something about a secret (`PASSWORD_FILE`, `TOKEN_TTL`,
 *   `password_reset_url`, `next_page_token`) — no secret to report, but a
 *   redactor may still hide it;
 * - `carrier`: its value carries credentials inside (`DATABASE_URL`, `DSN`,
 *   a connection string, an `Authorization` header, a cookie, Docker's `auths`).
 */

/** A word that names a secret wherever it stands. */
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
  'clientsecret',
  'accesskey',
  'authkey',
  'secretkey',
]);

/** Words that name a password only as the last word (`DB_PASS`, not `PASS_THROUGH`). */
const PASSWORD_LAST_WORDS = new Set(['pass', 'pwd', 'pw']);

/** English words that end in "pass" and name no password (`bypass`, `compass`). */
const NOT_A_PASS = new Set([
  'bypass',
  'compass',
  'surpass',
  'trespass',
  'overpass',
  'underpass',
  'encompass',
]);

/** `dbpass`, `userpass`, `smtppass` as the last word: a compound of a password (PHP's `$dbpass`). */
function isPassCompound(word: string): boolean {
  return word.length > 4 && (word.endsWith('pass') || word.endsWith('pwd')) && !NOT_A_PASS.has(word);
}

const PASSWORD_WORDS = new Set(['password', 'passwd', 'passphrase', 'pass', 'pwd', 'pw']);

/**
 * `<qualifier> key` is a secret: `API_KEY`, `signingKey`, `secret-key`,
 * Laravel's `APP_KEY`, WordPress's `NONCE_KEY`, OAuth 1's `consumer_key`.
 */
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'private',
  'secret',
  'auth',
  'signing',
  'encryption',
  'decryption',
  'master',
  'session',
  'account',
  'license',
  'app',
  'client',
  'consumer',
  'nonce',
  'hmac',
  'jwt',
  'cookie',
  'crypt',
  'cipher',
  'storage',
  'shared',
  'root',
]);

/**
 * `<qualifier> salt` is a secret too: WordPress's `AUTH_SALT`,
 * `SECURE_AUTH_SALT`, `NONCE_SALT`, `LOGGED_IN_SALT`, Drupal's `hash_salt`
 * (they sign cookies and nonces). A lone `salt` is not.
 */
const SALT_QUALIFIERS = new Set(['auth', 'nonce', 'hash', 'secret', 'session', 'app', 'cookie']);

/** Words before a secret word that make the name a setting about it: `save-password`, `show_password`, `reset_token`. */
const ACTION_WORDS = new Set(
  (
    'save remember show hide mask reset forgot change update verify check validate require requires ' +
    'use allow enable disable ask prompt generate rotate hash expire get set has is'
  ).split(' '),
);

/** Words after the secret word that make the name describe the secret (where, how long, which) instead of holding it. */
const ABOUT_WORDS = new Set(
  (
    'url uri endpoint host hostname port path file dir directory mount location name names field label ' +
    'placeholder header type kind class format version length len size count min max limit regex regexp ' +
    'pattern policy strategy rotation expiry expires expiration ttl lifetime age timeout interval duration ' +
    'seconds secs ms minutes hours days enabled enable disabled required hint prompt message error input ' +
    'id ids arn ref param parameter env var prefix suffix hash hashed digest mode manager provider store ' +
    'namespace issuer audience scope scopes reset validator strength rules algorithm alg method source ' +
    'schema selector usage resource template generator key'
  ).split(' '),
);

/** Words before `token` that make it a cursor or a lexer token, not a credential. */
const NOT_A_CREDENTIAL_TOKEN = new Set([
  'next',
  'page',
  'pagination',
  'continuation',
  'cancel',
  'cancellation',
  'max',
  'idempotency',
  'sync',
  'lexer',
  'csrf',
  'xsrf',
]);

/** Word runs whose value carries credentials inside it. */
const CARRIERS: readonly (readonly string[])[] = [
  ['database', 'url'],
  ['databaseurl'],
  ['connection', 'string'],
  ['connectionstring'],
  ['dsn'],
  ['auths'],
  ['authorization'],
  ['cookie'],
];

export type SecretNameKind = { kind: 'secret'; password: boolean } | { kind: 'about' } | { kind: 'carrier' };

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const LOWER_OR_DIGIT = /[\p{Ll}\p{N}]/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * `apiSecretKey` → api, secret, key; `DATABASE_URL` → database, url;
 * `HTTPServer` → http, server. One pass over the characters: the regular
 * expression `(\p{Lu}+)(\p{Lu}\p{Ll})` it replaces backtracks quadratically on
 * a long run of capitals, and names are user input.
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

/** A secret word on its own, or inside a compound (`dbpassword`, `authtoken`, `webhooksecret`). */
function isSecretWord(word: string): boolean {
  return (
    SECRET_WORDS.has(word) ||
    word.includes('password') ||
    word.includes('passwd') ||
    (word.endsWith('token') && word.length > 5) ||
    (word.endsWith('secret') && word.length > 6)
  );
}

/** `logged in` (WordPress's LOGGED_IN_KEY / LOGGED_IN_SALT) qualifies like one word. */
function qualifies(words: readonly string[], i: number, qualifiers: ReadonlySet<string>): boolean {
  const word = words[i] as string;
  return qualifiers.has(word) || (word === 'in' && words[i - 1] === 'logged');
}

/**
 * Past `key` words that only complete the secret's name: `secret access key`,
 * `secret key base` stop after `key`, so `AWS_SECRET_ACCESS_KEY` reads as a
 * secret and not as "the key of a secret".
 */
function keyTail(words: readonly string[], end: number): number {
  if (words[end + 1] === 'key') return end + 1;
  if (qualifies(words, end + 1, KEY_QUALIFIERS) && words[end + 2] === 'key') return end + 2;
  return end;
}

/** Where the secret named at word `i` ends (the `key` of `api key`), or undefined when no secret is named there. */
function secretEnd(words: readonly string[], i: number): number | undefined {
  const word = words[i] as string;
  const next = words[i + 1];
  if (qualifies(words, i, KEY_QUALIFIERS) && next === 'key') return i + 1;
  if (qualifies(words, i, SALT_QUALIFIERS) && next === 'salt') return i + 1;
  if (isSecretWord(word)) return keyTail(words, i);
  if ((PASSWORD_LAST_WORDS.has(word) || isPassCompound(word)) && i === words.length - 1) return i;
  return undefined;
}

function isPasswordWord(word: string): boolean {
  return (
    PASSWORD_WORDS.has(word) || word.includes('password') || word.includes('passwd') || isPassCompound(word)
  );
}

function containsRun(words: readonly string[], run: readonly string[]): boolean {
  return words.some((_, start) => run.every((word, k) => words[start + k] === word));
}

/** What a key or variable name says about its value; undefined when it says nothing about secrets. */
export function classifySecretName(name: string): SecretNameKind | undefined {
  const words = wordsOf(name);
  for (let i = 0; i < words.length; i++) {
    const end = secretEnd(words, i);
    if (end === undefined) continue;
    const word = words[i] as string;
    if (word === 'token' && NOT_A_CREDENTIAL_TOKEN.has(words[i - 1] ?? '')) return { kind: 'about' };
    if (ACTION_WORDS.has(words[i - 1] ?? '')) return { kind: 'about' };
    const after = words.slice(end + 1);
    // An access key's id is half of the credential pair.
    const accessKey = word === 'accesskey' || (word === 'access' && end > i);
    if (accessKey && after.join(' ') === 'id') return { kind: 'secret', password: false };
    if (after.some((w) => ABOUT_WORDS.has(w))) return { kind: 'about' };
    return { kind: 'secret', password: isPasswordWord(word) };
  }
  return CARRIERS.some((run) => containsRun(words, run)) ? { kind: 'carrier' } : undefined;
}

/** Whether the name says its value is a secret (a password, token, key, credential). */
export function isSecretName(name: string): boolean {
  return classifySecretName(name)?.kind === 'secret';
}
