/**
 * The one redaction step of the logs (./observability.ts applies it to every
 * value of every line as it is serialised). Log lines leave the process for
 * CloudWatch and whoever reads it, so nothing a client sent may reach them:
 *
 * - keys that hold inputs, bodies, credentials or SQL bound parameters are
 *   replaced whole (`input`, `body`, `password`, `params`, `query`, …);
 * - errors are reduced to what explains them (name, message, code, SQLSTATE,
 *   constraint, stack, cause): a database driver's error carries the query and
 *   its parameters (PGlite: `query`, `params`), and PostgreSQL's `detail` and
 *   `where` quote the values (`Key (email)=(…) already exists`);
 * - messages that quote a value (`invalid input syntax for type uuid: "…"`,
 *   JSON.parse's `"…" is not valid JSON`) lose the quote;
 * - every string is searched for credential shapes (./secret-patterns.ts),
 *   `Bearer …`, `password=…` and URL user-info, which are masked.
 */
import { SECRET_TOKENS } from './secret-patterns.js';

export const REDACTED = '[REDACTED]';

/** Compared lower-cased, without `_` and `-`. */
const SENSITIVE_KEYS = new Set([
  'input',
  'inputs',
  'body',
  'rawbody',
  'payload',
  'params',
  'parameters',
  'bindings',
  'values',
  'query',
  'sql',
  'internalquery',
  'password',
  'passwd',
  'secret',
  'clientsecret',
  'callbacksecret',
  'token',
  'accesstoken',
  'refreshtoken',
  'apikey',
  'xapikey',
  'authorization',
  'cookie',
  'setcookie',
  'credentials',
  'privatekey',
  'connectionstring',
  'databaseurl',
]);

/** What of an error is kept: enough to explain it, nothing that quotes its data. */
const ERROR_FIELDS = [
  'code',
  'status',
  'retryable',
  'details',
  'severity',
  'constraint',
  'table',
  'column',
  'schema',
  'routine',
  'errno',
  'syscall',
] as const;

const FREE_TEXT: readonly { pattern: RegExp; replace: string }[] = [
  ...SECRET_TOKENS.map((pattern) => ({ pattern, replace: REDACTED })),
  { pattern: /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{12,}/g, replace: `$1 ${REDACTED}` },
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/)[^\s:@/'"`]{1,128}:[^\s@/'"`]{1,256}@/gi, replace: `$1${REDACTED}@` },
  // PostgreSQL quoting a value, wherever its message ends up (the Data API puts it in its own errors' message).
  {
    pattern: /(\binvalid input (?:syntax|value) for (?:type|enum) [\w ."]{1,80}?: )"(?:[^"\\]|\\.)*"/g,
    replace: `$1"${REDACTED}"`,
  },
  { pattern: /\b(Key \([^)]{0,200}\)=\()[^)]*\)/g, replace: `$1${REDACTED})` },
  {
    pattern:
      /\b(pass(?:word|wd)?|secret|token|api[_-]?key|private[_-]?key)(["']?\s*[=:]\s*["']?)[^\s"',;&]{4,}/gi,
    replace: `$1$2${REDACTED}`,
  },
];

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEYS.has(normaliseKey(key));
}

/** Masks credential shapes in free text. */
export function redactText(text: string): string {
  let out = text;
  for (const { pattern, replace } of FREE_TEXT) out = out.replace(pattern, replace);
  return out;
}

/** An error's message without the value it quotes (PostgreSQL's `…: "value"`, JSON.parse's snippet). */
function redactErrorMessage(error: Error & { severity?: unknown }): string {
  let message = error.message;
  if (typeof error.severity === 'string') message = message.replace(/: "[^"]*"$/, `: "${REDACTED}"`);
  if (error instanceof SyntaxError)
    message = message.replace(/"(?:[^"\\]|\\.)*"(?:\.\.\.)?/g, `"${REDACTED}"`);
  return redactText(message);
}

/** An error as a plain object of its safe fields; its cause is redacted the same way when serialised. */
export function redactError(error: Error): Record<string, unknown> {
  const fields = error as unknown as Record<string, unknown>;
  const message = redactErrorMessage(error);
  const out: Record<string, unknown> = { name: error.name, message };
  for (const field of ERROR_FIELDS) if (fields[field] !== undefined) out[field] = fields[field];
  if (typeof error.stack === 'string') {
    // The stack's first line repeats the message, quoted values and all.
    out.stack = redactText(error.stack.replace(error.message, message));
  }
  if (error.cause !== undefined) out.cause = error.cause;
  return out;
}

/**
 * A JSON.stringify replacer (Powertools' `jsonReplacerFn`): called on every
 * key and value of a log line, nested ones included, before serialisation.
 */
export function redactLogValue(key: string, value: unknown): unknown {
  if (key !== '' && isSensitiveKey(key) && value !== undefined && value !== null) return REDACTED;
  if (value instanceof Error) return redactError(value);
  if (typeof value === 'string') return redactText(value);
  return value;
}
