/**
 * The shape of a row of the credential table (./secret-patterns.ts) and the
 * helpers its family files (./secret-providers/*.ts) write rows with: a row
 * keeps its id and `reported` as literal types, so the table's id union and
 * the security scanner's SEC-* rule ids are derived from the rows themselves.
 *
 * Imports nothing: the family files and the table both read it.
 */

export type CredentialSeverity = 'critical' | 'high' | 'medium';

export interface CredentialRow<Id extends string = string, Reported extends boolean = boolean> {
  id: Id;
  title: string;
  /** What it is and what a holder can do with it: the SEC-<ID> rule's description. */
  description: string;
  /** How bad a leak of it is, before a placeholder, a test key or a fixture lowers it. */
  severity: CredentialSeverity;
  /** Global; `group` is the capture group holding the secret (0: the whole match). */
  pattern: RegExp;
  group: number;
  /** Lower-case strings one of which the text must contain before the pattern is tried. */
  keywords: readonly string[];
  /** Minimum Shannon entropy (bits per character) of the secret, where a low one means a word. */
  entropy?: number;
  /** Whether the security scanner reports it (a SEC-<ID> rule); the others are only hidden (redaction, masking). */
  reported: Reported;
  /** Found by the name it is assigned to, not by its shape: the engine's generic rule, not a bare pattern. */
  byName?: true;
  /**
   * A wide shape that may hold another row's token (a URL's user-info, an
   * Authorization header): tried after every specific row, and yields to it.
   */
  fallback?: true;
  samples: { secrets: readonly string[]; notSecrets: readonly string[] };
}

/** Characters a token is made of: a match must not start or end inside a longer run of them. */
const TOKEN_EDGE = 'A-Za-z0-9_-';

/**
 * A bare token (group 1) that is not part of a longer word: `body` is a regex
 * source anchored by its literal prefix, with bounded quantifiers only.
 */
export function token(body: string, edge = TOKEN_EDGE): RegExp {
  // `=` ends base64 padding but also assigns (`KEY=token`): it never rules out a start.
  return new RegExp(`(?<![${edge.replace('=', '')}])(${body})(?![${edge}])`, 'g');
}

/** A regex source whose letters match either case (outside escapes and classes), the rest of the pattern staying case-sensitive. */
function caseless(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i] as string;
    if (char === '\\') {
      out += char + (source[i + 1] ?? '');
      i += 1;
    } else if (inClass || !/[a-z]/i.test(char)) {
      if (char === '[') inClass = true;
      else if (char === ']') inClass = false;
      out += char;
    } else out += `[${char.toLowerCase()}${char.toUpperCase()}]`;
  }
  return out;
}

/**
 * A value (group 1) assigned to a name that contains one of `names` (a regex
 * alternation, matched case-insensitively; the value's shape is
 * case-sensitive): `datadog_api_key = "…"`, `"DD_API_KEY": "…"`,
 * `--datadog-key=…`. For values whose shape alone is too common (32 hex, a
 * UUID): the name says whose key it is.
 */
export function keyed(names: string, value: string): RegExp {
  return new RegExp(
    `(?:${caseless(names)})[\\w.-]{0,30}["']?[ \\t]{0,5}(?:=|:=|:|=>|,|\\?=)[ \\t]{0,5}["'\`]?(${value})(?![A-Za-z0-9_+/-])`,
    'g',
  );
}

/** Deterministic random-looking text for samples (so the repository holds no literal token). */
export function fake(length: number, alphabet: string = ALNUM, seed = 7): string {
  let state = Math.imul(seed, 2_654_435_761) >>> 0 || 1;
  let out = '';
  for (let i = 0; i < length; i += 1) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    out += alphabet[(state >>> 16) % alphabet.length];
  }
  return out;
}

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const HEX = '0123456789abcdef';
export const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const BASE64 = `${ALNUM}+/`;
export const BASE64URL = `${ALNUM}_-`;

/** A random-looking UUID (lower-case hex). */
export function fakeUuid(seed = 7): string {
  const hex = fake(32, HEX, seed);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

interface RowText<Id extends string> {
  id: Id;
  title: string;
  description: string;
  severity: CredentialSeverity;
  keywords: readonly string[];
  secrets: readonly string[];
  notSecrets: readonly string[];
  entropy?: number;
}

/** A reported row found by its shape alone (`body`: a regex source led by the token's literal prefix). */
export function bare<const Id extends string>(
  row: RowText<Id> & { body: string; edge?: string },
): CredentialRow<Id, true> {
  const { body, edge, secrets, notSecrets, ...text } = row;
  return { ...text, pattern: token(body, edge), group: 1, reported: true, samples: { secrets, notSecrets } };
}

/** A reported row found by a value of `value`'s shape assigned to a name matching `names` (see keyed). */
export function named<const Id extends string>(
  row: RowText<Id> & { names: string; value: string },
): CredentialRow<Id, true> {
  const { names, value, secrets, notSecrets, entropy, ...text } = row;
  return {
    ...text,
    pattern: keyed(names, value),
    group: 1,
    entropy: entropy ?? 3,
    reported: true,
    samples: { secrets, notSecrets },
  };
}
