/**
 * Nothing a client sent reaches the logs (#7): the paths that log errors —
 * a failed database write in the API and in the runner, a refused request —
 * are driven through the real handler and runner, every line the logger
 * writes is captured, and none may hold a secret from the inputs.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { ExecutionRunner } from '../../../shared/app/runner.js';
import { logger } from '../../../shared/core/observability.js';
import { httpEvent, json, startTestApp, type TestApp } from '../../helpers/app.js';

let app: TestApp;
let lines: string[] = [];
const originals = { out: process.stdout.write, err: process.stderr.write };

/** Credentials as they turn up in real logs: an access key id, a password, a bearer token, and one with no telltale shape. */
const SECRETS = {
  accessKey: 'AKIAQ3EGRJ5XNB2PXK7M',
  password: 'Tr0ub4dor-and-3-horses',
  bearer: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaGVja291dC1zdmMifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg',
  shapeless: 'correct-horse-battery-staple-9f2c',
};
const LOG = [
  `2026-11-25T08:00:01Z ERROR checkout aws sdk call failed with key ${SECRETS.accessKey}: AccessDenied`,
  `2026-11-25T08:00:02Z ERROR orders db connect failed password=${SECRETS.password} host=db.internal`,
  `2026-11-25T08:00:03Z WARN gateway upstream rejected Authorization: Bearer ${SECRETS.bearer}`,
  `2026-11-25T08:00:04Z ERROR billing vault unseal key rejected: ${SECRETS.shapeless}`,
];

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app?.close();
});

beforeEach(() => {
  lines = [];
  const collect = ((chunk: string | Uint8Array) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((l) => l.trim() !== ''),
    );
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = collect;
  process.stderr.write = collect;
  logger.setLogLevel('DEBUG');
});

afterEach(() => {
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
  logger.setLogLevel('SILENT');
});

function expectNoSecretIn(logged: string[]): void {
  for (const line of logged) {
    for (const secret of Object.values(SECRETS)) expect(line).not.toContain(secret);
  }
}

function post(body: unknown) {
  return app.api(
    httpEvent('POST', '/v1/executions', {
      headers: { 'x-api-key': app.keys.user, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

describe('secrets from inputs never reach the logs (#7)', () => {
  it('#7 logs a failed database write in the API without its bound parameters', async () => {
    // Prepare: the insert of this input fails in PostgreSQL, whose error carries the query parameters.
    await sql`alter table agent_executions add constraint no_vault_keys check (input::text not like '%battery-staple%')`.execute(
      app.handle.db,
    );

    // Act
    let result: Awaited<ReturnType<typeof post>>;
    try {
      result = await post({ agent: 'log-analyzer', input: { lines: LOG }, priority: true });
    } finally {
      await sql`alter table agent_executions drop constraint no_vault_keys`.execute(app.handle.db);
    }

    // Assess
    expect(result.statusCode).toBe(500);
    const failure = lines.find((l) => l.includes('request failed'));
    expect(failure).toBeDefined();
    expect(JSON.parse(failure ?? '{}')).toMatchObject({
      level: 'ERROR',
      error: { message: expect.stringContaining('no_vault_keys'), constraint: 'no_vault_keys' },
    });
    expectNoSecretIn(lines);
  });

  it('#7 logs a failed execution whose result cannot be stored without the result', async () => {
    // Prepare: the evidence lines of the result quote the log, secrets included.
    const created = await post({ agent: 'log-analyzer', input: { lines: LOG }, priority: true });
    const id = (json(created) as { id: string }).id;
    await sql`alter table agent_executions add constraint no_vault_keys_out check (output is null or output::text not like '%battery-staple%')`.execute(
      app.handle.db,
    );

    // Act
    try {
      await new ExecutionRunner(app.deps).execute(id, { attempt: 1, maxAttempts: 1 });
    } finally {
      await sql`alter table agent_executions drop constraint no_vault_keys_out`.execute(app.handle.db);
    }

    // Assess
    expect(created.statusCode).toBe(202);
    expect(lines.some((l) => l.includes('execution failed'))).toBe(true);
    expectNoSecretIn(lines);
  });

  it('#7 logs nothing of a refused request body, nor of an error message quoting it', async () => {
    // Act
    const refused = await post({ agent: 'log-analyzer', input: { lines: LOG }, token: SECRETS.password });
    logger.error('parsing a client document failed', {
      error: (() => {
        try {
          JSON.parse(`${SECRETS.shapeless} ${SECRETS.accessKey}`);
        } catch (error) {
          return error;
        }
      })(),
      input: { lines: LOG },
      headers: { authorization: `Bearer ${SECRETS.bearer}`, 'x-api-key': app.keys.user },
    });

    // Assess
    expect(refused.statusCode).toBe(400);
    expect(lines.some((l) => l.includes('parsing a client document failed'))).toBe(true);
    expectNoSecretIn(lines);
    for (const line of lines) expect(line).not.toContain(app.keys.user);
  });
});
