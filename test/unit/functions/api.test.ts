import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createApiFunctionHandler } from '../../../shared/runtime/aws/api-function.js';
import { json, startTestApp, type TestApp } from '../../helpers/app.js';
import { lambdaContext, sampleEvent } from '../../helpers/lambda.js';

let app: TestApp;
let handler: ReturnType<typeof createApiFunctionHandler>;

beforeAll(async () => {
  app = await startTestApp();
  handler = createApiFunctionHandler(async () => app.deps);
});

afterAll(async () => {
  await app.close();
});

describe('api function', () => {
  it('answers the sample health check with 200 through the Lambda wrapper', async () => {
    // Act
    const result = await handler(sampleEvent('api-get-health.json'), lambdaContext('aiops-prod-api'));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(json(result)).toMatchObject({ status: 'ok' });
    expect(result.headers).toMatchObject({ 'x-content-type-options': 'nosniff' });
    expect(result.headers?.['x-trace-id']).toEqual(expect.any(String));
  });

  it('queues the sample config-drift execution for the caller’s key', async () => {
    // Prepare: the sample carries a placeholder key; this database knows another.
    const event = sampleEvent<APIGatewayProxyEventV2>('api-create-execution.json');
    event.headers = { ...event.headers, 'x-api-key': app.keys.user };

    // Act
    const result = await handler(event, lambdaContext('aiops-prod-api'));

    // Assess
    expect(result.statusCode).toBe(202);
    const body = json(result) as { id: string; agent: string; status: string };
    expect(body).toMatchObject({ agent: 'config-drift-detector', status: 'queued' });
    expect(await app.deps.repos.executions.findById(body.id)).toMatchObject({
      lane: 'agents',
      traceId: result.headers?.['x-trace-id'],
    });
  });

  it('answers a client error as a problem document, not as a failed invocation', async () => {
    // Act: the sample's placeholder key is unknown here.
    const result = await handler(sampleEvent('api-create-execution.json'), lambdaContext('aiops-prod-api'));

    // Assess
    expect(result.statusCode).toBe(401);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
  });
});
