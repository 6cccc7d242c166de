/** The executions use cases on a real database and real lanes: who may do what, idempotency, the worker side. */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiKeysService } from '../../../shared/app/api-keys.js';
import { CallbackSender, SIGNATURE_HEADER, signPayload } from '../../../shared/app/callbacks.js';
import { canonicalJson } from '../../../shared/app/canonical-json.js';
import { ExecutionsService } from '../../../shared/app/executions.js';
import { createJobHandler } from '../../../shared/app/jobs.js';
import type { Principal } from '../../../shared/app/principal.js';
import { ExecutionRunner } from '../../../shared/app/runner.js';
import { resetConfig } from '../../../shared/core/config.js';
import {
  AgentExecutionError,
  AuthenticationError,
  AuthorizationError,
  ConnectionError,
  IdempotencyMismatchError,
  IntegrationError,
  ResourceExistsError,
  ResourceNotFoundError,
  ValidationError,
} from '../../../shared/core/errors.js';
import { newJob } from '../../../shared/lanes/envelope.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';

let app: TestApp;
let executions: ExecutionsService;
let keys: ApiKeysService;
const principals = {} as Record<'admin' | 'user' | 'readonly' | 'other', Principal>;

const drift = {
  baseline: { replicas: 2, tls: { enabled: true } },
  target: { replicas: 6, tls: { enabled: false } },
};
const options = () => ({ traceId: crypto.randomUUID() });

beforeAll(async () => {
  app = await startTestApp();
  executions = new ExecutionsService(app.deps);
  keys = new ApiKeysService(app.deps);
  for (const role of ['admin', 'user', 'readonly'] as const)
    principals[role] = await keys.authenticate(app.keys[role]);
  const other = await keys.issue({ name: 'other', username: 'someone-else', role: 'user' });
  principals.other = await keys.authenticate(other.key);
});

afterAll(async () => {
  await app?.close();
});

async function createOne(who: Principal = principals.user, input: unknown = drift): Promise<string> {
  const response = await executions.create(who, { agent: 'config-drift-detector', input }, options());
  return (response.body as { id: string }).id;
}

