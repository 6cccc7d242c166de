/**
 * Credential files, recognised by their name and their format rather than by
 * a token's shape: a Git credential store (`https://user:pass@host` lines), a
 * `.netrc` (`machine … login … password …`), a `.pgpass`
 * (`host:port:db:user:password`), an `.npmrc` (`_auth`, `_authToken`,
 * `_password`), Docker's `config.json` / `.dockercfg` (`"auth"`: base64 of
 * `user:password`, decoded and checked), FileZilla's saved `<Pass>`, a PuTTY
 * `.ppk` private key, Firefox's `logins.json`, and password hashes (shadow
 * and htpasswd lines, crypt and bcrypt strings anywhere, hex digests in the
 * password column of an SQL dump — ./hashes.ts).
 *
 * Each detector is one pass of bounded regular expressions or of a
 * character loop over the text: linear in its size. As with the credential
 * table (./scan.ts) the value never leaves: a match carries its masked form,
 * its length, its entropy and a confidence (./confidence.ts); references
 * (`${NPM_TOKEN}`) are not matches, placeholders are reported at info and
 * test material at low.
 */
import {
  looksLikeSecretValue,
  maskSecret,
  placeholderReason,
  shannonEntropy,
} from '../../core/secret-values.js';
import { isTestPath, LineIndex } from '../source/files.js';
import { secretConfidence } from './confidence.js';
import { dumpHashes, type HashFound, hashLines } from './dumps.js';
import { hashMarker, hashType } from './hashes.js';
import { loweredSeverity, type SecretSeverity } from './severity.js';

export type CredentialFileId =
  | 'git-credentials'
  | 'netrc'
  | 'pgpass'
  | 'npmrc'
  | 'docker-auth'
  | 'filezilla'
  | 'putty-key'
  | 'browser-logins'
  | 'password-hash'
  | 'key-file';

export interface CredentialFileKind {
  id: CredentialFileId;
  title: string;
  severity: Exclude<SecretSeverity, 'info' | 'low'>;
  cwe: string;
}

export const CREDENTIAL_FILES: readonly CredentialFileKind[] = [
  {
    id: 'git-credentials',
    title: 'Password in a Git credential store',
    severity: 'critical',
    cwe: 'CWE-522',
  },
  { id: 'netrc', title: 'Password in a .netrc file', severity: 'critical', cwe: 'CWE-522' },
  { id: 'pgpass', title: 'Password in a PostgreSQL .pgpass file', severity: 'high', cwe: 'CWE-522' },
  { id: 'npmrc', title: 'npm registry credential in .npmrc', severity: 'critical', cwe: 'CWE-522' },
  { id: 'docker-auth', title: 'Docker registry credential', severity: 'critical', cwe: 'CWE-522' },
  { id: 'filezilla', title: 'FileZilla saved server password', severity: 'high', cwe: 'CWE-522' },
  { id: 'putty-key', title: 'PuTTY private key', severity: 'critical', cwe: 'CWE-522' },
  {
    id: 'browser-logins',
    title: 'Browser saved logins (Firefox logins.json)',
    severity: 'high',
    cwe: 'CWE-522',
  },
  {
    id: 'password-hash',
    title: 'Password hash or password in a user table',
    severity: 'high',
    cwe: 'CWE-916',
  },
  {
    id: 'key-file',
    title: 'Key file holding a bare secret key',
    severity: 'critical',
    cwe: 'CWE-798',
  },
];

const KINDS = new Map(CREDENTIAL_FILES.map((kind) => [kind.id, kind]));

/** The rule a credential file's match is reported under: SEC-FILE-<ID>. */
export function credentialFileRuleId(id: CredentialFileId): `SEC-FILE-${Uppercase<CredentialFileId>}` {
  return `SEC-FILE-${id.toUpperCase()}` as `SEC-FILE-${Uppercase<CredentialFileId>}`;
}

/** One credential a detector found. */
export interface FileHit {
  id: CredentialFileId;
  /** Offset of the secret in the text. */
  start: number;
  value: string;
  /** The literal marker of the format that names the secret (`password`, `_authToken`, `$6$`): ./confidence.ts. */
  marker: string;
  /** What the masked form starts with beyond the secret. */
  shownPrefix?: string;
  severity?: SecretSeverity;
  extra?: Record<string, unknown>;
}

