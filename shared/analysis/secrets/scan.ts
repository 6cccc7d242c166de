/**
 * The secret engine: every credential of the table (shared/core/secret-patterns.ts)
 * in one file, gitleaks style — keywords first, then each kind's pattern, its
 * entropy floor and what a pattern cannot tell (a JWT's header, a key
 * block's material, a local database host, a test-mode key), then the
 * generic rule: a literal assigned to a name that holds a secret
 * (shared/core/secret-names.ts) and random enough to be one.
 *
 * Nothing is hidden for being an example: documented example keys, obvious
 * placeholders and `${VAR}` references come back lowered to info, test-mode
 * keys, local-only URLs and files under test fixtures to low. The value never
 * leaves: a match carries its masked form, its length, its entropy and the
 * name it was assigned to. The security scanner and code-reviewer turn
 * matches into findings.
 */

import { otherAssignments } from '../../core/secret-forms.js';
import { classifySecretName, wordsOf } from '../../core/secret-names.js';
import {
  type Assignment,
  assignments,
  CREDENTIALS,
  type CredentialId,
  type CredentialKind,
  candidateKinds,
  credentialKind,
  patternSpans,
} from '../../core/secret-patterns.js';
import {
  KNOWN_EXAMPLES,
  looksLikeSecretValue,
  maskSecret,
  placeholderReason,
  secretValueFloor,
  shannonEntropy,
} from '../../core/secret-values.js';
import { isTestPath, LineIndex, languageOf } from '../source/files.js';
import { fixedCharacters, secretConfidence } from './confidence.js';
import { type Refined, refine } from './refine.js';
import { type Lowered, loweredSeverity, type SecretSeverity } from './severity.js';

/** The rule id a kind is reported under by the security scanner's SEC-* rules (and named in code-reviewer's CR004). */
export type SecretRuleId<Id extends CredentialId = CredentialId> = `SEC-${Uppercase<Id>}`;

export function secretRuleId<Id extends CredentialId>(id: Id): SecretRuleId<Id> {
  return `SEC-${id.toUpperCase()}` as SecretRuleId<Id>;
}

export interface SecretMatch {
  credential: CredentialId;
  /** The kind's title, for messages. */
  title: string;
  line: number;
  column: number;
  severity: SecretSeverity;
  /** The name it is assigned to, when known. */
  name?: string;
  lowered?: Lowered;
  /** `${kind}${assigned to name} at file:line:column: masked (reported lower: why).` */
  message: string;
  /** masked, length, column, entropy, name, lowered, testFixture, what the kind adds (alg, keyType…), cwe. */
  evidence: Record<string, unknown>;
  /** Tells apart several secrets of one kind under one name in a file. */
  ordinal: number;
  /** How sure the match is, in [0, 1] (./confidence.ts); also in the evidence. */
  confidence: number;
}

export interface SecretScanOptions {
  now: Date;
  /** Only these kinds (default: every kind the scanner reports). */
  kinds?: readonly CredentialId[];
}

interface Found extends Refined {
  kind: CredentialKind;
  /** Offset the finding points at. */
  start: number;
  value: string;
  /** The name it is assigned to, when known. */
  name?: string;
  /** Literal characters the kind's pattern demanded in the match (./confidence.ts). */
  fixed: number;
  /** The entropy floor the value was held to, when not the kind's. */
  floor?: number;
}

const REPORTED: readonly CredentialKind[] = CREDENTIALS.filter((kind) => kind.reported);

