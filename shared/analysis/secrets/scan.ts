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
import { classifySecretName } from '../../core/secret-names.js';
import {
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
  shannonEntropy,
} from '../../core/secret-values.js';
import { isTestPath, LineIndex, languageOf } from '../source/files.js';
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
      const lowered = refined.lowered ?? placeholderReason(value);
      spans.push(whole);
      // A bare token is placed at itself; a URL or a key block at its start.
      const at = kind.group === 1 ? start : index;
      found.push({ kind, start: at, ...refined, value, ...(lowered ? { lowered } : {}) });
    }
  }
  return { found, taken };
}

const GENERIC = credentialKind('generic-secret');

/** Code files: only quoted literals count (an identifier is a reference, not a value). */
function genericMatches(
  path: string,
  content: string,
  taken: (start: number, end: number) => boolean,
): Found[] {
  const code = languageOf(path) !== undefined;
  const found: Found[] = [];
  for (const { name, value, start, quoted } of assignments(content)) {
    const named = classifySecretName(name);
    if (named?.kind !== 'secret' || (code && !quoted)) continue;
    // Booleans, YAML tags (!Ref …) and CloudFormation dynamic references are structure, not values.
    if (!quoted && /^(?:true|false|null|yes|no|on|off|~|!.*)$/i.test(value)) continue;
    if (value.startsWith('{{resolve:') || taken(start, start + value.length)) continue;
    const reason = placeholderReason(value);
    if (reason !== undefined) {
      if (value.length >= 4) found.push({ kind: GENERIC, start, value, name, lowered: reason });
      continue;
    }
    if (looksLikeSecretValue(value, named.password)) found.push({ kind: GENERIC, start, value, name });
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
  if (kinds.includes(GENERIC)) found.push(...genericMatches(file.path, file.content, taken));
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
          cwe: 'CWE-798',
        },
        ordinal,
      };
    });
}
