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
  classifySecretName,
  credentialSpans,
  findSecrets,
  isSecretName,
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
