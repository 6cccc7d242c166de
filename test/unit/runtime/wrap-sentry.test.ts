import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { resetConfig } from '../../../shared/core/config.js';
import { ValidationError } from '../../../shared/core/errors.js';
import { createApiFunctionHandler } from '../../../shared/runtime/aws/api-function.js';
import { wrapHandler } from '../../../shared/runtime/aws/wrap.js';
import { startTestApp } from '../../helpers/app.js';
import { lambdaContext, sampleEvent } from '../../helpers/lambda.js';

const TRACE_ID = '4f3c2b1a-9e8d-4c7b-a6f5-0e1d2c3b4a59';

/** A Sentry ingestion endpoint: every envelope the SDK sends, as its lines of JSON. */
const received: unknown[][] = [];
let server: Server;
const dsn = process.env.SENTRY_DSN;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const lines = Buffer.concat(chunks)
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '');
      received.push(lines.map((line) => JSON.parse(line) as unknown));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  process.env.SENTRY_DSN = `http://0123456789abcdef0123456789abcdef@127.0.0.1:${port}/42`;
  resetConfig();
});

afterAll(async () => {
  server.close();
  if (dsn === undefined) delete process.env.SENTRY_DSN;
  else process.env.SENTRY_DSN = dsn;
  resetConfig();
});

beforeEach(() => {
  received.length = 0;
});

interface SentryEvent {
  type?: string;
  tags?: Record<string, string>;
  message?: string;
  exception?: { values?: { type?: string; value?: string }[] };
}

function events(): SentryEvent[] {
  return received.flatMap((envelope) => {
    // An envelope is a header line, then item header and payload lines in pairs.
    const items = envelope.slice(1);
    return items
      .filter((_, i) => i % 2 === 1)
      .filter((_, i) => (items[i * 2] as { type?: string }).type === 'event') as SentryEvent[];
  });
}

describe('wrapHandler with SENTRY_DSN', () => {
  it('reports an unexpected error with the trace id as a tag, then rethrows it', async () => {
    // Prepare
    const handler = wrapHandler(
      async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'findings')");
      },
      { traceIdOf: () => TRACE_ID },
    );

    // Act
    const attempt = handler({}, lambdaContext('aiops-prod-agent-config-drift-detector'));

    // Assess
    await expect(attempt).rejects.toThrow(TypeError);
    const [event, ...more] = events();
    expect(more).toEqual([]);
    expect(event?.tags).toMatchObject({ traceId: TRACE_ID });
    expect(event?.exception?.values?.at(-1)).toMatchObject({ type: 'TypeError' });
  });

  it('does not report a client error', async () => {
    // Prepare
    const handler = wrapHandler(async () => {
      throw new ValidationError('The agent function was invoked without a valid invocation');
    });

    // Act
    await expect(handler({}, lambdaContext())).rejects.toBeInstanceOf(ValidationError);

    // Assess
    expect(events()).toEqual([]);
  });

  it('reports the API’s 500 answer by its problem code and trace id, and not its 4xx answers', async () => {
    // Prepare: an API whose database has gone away.
    const app = await startTestApp();
    const handler = createApiFunctionHandler(async () => app.deps);
    const event = sampleEvent<APIGatewayProxyEventV2>('api-create-execution.json');
    event.headers = { ...event.headers, 'x-api-key': app.keys.user, 'x-trace-id': TRACE_ID };
    await app.close();

    // Act
    const notFound = await handler(
      { ...event, rawPath: '/v1/nothing-here' },
      lambdaContext('aiops-prod-api'),
    );
    const failed = await handler(event, lambdaContext('aiops-prod-api'));

    // Assess
    expect([notFound.statusCode, failed.statusCode]).toEqual([404, 500]);
    const reported = events();
    expect(reported).toHaveLength(1);
    expect(reported[0]?.tags).toMatchObject({ traceId: TRACE_ID });
    expect(reported[0]?.exception?.values?.at(-1)?.value).toMatch(/^The API answered 500 [A-Z_]+$/);
  });
});
