/**
 * What a secret's value says about it: how random it is (Shannon entropy),
 * whether it is an example, a placeholder or a reference rather than a
 * credential, whether a literal assigned to a secret name looks like a real
 * one, and its masked form — a short prefix and the length, so a finding can
 * be matched with the file by a human but never replayed.
 *
 * In core with the credential table (./secret-patterns.ts) because the LLM
 * masking, which sits beside the analysis engines and may not import them,
 * judges values with it; shared/analysis/secrets re-exports it.
 */
import { credentialKind } from './secret-patterns.js';

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  const length = [...value].length;
  for (const count of counts.values()) {
    const p = count / length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/**
 * `AKIA…(20 chars)`: at most 4 leading characters, fewer for short values
 * (a quarter of the length), so short passwords show almost nothing.
 */
export function maskSecret(value: string): string {
  const shown = Math.min(4, Math.floor(value.length / 4));
  return `${value.slice(0, shown)}…(${value.length} chars)`;
}

/** Documented example credentials (AWS docs). */
export const KNOWN_EXAMPLES = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'AKIAI44QH8DHBEXAMPLE',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
]);

const PLACEHOLDER_WORDS =
  /example|sample|changeme|change[_-]me|replace[_-]?me|your[_-]|placeholder|dummy|fake|redacted|notreal|not[_-]a[_-]real|todo|fixme|insert[_-]|lorem|secret[_-]?here|token[_-]?here|key[_-]?here/i;

/** Values people put where a password goes when they do not mean one. */
const DEFAULT_VALUES = new Set(
  (
    'password passw0rd secret admin root test testing postgres mysql changeit default pass pwd none null ' +
    'undefined true false empty guest user username token apikey api_key secretkey secret_key 12345678 ' +
    '123456 qwerty letmein'
  ).split(' '),
);

/**
 * A `${VAR}` / `$VAR` / `{{ var }}` / `${{ secrets.X }}` / `%(var)s` / `%env:X%` / `$env:X` reference or
 * template, or a read of the environment (`os.getenv("X")`, `process.env.X`, `ENV.fetch`).
 */
