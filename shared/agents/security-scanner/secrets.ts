/**
 * Secret detection, in the spirit of gitleaks: one pattern per credential
 * type with a recognisable shape (AWS, GitHub, GitLab, Slack, Google, Stripe,
 * private keys, JWTs, URLs with passwords), and a generic rule for a literal
 * value assigned to a secret-like name that is random enough (Shannon
 * entropy) to be a credential rather than a word or a reference.
 *
 * Nothing is hidden for being an example: documented example keys, obvious
 * placeholders and `${VAR}` references are reported at info, test-mode keys,
 * local-only URLs and files under test fixtures at low. The value itself
 * never leaves this module: findings carry a masked form (a short prefix and
 * the length), the name it was assigned to and its entropy.
 */

import {
  isTestPath,
  LineIndex,
  languageOf,
  maskSecret,
  shannonEntropy,
} from '../../analysis/source/files.js';
import type { Finding, Severity, SourceFile } from '../contract.js';
import { ruleFinding } from '../rules.js';
import { rule } from './rules.js';

/** Why a match is reported below its rule's severity. */
export type Lowered =
  | 'placeholder'
  | 'reference'
  | 'test-fixture'
  | 'test-mode-key'
  | 'local-only'
  | 'unsigned-token'
  | 'expired-token';

interface Match {
  ruleId: string;
  /** Offset of the secret value in the text. */
  start: number;
  value: string;
  /** The name it is assigned to, when known. */
  name?: string;
  /** What the masked form starts with beyond the secret (a URL's host…). */
  shownPrefix?: string;
  lowered?: Lowered;
  severity?: Severity;
  extra?: Record<string, unknown>;
}

/** Documented example credentials (AWS docs, Stripe docs, jwt.io). */
const KNOWN_EXAMPLES = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'AKIAI44QH8DHBEXAMPLE',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
]);

const PLACEHOLDER_WORDS =
  /example|sample|changeme|change[_-]me|replace[_-]?me|your[_-]|placeholder|dummy|fake|redacted|notreal|not[_-]a[_-]real|todo|fixme|insert[_-]|lorem|secret[_-]?here|token[_-]?here|key[_-]?here/i;

/** Values people put where a password goes when they do not mean one. */
const DEFAULT_VALUES = new Set([
  'password',
  'passw0rd',
  'secret',
  'admin',
  'root',
  'test',
  'testing',
  'postgres',
  'mysql',
  'changeit',
  'default',
  'pass',
  'pwd',
  'none',
  'null',
  'undefined',
  'true',
  'false',
  'empty',
  'guest',
  'user',
  'username',
  'token',
  'apikey',
  'api_key',
  'secretkey',
  'secret_key',
  '12345678',
  '123456',
  'qwerty',
  'letmein',
]);

