/**
 * The one credential table and the one secret-name classifier (#15): every
 * row's true samples are found as that kind and its false samples are not,
 * by the engine (shared/analysis/secrets) and, for the shapes, by the log
 * redaction and the LLM masking that read the same table.
 */
import { describe, expect, it } from '@jest/globals';
import {
  assignments,
  CREDENTIALS,
  type CredentialKind,
  candidateKinds,
  classifySecretName,
  credentialSpans,
  findSecrets,
  isSecretName,
  keywordsIn,
  secretRuleId,
} from '../../../shared/analysis/secrets/index.js';
import { redactText } from '../../../shared/core/redaction.js';
import { Masker } from '../../../shared/llm/masking.js';

const NOW = new Date('2026-06-01T12:00:00Z');

/** The secrets a true sample holds: the pattern's group, or the value assigned to the secret name. */
function secretsOf(kind: CredentialKind, sample: string): string[] {
  if (kind.byName) return [...assignments(sample)].map((assignment) => assignment.value);
  return [...credentialSpans(kind, sample)].map((span) => sample.slice(span.start, span.end).trim());
}

/** What the engine finds of one kind in a sample (a config file outside test material). */
function found(kind: CredentialKind, sample: string) {
  return findSecrets({ path: 'config/settings.env', content: sample }, { now: NOW, kinds: [kind.id] });
}

const trueSamples = CREDENTIALS.flatMap((kind) =>
  kind.samples.secrets.map((sample) => [kind.id, kind, sample] as const),
);
const falseSamples = CREDENTIALS.flatMap((kind) =>
  kind.samples.notSecrets.map((sample) => [kind.id, kind, sample] as const),
);

describe('the credential table', () => {
  it('has a true and a false sample for every row, unique ids, global patterns and lower-case keywords', () => {
    expect(new Set(CREDENTIALS.map((kind) => kind.id)).size).toBe(CREDENTIALS.length);
    for (const kind of CREDENTIALS) {
      expect([kind.id, kind.samples.secrets.length > 0, kind.samples.notSecrets.length > 0]).toEqual([
        kind.id,
        true,
        true,
      ]);
      expect([kind.id, kind.pattern.global]).toEqual([kind.id, true]);
      expect(kind.keywords.filter((keyword) => keyword !== keyword.toLowerCase())).toEqual([]);
    }
  });

  describe.each(trueSamples)('%s finds its true sample', (_id, kind, sample) => {
    it('as an unlowered match of the engine', () => {
      const matches = found(kind, sample);
      expect(matches.map((m) => [m.credential, m.lowered])).toContainEqual([kind.id, undefined]);
      for (const secret of secretsOf(kind, sample))
        expect(JSON.stringify(matches)).not.toContain(secret.slice(-12));
    });

    it('in the log redaction and the LLM masking', () => {
      const secrets = secretsOf(kind, sample);
      expect(secrets.length).toBeGreaterThan(0);
      for (const secret of secrets) {
        expect(redactText(sample)).not.toContain(secret);
        expect(new Masker().mask(sample)).not.toContain(secret);
      }
    });
  });

  describe.each(falseSamples)('%s leaves its false sample alone', (_id, kind, sample) => {
    it('in the engine', () => {
      expect(found(kind, sample).map((m) => m.message)).toEqual([]);
    });
  });

  it('keeps the keywords a pre-filter only: a text without them is never matched', () => {
    for (const kind of CREDENTIALS.filter((k) => k.keywords.length > 0)) {
      for (const sample of kind.samples.secrets) {
        const lower = sample.toLowerCase();
        expect([kind.id, kind.keywords.some((keyword) => lower.includes(keyword))]).toEqual([kind.id, true]);
      }
    }
  });

  it('names the SEC-* rule of a kind', () => {
    expect(secretRuleId('aws-access-key')).toBe('SEC-AWS-ACCESS-KEY');
    expect(secretRuleId('generic-secret')).toBe('SEC-GENERIC-SECRET');
  });

  it('lowers what a pattern alone cannot judge', () => {
    const local = `DATABASE_URL=postgres://app:${'Pa55'}-w0rd-9@localhost:5432/app`;
    const testKey = `STRIPE=${'sk'}_test_${'a1B2c3D4e5F6g7H8i9J0k1L2'}`;
    expect(findSecrets({ path: 'a.env', content: local }, { now: NOW }).map((m) => m.lowered)).toEqual([
      'local-only',
    ]);
    expect(
      findSecrets({ path: 'a.env', content: testKey }, { now: NOW }).map((m) => [m.severity, m.lowered]),
    ).toEqual([['low', 'test-mode-key']]);
    expect(
      findSecrets({ path: 'test/fixtures/a.env', content: testKey }, { now: NOW }).map(
        (m) => m.evidence.masked,
      ),
    ).toEqual(['sk_t…(32 chars)']);
  });
});