const REFERENCE =
  /^\$\{[^}]*\}$|^\${1,2}[A-Za-z_][A-Za-z0-9_]*$|^\$\$\{[^}]*\}$|\{\{[^{}]*\}\}|^%\([^)]*\)s$|^%[A-Za-z_][\w:.-]*%$|^\$env:\w+$|^\$\([^)]*\)$|^!(?:Ref|Sub|GetAtt|ImportValue)\b|\{\{resolve:|^@Microsoft\.KeyVault\(|^(?:process\.env|os\.environ|os\.getenv|getenv\(|env\(|ENV\[|ENV\.fetch|System\.getenv|Environment\.GetEnvironmentVariable)|^#\{[^}]*\}$/;

/** Terraform's roots of an expression (`var.db_password`, `data.…`, `module.…`, `local.…`, `each.value`). */
const TERRAFORM_ROOTS = /^(?:var|local|module|data|each|count|self|path|terraform)\./;
/** `a.b` and longer paths of identifiers, with `[0]` / `["x"]` subscripts. */
const IDENTIFIER_PATH = /^[A-Za-z_][\w-]*(?:\[[^\]\s]*\])*(?:\.[A-Za-z_][\w-]*(?:\[[^\]\s]*\])*)+$/;
/** A lower-case identifier (`administrator_login_password`, `main`): random text has capitals or is one run. */
const LOWER_SEGMENT = /^[a-z_][a-z0-9_-]*(?:\[[^\]\s]*\])*$/;

/**
 * An expression naming where a value lives instead of the value: a Terraform
 * reference (`var.db_password`, `random_password.db.result`,
 * `azurerm_sql_server.main.administrator_login_password` — a resource type is
 * `<provider>_<type>`), or any path of three lower-case identifiers or more
 * (`config.db.password`). A password is rarely `word.word.word`; a JWT's
 * base64url parts have capitals.
 */
export function isExpressionReference(value: string): boolean {
  if (!IDENTIFIER_PATH.test(value)) return false;
  if (TERRAFORM_ROOTS.test(value)) return true;
  const segments = value.split('.');
  if (!segments.every((segment) => LOWER_SEGMENT.test(segment))) return false;
  return /^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(segments[0] as string) || segments.length >= 3;
}

/** Why a value is an example, a placeholder or a reference rather than a credential. */
export function placeholderReason(value: string): 'placeholder' | 'reference' | undefined {
  if (REFERENCE.test(value) || /\$\{[^}]+\}/.test(value) || isExpressionReference(value)) return 'reference';
  if (KNOWN_EXAMPLES.has(value)) return 'placeholder';
  // Our own masked form (`Qx7…(12 chars)`): a report or a log line quoting a finding, not the secret.
  if (/…\(\d+/.test(value)) return 'placeholder';
  if (PLACEHOLDER_WORDS.test(value)) return 'placeholder';
  // `<your-token>`, `<must-be-changed>`: a word in angle brackets (not any `<…>`, which a random salt may hold).
  if (/x{5,}|X{5,}|\*{3,}|\.{3}|<[A-Za-z][\w .-]{0,60}>|0{8,}|1234567|abcdefgh/i.test(value))
    return 'placeholder';
  if (/^(.)\1+$/.test(value)) return 'placeholder';
  // `yourpassword`, `YourApiKey`: "your" run into the word it stands for.
  if (/^(?:your|Your|YOUR)(?:[A-Z_-]|pass|secret|token|key|api|user|db|app|client|access|auth)/.test(value))
    return 'placeholder';
  // `GOOGLE_API_KEY_VAL`, `DB_PASSWORD_HERE`: the name of a variable in capitals where its value goes.
  if (
    /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value) &&
    /KEY|TOKEN|SECRET|PASS|PWD|_VAL(?:UE)?$|HERE$/.test(value)
  )
    return 'placeholder';
  if (DEFAULT_VALUES.has(value.toLowerCase())) return 'placeholder';
  return undefined;
}

/** The generic rule's entropy floor for long values, from its row of the table. */
const GENERIC_ENTROPY = credentialKind('generic-secret').entropy ?? 0;

function characterClasses(value: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((c) => c.test(value)).length;
}

/**
 * The entropy (bits per character) a literal assigned to a secret name must
 * reach: a password of any length from 4 on, at least three quarters of the
 * most a value of its length can have (log2 of the length) or 2.5 bits; any
 * other secret the generic row's floor from 16 characters on, 3 bits below,
 * or three quarters of its alphabet's most when that is lower (hex, digits).
 */
export function secretValueFloor(value: string, password: boolean): number {
  if (password) return Math.min(2.5, 0.75 * Math.log2(Math.max(value.length, 1)));
  return Math.min(value.length >= 16 ? GENERIC_ENTROPY : 3, 0.75 * Math.log2(alphabetSize(value)));
}

/**
 * The alphabet a value is drawn from, as far as it shows: hex digits (16),
 * decimal digits (10), or anything else (64, base64's). A random hex string
 * cannot reach the generic floor — its most is 4 bits a character, a random
 * 40-digit one averages about 3.7 — so its floor is three quarters of its
 * alphabet's most, like a password's.
 */
function alphabetSize(value: string): number {
  if (/^\d+$/.test(value)) return 10;
  if (/^[0-9a-f]+$/.test(value) || /^[0-9A-F]+$/.test(value)) return 16;
  return 64;
}

/** Whether a literal assigned to a secret name looks like a real credential (the generic rule's entropy test). */
export function looksLikeSecretValue(value: string, password: boolean): boolean {
  if (/\s/.test(value)) return false;
  if (/^[a-z][a-z0-9]*(?:[_.-][a-z0-9]+)*$/.test(value) && !/\d/.test(value)) return false; // a word or slug
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(value) && !/\d/.test(value)) return false; // a constant's name
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false; // a URL (credentials in URLs have their own rule)
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(value)) return false; // a path
  if (/^\d+(?:\.\d+)?$/.test(value) && value.length < 12) return false; // a number
  if (/^(?:arn|ssm|secretsmanager|kms):/i.test(value)) return false; // a reference to a store
  const entropy = shannonEntropy(value);
  const floor = secretValueFloor(value, password);
  if (password) return value.length >= 4 && entropy >= floor && characterClasses(value) >= 2;
  if (value.length >= 16 && entropy >= floor) return true;
  return value.length >= 8 && entropy >= 3 && characterClasses(value) >= 3;
}
