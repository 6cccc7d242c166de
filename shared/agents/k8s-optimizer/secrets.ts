/**
 * Which literal environment values are secrets (K8S020). A variable is
 * secret-looking by its name (the one secret-name classifier: password,
 * token, secret, API key, credential — not TOKEN_TTL, PASSWORD_FILE,
 * SECRET_NAME) or by its value (a shape of the one credential table, a URL
 * with a password). Values that cannot be a secret (empty, booleans, numbers,
 * paths, `$(VAR)` references) are skipped; obvious placeholders are reported
 * at low severity. Nothing here returns the value itself.
 */
import {
  CREDENTIAL_SHAPES,
  type CredentialKind,
  credentialKind,
  credentialSpans,
  holdsCredential,
  isSecretName,
  placeholderReason,
} from '../../analysis/secrets/index.js';

const URL_CREDENTIALS = credentialKind('url-credentials');

/** Shapes that make a value a secret whatever the variable is called (URLs are judged by their password). */
const VALUE_SHAPES: readonly CredentialKind[] = CREDENTIAL_SHAPES.filter(
  (kind) => kind.reported && kind.id !== 'db-url-credentials' && kind.id !== URL_CREDENTIALS.id,
);

/** The password of a `scheme://user:password@host` value. */
function urlPassword(value: string): string | undefined {
  const span = credentialSpans(URL_CREDENTIALS, value).next().value;
  if (span === undefined) return undefined;
  const userInfo = value.slice(span.start, span.end);
  return userInfo.slice(userInfo.indexOf(':') + 1);
}

/** Values that cannot be a literal secret: empty, booleans, numbers and durations, paths, env references. */
function cannotBeSecret(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed.length < 3) return true;
  if (/^(?:true|false|yes|no|on|off|enabled|disabled)$/i.test(trimmed)) return true;
  if (/^-?\d+(?:\.\d+)?(?:ms|[smhdw])?$/i.test(trimmed)) return true;
  if (/^(?:\/|~\/|\.\.?\/|file:)/.test(trimmed)) return true;
  return /\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[^}]+\}/.test(trimmed) && urlPassword(trimmed) === undefined;
}

export type SecretVerdict =
  | { secret: false }
  | { secret: true; placeholder: boolean; reason: 'name' | 'credential-format' | 'url-password' };

function isPlaceholder(value: string): boolean {
  return placeholderReason(value.trim()) !== undefined;
}

/** Whether a literal `value` of the variable `name` is a secret that should not be in the manifest. */
export function classifyEnvValue(name: string, value: string): SecretVerdict {
  const password = urlPassword(value);
  if (password !== undefined && !/^\$[({]/.test(password)) {
    return { secret: true, placeholder: isPlaceholder(password), reason: 'url-password' };
  }
  if (holdsCredential(value, VALUE_SHAPES) !== undefined) {
    return { secret: true, placeholder: false, reason: 'credential-format' };
  }
  if (!isSecretName(name) || cannotBeSecret(value)) return { secret: false };
  return { secret: true, placeholder: isPlaceholder(value), reason: 'name' };
}