function shapeMatches(
  content: string,
  kinds: readonly CredentialKind[],
  now: Date,
): { found: Found[]; taken: (start: number, end: number) => boolean } {
  const found: Found[] = [];
  const spans: [number, number][] = [];
  const taken = (start: number, end: number) => spans.some(([s, e]) => start < e && end > s);
  // One keyword pass picks the kinds worth trying; the table's order decides overlaps (fallback rows last).
  for (const kind of candidateKinds(content, kinds)) {
    if (kind.byName) continue;
    for (const { start, end, match } of patternSpans(kind, content)) {
      const raw = content.slice(start, end);
      const index = match.index ?? 0;
      const whole: [number, number] = [index, index + match[0].length];
      if (taken(...whole)) continue;
      if (kind.entropy !== undefined && shannonEntropy(raw) < kind.entropy && !KNOWN_EXAMPLES.has(raw))
        continue;
      const refined = refine(kind.id, match, raw, now);
      if (refined === undefined) continue;
      const value = refined.value ?? raw;
      // Our own masked form cut short by the pattern (`PWD=h4R…(12 chars)`): a quoted finding, not a secret.
      const masked = content.startsWith('…(', end) ? ('placeholder' as const) : undefined;
      const lowered = refined.lowered ?? masked ?? placeholderReason(value);
      spans.push(whole);
      // A reference (`postgres://app:${DB_PASSWORD}@db`) names where the secret lives: no finding.
      if (lowered === 'reference') continue;
      const fixed = fixedCharacters(kind.keywords, match[0]);
      // A bare token is placed at itself; a URL or a key block at its start.
      const at = kind.group === 1 ? start : index;
      found.push({ kind, start: at, fixed, ...refined, value, ...(lowered ? { lowered } : {}) });
    }
  }
  return { found, taken };
}

const GENERIC = credentialKind('generic-secret');

/** Source files where an unquoted value is an expression (an identifier, a Terraform reference), never a literal. */
const EXPRESSION_FILES =
  /\.(?:tf|tfvars|hcl|php|rb|cs|kt|kts|scala|rs|swift|groovy|gradle|c|cc|cpp|h|hpp|m|dart|lua|pl|ps1|psm1)$/i;

/** Booleans and nulls: structure, not values — quoted or not (`save-password="true"`). */
const STRUCTURE = /^(?:true|false|null|nil|none|yes|no|on|off|~)$/i;

/** A YAML tag (`!Ref DbPassword`, `!Sub …`): only unquoted; a quoted value may start with `!` (a salt, a password). */
const YAML_TAG = /^![A-Za-z]/;

/**
 * An unquoted value followed on its line by more words, the next not an
 * assignment itself: prose (`password: Secret123 of the admin user`), not a
 * setting. `host=db password=… dbname=app` (a libpq string) is kept.
 */
