/**
 * Serves the API handler over plain HTTP by turning each request into the API
 * Gateway v2 (HTTP API) event Lambda would receive, and the result back into a
 * response. Used by `aiops serve` and `aiops api`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ApiHandler } from '../../app/http/handler.js';
import { logger } from '../../core/observability.js';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../../core/problem.js';

/** The event API Gateway would build; the body is left out when it is streamed to the handler instead. */
export function toApiGatewayEvent(
  request: IncomingMessage,
  body: Buffer = Buffer.alloc(0),
): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  // API Gateway joins repeated query parameters with commas; so do we.
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  const method = (request.method ?? 'GET').toUpperCase();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.byteLength > 0 ? body.toString('base64') : undefined,
    isBase64Encoded: body.byteLength > 0,
  };
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  response.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops accepting connections and waits for in-flight requests. */
  close(): Promise<void>;
}

export async function startHttpServer(
  handler: ApiHandler,
  host: string,
  port: number,
): Promise<RunningServer> {
  const server = createServer(async (request, response) => {
    try {
      // The handler reads the body itself, after authentication and within the route's limit.
      const result = await handler.serve(toApiGatewayEvent(request), request);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
      // A body refused unread (bad credential, over the limit) is not drained: the connection ends with the answer.
      if (!request.complete) headers.connection = 'close';
      send(response, result.statusCode ?? 200, headers, result.body ?? '');
    } catch (error) {
      logger.error('local HTTP adapter failed', { error });
      if (!response.headersSent) {
        send(response, 500, { 'content-type': PROBLEM_CONTENT_TYPE }, JSON.stringify(toProblem(error)));
      }
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
