/**
 * Password hashes by their format: crypt(3) strings (MD5-crypt `$1$`, Apache
 * `$apr1$`, SHA-crypt `$5$` / `$6$`, bcrypt `$2b$`, yescrypt `$y$`), Argon2,
 * phpass (WordPress `$P$`), Django's `pbkdf2_sha256$…`, LDAP `{SSHA}` — each
 * a complete string of its documented shape, so text that merely starts
 * like one is not a hash — and, only where a column or field says password,
 * bare hex digests (MD5, SHA-1, SHA-256, SHA-512 by length).
 *
 * Every pattern has bounded quantifiers: matching is linear in the text.
 */

const B64C = '[./0-9A-Za-z]';

/** Formats, most specific first; each a complete hash. */
const FORMATS: readonly (readonly [string, string])[] = [
  ['bcrypt', String.raw`\$2[abxy]?\$\d\d\$${B64C}{53}`],
  ['sha512-crypt', String.raw`\$6\$(?:rounds=\d{1,9}\$)?${B64C}{1,16}\$${B64C}{86}`],
  ['sha256-crypt', String.raw`\$5\$(?:rounds=\d{1,9}\$)?${B64C}{1,16}\$${B64C}{43}`],
  ['md5-crypt', String.raw`\$1\$${B64C}{1,8}\$${B64C}{22}`],
  ['apr1', String.raw`\$apr1\$${B64C}{1,8}\$${B64C}{22}`],
  ['yescrypt', String.raw`\$(?:y|gy|7)\$${B64C}{1,64}\$${B64C}{0,64}\$${B64C}{43}`],
  [
    'argon2',
    String.raw`\$argon2(?:id|i|d)\$v=\d{1,3}\$m=\d{1,9},t=\d{1,9},p=\d{1,9}\$[A-Za-z0-9+/]{8,128}\$[A-Za-z0-9+/]{16,256}`,
  ],
  ['phpass', String.raw`\$[PH]\$${B64C}{31}`],
  ['django-pbkdf2', String.raw`pbkdf2_sha(?:1|256)\$\d{1,9}\$[A-Za-z0-9]{1,64}\$[A-Za-z0-9+/]{27,86}={0,2}`],
  ['ldap', String.raw`\{(?:SSHA512|SSHA256|SSHA|SHA512|SHA256|SHA|SMD5|MD5)\}[A-Za-z0-9+/]{20,128}={0,2}`],
];

/** Any format above, not glued to more hash characters on either side. */
export const HASH_PATTERN = new RegExp(
  String.raw`(?<![\w$./{}])(?:${FORMATS.map(([, source]) => source).join('|')})(?![\w$./+=])`,
  'g',
);

const WHOLE = FORMATS.map(([name, source]) => [name, new RegExp(`^(?:${source})$`)] as const);

const HEX_DIGESTS: Readonly<Record<number, string>> = {
  32: 'md5',
  40: 'sha1',
  56: 'sha224',
  64: 'sha256',
  96: 'sha384',
  128: 'sha512',
};

/** The format of a password hash, or undefined; hex digests only when `hexToo` (a password column says so). */
export function hashType(value: string, hexToo = false): string | undefined {
  if (/^[0-9a-f]+$/i.test(value)) {
    return hexToo && /\d/.test(value) && /[a-f]/i.test(value) ? HEX_DIGESTS[value.length] : undefined;
  }
  for (const [name, whole] of WHOLE) if (whole.test(value)) return name;
  return undefined;
}

/** The literal characters a hash's format fixes (`$2b$`, `{SSHA}`, `pbkdf2_sha256$`): its marker, for confidence. */
export function hashMarker(value: string): string {
  return /^(?:\$[\w-]+\$|\{\w+\}|pbkdf2_sha\d+\$)/.exec(value)?.[0] ?? '';
}