/** A `${VAR}` / `$VAR` / `{{ var }}` / `%(var)s` / `<your-token>` reference or template. */
const REFERENCE =
  /^\$\{[^}]*\}$|^\$[A-Za-z_][A-Za-z0-9_]*$|\{\{[^{}]*\}\}|^%\([^)]*\)s$|^\$\([^)]*\)$|^!(?:Ref|Sub|GetAtt|ImportValue)\b|\{\{resolve:|^(?:process\.env|os\.environ|env\(|ENV\[|System\.getenv)|^#\{[^}]*\}$/;

/** Why a value is an example, a placeholder or a reference rather than a credential. */
export function placeholderReason(value: string): 'placeholder' | 'reference' | undefined {
  if (REFERENCE.test(value) || /\$\{[^}]+\}/.test(value)) return 'reference';
  if (KNOWN_EXAMPLES.has(value)) return 'placeholder';
  if (PLACEHOLDER_WORDS.test(value)) return 'placeholder';
  if (/x{5,}|X{5,}|\*{3,}|\.{3}|<[^>]*>|0{8,}|1234567|abcdefgh/i.test(value)) return 'placeholder';
  if (/^(.)\1+$/.test(value)) return 'placeholder';
  if (DEFAULT_VALUES.has(value.toLowerCase())) return 'placeholder';
  return undefined;
}

// --- the patterns -------------------------------------------------------------

interface Detector {
  ruleId: string;
  pattern: RegExp;
  /** The capture group holding the secret (default 1). */
  group?: number;
  /** Refines a regex match: undefined drops it. */
  refine?: (match: RegExpExecArray, value: string, context: ScanContext) => Partial<Match> | undefined;
}

interface ScanContext {
  now: Date;
}

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

const DETECTORS: readonly Detector[] = [
  {
    ruleId: 'SEC-AWS-ACCESS-KEY',
    // Real ids are base32 ([A-Z2-7]); [A-Z0-9] also catches hand-made ones, which are just as leaked.
    pattern: /(?<![A-Za-z0-9])((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?![A-Za-z0-9])/g,
  },
  {
    ruleId: 'SEC-AWS-SECRET-KEY',
    pattern:
      /(?:aws[\w.-]{0,30}?(?:secret|private)[\w.-]{0,20}?|secret[_-]?access[_-]?key)["']?\s*(?:=|:=|:|=>|,)\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    refine: (_m, value) => (shannonEntropy(value) >= 3.5 || KNOWN_EXAMPLES.has(value) ? {} : undefined),
  },
  {
    ruleId: 'SEC-GITHUB-TOKEN',
    pattern:
      /(?<![A-Za-z0-9_])((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{60,255})(?![A-Za-z0-9_])/g,
  },
  {
    ruleId: 'SEC-GITLAB-TOKEN',
    pattern:
      /(?<![A-Za-z0-9_-])(gl(?:pat|dt|rt|ptt|ft|imt|oas|cbt|soat|agent)-[A-Za-z0-9_-]{20,255}|GR1348941[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])/g,
  },
  {
    ruleId: 'SEC-SLACK-TOKEN',
    pattern:
      /(?<![A-Za-z0-9])(xox[abposr]-(?:\d+-)+[A-Za-z0-9-]{8,}|xoxe(?:\.xox[bp])?-\d-[A-Za-z0-9]{60,}|xapp-\d-[A-Z0-9]+-\d+-[a-f0-9]{16,})(?![A-Za-z0-9-])/g,
  },
  {
    ruleId: 'SEC-SLACK-WEBHOOK',
    pattern:
      /(https?:\/\/hooks\.slack\.com\/)((?:services|workflows|triggers)\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+\/[A-Za-z0-9_/-]{8,})/g,
    group: 2,
    refine: (match) => ({ shownPrefix: match[1] }),
  },
  {
    ruleId: 'SEC-GOOGLE-API-KEY',
    pattern: /(?<![A-Za-z0-9_-])(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g,
  },
  {
    ruleId: 'SEC-STRIPE-KEY',
    pattern:
      /(?<![A-Za-z0-9_])((?:sk|rk)_(?:live|test)_[0-9A-Za-z]{20,247}|whsec_[0-9A-Za-z]{32,})(?![0-9A-Za-z])/g,
    refine: (_m, value) => (value.includes('_test_') ? { lowered: 'test-mode-key' } : {}),
  },
  {
    ruleId: 'SEC-PRIVATE-KEY',
    pattern:
      /-----BEGIN ((?:RSA |DSA |EC |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----((?:[^-]|-(?!----END)){0,8000})/g,
    group: 2,
    refine: (match, body) => {
      // The key material, wherever it sits: PEM lines, a JSON string with \n escapes, a YAML block.
      const material = body.replace(/\\[nr]|["'+,\s]|Proc-Type:[^\n]*|DEK-Info:[^\n]*/g, '');
      const kind = match[1] ?? 'PRIVATE KEY';
      if (/x{5,}|\.{3}|EXAMPLE|<[^>]*>/i.test(body)) {
        return { lowered: 'placeholder', extra: { keyType: kind } };
      }
      if (!/[A-Za-z0-9+/=]{40,}/.test(material)) return undefined;
      return {
        value: material,
        shownPrefix: `-----BEGIN ${kind}----- `,
        extra: { keyType: kind },
        ...(kind.startsWith('ENCRYPTED') ? { severity: 'high' as const } : {}),
      };
    },
  },
  {
    ruleId: 'SEC-JWT',
    pattern:
      /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*)(?![A-Za-z0-9_.-])/g,
    refine: (_m, value, context) => {
      const [head = '', body = '', signature = ''] = value.split('.');
      const header = decodeJsonPart(head);
      if (header === undefined || typeof header.alg !== 'string') return undefined;
      const claims = decodeJsonPart(body) ?? {};
      const extra: Record<string, unknown> = { alg: header.alg };
      if (typeof claims.exp === 'number') extra.expiresAt = new Date(claims.exp * 1000).toISOString();
      if (header.alg.toLowerCase() === 'none' || signature === '')
        return { lowered: 'unsigned-token', extra };
      if (typeof claims.exp === 'number' && claims.exp * 1000 < context.now.getTime()) {
        return { lowered: 'expired-token', extra };
      }
      return { extra };
    },
  },
  {
    ruleId: 'SEC-DB-URL-CREDENTIALS',
    pattern:
      /(?<![A-Za-z0-9+])((?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|cockroachdb|clickhouse|couchdb|neo4j(?:\+s)?|jdbc:[a-z0-9]+(?::[a-z0-9]+)?)(?:\+[a-z0-9]+)?:\/\/)([^\s:@/'"`]{0,128}):([^\s@/'"`]{1,256})@([^\s/'"`:?,;)]{1,255})/gi,
    group: 3,
    refine: (match, password) => {
      const [, scheme = '', user = '', , host = ''] = match;
      const local = /^(?:localhost|127\.\d+\.\d+\.\d+|\[?::1\]?|0\.0\.0\.0|host\.docker\.internal)$/i.test(
        host,
      );
      const shown = {
        shownPrefix: `${scheme}${user}:`,
        extra: { scheme: scheme.replace(/:\/\/$/, ''), host },
      };
      if (password === user && user !== '') return { ...shown, lowered: 'placeholder' };
      return local ? { ...shown, lowered: 'local-only' } : shown;
    },
  },
];

// --- the generic rule ---------------------------------------------------------

/** `name = value`, `name: value`, `"name": "value"`, `name := "value"`, `--name=value`. */
const ASSIGNMENT =
  /(?<![\w.])(["']?)([A-Za-z_][\w.-]{0,80})\1[ \t]*(?:=|:=|:|=>|\?=)[ \t]*(?:"((?:[^"\\\n]|\\.){1,300})"|'((?:[^'\\\n]|\\.){1,300})'|`([^`\n$]{1,300})`|(\$\{[^}\n]{1,100}\}|[^\s'"`,;#&}{)(\][]{1,300}))/g;

const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
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
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'private',
  'auth',
  'signing',
  'encryption',
  'master',
  'secret',
]);
/** Words after the secret word that make the name describe something else (a path, a length, a policy…). */
const NOT_THE_VALUE = new Set([
  'url',
  'uri',
  'endpoint',
  'path',
  'file',
  'dir',
  'name',
  'field',
  'label',
  'placeholder',
  'header',
  'type',
  'format',
  'length',
  'size',
  'count',
  'min',
  'max',
  'regex',
  'regexp',
  'pattern',
  'policy',
  'expiry',
  'expires',
  'expiration',
  'ttl',
  'timeout',
  'enabled',
  'required',
  'hint',
  'prompt',
  'message',
  'error',
  'input',
  'id',
  'ids',
  'arn',
  'ref',
  'param',
  'parameter',
  'env',
  'var',
  'prefix',
  'suffix',
  'version',
  'hash',
  'hashed',
  'digest',
  'mode',
  'rotation',
  'manager',
  'provider',
  'store',
  'class',
  'kind',
  'location',
  'reset',
  'validator',
  'strength',
  'rules',
  'lifetime',
  'limit',
  'algorithm',
  'alg',
  'method',
  'source',
  'schema',
  'selector',
  'usage',
  'resource',
  'template',
  'generator',
  'key', // `secret_name_key`-style lookups; `secret_key` itself is caught as one word below
]);
/** Words before `token` that make it a cursor, not a credential. */
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

/** camelCase, snake_case, kebab-case and dotted names as lower-case words. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .map((word) => word.toLowerCase())
    .filter((word) => word !== '');
}

/** Whether a name says it holds a secret, and whether it is a password (short values count). */
export function secretName(name: string): { password: boolean } | undefined {
  const words = nameWords(name);
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const next = words[i + 1];
    let last = i;
    let hit = SECRET_WORDS.has(word);
    if (!hit && KEY_QUALIFIERS.has(word) && next === 'key') {
      hit = true;
      last = i + 1;
    }
    if (!hit) continue;
    if (word === 'token' && NOT_A_CREDENTIAL_TOKEN.has(words[i - 1] ?? '')) return undefined;
    const after = words.slice(last + 1);
    // An access key's id is half of the credential pair.
    if ((word === 'accesskey' || (word === 'access' && last > i)) && after.join('_') === 'id')
      return { password: false };
    if (
      after.some((w) => NOT_THE_VALUE.has(w) && !(w === 'key' && after.length === 1 && word === 'secret'))
    ) {
      return undefined;
    }
    return { password: ['password', 'passwd', 'pwd', 'pass', 'passphrase'].includes(word) };
  }
  return undefined;
}

function characterClasses(value: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((c) => c.test(value)).length;
}

/** Whether a literal assigned to a secret name looks like a real credential. */
export function looksLikeSecretValue(value: string, password: boolean): boolean {
  if (/\s/.test(value)) return false;
  if (/^[a-z][a-z0-9]*(?:[_.-][a-z0-9]+)*$/.test(value) && !/\d/.test(value)) return false; // a word or slug
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(value) && !/\d/.test(value)) return false; // a constant's name
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false; // a URL (credentials in URLs have their own rule)
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(value)) return false; // a path
  if (/^\d+(?:\.\d+)?$/.test(value) && value.length < 12) return false; // a number
  if (/^(?:arn|ssm|secretsmanager|kms):/i.test(value)) return false; // a reference to a store
  const entropy = shannonEntropy(value);
  if (password) return value.length >= 6 && entropy >= 2.5 && characterClasses(value) >= 2;
  if (value.length >= 16 && entropy >= 3.5) return true;
  return value.length >= 8 && entropy >= 3 && characterClasses(value) >= 3;
}

/** Code files: only quoted literals count (an identifier is a reference, not a value). */
function genericMatches(file: SourceFile, taken: (start: number, end: number) => boolean): Match[] {
  const code = languageOf(file.path) !== undefined;
  const matches: Match[] = [];
  for (const m of file.content.matchAll(ASSIGNMENT)) {
    const name = m[2] ?? '';
    const kind = secretName(name);
    if (kind === undefined) continue;
    const quoted = m[3] ?? m[4] ?? m[5];
    const value = quoted ?? m[6];
    if (value === undefined || (code && quoted === undefined)) continue;
    // Booleans, YAML tags (!Ref …) and CloudFormation dynamic references are structure, not values.
    if (quoted === undefined && /^(?:true|false|null|yes|no|on|off|~|!.*)$/i.test(value)) continue;
    if (value.startsWith('{{resolve:')) continue;
    const offset = (m.index ?? 0) + m[0].length - value.length - (quoted === undefined ? 0 : 1);
    if (taken(offset, offset + value.length)) continue;
    const reason = placeholderReason(value);
    if (reason !== undefined) {
      if (value.length >= 4)
        matches.push({ ruleId: 'SEC-GENERIC-SECRET', start: offset, value, name, lowered: reason });
      continue;
    }
    if (!looksLikeSecretValue(value, kind.password)) continue;
    matches.push({ ruleId: 'SEC-GENERIC-SECRET', start: offset, value, name });
  }
  return matches;
}

// --- scanning -----------------------------------------------------------------

const LOWER_TO: Readonly<Record<Lowered, Severity>> = {
  placeholder: 'info',
  reference: 'info',
  'test-fixture': 'low',
  'test-mode-key': 'low',
  'local-only': 'low',
  'unsigned-token': 'low',
  'expired-token': 'low',
};

const SEVERITY_ORDER: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

function lower(severity: Severity, to: Severity): Severity {
  return SEVERITY_ORDER.indexOf(to) < SEVERITY_ORDER.indexOf(severity) ? to : severity;
}

const LOWERED_TEXT: Readonly<Record<Lowered, string>> = {
  placeholder: 'an example or placeholder value',
  reference: 'a reference to a variable, not a value',
  'test-fixture': 'in test or example material',
  'test-mode-key': 'a test-mode key',
  'local-only': 'for a local host only',
  'unsigned-token': 'unsigned (alg none or no signature)',
  'expired-token': 'expired',
};

export interface SecretScanOptions {
  now: Date;
}

/** Every secret in one file, masked. */
export function scanSecrets(file: SourceFile, options: SecretScanOptions): Finding[] {
  const context: ScanContext = { now: options.now };
  const matches: Match[] = [];
  const spans: [number, number][] = [];
  const taken = (start: number, end: number) => spans.some(([s, e]) => start < e && end > s);
  for (const detector of DETECTORS) {
    for (const m of file.content.matchAll(detector.pattern)) {
      const group = detector.group ?? 1;
      const raw = m[group];
      if (raw === undefined) continue;
      const index = m.index ?? 0;
      // A bare token is placed at itself; a URL or a key block at its start.
      const start = group === 1 ? index + m[0].indexOf(raw) : index;
      if (taken(index, index + m[0].length)) continue;
      const refined = detector.refine ? detector.refine(m, raw, context) : {};
      if (refined === undefined) continue;
      const value = refined.value ?? raw;
      const lowered = refined.lowered ?? placeholderReason(value);
      spans.push([index, index + m[0].length]);
      matches.push({ ruleId: detector.ruleId, start, value, ...refined, ...(lowered ? { lowered } : {}) });
    }
  }
  matches.push(...genericMatches(file, taken));

  const lines = new LineIndex(file.content);
  const fixture = isTestPath(file.path);
  const ordinals = new Map<string, number>();
  return matches
    .sort((a, b) => a.start - b.start)
    .map((match) => {
      const r = rule(match.ruleId);
      const { line, column } = lines.position(match.start);
      const lowered = match.lowered ?? (fixture ? 'test-fixture' : undefined);
      let severity = match.severity ?? r.severity;
      if (lowered !== undefined) severity = lower(severity, LOWER_TO[lowered]);
      if (fixture) severity = lower(severity, 'low');
      const masked = `${match.shownPrefix ?? ''}${maskSecret(match.value)}`;
      const slot = `${match.ruleId}\u0000${match.name ?? ''}`;
      const ordinal = (ordinals.get(slot) ?? 0) + 1;
      ordinals.set(slot, ordinal);
      const where = match.name === undefined ? '' : ` assigned to ${match.name}`;
      const why = lowered === undefined ? '' : ` (reported lower: ${LOWERED_TEXT[lowered]})`;
      return ruleFinding(r, {
        message: `${r.title}${where} at ${file.path}:${line}:${column}: ${masked}${why}.`,
        resource: { kind: 'File', name: file.path, file: file.path, line },
        severity,
        evidence: {
          masked,
          length: match.value.length,
          column,
          entropy: Math.round(shannonEntropy(match.value) * 100) / 100,
          ...(match.name === undefined ? {} : { name: match.name }),
          ...(lowered === undefined ? {} : { lowered }),
          ...(fixture && lowered !== 'test-fixture' ? { testFixture: true } : {}),
          ...match.extra,
          cwe: r.cwe,
        },
        key: [match.name, ordinal],
      });
    });
}