export interface FileSecretMatch {
  id: CredentialFileId;
  title: string;
  line: number;
  column: number;
  severity: SecretSeverity;
  lowered?: 'placeholder' | 'test-fixture';
  message: string;
  evidence: Record<string, unknown>;
  /** Tells apart several matches of one kind in a file. */
  ordinal: number;
  confidence: number;
}

function baseName(path: string): string {
  return (path.split(/[\\/]/).pop() ?? path).toLowerCase();
}

/** Base64 text decoded as UTF-8, or undefined when it is not base64 or not text. */
export function decodeBase64(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 === 1) return undefined;
  const text = Buffer.from(value, 'base64').toString('utf8');
  return /^[\P{C}]*$/u.test(text) && !text.includes('\uFFFD') ? text : undefined;
}

function unquote(value: string): string {
  return value.replace(/^["']|["']$/g, '');
}

/** `.git-credentials`: `https://user:password@host` per line. */
function gitCredentials(path: string, content: string): FileHit[] {
  const name = baseName(path);
  if (name !== '.git-credentials' && name !== 'git-credentials' && !/(?:^|\/)git\/credentials$/.test(path))
    return [];
  const hits: FileHit[] = [];
  for (const m of content.matchAll(
    /^[ \t]*([a-z][a-z0-9+.-]*:\/\/)([^:@\s/]*):([^@\s]{1,500})@([^\s/?#]+)/dgm,
  )) {
    const at = m.indices?.[3];
    if (at === undefined) continue;
    hits.push({
      id: 'git-credentials',
      start: at[0],
      value: m[3] as string,
      marker: '://:@',
      extra: { host: m[4] },
    });
  }
  return hits;
}

const NETRC_NAMES = new Set(['.netrc', '_netrc', 'netrc']);

/** `.netrc`: tokens `machine H login U password P` in any layout; `macdef` bodies skipped. Elsewhere, one-line entries. */
function netrc(path: string, content: string): FileHit[] {
  const hits: FileHit[] = [];
  if (!NETRC_NAMES.has(baseName(path))) {
    for (const m of content.matchAll(
      /\bmachine[ \t]+(\S{1,253})[ \t]+login[ \t]+\S{1,200}[ \t]+password[ \t]+(\S{1,500})/dg,
    )) {
      const at = m.indices?.[2];
      if (at !== undefined)
        hits.push({
          id: 'netrc',
          start: at[0],
          value: unquote(m[2] as string),
          marker: 'machinepassword',
          extra: { host: m[1] },
        });
    }
    return hits;
  }
  let machine: string | undefined;
  let expecting: 'host' | 'password' | undefined;
  const token = /\S+/g;
  for (let m = token.exec(content); m !== null; m = token.exec(content)) {
    const word = m[0];
    if (expecting !== undefined) {
      // The token after `machine` / `password` is its value, whatever it reads.
      if (expecting === 'host') machine = word;
      else
        hits.push({ id: 'netrc', start: m.index, value: word, marker: 'password', extra: { host: machine } });
      expecting = undefined;
      continue;
    }
    if (word === 'machine') expecting = 'host';
    else if (word === 'password') expecting = 'password';
    else if (word === 'default') machine = 'default';
    else if (word === 'macdef') {
      // A macro's body runs to the next blank line.
      const end = content.indexOf('\n\n', m.index);
      if (end < 0) break;
      token.lastIndex = end;
    }
  }
  return hits;
}

/** `.pgpass`: `host:port:database:user:password`, `\:` and `\\` escaped. */
function pgpass(path: string, content: string): FileHit[] {
  const name = baseName(path);
  if (name !== '.pgpass' && name !== 'pgpass.conf' && name !== 'pgpass') return [];
  const field = String.raw`((?:[^:\\\n]|\\.){0,255})`;
  const line = new RegExp(
    String.raw`^(?!#)${field}:${field}:${field}:${field}:((?:[^\\\n]|\\.){1,500})$`,
    'gdm',
  );
  const hits: FileHit[] = [];
  for (const m of content.matchAll(line)) {
    const at = m.indices?.[5];
    const value = (m[5] as string).replace(/\\(.)/g, '$1').trimEnd();
    if (at === undefined || value === '') continue;
    hits.push({ id: 'pgpass', start: at[0], value, marker: '::::', extra: { host: m[1] } });
  }
  return hits;
}

/** `.npmrc` (`//registry/:_authToken=…`, `_auth=`, `_password=`) and `.yarnrc.yml` (`npmAuthToken:`, `npmAuthIdent:`). */
function npmrc(path: string, content: string): FileHit[] {
  const name = baseName(path);
  const pattern =
    name === '.npmrc' || name === 'npmrc'
      ? /^[ \t]*(?:(\/\/[^\s=]{0,300}?):)?(_authToken|_auth|_password|authToken)[ \t]*=[ \t]*("[^"\n]{1,2000}"|'[^'\n]{1,2000}'|[^\s;#]{1,2000})/dgm
      : name === '.yarnrc.yml' || name === '.yarnrc.yaml'
        ? /^[ \t]*()(npmAuthToken|npmAuthIdent)[ \t]*:[ \t]*("[^"\n]{1,2000}"|'[^'\n]{1,2000}'|[^\s#]{1,2000})/dgm
        : undefined;
  if (pattern === undefined) return [];
  const hits: FileHit[] = [];
  for (const m of content.matchAll(pattern)) {
    const at = m.indices?.[3];
    if (at === undefined) continue;
    const value = unquote(m[3] as string);
    const field = m[2] as string;
    const extra: Record<string, unknown> = { field, ...(m[1] ? { registry: m[1] } : {}) };
    // `_auth` is base64 of user:password, `_password` base64 of the password.
    if (field === '_auth') extra.decoded = decodeBase64(value)?.includes(':') ?? false;
    hits.push({ id: 'npmrc', start: at[0] + (m[3] === value ? 0 : 1), value, marker: field, extra });
  }
  return hits;
}

/** Docker's `"auth": "base64(user:password)"` and `"identitytoken"`, also inside a k8s `.dockerconfigjson`. */
function dockerAuth(path: string, content: string): FileHit[] {
  const name = baseName(path);
  const dockerFile = name === '.dockercfg' || name === 'config.json' || content.includes('"auths"');
  const hits: FileHit[] = [];
  if (dockerFile) hits.push(...dockerAuthEntries(content, 0));
  for (const m of content.matchAll(
    /\.dockerconfigjson["']?[ \t]*:[ \t]*["']?(eyJ[A-Za-z0-9+/]{8,100000}={0,2})/dg,
  )) {
    const at = m.indices?.[1];
    const inner = decodeBase64(m[1] as string);
    if (at === undefined || inner === undefined) continue;
    // The decoded file's offsets mean nothing here: every credential points at the encoded value.
    for (const hit of dockerAuthEntries(inner, 0))
      hits.push({ ...hit, start: at[0], extra: { ...hit.extra, encoded: 'dockerconfigjson' } });
  }
  return hits;
}

function dockerAuthEntries(content: string, offset: number): FileHit[] {
  const hits: FileHit[] = [];
  const pattern = /"(auth|identitytoken|registrytoken)"[ \t]*:[ \t]*"([^"\n]{4,10000})"/dg;
  for (const m of content.matchAll(pattern)) {
    const at = m.indices?.[2];
    if (at === undefined) continue;
    const field = m[1] as string;
    const value = m[2] as string;
    if (field === 'auth') {
      const decoded = decodeBase64(value);
      const colon = decoded?.indexOf(':') ?? -1;
      if (decoded === undefined || colon < 1 || colon === decoded.length - 1) continue;
      hits.push({
        id: 'docker-auth',
        start: offset + at[0],
        value: decoded.slice(colon + 1),
        marker: '"auth"',
        extra: { field, decoded: true },
      });
    } else {
      hits.push({ id: 'docker-auth', start: offset + at[0], value, marker: `"${field}"`, extra: { field } });
    }
  }
  return hits;
}

const FILEZILLA_NAMES = new Set(['sitemanager.xml', 'recentservers.xml', 'filezilla.xml', 'queue.xml']);

/** FileZilla's `<Pass>` (plain or `encoding="base64"`). */
function fileZilla(path: string, content: string): FileHit[] {
  if (!FILEZILLA_NAMES.has(baseName(path)) && !content.includes('<FileZilla3')) return [];
  const hits: FileHit[] = [];
  for (const m of content.matchAll(/<Pass(\s+encoding="base64")?\s*>([^<\n]{1,2000})<\/Pass>/dg)) {
    const at = m.indices?.[2];
    if (at === undefined) continue;
    const encoded = m[1] !== undefined;
    const value = encoded ? decodeBase64(m[2] as string) : m[2];
    if (value === undefined || value === '') continue;
    hits.push({
      id: 'filezilla',
      start: at[0],
      value,
      marker: '<Pass>',
      extra: { encoding: encoded ? 'base64' : 'plain' },
    });
  }
  return hits;
}

/** PuTTY `.ppk` v2/v3: the header, `Encryption:` and `Private-Lines: N` followed by N lines of key material. */
function puttyKey(_path: string, content: string): FileHit[] {
  if (!content.includes('PuTTY-User-Key-File-')) return [];
  const hits: FileHit[] = [];
  const header = /^PuTTY-User-Key-File-(\d+):[ \t]*(\S+)[ \t]*\r?\n(?:Encryption:[ \t]*(\S+))?/gm;
  for (const m of content.matchAll(header)) {
    const start = m.index ?? 0;
    // The key runs to the next key's header: each part of the text is read once.
    const nextHeader = content.indexOf('PuTTY-User-Key-File-', start + 1);
    const rest = content.slice(start, Math.min(nextHeader < 0 ? content.length : nextHeader, start + 20_000));
    const lines = /^Private-Lines:[ \t]*(\d{1,4})[ \t]*\r?\n/m.exec(rest);
    if (lines === null) continue;
    const bodyStart = (lines.index ?? 0) + lines[0].length;
    const material = rest.slice(bodyStart).split(/\r?\n/).slice(0, Number(lines[1])).join('');
    if (!/^[A-Za-z0-9+/=]{40,}$/.test(material)) continue;
    const encryption = m[3] ?? 'none';
    hits.push({
      id: 'putty-key',
      start,
      value: material,
      marker: 'PuTTY-User-Key-File-',
      shownPrefix: `PuTTY-User-Key-File-${m[1]}: `,
      extra: { keyType: m[2], encryption },
      ...(encryption === 'none' ? {} : { severity: 'high' as const }),
    });
  }
  return hits;
}

/** Firefox's `logins.json`: one match per saved login (`encryptedPassword`, decryptable with key4.db). */
function browserLogins(path: string, content: string): FileHit[] {
  if (baseName(path) !== 'logins.json' && !content.includes('"encryptedPassword"')) return [];
  const hits: FileHit[] = [];
  for (const m of content.matchAll(/"encryptedPassword"[ \t]*:[ \t]*"([A-Za-z0-9+/=]{8,20000})"/dg)) {
    const at = m.indices?.[1];
    if (at !== undefined)
      hits.push({
        id: 'browser-logins',
        start: at[0],
        value: m[1] as string,
        marker: '"encryptedPassword"',
        extra: { store: 'firefox' },
      });
  }
  return hits;
}

/** The hits grouped by line, in one forward walk: the first of each line, with how many the line holds. */
function firstPerLine(content: string, found: HashFound[]): HashFound[] {
  const sorted = [...found].sort((a, b) => a.start - b.start);
  const kept: HashFound[] = [];
  let lineEnd = -1;
  for (const hit of sorted) {
    const last = kept[kept.length - 1];
    if (last !== undefined && hit.start <= lineEnd) {
      last.count += 1;
      continue;
    }
    const newline = content.indexOf('\n', hit.start);
    lineEnd = newline < 0 ? content.length : newline;
    kept.push({ ...hit });
  }
  return kept;
}

/** Password hashes: crypt/bcrypt/… strings anywhere, user tables of SQL dumps; one match per line. */
function passwordHashes(path: string, content: string): FileHit[] {
  return firstPerLine(content, [...hashLines(content), ...dumpHashes(path, content)]).map((found) => ({
    id: 'password-hash',
    start: found.start,
    value: found.value,
    marker: found.plain ? '' : hashMarker(found.value),
    ...(found.plain ? { severity: 'critical' as const } : {}),
    extra: {
      hashType: found.plain ? 'none (plain text)' : (hashType(found.value, true) ?? 'unknown'),
      ...(found.table === undefined ? {} : { table: found.table }),
      ...(found.column === undefined ? {} : { tableColumn: found.column }),
      ...(found.count > 1 ? { count: found.count } : {}),
    },
  }));
}

/**
 * Files whose whole content is one key, known by name: Rails `config/master.key`
 * and `config/credentials/<env>.key` (the key of the encrypted credentials),
 * Ansible `.vault_pass` / `vault-password`, a Vault token file `.vault-token`.
 */
const KEY_FILE =
  /(?:^|\/)(?:config\/master\.key|config\/credentials\/[\w.-]+\.key|\.?vault[_-]pass(?:word)?(?:\.txt)?|\.vault-token)$/i;

function keyFile(path: string, content: string): FileHit[] {
  if (!KEY_FILE.test(path.replace(/\\/g, '/'))) return [];
  const m = /^\s*([A-Za-z0-9+/=._-]{8,200})\s*$/.exec(content);
  const value = m?.[1];
  if (value === undefined || !looksLikeSecretValue(value, true)) return [];
  return [{ id: 'key-file', start: content.indexOf(value), value, marker: '' }];
}

const DETECTORS: readonly ((path: string, content: string) => FileHit[])[] = [
  gitCredentials,
  netrc,
  pgpass,
  npmrc,
  dockerAuth,
  fileZilla,
  puttyKey,
  browserLogins,
  passwordHashes,
  keyFile,
];

/** Every credential-file match of one file, masked, in file order. */
export function findCredentialFiles(file: { path: string; content: string }): FileSecretMatch[] {
  const hits: FileHit[] = [];
  for (const detect of DETECTORS) {
    for (const hit of detect(file.path, file.content)) {
      const reason = placeholderReason(hit.value);
      if (reason === 'reference') continue;
      hits.push(reason === undefined ? hit : { ...hit, extra: { ...hit.extra, lowered: reason } });
    }
  }
  if (hits.length === 0) return [];
  const lines = new LineIndex(file.content);
  const fixture = isTestPath(file.path);
  const ordinals = new Map<CredentialFileId, number>();
  return hits
    .sort((a, b) => a.start - b.start)
    .map((hit) => {
      const kind = KINDS.get(hit.id) as CredentialFileKind;
      const { line, column } = lines.position(hit.start);
      const placeholder = hit.extra?.lowered === 'placeholder';
      const lowered = placeholder ? 'placeholder' : fixture ? 'test-fixture' : undefined;
      const severity = loweredSeverity(hit.severity ?? kind.severity, lowered, fixture);
      const masked = `${hit.shownPrefix ?? ''}${maskSecret(hit.value)}`;
      const ordinal = (ordinals.get(hit.id) ?? 0) + 1;
      ordinals.set(hit.id, ordinal);
      const confidence = secretConfidence({
        fixed: hit.marker.length,
        name: 1,
        value: hit.value,
        floor: 0,
        path: file.path,
        lowered: placeholder,
      });
      const why =
        lowered === undefined
          ? ''
          : ` (reported lower: ${placeholder ? 'an example or placeholder value' : 'in test or example material'})`;
      const { lowered: _dropped, ...extra } = hit.extra ?? {};
      return {
        id: hit.id,
        title: kind.title,
        line,
        column,
        severity,
        ...(lowered === undefined ? {} : { lowered }),
        message: `${kind.title} at ${file.path}:${line}:${column}: ${masked}${why}.`,
        evidence: {
          masked,
          length: hit.value.length,
          column,
          entropy: Math.round(shannonEntropy(hit.value) * 100) / 100,
          ...(lowered === undefined ? {} : { lowered }),
          ...extra,
          confidence,
          cwe: kind.cwe,
        },
        ordinal,
        confidence,
      };
    });
}
