/**
 * Bad input never yields a 5xx: for every route, at least 500 generated
 * requests (bodies, headers, paths, query strings); each answer is a success
 * or a 4xx problem document.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { problemDocumentSchema } from '../../../shared/core/problem.js';
import { httpEvent, startTestApp, type TestApp } from '../../helpers/app.js';

const RUNS = 500;

const ROUTES: [string, string][] = [
  ['GET', '/v1/health'],
  ['GET', '/v1/agents'],
  ['GET', '/v1/agents/{name}'],
  ['POST', '/v1/executions'],
  ['GET', '/v1/executions'],
  ['GET', '/v1/executions/{id}'],
  ['POST', '/v1/executions/{id}/cancel'],
  ['POST', '/v1/api-keys'],
  ['GET', '/v1/api-keys'],
  ['DELETE', '/v1/api-keys/{id}'],
  ['GET', '/v1/audit-logs'],
  ['GET', '/v1/costs'],
  ['GET', '/v1/metrics'],
  ['GET', '/v1/openapi.json'],
  ['POST', '/v1/uploads'],
  ['PUT', '/v1/uploads/{token}'],
  ['GET', '/v1/health/ready'],
  ['GET', '/v1/workflows'],
  ['POST', '/v1/workflows/{name}/runs'],
  ['GET', '/v1/workflows/runs/{id}'],
  ['GET', '/v1/llm/providers'],
];

let app: TestApp;

const anyText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));

const segment = fc.oneof(
  fc.uuid(),
  fc.constantFrom(
    'config-drift-detector',
    'chain-analysis',
    'batch-analysis',
    'nope',
    '..',
    '%00',
    '%E0%A4%A',
    'a'.repeat(300),
    ' ',
    '%2F',
  ),
  anyText.map((s) => encodeURIComponent(s)),
);

const body = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }).map((v) => JSON.stringify(v)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        agent: fc.oneof(fc.constant('config-drift-detector'), fc.string({ maxLength: 30 }), fc.integer()),
        input: fc.oneof(
          fc.jsonValue({ maxDepth: 3 }),
          fc.record({ baseline: fc.jsonValue({ maxDepth: 3 }), target: fc.jsonValue({ maxDepth: 3 }) }),
          fc.record({ baseline: anyText, target: anyText, criticalKeys: fc.anything() }),
          fc.record({
            $object: fc.oneof(anyText, fc.constantFrom('object:logs/x.log', 'object:../x', 'object:')),
          }),
          fc.record({
            $cloudwatchLogs: fc.oneof(
              fc.anything(),
              fc.record({ logGroup: anyText, from: anyText, to: anyText }),
            ),
          }),
        ),
        priority: fc.anything(),
        callbackUrl: fc.oneof(fc.webUrl(), fc.string()),
        llm: fc.anything(),
        name: fc.string(),
        username: fc.string(),
        role: fc.oneof(fc.constantFrom('admin', 'user', 'readonly'), fc.string()),
        expiresInDays: fc.anything(),
        email: fc.string(),
        filename: fc.oneof(fc.constantFrom('app.log', '../../etc/passwd', '.env', 'a/b\\c.csv'), anyText),
        contentType: fc.oneof(fc.constantFrom('text/plain', 'application/json; charset=utf-8'), anyText),
        size: fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 40)),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
);

const headers = fc.record(
  {
    'content-type': fc.oneof(
      fc.constant('application/json'),
      fc.constantFrom(
        'text/plain',
        'application/json; charset=utf-8',
        'application/x-www-form-urlencoded',
        '',
      ),
      fc.string({ maxLength: 30 }),
    ),
    'x-api-key': fc.oneof(fc.constantFrom('admin', 'user', 'readonly'), anyText),
    'idempotency-key': fc.oneof(fc.string({ maxLength: 300 }), anyText),
    'x-trace-id': fc.oneof(fc.string({ maxLength: 200 }), anyText),
  },
  { requiredKeys: [] },
);

const query = fc.dictionary(
  fc.constantFrom(
    'limit',
    'cursor',
    'agent',
    'status',
    'from',
    'to',
    'deep',
    'userId',
    'eventType',
    'groupBy',
    'name',
    'x',
  ),
  fc.oneof(
    anyText,
    fc.integer().map(String),
    fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
  ),
  { maxKeys: 4 },
);

describe('the HTTP API under generated input', () => {
  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it.each(ROUTES)(`%s %s answers ${RUNS} generated requests without a 5xx`, async (method, template) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { minLength: 1, maxLength: 1 }),
        body,
        headers,
        query,
        async ([param], payload, rawHeaders, q) => {
          // Prepare: role names stand for real keys, so requests also get past authentication.
          const h: Record<string, string> = { ...rawHeaders };
          const role = h['x-api-key'];
          if (role === 'admin' || role === 'user' || role === 'readonly') h['x-api-key'] = app.keys[role];
          const path = template.replace(/\{\w+\}/, param ?? 'x');

          // Act
          const result = await app.api(httpEvent(method, path, { headers: h, body: payload, query: q }));

          // Assess
          const status = result.statusCode ?? 0;
          expect(status).toBeGreaterThanOrEqual(200);
          expect(status).toBeLessThan(500);
          if (status >= 400) {
            expect(result.headers?.['content-type']).toBe('application/problem+json');
            const problem = problemDocumentSchema.parse(JSON.parse(result.body ?? ''));
            expect(problem.status).toBe(status);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
