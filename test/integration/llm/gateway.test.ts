import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import * as z from 'zod';
import { databaseProviderHealth, llmStores } from '../../../shared/app/llm.js';
import { ExecutionRunner } from '../../../shared/app/runner.js';
import { systemClock } from '../../../shared/core/clock.js';
import { BudgetError, LlmResponseError } from '../../../shared/core/errors.js';
import type { DatabaseHandle } from '../../../shared/db/database.js';
import { migrateUp } from '../../../shared/db/migrator.js';
import { LlmBudgetsRepository } from '../../../shared/db/repositories/llm-budgets.js';
import { LlmCacheRepository } from '../../../shared/db/repositories/llm-cache.js';
import { userScope } from '../../../shared/llm/budget.js';
import { DEFAULT_LLM_SETTINGS, LLM_CONFIG_KEYS } from '../../../shared/llm/config.js';
import { createRouter } from '../../../shared/llm/failover.js';
import { LlmGateway } from '../../../shared/llm/gateway.js';
import { OpenAiProvider } from '../../../shared/llm/providers/openai.js';
import { httpEvent, json, startTestApp, type TestApp } from '../../helpers/app.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { type FakeLlmServer, fakeReply, startFakeLlm } from '../../helpers/fake-llm.js';

const MODEL = 'gpt-4.1-mini';
const reply = z.object({ explanation: z.string(), remediations: z.array(z.string()) });

let app: TestApp;
let llm: FakeLlmServer;
let userId: string;

function gateway(settings = DEFAULT_LLM_SETTINGS): LlmGateway {
  const provider = new OpenAiProvider({ apiKey: 'test', model: MODEL, baseUrl: llm.openaiBaseUrl });
  const health = databaseProviderHealth(app.handle.db);
  return new LlmGateway({
    stores: llmStores(app.handle.db),
    clock: systemClock,
    settings,
    providers: [provider],
    router: createRouter([provider], health, { retry: { baseDelayMs: 1, maxDelayMs: 2 } }),
    health,
  });
}

function ask(g: LlmGateway, content: string, extra: Partial<Parameters<LlmGateway['complete']>[0]> = {}) {
  return g.complete({
    agent: 'log-analyzer',
    userId,
    traceId: 'trace-llm',
    request: { system: 'Explain.', messages: [{ role: 'user', content }], maxTokens: 100 },
    schema: reply,
    ...extra,
  });
}

beforeAll(async () => {
  app = await startTestApp();
  llm = await startFakeLlm();
  const user = await app.deps.repos.users.findByUsername('user-person');
  userId = user?.id ?? '';
});

afterAll(async () => {
  await llm?.close();
  await app?.close();
});

beforeEach(async () => {
  llm.reset();
  for (const key of Object.values(LLM_CONFIG_KEYS)) await app.deps.repos.configurations.delete(key);
});