describe('creating executions', () => {
  it('queues a valid request and answers 202 with a Location', async () => {
    // Act
    const response = await executions.create(
      principals.user,
      { agent: 'config-drift-detector', input: drift },
      options(),
    );

    // Assess
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ agent: 'config-drift-detector', status: 'queued' });
    expect(response.headers?.Location).toMatch(/^\/v1\/executions\/[0-9a-f-]{36}$/);
    const depth = await app.lanes.depth('agents');
    expect(depth.queued).toBeGreaterThanOrEqual(1);
  });

  it('sends priority requests to the priority lane', async () => {
    const response = await executions.create(
      principals.user,
      { agent: 'config-drift-detector', input: drift, priority: true },
      options(),
    );
    const view = await executions.get(principals.user, (response.body as { id: string }).id);
    expect(view.lane).toBe('priority');
  });

  it.each([
    [{ agent: 'no-such-agent', input: {} }, 'agent'],
    [{ agent: 'config-drift-detector' }, 'input'],
    [{ agent: 'config-drift-detector', input: drift, callbackUrl: 'ftp://example.com/hook' }, 'callbackUrl'],
    [
      { agent: 'config-drift-detector', input: drift, callbackUrl: 'https://user:pw@example.com/hook' },
      'callbackUrl',
    ],
    [{ agent: 'config-drift-detector', input: drift, extra: true }, ''],
  ])('rejects %j with a field error at %s', async (body, path) => {
    const attempt = executions.create(principals.user, body, options());
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await attempt.catch((e: ValidationError) => expect(e.errors.map((f) => f.path)).toContain(path));
  });

  it('refuses readonly keys', async () => {
    await expect(createOne(principals.readonly)).rejects.toBeInstanceOf(AuthorizationError);
  });

  it('replays, refuses and releases idempotency keys as the contract says', async () => {
    // Prepare
    const body = { agent: 'config-drift-detector', input: drift };
    const key = { ...options(), idempotencyKey: 'release-42' };

    // Act
    const first = await executions.create(principals.user, body, key);
    const replay = await executions.create(principals.user, body, key);
    const otherBody = executions.create(principals.user, { ...body, priority: true }, key);
    const otherCaller = await executions.create(principals.other, body, key);
    const badKey = executions.create(principals.user, body, {
      ...options(),
      idempotencyKey: 'bad key with spaces',
    });
    const failing = executions.create(
      principals.user,
      { agent: 'nope', input: {} },
      { ...options(), idempotencyKey: 'k2' },
    );
    await expect(failing).rejects.toBeInstanceOf(ValidationError);
    const retried = await executions.create(principals.user, body, { ...options(), idempotencyKey: 'k2' });

    // Assess
    expect(replay.body).toEqual(first.body);
    expect(replay.headers?.['Idempotent-Replayed']).toBe('true');
    await expect(otherBody).rejects.toBeInstanceOf(IdempotencyMismatchError);
    expect((otherCaller.body as { id: string }).id).not.toBe((first.body as { id: string }).id);
    await expect(badKey).rejects.toBeInstanceOf(ValidationError);
    expect(retried.status).toBe(202);
  });

  it('answers 409 while the same key is still in flight', async () => {
    // Prepare: claim the key for this very body, as a concurrent request would have.
    const body = { agent: 'config-drift-detector', input: drift };
    const fingerprint = createHash('sha256')
      .update(`POST /v1/executions\n${canonicalJson(body)}`)
      .digest('hex');
    await app.deps.idempotency.claim(`${principals.user.userId}:in-flight`, fingerprint, 60);

    // Act
    const attempt = executions.create(principals.user, body, {
      ...options(),
      idempotencyKey: 'in-flight',
    });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ResourceExistsError);
  });

  it('refuses callbacks when no signing secret is configured', async () => {
    const unsigned = new ExecutionsService({
      ...app.deps,
      settings: { ...app.deps.settings, callbackSecret: undefined },
    });
    const attempt = unsigned.create(
      principals.user,
      { agent: 'config-drift-detector', input: drift, callbackUrl: 'https://hooks.example.com/aiops' },
      options(),
    );
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
  });

  it('marks the execution failed and answers 503 when the lane cannot take the job', async () => {
    // Prepare
    const broken = new ExecutionsService({
      ...app.deps,
      lanes: {
        send: async () => {
          throw new ConnectionError('queue down');
        },
        sendMany: async () => {},
        depth: (lane) => app.lanes.depth(lane),
      },
    });

    // Act
    const attempt = broken.create(
      principals.user,
      { agent: 'config-drift-detector', input: drift },
      options(),
    );

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ConnectionError);
    const latest = await executions.list(principals.user, { status: 'failed', limit: 1 });
    expect(latest.items[0]?.error?.code).toBe('QUEUE_UNAVAILABLE');
  });
});

