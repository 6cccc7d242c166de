/**
 * What the credential table costs per file: a 5 MB mixed text (code, YAML,
 * JSON, prose, base64 and hex blobs, URLs, a credential every ~50 KB) through
 *   - the keyword pre-filter as one `includes` per row and keyword (how the
 *     engine worked with 18 rows) and the patterns of the rows it lets through;
 *   - the one-pass keyword scan (candidateKinds) and the same patterns;
 *   - the whole engine (findSecrets: entropy, refinement, the generic rule) and
 *     the log redaction.
 * `--clean` leaves the credentials out (a file that holds none: the common case).
 * `--old <file>` also times an older secret-patterns.ts (its CREDENTIAL_SHAPES,
 * per-row includes) for a before/after.
 *
 *   npx tsx bench/secret-table.ts [--old /tmp/old-secret-patterns.ts] [--mb 5]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { findSecrets } from '../shared/analysis/secrets/index.js';
import { redactText } from '../shared/core/redaction.js';
import { fake } from '../shared/core/secret-kind.js';
import {
  CREDENTIAL_SHAPES,
  CREDENTIALS,
  type CredentialKind,
  candidateKinds,
  patternSpans,
} from '../shared/core/secret-patterns.js';

interface Shape {
  pattern: RegExp;
  keywords: readonly string[];
}

const { values } = parseArgs({
  options: {
    old: { type: 'string' },
    mb: { type: 'string', default: '5' },
    clean: { type: 'boolean', default: false },
  },
});

const LINES = [
  (i: number) =>
    `export function handler${i}(event: Event): Promise<Result> { return process(event.body, ${i}); }`,
  (i: number) => `  replicas: ${i % 7}\n  image: registry.example.com/app/service-${i}:1.${i % 40}.0`,
  (i: number) =>
    `{"id": "${fake(24, '0123456789abcdef', i)}", "name": "item ${i}", "tags": ["a", "b"], "path": "/var/lib/app/${i}"}`,
  (i: number) =>
    `The task ${i} asks the disk to skip the path when the password policy is off; see https://docs.example.com/guide/${i}.`,
  (i: number) => `data: ${fake(76, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', i)}`,
  (i: number) => `sha256 ${fake(64, '0123456789abcdef', i)}  dist/bundle-${i}.js`,
  (i: number) =>
    `curl -sS https://api.example.com/v2/items?page=${i}&sort=name -H "Accept: application/json"`,
  (i: number) => `  - name: LOG_LEVEL\n    value: info\n  - name: TOKEN_TTL\n    value: "${i}s"`,
];

/** Deterministic mixed text of about `mb` megabytes with one real-looking credential every ~50 KB. */
function mixedText(mb: number): string {
  const samples = CREDENTIALS.flatMap((kind) => kind.samples.secrets);
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < mb * 1024 * 1024; i += 1) {
    const line = LINES[i % LINES.length]?.(i) ?? '';
    parts.push(line);
    size += line.length + 1;
    if (!values.clean && i % 500 === 499) parts.push(samples[Math.floor(i / 500) % samples.length] ?? '');
  }
  return parts.join('\n');
}

function includesPrefilter(shapes: readonly Shape[], text: string): number {
  const lower = text.toLowerCase();
  let found = 0;
  for (const shape of shapes) {
    if (shape.keywords.length > 0 && !shape.keywords.some((k) => lower.includes(k))) continue;
    for (const _ of text.matchAll(shape.pattern)) found += 1;
  }
  return found;
}

function onePassPrefilter(text: string): number {
  let found = 0;
  for (const kind of candidateKinds(text, CREDENTIAL_SHAPES))
    for (const _ of patternSpans(kind as CredentialKind, text)) found += 1;
  return found;
}

function time(label: string, run: () => number): void {
  const times: number[] = [];
  let result = 0;
  for (let i = 0; i < 3; i += 1) {
    const started = performance.now();
    result = run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(58)} ${times[1]?.toFixed(0).padStart(6)} ms  (${result})`);
}

const text = mixedText(Number(values.mb));
console.log(
  `text: ${(text.length / 1024 / 1024).toFixed(1)} MB, rows: ${CREDENTIALS.length} (${CREDENTIAL_SHAPES.length} shapes)`,
);
if (values.old !== undefined) {
  const old = (await import(pathToFileURL(values.old).href)) as { CREDENTIAL_SHAPES: readonly Shape[] };
  time(`before: ${old.CREDENTIAL_SHAPES.length} shapes, includes per keyword`, () =>
    includesPrefilter(old.CREDENTIAL_SHAPES, text),
  );
}
time(`${CREDENTIAL_SHAPES.length} shapes, includes per keyword`, () =>
  includesPrefilter(CREDENTIAL_SHAPES, text),
);
time(`${CREDENTIAL_SHAPES.length} shapes, one keyword pass (candidateKinds)`, () => onePassPrefilter(text));
time('keyword pass alone', () => candidateKinds(text).length);
time(
  'findSecrets (whole engine, config file)',
  () => findSecrets({ path: 'config/app.env', content: text }, { now: new Date() }).length,
);
time('redactText (log redaction)', () => redactText(text).length);
