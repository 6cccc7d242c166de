import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Masker } from '../../../shared/llm/masking.js';

const LOG = [
  '2024-05-01T10:00:00Z ERROR pod checkout-7d9f in namespace payments: connect to db.internal.example.com (10.0.3.17:5432) failed',
  'user=alice@example.com password="Xk9#mQ2!vLp8" key AKIAQWERTYUIOP123456 from 2001:db8::8a2e:370:7334',
  'role arn:aws:iam::123456789012:role/Admin in account 123456789012, Authorization: Bearer abcdefghijklmnopqrstu',
  'postgres://admin:hunter2pass@db.example.com/orders token ghp_abcdefghijklmnopqrstuvwxyz0123456789',
].join('\n');

const SECRETS = [
  'checkout-7d9f',
  'payments',
  'db.internal.example.com',
  '10.0.3.17',
  'alice@example.com',
  'Xk9#mQ2!vLp8',
  'AKIAQWERTYUIOP123456',
  '2001:db8::8a2e:370:7334',
  'arn:aws:iam::123456789012:role/Admin',
  '123456789012',
  'abcdefghijklmnopqrstu',
  'hunter2pass',
  'db.example.com',
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
];

describe('Masker', () => {
  it('replaces secrets, identifiers and known resource names, and restores them exactly', () => {
    // Arrange
    const masker = new Masker(['checkout-7d9f', 'payments']);

    // Act
    const masked = masker.mask(LOG);

    // Assess
    for (const secret of SECRETS) expect(masked).not.toContain(secret);
    expect(masked).toContain('pod <RESOURCE_1> in namespace <RESOURCE_2>');
    // RFC 5322 allows `=` in the local part: over-masking is the safe side.
    expect(masked).toContain('<EMAIL_1> password=');
    expect(masked).toContain('(<IP_1>:5432)');
    expect(masked).toContain('<ACCOUNT_1>');
    expect(masker.unmask(masked)).toBe(LOG);
  });

  it('gives the same value the same placeholder across texts of one call', () => {
    // Arrange
    const masker = new Masker();

    // Act
    const first = masker.mask('from 10.1.2.3 to ops@example.org');
    const second = masker.mask('again 10.1.2.3, then 10.9.9.9');

    // Assess
    expect(first).toBe('from <IP_1> to <EMAIL_1>');
    expect(second).toBe('again <IP_1>, then <IP_2>');
  });

  it('restores placeholders deep inside a JSON reply, keys included', () => {
    // Arrange
    const masker = new Masker(['orders-api']);
    masker.mask('orders-api on 192.168.1.20 mailed bob@example.net');

    // Act
    const restored = masker.unmask({
      explanation: '<RESOURCE_1> at <IP_1> is down',
      remediations: [{ title: 'Tell <EMAIL_1>', steps: ['ssh <IP_1>', 'unknown <IP_9> stays'] }],
      '<RESOURCE_1>': 3,
      n: 1,
      ok: true,
      none: null,
    });

    // Assess
    expect(restored).toEqual({
      explanation: 'orders-api at 192.168.1.20 is down',
      remediations: [{ title: 'Tell bob@example.net', steps: ['ssh 192.168.1.20', 'unknown <IP_9> stays'] }],
      'orders-api': 3,
      n: 1,
      ok: true,
      none: null,
    });
  });

  it('leaves file names, versions, class names and plain words alone', () => {
    // Arrange
    const text = 'values.yaml v1.2.3 java.lang.NullPointerException at app.ts:12 took 35ms';

    // Act
    const masked = new Masker().mask(text);

    // Assess
    expect(masked).toBe(text);
  });

  it('masks text that already looks like a placeholder, so restoring stays exact', () => {
    // Arrange
    const masker = new Masker();
    const text = 'literal <EMAIL_1> and real carol@example.com';

    // Act
    const masked = masker.mask(text);

    // Assess
    expect(masked).toBe('literal <LITERAL_1> and real <EMAIL_1>');
    expect(masker.unmask(masked)).toBe(text);
  });

  it('round-trips any text (property)', () => {
    const piece = fc.oneof(
      fc.string(),
      fc.emailAddress(),
      fc.ipV4(),
      fc.ipV6(),
      fc.domain(),
      fc.constantFrom('<EMAIL_1>', '<IP_2>', 'AKIAQWERTYUIOP123456', '123456789012', 'password=S3cr3t!pass'),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }),
        fc.array(fc.string({ minLength: 2 }), { maxLength: 3 }),
        (parts, known) => {
          const masker = new Masker(known);
          const text = parts.join(' ');
          expect(masker.unmask(masker.mask(text))).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never lets a generated e-mail or IPv4 address through (property)', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.ipV4(), (email, ip) => {
        const masked = new Masker().mask(`mail ${email} from ${ip} now`);
        expect(masked).not.toContain(email);
        expect(masked).not.toMatch(new RegExp(`(^|[^\\d.])${ip.replaceAll('.', '\\.')}($|[^\\d.])`));
      }),
      { numRuns: 300 },
    );
  });
});
