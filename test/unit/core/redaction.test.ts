/** The logger's one redaction step (#7): what a database error, a message or an attribute may carry out of the process. */
import { describe, expect, it } from '@jest/globals';
import { REDACTED, redactError, redactLogValue, redactText } from '../../../shared/core/redaction.js';

/** A PostgreSQL error as PGlite throws it: the query, its parameters and a detail quoting the value. */
function pgliteError(): Error {
  return Object.assign(new Error('duplicate key value violates unique constraint "users_username_key"'), {
    name: 'error',
    severity: 'ERROR',
    code: '23505',
    detail: 'Key (username)=(svc-AKIAQ3EGRJ5XNB2PXK7M) already exists.',
    where: 'SQL function "f" statement 1 with value \'hunter2-and-more\'',
    constraint: 'users_username_key',
    table: 'users',
    query: 'insert into "users" ("username", "email") values ($1, $2)',
    params: ['svc-AKIAQ3EGRJ5XNB2PXK7M', 'ops@example.com'],
  });
}

describe('log redaction (#7)', () => {
  it('#7 keeps what explains a database error and drops its query, parameters, detail and context', () => {
    // Act
    const logged = JSON.stringify({ error: pgliteError() }, redactLogValue);

    // Assess
    expect(JSON.parse(logged)).toMatchObject({
      error: { code: '23505', constraint: 'users_username_key', table: 'users', severity: 'ERROR' },
    });
    expect(logged).not.toContain('AKIAQ3EGRJ5XNB2PXK7M');
    expect(logged).not.toContain('hunter2');
    expect(logged).not.toContain('ops@example.com');
    expect(logged).not.toContain('values ($1');
  });

  it.each([
    ['ERROR: invalid input syntax for type uuid: "sk_live_abcdefghijklmnop1234"', 'sk_live_'],
    ['Key (email)=(alice@example.com) already exists.', 'alice@'],
    ['connect failed: password=Tr0ub4dor-and-3 host=db', 'Tr0ub4dor'],
    ['GET https://deploy:s3cr3t-pass@git.example.com/repo.git failed', 's3cr3t'],
    ['Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345', 'abcdefghijklmnop'],
    ['token ghp_0123456789abcdefghij0123456789abcdef rejected', 'ghp_'],
  ])('#7 masks the value in %j', (text, secret) => {
    expect(redactText(text)).not.toContain(secret);
    expect(redactText(text)).toContain(REDACTED);
  });

  it('#7 drops JSON.parse’s quote of its input and the cause chain’s secrets', () => {
    // Prepare
    let parseError: Error = new Error('unreachable');
    try {
      JSON.parse('correct-horse-battery-staple is not json');
    } catch (error) {
      parseError = error as Error;
    }
    const wrapped = new Error('reading the input failed', { cause: parseError });

    // Act
    const logged = JSON.stringify({ error: wrapped }, redactLogValue);

    // Assess
    expect(logged).toContain('reading the input failed');
    expect(logged).not.toContain('correct-horse');
    expect(redactError(parseError).message).toMatch(/not valid JSON/);
  });

  it('#7 replaces inputs, bodies and credentials by key, wherever they are nested', () => {
    // Act
    const logged = JSON.parse(
      JSON.stringify(
        {
          executionId: 'e-1',
          request: { body: { lines: ['x'] }, headers: { 'x-api-key': 'aiops_0123456789abcdefghij' } },
          input: { lines: ['plain secret-looking text'] },
          params: ['p'],
        },
        redactLogValue,
      ),
    ) as Record<string, unknown>;

    // Assess
    expect(logged).toEqual({
      executionId: 'e-1',
      request: { body: REDACTED, headers: { 'x-api-key': REDACTED } },
      input: REDACTED,
      params: REDACTED,
    });
  });
});