describe('LlmGateway', () => {
  it('masks what leaves, restores the reply and records cost = tokens × price', async () => {
    // Arrange
    const secrets = [
      'alice@example.com',
      '10.0.3.17',
      'AKIAQWERTYUIOP123456',
      'checkout-api',
      'db.prod.example.com',
    ];
    llm.script(
      'openai',
      fakeReply.ok('{"explanation":"<RESOURCE_1> lost <HOST_1>","remediations":["mail <EMAIL_1>"]}', {
        inputTokens: 1000,
        outputTokens: 500,
      }),
    );

    // Act
    const result = await ask(
      gateway(),
      `checkout-api at 10.0.3.17 cannot reach db.prod.example.com; key AKIAQWERTYUIOP123456; owner alice@example.com`,
      { knownIdentifiers: ['checkout-api'] },
    );

    // Assess
    for (const request of llm.requests) for (const s of secrets) expect(request.raw).not.toContain(s);
    expect(result.value).toEqual({
      explanation: 'checkout-api lost db.prod.example.com',
      remediations: ['mail alice@example.com'],
    });
    const costs = await app.deps.repos.costs.list({ userId }, {});
    const row = costs.items.find((c) => c.traceId === 'trace-llm');
    // gpt-4.1-mini: $0.40 and $1.60 per million tokens.
    expect(row).toMatchObject({
      provider: 'openai',
      model: MODEL,
      promptTokens: 1000,
      completionTokens: 500,
      promptCostUsd: 0.0004,
      completionCostUsd: 0.0008,
      totalCostUsd: 0.0012,
    });
    expect(result.costUsd).toBe(0.0012);
  });

  it('answers an identical prompt from the cache without a second request', async () => {
    // Arrange
    const g = gateway();
    llm.setDefault(fakeReply.ok('{"explanation":"cached","remediations":[]}'));
    await ask(g, 'the same question');
    const before = llm.requests.length;

    // Act
    const again = await ask(g, 'the same question');

    // Assess
    expect(llm.requests.length).toBe(before);
    expect(again).toMatchObject({ cached: true, costUsd: 0, value: { explanation: 'cached' } });
  });

  it('asks once to repair invalid JSON, then gives up with LlmResponseError', async () => {
    // Arrange
    llm.script('openai', fakeReply.invalidJson(), fakeReply.ok('{"explanation": 3}'));

    // Act
    const act = ask(gateway(), 'broken replies');

    // Assess
    await expect(act).rejects.toBeInstanceOf(LlmResponseError);
    expect(llm.requests).toHaveLength(2);
    const repair = llm.requests[1]?.body as { messages: { role: string; content: string }[] };
    expect(repair.messages.at(-1)?.content).toMatch(/not valid/);
  });

  it('accepts a repaired reply', async () => {
    // Arrange
    llm.script('openai', fakeReply.invalidJson(), fakeReply.ok('{"explanation":"fixed","remediations":[]}'));

    // Act
    const result = await ask(gateway(), 'repair me');

    // Assess
    expect((result.value as { explanation: string }).explanation).toBe('fixed');
    expect(llm.requests).toHaveLength(2);
  });

  it('lets exactly 10 of 50 concurrent calls through a budget for 10, never overspending', async () => {
    // Arrange: input is free, 100 output tokens cost $0.10, so the worst case (maxTokens 100) is the actual cost.
    await app.deps.repos.configurations.set(LLM_CONFIG_KEYS.pricing, {
      value: { [MODEL]: { inputPerMTok: 0, outputPerMTok: 1000 } },
    });
    await app.deps.repos.configurations.set(LLM_CONFIG_KEYS.userDailyUsd, { value: 1 });
    llm.setDefault(
      fakeReply.ok('{"explanation":"ok","remediations":[]}', { inputTokens: 7, outputTokens: 100 }),
    );
    const g = gateway({ ...DEFAULT_LLM_SETTINGS, cacheTtlSec: 0 });

    // Act
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => ask(g, `question ${i}`, { traceId: 'trace-budget' })),
    );

    // Assess
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused).toHaveLength(40);
    expect(refused.every((o) => o.status === 'rejected' && o.reason instanceof BudgetError)).toBe(true);
    expect(llm.requests).toHaveLength(10);
    const rows = (await app.deps.repos.costs.list({ userId }, { limit: 100 })).items.filter(
      (c) => c.traceId === 'trace-budget',
    );
    expect(rows).toHaveLength(10);
    expect(rows.reduce((n, r) => n + r.totalCostUsd, 0)).toBeCloseTo(1, 9);
    const committed = await new LlmBudgetsRepository(app.handle.db).committed({
      scope: userScope(userId),
      periodStart: new Date().toISOString().slice(0, 10),
    });
    expect(committed).toBeLessThanOrEqual(1);
  });

  it('gives the whole reservation back when the provider fails', async () => {
    // Arrange
    await app.deps.repos.configurations.set(LLM_CONFIG_KEYS.monthlyUsd, { value: 1000 });
    const budgets = new LlmBudgetsRepository(app.handle.db);
    const month = { scope: 'global', periodStart: `${new Date().toISOString().slice(0, 7)}-01` };
    const before = await budgets.committed(month);
    llm.setDefault(fakeReply.status(400, 'bad request'));

    // Act
    await expect(ask(gateway(), 'fails')).rejects.toThrow();

    // Assess
    expect(await budgets.committed(month)).toBe(before);
  });
});

