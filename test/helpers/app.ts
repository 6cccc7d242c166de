/**
 * A complete in-process application on an in-memory PGlite: real repositories,
 * real pg-boss lanes, real hot state. Tests drive the same API handler Lambda
 * and the local server run.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ApiKeysService } from '../../shared/app/api-keys.js';
import { composeAppDeps } from '../../shared/app/compose.js';
import type { AppDeps } from '../../shared/app/deps.js';
import { InProcessEvents } from '../../shared/app/events.js';
import { type ApiHandler, createApiHandler } from '../../shared/app/http/handler.js';
import { llmStores } from '../../shared/app/llm.js';
import { systemClock } from '../../shared/core/clock.js';
import type { Role } from '../../shared/core/domain.js';
import { type DatabaseHandle, openDatabase } from '../../shared/db/database.js';
import { PostgresIdempotencyStore, PostgresRateLimiter } from '../../shared/db/hot-state.js';
import { migrateUp } from '../../shared/db/migrator.js';
import { createPgBossLanes } from '../../shared/lanes/pg-boss.js';
import type { LanesPort } from '../../shared/lanes/port.js';
import { LlmGateway } from '../../shared/llm/gateway.js';
import { FsObjectStore } from '../../shared/runtime/local/fs-objects.js';
import { InProcessWorkflowEngine } from '../../shared/runtime/local/workflow-engine.js';

export interface TestApp {
  handle: DatabaseHandle;
  lanes: LanesPort;
  deps: AppDeps;
  events: InProcessEvents;
  api: ApiHandler;
  keys: Record<Role, string>;
  close(): Promise<void>;
}

export async function startTestApp(settings: Partial<AppDeps['settings']> = {}): Promise<TestApp> {
  const handle = await openDatabase({ kind: 'pglite-memory' });
  await migrateUp(handle.db);
  // biome-ignore lint/style/noNonNullAssertion: an in-memory handle always carries its PGlite instance
  const lanes = await createPgBossLanes({ pglite: handle.pglite! });
  const events = new InProcessEvents();
  const deps = composeAppDeps(
    {
      db: handle.db,
      lanes,
      rateLimiter: new PostgresRateLimiter(handle.db),
      idempotency: new PostgresIdempotencyStore(handle.db),
      events,
      objects: new FsObjectStore(await mkdtemp(join(tmpdir(), 'aiops-objects-'))),
      logEvents: undefined,
      workflows: (view) => new InProcessWorkflowEngine(view),
      // Offline: no provider (tests that need one build a gateway on the fake LLM server).
      llm: new LlmGateway({ stores: llmStores(handle.db), clock: systemClock }),
    },
    {
      rateLimitPerMinute: 100_000,
      callbackSecret: 'test-callback-secret',
      retention: { days: 30, auditDays: 365 },
      budgets: { dailyUsd: undefined, monthlyUsd: undefined },
      maxObjectBytes: 64 * 1024 * 1024,
      ...settings,
    },
  );
  const service = new ApiKeysService(deps);
  const keys = {} as Record<Role, string>;
  for (const role of ['admin', 'user', 'readonly'] as const) {
    keys[role] = (await service.issue({ name: `${role} key`, username: `${role}-person`, role })).key;
  }
  return {
    handle,
    lanes,
    deps,
    events,
    api: createApiHandler(deps),
    keys,
    close: async () => {
      await lanes.close();
      await handle.close();
    },
  };
}

/** An API Gateway v2 event as the HTTP API would send it. */
export function httpEvent(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string; query?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: options.headers ?? {},
    queryStringParameters: options.query,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'jest' },
      requestId: 'req',
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: options.body,
    isBase64Encoded: false,
  };
}

export function json(result: APIGatewayProxyStructuredResultV2): unknown {
  return result.body ? JSON.parse(result.body) : undefined;
}