function inProse(content: string, end: number): boolean {
  const rest = /^[ \t]+([^\s]+)([ \t]*)/.exec(content.slice(end, end + 120));
  if (rest === null) return false;
  const next = rest[1] as string;
  if (/^(?:#|\/\/|--|;|<!--|\\$)/.test(next)) return false; // a comment or a continuation
  if (/^[\w.-]+[=:]/.test(next) || /^-{1,2}\w/.test(next)) return false; // key=value, --flag
  return /^[\p{L}(]/u.test(next);
}

/**
 * What a name says, for the generic rule: the classifier's answer, and for a
 * name that is only `key` (rclone's `key = …`, Kaggle's `"key": "…"`) a
 * secret when its value is long: a short one is a label or a lookup key.
 */
function nameOf(name: string): { kind: 'secret'; password: boolean; minLength: number } | undefined {
  const named = classifySecretName(name);
  if (named?.kind === 'secret') return { ...named, minLength: 0 };
  const words = wordsOf(name);
  return named === undefined && words.length === 1 && words[0] === 'key'
    ? { kind: 'secret', password: false, minLength: BARE_KEY_LENGTH }
    : undefined;
}

/** A value under a bare `key` name at least this long may be a credential (a 128-bit key in hex is 32). */
const BARE_KEY_LENGTH = 24;

/**
 * Whether the bare `key` before `valueStart` is a setting of its own — first
 * on its line or after `{`, `,` or `;` — not the last word of prose or of a
 * longer name (`# public key: age1…`, `ssh key: …`).
 */
function bareKeyAt(content: string, valueStart: number): boolean {
  const lineStart = content.lastIndexOf('\n', valueStart - 1) + 1;
  return /(?:^|[{,;])[ \t]*["']?key["']?[ \t]*(?:=|:|=>)[ \t]*["']?$/i.test(
    content.slice(lineStart, valueStart),
  );
}

/** Every `name = value` form: the table's, then PHP define(), subscripts, XML elements and appSettings. */
function* allAssignments(content: string): Generator<Assignment> {
  yield* assignments(content);
  yield* otherAssignments(content);
}

/** Code files: only quoted literals count (an identifier is a reference, not a value). */
function genericMatches(
  path: string,
  content: string,
  taken: (start: number, end: number) => boolean,
): Found[] {
  const code = languageOf(path) !== undefined || EXPRESSION_FILES.test(path);
  const found: Found[] = [];
  // One value, two forms (`value="…"` of `<add key="ApiKey" value="…"/>`): the first secret name wins.
  const seen = new Set<number>();
  const names = new Map<string, ReturnType<typeof nameOf>>();
  for (const { name, value, start, quoted } of allAssignments(content)) {
    if (!names.has(name)) names.set(name, nameOf(name));
    const named = names.get(name);
    if (named === undefined || (code && !quoted) || seen.has(start)) continue;
    if (named.minLength > 0 && (value.length < named.minLength || !bareKeyAt(content, start))) continue;
    seen.add(start);
    if (
      STRUCTURE.test(value) ||
      (!quoted && YAML_TAG.test(value)) ||
      value.startsWith('{{resolve:') ||
      taken(start, start + value.length)
    )
      continue;
    // `NAME=value cmd` (an environment prefix, a flag) is not prose; `name: value more words` may be.
    const spaced = /[ \t]/.test(content[start - 1] ?? '');
    if (!quoted && spaced && inProse(content, start + value.length)) continue;
    const reason = placeholderReason(value);
    // A reference names where the secret lives: not a finding at all.
    if (reason === 'reference') continue;
    if (reason !== undefined) {
      if (value.length >= 4)
        found.push({ kind: GENERIC, start, value, name, fixed: 0, floor: 0, lowered: reason });
      continue;
    }
    if (looksLikeSecretValue(value, named.password))
      found.push({
        kind: GENERIC,
        start,
        value,
        name,
        fixed: 0,
        floor: secretValueFloor(value, named.password),
      });
  }
  return found;
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

/** Every secret in one file, masked, in file order. */
export function findSecrets(
  file: { path: string; content: string },
  options: SecretScanOptions,
): SecretMatch[] {
  const kinds =
    options.kinds === undefined ? REPORTED : CREDENTIALS.filter((k) => options.kinds?.includes(k.id));
  const { found, taken } = shapeMatches(file.content, kinds, options.now);
  if (kinds.includes(GENERIC))
    for (const match of genericMatches(file.path, file.content, taken)) found.push(match);
  const lines = new LineIndex(file.content);
  const fixture = isTestPath(file.path);
  const ordinals = new Map<string, number>();
  return found
    .sort((a, b) => a.start - b.start)
    .map((match) => {
      const { line, column } = lines.position(match.start);
      const lowered = match.lowered ?? (fixture ? 'test-fixture' : undefined);
      const severity = loweredSeverity(match.severity ?? match.kind.severity, lowered, fixture);
      const masked = `${match.shownPrefix ?? ''}${maskSecret(match.value)}`;
      const slot = `${match.kind.id}\u0000${match.name ?? ''}`;
      const ordinal = (ordinals.get(slot) ?? 0) + 1;
      ordinals.set(slot, ordinal);
      const where = match.name === undefined ? '' : ` assigned to ${match.name}`;
      const why = lowered === undefined ? '' : ` (reported lower: ${LOWERED_TEXT[lowered]})`;
      const confidence = secretConfidence({
        fixed: match.fixed,
        name: match.name === undefined ? 0 : 1,
        value: match.value,
        floor: match.floor ?? match.kind.entropy ?? 0,
        path: file.path,
        lowered: match.lowered !== undefined,
      });
      return {
        credential: match.kind.id,
        title: match.kind.title,
        line,
        column,
        severity,
        ...(match.name === undefined ? {} : { name: match.name }),
        ...(lowered === undefined ? {} : { lowered }),
        message: `${match.kind.title}${where} at ${file.path}:${line}:${column}: ${masked}${why}.`,
        evidence: {
          masked,
          length: match.value.length,
          column,
          entropy: Math.round(shannonEntropy(match.value) * 100) / 100,
          ...(match.name === undefined ? {} : { name: match.name }),
          ...(lowered === undefined ? {} : { lowered }),
          ...(fixture && lowered !== 'test-fixture' ? { testFixture: true } : {}),
          ...match.extra,
          confidence,
          cwe: 'CWE-798',
        },
        ordinal,
        confidence,
      };
    });
}