describe('executions with llm', () => {
  async function runLogAnalysis(g: LlmGateway | undefined, llmOption: unknown) {
    const created = await app.api(
      httpEvent('POST', '/v1/executions', {
        headers: { 'x-api-key': app.keys.user, 'content-type': 'application/json' },
        body: JSON.stringify({
          agent: 'log-analyzer',
          input: {
            lines: [
              '2024-05-01 10:00:00 ERROR checkout connection to 10.0.3.17 refused for bob@example.com',
              '2024-05-01 10:00:01 ERROR checkout connection to 10.0.3.18 refused for bob@example.com',
              '2024-05-01 10:00:02 INFO checkout retrying',
            ],
          },
          llm: llmOption,
        }),
      }),
    );
    const id = (json(created) as { id: string }).id;
    await new ExecutionRunner({ ...app.deps, ...(g ? { llm: g } : {}) }).execute(id, {
      attempt: 1,
      maxAttempts: 3,
    });
    const got = await app.api(
      httpEvent('GET', `/v1/executions/${id}`, { headers: { 'x-api-key': app.keys.user } }),
    );
    return json(got) as {
      status: string;
      llm: unknown;
      cost: { usd: number; tokens: number };
      result: Record<string, unknown>;
    };
  }

  it('completes offline with llm.used false, reason not-configured', async () => {
    // Act
    const view = await runLogAnalysis(undefined, { enabled: true });

    // Assess
    expect(view.status).toBe('completed');
    expect(view.llm).toEqual({ used: false, reason: 'not-configured' });
    expect(view.result.enrichment).toBeUndefined();
  });

  it('enriches with the fake provider, records the cost and shows it in /v1/costs', async () => {
    // Arrange
    llm.script(
      'openai',
      fakeReply.ok(
        '{"explanation":"connections refused","remediations":[{"title":"check","steps":["ping"]}]}',
        {
          inputTokens: 200,
          outputTokens: 50,
        },
      ),
    );

    // Act
    const view = await runLogAnalysis(gateway(), { enabled: true, provider: 'openai' });

    // Assess
    expect(view.status).toBe('completed');
    expect(view.llm).toEqual({ used: true, provider: 'openai', model: MODEL });
    expect(view.result.enrichment).toEqual({
      explanation: 'connections refused',
      remediations: [{ title: 'check', steps: ['ping'] }],
    });
    expect(view.cost).toEqual({ usd: 0.00016, tokens: 250 });
    for (const request of llm.requests) {
      expect(request.raw).not.toContain('10.0.3.17');
      expect(request.raw).not.toContain('bob@example.com');
    }
    const costs = json(
      await app.api(
        httpEvent('GET', '/v1/costs', {
          headers: { 'x-api-key': app.keys.admin },
          query: { groupBy: 'agent' },
        }),
      ),
    ) as { items: { key: string; costUsd: number }[] };
    expect(costs.items.find((i) => i.key === 'log-analyzer')?.costUsd).toBeGreaterThanOrEqual(0.00016);
  });

  it('completes with reason budget when the budget refuses', async () => {
    // Arrange
    await app.deps.repos.configurations.set(LLM_CONFIG_KEYS.userDailyUsd, { value: 0.000001 });

    // Act
    const view = await runLogAnalysis(gateway({ ...DEFAULT_LLM_SETTINGS, cacheTtlSec: 0 }), {
      enabled: true,
    });

    // Assess
    expect(view.status).toBe('completed');
    expect(view.llm).toEqual({ used: false, reason: 'budget' });
  });

  it('completes with reason error when the provider fails', async () => {
    // Arrange
    llm.setDefault(fakeReply.status(400, 'bad request'));

    // Act
    const view = await runLogAnalysis(gateway({ ...DEFAULT_LLM_SETTINGS, cacheTtlSec: 0 }), {
      enabled: true,
    });

    // Assess
    expect(view.status).toBe('completed');
    expect(view.llm).toEqual({ used: false, reason: 'error' });
  });

  it('lists no providers offline, for admins only', async () => {
    // Act
    const admin = await app.api(
      httpEvent('GET', '/v1/llm/providers', { headers: { 'x-api-key': app.keys.admin } }),
    );
    const user = await app.api(
      httpEvent('GET', '/v1/llm/providers', { headers: { 'x-api-key': app.keys.user } }),
    );

    // Assess
    expect(admin.statusCode).toBe(200);
    expect(json(admin)).toMatchObject({ offline: true, items: [] });
    expect(user.statusCode).toBe(403);
  });

  it('lists configured providers with model and health', async () => {
    // Arrange
    const routes = (await import('../../../shared/app/llm-routes.js')).llmRoutes({
      ...app.deps,
      llm: gateway(),
    });

    // Act
    const response = await routes[0]?.handle({
      method: 'GET',
      path: '/v1/llm/providers',
      params: {},
      query: {},
      headers: {},
      body: undefined,
      traceId: 't',
      sourceIp: undefined,
      userAgent: undefined,
      principal: undefined,
    });

    // Assess
    expect(response?.body).toMatchObject({ offline: false, items: [{ provider: 'openai', model: MODEL }] });
  });
});

