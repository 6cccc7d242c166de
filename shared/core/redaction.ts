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
 * - every string is searched for the credential table's shapes
 *   (./secret-patterns.ts: tokens, keys, `Bearer …`, URL user-info) and for
 *   `name=value` pairs whose name holds a secret (./secret-names.ts), whose
 *   values are masked.
 */
import { classifySecretName } from './secret-names.js';
import { assignments, credentialSpansIn } from './secret-patterns.js';

export const REDACTED = '[REDACTED]';

/** Keys that hold a client's data (compared lower-cased, without `_` and `-`); secrets are told by ./secret-names.ts. */
const DATA_KEYS = new Set([
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

/** Messages that quote a value. */
const QUOTED_VALUES: readonly { pattern: RegExp; replace: string }[] = [
  // PostgreSQL quoting a value, wherever its message ends up (the Data API puts it in its own errors' message).
  {
    pattern: /(\binvalid input (?:syntax|value) for (?:type|enum) [\w ."]{1,80}?: )"(?:[^"\\]|\\.)*"/g,
    replace: `$1"${REDACTED}"`,
  },
  { pattern: /\b(Key \([^)]{0,200}\)=\()[^)]*\)/g, replace: `$1${REDACTED})` },
];

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/** A key whose value is a client's data, a secret or carries one (a connection string, a cookie). */
export function isSensitiveKey(key: string): boolean {
  return DATA_KEYS.has(normaliseKey(key)) || holdsSecret(key);
}

function holdsSecret(name: string): boolean {
  const kind = classifySecretName(name)?.kind;
  return kind === 'secret' || kind === 'carrier';
}

interface Span {
  start: number;
  end: number;
}

/** The values of `name=value` pairs whose name holds a secret, pairs inside a value too (`failed: password=…`). */
function secretValueSpans(text: string, offset = 0): Span[] {
  const spans: Span[] = [];
  for (const { name, value, start } of assignments(text)) {
    const at = offset + start;
    if (value.length >= 4 && holdsSecret(name)) spans.push({ start: at, end: at + value.length });
    else if (/[=:]/.test(value)) spans.push(...secretValueSpans(value, at));
  }
  return spans;
}

/** The text with the spans replaced by REDACTED (spans may overlap). */
function replaceSpans(text: string, spans: readonly Span[]): string {
  if (spans.length === 0) return text;
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const { start, end } of sorted) {
    if (end <= at) continue;
    out += text.slice(at, Math.max(at, start)) + REDACTED;
    at = end;
  }
  return out + text.slice(at);
}

/** Masks credential shapes and the values of secret-named `name=value` pairs in free text. */
export function redactText(text: string): string {
  const spans = secretValueSpans(text);
  spans.push(...credentialSpansIn(text));
  let out = replaceSpans(text, spans);
  for (const { pattern, replace } of QUOTED_VALUES) out = out.replace(pattern, replace);
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
