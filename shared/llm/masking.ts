/**
 * The one step every prompt passes before it leaves the process: secrets,
 * tokens, e-mail addresses, IP addresses, host names, AWS account ids and
 * ARNs, and the resource names the caller knows (Kubernetes names and
 * namespaces, services…) become stable placeholders (`<EMAIL_1>`); the reply's
 * placeholders are put back, deep inside JSON values too.
 *
 * One `Masker` serves one call (the system prompt, every message, the repair
 * turn), so the same value always gets the same placeholder and the same
 * prompt always masks to the same text (the cache keys on it). Text that
 * already looks like a placeholder is masked too (`<LITERAL_n>`), so restoring
 * is exact: unmask(mask(text)) === text for every text.
 *
 * Secrets are the credential table's shapes (../core/secret-patterns.ts, the
 * one the scanners and the log redaction read) and `name=value` pairs whose
 * name holds a secret (../core/secret-names.ts) and whose value looks like
 * one (../core/secret-values.ts).
 */
import { otherAssignments } from '../core/secret-forms.js';
import { classifySecretName } from '../core/secret-names.js';
import {
  assignments,
  CREDENTIAL_SHAPES,
  type CredentialKind,
  candidateKinds,
  patternSpans,
} from '../core/secret-patterns.js';
import { looksLikeSecretValue, placeholderReason } from '../core/secret-values.js';

export const MASK_KINDS = [
  'LITERAL',
  'SECRET',
  'ARN',
  'EMAIL',
  'URL_CREDENTIALS',
  'IP',
  'ACCOUNT',
  'HOST',
  'RESOURCE',
] as const;
export type MaskKind = (typeof MASK_KINDS)[number];

const PLACEHOLDER = /<([A-Z]+(?:_[A-Z]+)*)_(\d+)>/g;

interface Span {
  start: number;
  end: number;
}

interface Detector {
  kind: MaskKind;
  find: (text: string) => Iterable<Span>;
}

/** A detector from a pattern: every match (or `accept`ed match) is a span. */
function byPattern(kind: MaskKind, pattern: RegExp, accept?: (value: string) => boolean): Detector {
  return {
    kind,
    *find(text) {
      for (const m of text.matchAll(pattern)) {
        const start = m.index ?? 0;
        if (m[0] !== '' && (accept === undefined || accept(m[0]))) yield { start, end: start + m[0].length };
      }
    },
  };
}

/** The rows whose keywords the last text masked holds (one keyword pass per text, not one per row). */
let candidates: { text: string; kinds: ReadonlySet<CredentialKind> } | undefined;

function candidatesOf(text: string): ReadonlySet<CredentialKind> {
  if (candidates?.text !== text) candidates = { text, kinds: new Set(candidateKinds(text)) };
  return candidates.kinds;
}

/** The credential table's rows; user-info of a URL is masked as URL_CREDENTIALS. */
const CREDENTIAL_DETECTORS: readonly Detector[] = CREDENTIAL_SHAPES.map((row) => ({
  kind: row.id === 'url-credentials' || row.id === 'db-url-credentials' ? 'URL_CREDENTIALS' : 'SECRET',
  find: (text: string) => (candidatesOf(text).has(row) ? patternSpans(row, text) : []),
}));

/**
 * `password=…`, `"apiKey": "…"`, `token: …`, PHP `define('AUTH_KEY', '…')`, `<password>…</password>`
 * with a value random enough to be a credential.
 */
const SECRET_ASSIGNMENTS: Detector = {
  kind: 'SECRET',
  *find(text) {
    for (const { name, value, start } of [...assignments(text), ...otherAssignments(text)]) {
      const named = classifySecretName(name);
      if (named?.kind !== 'secret' || placeholderReason(value) !== undefined) continue;
      if (looksLikeSecretValue(value, named.password)) yield { start, end: start + value.length };
    }
  },
};

/** Labels that end a file name rather than a host name (`app.log`, `values.yaml`). */
const FILE_SUFFIXES = new Set(
  'ts js mjs cjs jsx tsx json yaml yml toml ini conf cfg py go java kt rb rs php cs c h cpp hpp sh bash ps1 sql md txt log csv tsv xml html htm css scss lock tf tfvars hcl env pem crt key gz zip tar jar war class so dll exe bin png jpg jpeg gif svg ico pdf out err bak tmp swp pid sock properties'.split(
    ' ',
  ),
);