describeEachDatabase('LLM budget and cache repositories', (target) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await target.open();
    await migrateUp(handle.db);
  });

  afterAll(async () => {
    await handle?.close();
  });

  it('never lets 50 concurrent reservations past a limit for 10', async () => {
    // Arrange
    const budgets = new LlmBudgetsRepository(handle.db);
    const charge = { scope: 'user:concurrent', periodStart: '2025-03-14', limitUsd: 1 };

    // Act
    const results = await Promise.all(
      Array.from({ length: 50 }, () => budgets.reserve([charge], 0.1, new Date())),
    );

    // Assess
    expect(results.filter((ok) => !ok)).toHaveLength(40);
    expect(await budgets.committed(charge)).toBe(1);
  });

  it('takes a two-row reservation all or nothing', async () => {
    // Arrange
    const budgets = new LlmBudgetsRepository(handle.db);
    const roomy = { scope: 'global', periodStart: '2025-03-01', limitUsd: 100 };
    const tight = { scope: 'user:tight', periodStart: '2025-03-14', limitUsd: 0.5 };

    // Act
    const first = await budgets.reserve([roomy, tight], 0.4, new Date());
    const second = await budgets.reserve([roomy, tight], 0.4, new Date());
    await budgets.adjust([roomy, tight], -0.1, new Date());

    // Assess
    expect([first, second]).toEqual([true, false]);
    expect(await budgets.committed(roomy)).toBe(0.3);
    expect(await budgets.committed(tight)).toBe(0.3);
    expect(await budgets.deleteBefore('2025-03-10')).toBe(1);
  });

  it('serves a cached reply until it expires', async () => {
    // Arrange
    const cache = new LlmCacheRepository(handle.db);
    const now = new Date('2025-03-14T10:00:00Z');
    const entry = { provider: 'openai', model: MODEL, text: '{}', inputTokens: 1, outputTokens: 2 };
    await cache.put('k', entry, now, new Date(now.getTime() + 60_000));

    // Act & Assess
    expect(await cache.get('k', now)).toEqual(entry);
    expect(await cache.get('k', new Date(now.getTime() + 60_000))).toBeUndefined();
    expect(await cache.deleteExpired(new Date(now.getTime() + 60_000))).toBe(1);
  });
});