describe('isSecretName / classifySecretName', () => {
  it.each([
    ['DB_PASSWORD', { kind: 'secret', password: true }],
    ['DB_PASS', { kind: 'secret', password: true }],
    ['mysqlRootPassword', { kind: 'secret', password: true }],
    ['clientSecret', { kind: 'secret', password: false }],
    ['aws.api-key', { kind: 'secret', password: false }],
    ['SECRET_KEY_BASE', { kind: 'secret', password: false }],
    ['oauth_token_secret', { kind: 'secret', password: false }],
    ['AWS_ACCESS_KEY_ID', { kind: 'secret', password: false }],
    ['githubToken', { kind: 'secret', password: false }],
    ['x-api-key', { kind: 'secret', password: false }],
    ['PASSWORD_FILE', { kind: 'about' }],
    ['TOKEN_TTL', { kind: 'about' }],
    ['password_reset_url', { kind: 'about' }],
    ['PasswordHash', { kind: 'about' }],
    ['next_page_token', { kind: 'about' }],
    ['secret_name_key', { kind: 'about' }],
    ['DATABASE_URL', { kind: 'carrier' }],
    ['connectionString', { kind: 'carrier' }],
    ['Set-Cookie', { kind: 'carrier' }],
    ['auths', { kind: 'carrier' }],
    ['PASS_THROUGH', undefined],
    ['tokenizer', undefined],
    ['username', undefined],
    ['author', undefined],
  ])('%s → %j', (name, expected) => {
    expect(classifySecretName(name)).toEqual(expected);
    expect(isSecretName(name)).toBe(expected?.kind === 'secret');
  });
});

describe('the credential table at scale', () => {
  const shapes = CREDENTIALS.filter((kind) => !kind.byName);

  it('has no two specific rows finding the same span of a sample (fallback rows yield by design)', () => {
    const clashes: string[] = [];
    for (const kind of shapes) {
      for (const sample of kind.samples.secrets) {
        const own = [...credentialSpans(kind, sample)];
        for (const other of shapes) {
          if (other === kind || other.fallback) continue;
          for (const span of credentialSpans(other, sample)) {
            if (own.some((mine) => span.start < mine.end && mine.start < span.end))
              clashes.push(`${kind.id} sample also found by ${other.id}`);
          }
        }
      }
    }
    expect(clashes).toEqual([]);
  });

  it('tries the fallback rows after every specific one, and the generic rule last', () => {
    const order = CREDENTIALS.map((kind) => (kind.byName ? 2 : kind.fallback ? 1 : 0));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('covers at least a hundred reported kinds, each with its own description', () => {
    const reported = CREDENTIALS.filter((kind) => kind.reported);
    expect(reported.length).toBeGreaterThanOrEqual(100);
    expect(new Set(reported.map((kind) => kind.description)).size).toBe(reported.length);
  });

  it('finds the same keywords in one pass as one includes per keyword', () => {
    const text = [
      ...CREDENTIALS.flatMap((kind) => [...kind.samples.secrets, ...kind.samples.notSecrets]),
      'plain prose about a task, a disk and a path://',
    ]
      .join('\n')
      .toLowerCase();
    const keywords = new Set(shapes.flatMap((kind) => kind.keywords));
    for (const part of [text, text.slice(0, 500), 'nothing here', '']) {
      const expected = [...keywords].filter((keyword) => part.includes(keyword)).sort();
      expect([...keywordsIn(part, shapes)].sort()).toEqual(expected);
    }
    expect(candidateKinds('no credential words', shapes).map((kind) => kind.id)).toEqual([]);
  });

  it('runs every pattern in linear time on 1 MB pathological input (runs of its own alphabet)', () => {
    const MB = 1 << 20;
    const fill = (seed: string) => seed.repeat(Math.ceil(MB / Math.max(seed.length, 1))).slice(0, MB);
    const slow: string[] = [];
    let total = 0;
    for (const kind of CREDENTIALS) {
      const sample = kind.samples.secrets[0] ?? '';
      const inputs = [
        fill('aB3-_'),
        fill(sample),
        sample.slice(0, 16) + fill('A9f'),
        fill(`${kind.keywords[0] ?? 'key'} = `),
      ];
      for (const input of inputs) {
        const started = performance.now();
        for (const _ of input.matchAll(kind.pattern)) {
          // counting only
        }
        const ms = performance.now() - started;
        total += ms;
        if (ms > 1500) slow.push(`${kind.id}: ${Math.round(ms)} ms`);
      }
    }
    expect(slow).toEqual([]);
    expect(total).toBeLessThan(60_000);
  }, 120_000);
});