const DETECTORS: readonly Detector[] = [
  byPattern('LITERAL', PLACEHOLDER),
  ...CREDENTIAL_DETECTORS,
  SECRET_ASSIGNMENTS,
  byPattern('ARN', /\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[^\s"'`,;)}\]]+/g),
  byPattern(
    'EMAIL',
    /(?<![\w.!#$%&'*+/=?^`{|}~-])[\w.!#$%&'*+/=?^`{|}~-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63}\b/g,
  ),
  // IPv6 (full, or compressed with `::`), before IPv4 so an embedded IPv4 stays one value.
  byPattern(
    'IP',
    /(?<![\w:.])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,7}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?|::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})(?:%[\w.]+)?(?![\w:])/g,
    (value) =>
      value.includes('::') ? /[0-9A-Fa-f]/.test(value.replace(/::/g, '')) || value === '::1' : true,
  ),
  byPattern(
    'IP',
    /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)/g,
  ),
  // A twelve-digit number on its own: an AWS account id.
  byPattern('ACCOUNT', /(?<![\w.-])\d{12}(?![\w.-])/g),
  // Host names: lower-case dotted names whose last label is letters and not a file suffix.
  byPattern(
    'HOST',
    /(?<![\w./-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?![\w-]|\.[A-Za-z0-9])/g,
    (value) => {
      const labels = value.split('.');
      const last = labels.at(-1) ?? '';
      if (FILE_SUFFIXES.has(last)) return false;
      // `v1.2`-like and `e.g` are not hosts; two labels need a host-like first label.
      return labels.length >= 3 || (labels[0] ?? '').length >= 2;
    },
  ),
];

interface KindSpan extends Span {
  kind: MaskKind;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Masks the text of one call and restores the reply. */
export class Masker {
  readonly #byValue = new Map<string, string>();
  readonly #byPlaceholder = new Map<string, string>();
  readonly #counters = new Map<MaskKind, number>();
  readonly #known: RegExp | undefined;

  /** `knownIdentifiers`: names the caller knows to be resources (pods, namespaces, services, buckets). */
  constructor(knownIdentifiers: readonly string[] = []) {
    const names = [...new Set(knownIdentifiers.map((n) => n.trim()).filter((n) => n.length >= 2))].sort(
      (a, b) => b.length - a.length,
    );
    this.#known =
      names.length === 0
        ? undefined
        : new RegExp(`(?<![\\w.-])(?:${names.map(escapeRegExp).join('|')})(?![\\w-]|\\.\\w)`, 'g');
  }

  /** How many distinct values were masked, by kind (for logs and tests). */
  get counts(): Readonly<Partial<Record<MaskKind, number>>> {
    return Object.fromEntries(this.#counters);
  }

  mask(text: string): string {
    const spans = this.#spans(text);
    let out = '';
    let at = 0;
    for (const span of spans) {
      out += text.slice(at, span.start) + this.#placeholder(span.kind, text.slice(span.start, span.end));
      at = span.end;
    }
    return out + text.slice(at);
  }

  /** Puts the originals back in a string, or in every string (and key) of a JSON value. */
  unmask<T>(value: T): T {
    if (typeof value === 'string') {
      return value.replace(PLACEHOLDER, (whole) => this.#byPlaceholder.get(whole) ?? whole) as T;
    }
    if (Array.isArray(value)) return value.map((v) => this.unmask(v)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [this.unmask(k), this.unmask(v)]),
      ) as T;
    }
    return value;
  }

  #placeholder(kind: MaskKind, value: string): string {
    const existing = this.#byValue.get(value);
    if (existing !== undefined) return existing;
    const n = (this.#counters.get(kind) ?? 0) + 1;
    this.#counters.set(kind, n);
    const placeholder = `<${kind}_${n}>`;
    this.#byValue.set(value, placeholder);
    this.#byPlaceholder.set(placeholder, value);
    return placeholder;
  }

  /** Non-overlapping spans, earliest first; where two overlap the earlier detector (then the longer match) wins. */
  #spans(text: string): KindSpan[] {
    const found: (KindSpan & { rank: number })[] = [];
    const detectors: readonly Detector[] = this.#known
      ? [...DETECTORS, byPattern('RESOURCE', this.#known)]
      : DETECTORS;
    detectors.forEach((detector, rank) => {
      for (const span of detector.find(text)) found.push({ ...span, kind: detector.kind, rank });
    });
    found.sort((a, b) => a.rank - b.rank || b.end - b.start - (a.end - a.start) || a.start - b.start);
    const chosen: KindSpan[] = [];
    for (const span of found) {
      if (chosen.some((c) => span.start < c.end && c.start < span.end)) continue;
      chosen.push(span);
    }
    return chosen.sort((a, b) => a.start - b.start);
  }
}