describe('reading and cancelling', () => {
  it('#8 shows owners and admins the execution and its input, another user’s readonly key nothing', async () => {
    // Prepare
    const id = await createOne(principals.user);

    // Act
    const asOwner = await executions.get(principals.user, id);
    const asAdmin = await executions.get(principals.admin, id);
    const asReadonly = executions.get(principals.readonly, id);
    const asOther = executions.get(principals.other, id);

    // Assess
    expect(asOwner.input).toEqual(drift);
    expect(asAdmin.input).toEqual(drift);
    await expect(asReadonly).rejects.toBeInstanceOf(ResourceNotFoundError);
    await expect(asOther).rejects.toBeInstanceOf(ResourceNotFoundError);
    await expect(executions.get(principals.user, 'not-a-uuid')).rejects.toBeInstanceOf(ResourceNotFoundError);
  });

  it('lists a user’s own executions only, admins everyone’s, with filters and a cursor', async () => {
    // Prepare
    await createOne(principals.other);
    const mine = await createOne(principals.user);

    // Act
    const ownList = await executions.list(principals.user, { agent: 'config-drift-detector', limit: 100 });
    const adminList = await executions.list(principals.admin, {
      userId: principals.other.userId,
      limit: 100,
    });
    const firstPage = await executions.list(principals.admin, { limit: 1 });
    const secondPage = await executions.list(principals.admin, {
      limit: 1,
      cursor: firstPage.nextCursor ?? undefined,
    });
    const ranged = await executions.list(principals.admin, { from: '2999-01-01T00:00:00Z' });

    // Assess
    expect(ownList.items.every((e) => e.userId === principals.user.userId)).toBe(true);
    expect(ownList.items.map((e) => e.id)).toContain(mine);
    expect(adminList.items.every((e) => e.userId === principals.other.userId)).toBe(true);
    expect(secondPage.items[0]?.id).not.toBe(firstPage.items[0]?.id);
    expect(ranged.items).toEqual([]);
    await expect(executions.list(principals.user, { status: 'pending' })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('cancels queued executions of the owner; 409 once it is not queued; 404 for others', async () => {
    // Prepare
    const id = await createOne(principals.user);

    // Act
    const byOther = executions.cancel(principals.other, id);
    const cancelled = await executions.cancel(principals.user, id);
    const again = executions.cancel(principals.user, id);

    // Assess
    await expect(byOther).rejects.toBeInstanceOf(ResourceNotFoundError);
    expect(cancelled.status).toBe('cancelled');
    await expect(again).rejects.toBeInstanceOf(ResourceExistsError);
  });
});

describe('running executions', () => {
  it('runs a job to completion once, with finding counts and a completion event', async () => {
    // Prepare
    const id = await createOne();
    const seen: string[] = [];
    const off = app.events.on((e) => seen.push(`${e.id}:${e.status}`));
    const handle = createJobHandler(app.deps);
    const job = newJob('execution.run', { executionId: id }, { traceId: 't' });

    // Act
    await handle(job, { attempt: 1, maxAttempts: 3 });
    await handle(job, { attempt: 2, maxAttempts: 3 });
    off();

    // Assess
    const view = await executions.get(principals.admin, id);
    expect(view.status).toBe('completed');
    // replicas +200 % and TLS turned off: both high.
    expect(view.findingCounts.high).toBe(2);
    expect(seen).toEqual([`${id}:completed`]);
  });

  it('retries while another worker holds the lease, with the time left as retryAfter', async () => {
    // Prepare
    const id = await createOne();
    await app.deps.repos.executions.acquireLease(id, new Date(Date.now() + 30_000));

    // Act
    const attempt = new ExecutionRunner(app.deps).execute(
      id,
      { attempt: 1, maxAttempts: 3 },
      'config-drift-detector',
    );

    // Assess
    await expect(attempt).rejects.toMatchObject({ retryable: true, retryAfterSeconds: expect.any(Number) });
  });

  it('records a non-retryable agent failure as failed, without leaking internals', async () => {
    // Prepare
    const id = await createOne();
    const runner = new ExecutionRunner(app.deps, async () => {
      throw new AgentExecutionError('stack overflow in parser at 0x7ffd');
    });

    // Act
    await runner.execute(id, { attempt: 1, maxAttempts: 3 });

    // Assess
    const view = await executions.get(principals.admin, id);
    expect(view.status).toBe('failed');
    expect(view.error).toEqual({ code: 'AGENT_EXECUTION_FAILED', message: 'The agent failed' });
  });

  it('rethrows a retryable failure until the last attempt, then records it', async () => {
    // Prepare
    const id = await createOne();
    const runner = new ExecutionRunner(app.deps, async () => {
      throw new ConnectionError('database resuming');
    });

    // Act
    const early = runner.execute(id, { attempt: 1, maxAttempts: 2 });
    await expect(early).rejects.toBeInstanceOf(ConnectionError);
    // The first attempt gave its lease back, so the retry takes it at once.
    await runner.execute(id, { attempt: 2, maxAttempts: 2 });

    // Assess
    expect((await executions.get(principals.admin, id)).status).toBe('failed');
  });

  it('does nothing for executions that are gone, and rejects jobs without an execution id', async () => {
    const handle = createJobHandler(app.deps);
    await expect(
      handle(newJob('execution.run', { executionId: crypto.randomUUID() }, { traceId: 't' }), {
        attempt: 1,
        maxAttempts: 1,
      }),
    ).resolves.toBeUndefined();
    await expect(
      handle(newJob('execution.run', { nope: 1 }, { traceId: 't' }), { attempt: 1, maxAttempts: 1 }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('completion callbacks', () => {
  let received: { headers: IncomingMessage['headers']; body: string }[] = [];
  let answer = 200;
  let url = '';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answer).end();
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/aiops`;
    // A receiver on this machine: allowed only because the allow-list says so (callback-policy.ts).
    process.env.AIOPS_CALLBACK_ALLOW = '127.0.0.1';
    resetConfig();
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  async function completedWithCallback(): Promise<string> {
    const response = await executions.create(
      principals.user,
      { agent: 'config-drift-detector', input: drift, callbackUrl: url },
      options(),
    );
    const id = (response.body as { id: string }).id;
    await new ExecutionRunner(app.deps).execute(id, { attempt: 1, maxAttempts: 3 });
    return id;
  }

  it('posts the completed execution signed with HMAC-SHA256 over timestamp and body', async () => {
    // Prepare
    received = [];
    answer = 204;
    const id = await completedWithCallback();

    // Act
    await new CallbackSender(app.deps).deliver(id);

    // Assess
    expect(received).toHaveLength(1);
    const [delivery] = received;
    const signature = String(delivery?.headers[SIGNATURE_HEADER.toLowerCase()]);
    const timestamp = Number(/t=(\d+)/.exec(signature)?.[1]);
    expect(signature).toBe(signPayload('test-callback-secret', delivery?.body ?? '', timestamp));
    expect(JSON.parse(delivery?.body ?? '{}')).toMatchObject({
      type: 'aiops.execution.completed',
      data: { id, status: 'completed' },
    });
    expect(delivery?.body).not.toContain('"input"');
  });

  it('retries on 5xx and gives up quietly on other 4xx', async () => {
    // Prepare
    const id = await completedWithCallback();
    const sender = new CallbackSender(app.deps);

    // Act + Assess
    answer = 503;
    await expect(sender.deliver(id)).rejects.toMatchObject({ retryable: true });
    answer = 410;
    await expect(sender.deliver(id)).resolves.toBeUndefined();
  });

  it('retries when the receiver is unreachable', async () => {
    const id = await completedWithCallback();
    const sender = new CallbackSender(app.deps, async () => {
      throw new TypeError('fetch failed');
    });
    await expect(sender.deliver(id)).rejects.toBeInstanceOf(IntegrationError);
  });
});

describe('API keys', () => {
  it('authenticates only active, unexpired keys of active users', async () => {
    // Prepare
    const created = await keys.issue({
      name: 'short-lived',
      username: 'temp-user',
      role: 'user',
      expiresInDays: 1,
    });
    const later = new ApiKeysService({
      ...app.deps,
      clock: { now: () => new Date(Date.now() + 2 * 86_400_000) },
    });

    // Act + Assess
    await expect(keys.authenticate(undefined)).rejects.toBeInstanceOf(AuthenticationError);
    await expect(keys.authenticate('sk-live-123')).rejects.toBeInstanceOf(AuthenticationError);
    await expect(keys.authenticate(`aiops_${'x'.repeat(40)}`)).rejects.toBeInstanceOf(AuthenticationError);
    await expect(later.authenticate(created.key)).rejects.toThrow('expired');
    await expect(keys.authenticate(created.key)).resolves.toMatchObject({ role: 'user' });
  });

  it('revokes a key at once in this process', async () => {
    // Prepare
    const created = await keys.issue({ name: 'to revoke', username: 'revokee', role: 'user' });
    await keys.authenticate(created.key);

    // Act
    const revoked = await keys.revoke(principals.admin, created.apiKey.id);

    // Assess
    expect(revoked.isActive).toBe(false);
    await expect(keys.authenticate(created.key)).rejects.toBeInstanceOf(AuthenticationError);
    await expect(keys.revoke(principals.admin, crypto.randomUUID())).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
  });

  it('never grants more than the granter has or the user holds; lists keys for admins only', async () => {
    await expect(
      keys.create(principals.user, { name: 'x', username: 'y', role: 'user' }),
    ).rejects.toBeInstanceOf(AuthorizationError);
    await expect(keys.issue({ name: 'x', username: 'user-person', role: 'admin' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(keys.issue({ name: 'x', username: 'z', role: 'admin' }, 'user')).rejects.toBeInstanceOf(
      AuthorizationError,
    );
    const narrower = await keys.create(principals.admin, {
      name: 'ro',
      username: 'user-person',
      role: 'readonly',
    });
    expect(narrower.apiKey.role).toBe('readonly');
    expect((await keys.authenticate(narrower.key)).role).toBe('readonly');
    const listed = await keys.list(principals.admin, { userId: principals.user.userId }, {});
    expect(listed.items.map((k) => k.name)).toContain('ro');
    await expect(keys.list(principals.user, {}, {})).rejects.toBeInstanceOf(AuthorizationError);
  });
});
