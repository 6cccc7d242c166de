/**
 * Completion callbacks never reach what only the server can (#9): internal
 * addresses are refused when an execution is created, in whatever spelling,
 * and again when the callback is sent, on the addresses the name resolves to.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { callbackPolicy } from '../../../shared/app/callback-policy.js';
import { CallbackSender, guardedPost } from '../../../shared/app/callbacks.js';
import { resetConfig } from '../../../shared/core/config.js';
import { httpEvent, json, startTestApp, type TestApp } from '../../helpers/app.js';
import { anExecution } from '../../helpers/factories.js';

let app: TestApp;
let received: string[] = [];
let port = 0;
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => {
    body += c.toString();
  });
  req.on('end', () => {
    received.push(body);
    res.writeHead(204).end();
  });
});

beforeAll(async () => {
  app = await startTestApp();
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await app?.close();
});

beforeEach(() => {
  received = [];
  delete process.env.AIOPS_CALLBACK_ALLOW;
  resetConfig();
});

async function create(callbackUrl: string) {
  const result = await app.api(
    httpEvent('POST', '/v1/executions', {
      headers: { 'x-api-key': app.keys.user, 'content-type': 'application/json' },
      body: JSON.stringify({
        agent: 'log-analyzer',
        input: { lines: ['INFO ok'] },
        callbackUrl,
        priority: true,
      }),
    }),
  );
  return {
    status: result.statusCode,
    body: json(result) as { errors?: { path: string; message: string }[] },
  };
}

describe('callback URLs at creation (#9)', () => {
  it.each([
    'https://169.254.169.254/latest/meta-data/iam/security-credentials/',
    'https://10.0.0.1/hooks',
    'https://2852039166/hooks',
    'https://0x7f000001/hooks',
    'https://[::ffff:169.254.169.254]/hooks',
    'https://[fd00:ec2::254]/latest/meta-data/',
    'https://[::1]:8080/hooks',
    'https://metadata.google.internal/computeMetadata/v1/',
    'https://localhost/hooks',
    'http://hooks.example.com/aiops',
  ])('#9 refuses %s with a field error', async (callbackUrl) => {
    // Act
    const response = await create(callbackUrl);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ path: 'callbackUrl', message: expect.any(String) }]);
  });

  it('#9 accepts https to a public host, and http to a host on AIOPS_CALLBACK_ALLOW', async () => {
    // Prepare
    const local = `http://127.0.0.1:${port}/hooks`;
    const before = await create(local);
    process.env.AIOPS_CALLBACK_ALLOW = '127.0.0.1, hooks.internal';
    resetConfig();

    // Act
    const publicHost = await create('https://hooks.example.com/aiops');
    const allowed = await create(local);

    // Assess
    expect(before.status).toBe(400);
    expect(publicHost.status).toBe(202);
    expect(allowed.status).toBe(202);
  });
});

describe('callbacks at send time (#9)', () => {
  it('#9 refuses a name that resolves to an internal address, in the connection’s own lookup', async () => {
    // Prepare: localhost is a name; what it resolves to is only known at send time.
    const post = guardedPost(callbackPolicy(''));
    const init = {
      headers: { 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(10_000),
    };

    // Act + Assess
    await expect(post(`http://localhost:${port}/hooks`, init)).rejects.toThrow(
      /localhost resolves to an internal address: 127\.0\.0\.1/,
    );
    expect(received).toEqual([]);
    const allowed = await guardedPost(callbackPolicy('127.0.0.1,::1'))(
      `http://localhost:${port}/hooks`,
      init,
    );
    const byName = await guardedPost(callbackPolicy('localhost'))(`http://localhost:${port}/hooks`, init);
    expect(allowed.status).toBe(204);
    expect(byName.status).toBe(204);
    expect(received).toEqual(['{}', '{}']);
  });

  it('#9 does not send, nor retry, a stored callback to an internal address', async () => {
    // Prepare: stored before these rules existed (straight into the database).
    const stored = await app.deps.repos.executions.create(
      anExecution({ callbackUrl: `http://127.0.0.1:${port}/hooks` }),
    );
    await app.deps.repos.executions.acquireLease(stored.id, new Date(Date.now() + 60_000));
    await app.deps.repos.executions.complete(stored.id, {
      output: { summary: 'ok', findings: [] },
      findingCounts: {},
    });

    // Act
    const refused = new CallbackSender(app.deps).deliver(stored.id);
    await expect(refused).resolves.toBeUndefined();
    process.env.AIOPS_CALLBACK_ALLOW = '127.0.0.1';
    resetConfig();
    await new CallbackSender(app.deps).deliver(stored.id);

    // Assess: only the allowed attempt arrived.
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0] ?? '{}')).toMatchObject({ data: { id: stored.id } });
  });
});
