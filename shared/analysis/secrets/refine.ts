/**
 * What a pattern alone cannot tell about a match: whether a JWT has a header
 * with an algorithm (and whether it is signed or expired), whether a key
 * block holds key material, whether a database URL points at a local host or
 * repeats its user as password, whether a Stripe key is a test-mode one.
 */
import type { CredentialId } from '../../core/secret-patterns.js';
import { placeholderReason } from '../../core/secret-values.js';
import type { Lowered, SecretSeverity } from './severity.js';

export interface Refined {
  /** The secret, when it is not the pattern's group as found (a key block's material). */
  value?: string;
  /** What the masked form starts with beyond the secret (a URL's host…). */
  shownPrefix?: string;
  lowered?: Lowered;
  severity?: SecretSeverity;
  extra?: Record<string, unknown>;
}

/** Refines a match; undefined drops it. */
type Refine = (match: RegExpExecArray, value: string, now: Date) => Refined | undefined;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function decodeJsonPart(part: string): Record<string, unknown> | undefined {
  if (!BASE64URL.test(part)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function privateKey(match: RegExpExecArray, body: string): Refined | undefined {
  // The key material, wherever it sits: PEM lines, a JSON string with \n escapes, a YAML block.
  const material = body.replace(/\\[nr]|["'+,\s]|Proc-Type:[^\n]*|DEK-Info:[^\n]*/g, '');
  const kind = match[1] ?? 'PRIVATE KEY';
  if (/x{5,}|\.{3}|EXAMPLE|<[^>]*>/i.test(body)) return { lowered: 'placeholder', extra: { keyType: kind } };
  if (!/[A-Za-z0-9+/=]{40,}/.test(material)) return undefined;
  return {
    value: material,
    shownPrefix: `-----BEGIN ${kind}----- `,
    extra: { keyType: kind },
    ...(kind.startsWith('ENCRYPTED') ? { severity: 'high' as const } : {}),
  };
}

function jwt(_match: RegExpExecArray, value: string, now: Date): Refined | undefined {
  const [head = '', body = '', signature = ''] = value.split('.');
  const header = decodeJsonPart(head);
  if (header === undefined || typeof header.alg !== 'string') return undefined;
  const claims = decodeJsonPart(body) ?? {};
  const extra: Record<string, unknown> = { alg: header.alg };
  if (typeof claims.exp === 'number') extra.expiresAt = new Date(claims.exp * 1000).toISOString();
  if (header.alg.toLowerCase() === 'none' || signature === '') return { lowered: 'unsigned-token', extra };
  // The example token of jwt.io and of countless tutorials (sub 1234567890, John Doe).
  if (claims.sub === '1234567890' && claims.name === 'John Doe') return { lowered: 'placeholder', extra };
  if (typeof claims.exp === 'number' && claims.exp * 1000 < now.getTime()) {
    return { lowered: 'expired-token', extra };
  }
  return { extra };
}

const LOCAL_HOST = /^(?:localhost|127\.\d+\.\d+\.\d+|\[?::1\]?|0\.0\.0\.0|host\.docker\.internal)$/i;

function databaseUrl(match: RegExpExecArray, password: string): Refined {
  const [, scheme = '', user = '', , host = ''] = match;
  const shown = {
    shownPrefix: `${scheme}${user}:`,
    extra: { scheme: scheme.replace(/:\/\/$/, ''), host },
  };
  if (password === user && user !== '') return { ...shown, lowered: 'placeholder' };
  return LOCAL_HOST.test(host) ? { ...shown, lowered: 'local-only' } : shown;
}

/** A URL's user-info (`user:password`): the password is the secret; a local host or the user repeated lowers it. */
function urlCredentials(match: RegExpExecArray, userInfo: string): Refined {
  const [, scheme = '', , host = ''] = match;
  const colon = userInfo.indexOf(':');
  const user = userInfo.slice(0, colon);
  const password = userInfo.slice(colon + 1);
  const shown = {
    value: password,
    shownPrefix: `${scheme}${user}:`,
    extra: { scheme: scheme.replace(/:\/\/$/, ''), host },
  };
  if (password === user) return { ...shown, lowered: 'placeholder' };
  return LOCAL_HOST.test(host) ? { ...shown, lowered: 'local-only' } : shown;
}

/** `user:password` (curl -u): shows the user; a placeholder password (`user:password`, `me:changeme`) is not a leak. */
function userPassword(_match: RegExpExecArray, value: string): Refined {
  const colon = value.indexOf(':');
  const user = value.slice(0, colon);
  const password = value.slice(colon + 1);
  const shown = { shownPrefix: `${user}:`, value: password };
  return password === user || placeholderReason(password) !== undefined
    ? { ...shown, lowered: 'placeholder' }
    : shown;
}

const REFINE: Partial<Record<CredentialId, Refine>> = {
  'slack-webhook': (match) => ({ shownPrefix: match[1] }),
  'stripe-key': (_match, value) => (value.includes('_test_') ? { lowered: 'test-mode-key' } : {}),
  'private-key': privateKey,
  jwt,
  'db-url-credentials': databaseUrl,
  'url-credentials': urlCredentials,
  'curl-basic-auth': userPassword,
};

export function refine(
  id: CredentialId,
  match: RegExpExecArray,
  value: string,
  now: Date,
): Refined | undefined {
  const step = REFINE[id];
  return step === undefined ? {} : step(match, value, now);
}
