/**
 * The HTTP API as one function of an API Gateway v2 (HTTP API) event: the
 * Lambda handler and the local adapter both call it. It owns what every route
 * shares: trace ids, size and media-type limits, routing, authentication, rate
 * limits, problem documents, security headers and the audit trail.
 */
import { Readable } from 'node:stream';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  AiopsError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  RateLimitExceededError,
  ResourceNotFoundError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../core/errors.js';
import type { RateLimitDecision } from '../../core/hot-state.js';
import type { Json } from '../../core/json.js';
import { jsonShapeProblem, MAX_JSON_DEPTH } from '../../core/json.js';
import { logger, newTraceId, withTraceContext } from '../../core/observability.js';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../../core/problem.js';
import { ApiKeysService } from '../api-keys.js';
import type { AppDeps } from '../deps.js';
import { ExecutionsService } from '../executions.js';
import { limitedChunks } from '../objects.js';
import { type Principal, requireRole } from '../principal.js';
import { openApiDocument } from './openapi.js';
import { createRoutes } from './routes.js';
import type { ApiResponse, Route, RoutedRequest } from './types.js';

export const MAX_BODY_BYTES = 1024 * 1024;
const TRACE_ID = /^[A-Za-z0-9-]{8,128}$/;
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}/?$`), names };
}

function lowerCaseHeaders(headers: APIGatewayProxyEventV2['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {}))
    if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Where a request's body comes from: inside the event (Lambda), or a stream not yet read (the local server). */
type BodySource = { kind: 'event'; event: APIGatewayProxyEventV2 } | { kind: 'stream'; stream: Readable };

function eventBytes(event: APIGatewayProxyEventV2): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

/** Refuses a body whose declared length is over the limit before a byte of it is read. */
function checkDeclaredLength(headers: Record<string, string>, maxBytes: number, what: string): void {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new PayloadTooLargeError(`${what} are limited to ${maxBytes} bytes`);
  }
}

/** The body's bytes, never more than `maxBytes` of them held: a stream is stopped at the limit. */
async function readLimited(source: BodySource, maxBytes: number, what: string): Promise<Buffer> {
  if (source.kind === 'event') {
    const raw = eventBytes(source.event);
    if (raw.byteLength > maxBytes) throw new PayloadTooLargeError(`${what} are limited to ${maxBytes} bytes`);
    return raw;
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of limitedChunks(
    source.stream,
    maxBytes,
    () => new PayloadTooLargeError(`${what} are limited to ${maxBytes} bytes`),
  )) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function readBody(source: BodySource, headers: Record<string, string>): Promise<unknown> {
  checkDeclaredLength(headers, MAX_BODY_BYTES, 'Request bodies');
  const raw = await readLimited(source, MAX_BODY_BYTES, 'Request bodies');
  if (raw.byteLength === 0) return undefined;
  const type = headers['content-type'];
  if (type === undefined || !JSON_TYPE.test(type)) {
    throw new UnsupportedMediaTypeError('Send the body as application/json');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ValidationError('The body is not valid JSON', [{ path: '', message: 'must be valid JSON' }]);
  }
  rejectBadJson('body', parsed);
  return parsed;
}

/**
 * The body of a route that takes raw bytes (an upload), as a stream the route
 * reads itself, after it has checked its credential: nothing is buffered here.
 */
function rawBodyStream(source: BodySource, headers: Record<string, string>, maxBytes: number): Readable {
  checkDeclaredLength(headers, maxBytes, 'Uploads');
  if (source.kind === 'stream') return source.stream;
  const raw = eventBytes(source.event);
  if (raw.byteLength > maxBytes) throw new PayloadTooLargeError(`Uploads are limited to ${maxBytes} bytes`);
  return Readable.from([raw]);
}

/**
 * The one shape check of client JSON at the edge: nesting deeper than
 * MAX_JSON_DEPTH would overflow the recursive code behind it (validation,
 * serialisation, the jsonb driver), and NUL cannot be stored by PostgreSQL.
 */
function rejectBadJson(what: string, value: unknown): void {
  const problem = jsonShapeProblem(value);
  if (problem === undefined) return;
  const path = problem.path === '' ? what : `${what}.${problem.path}`;
  if (problem.reason === 'depth') {
    throw new ValidationError(`The ${what} is nested too deeply`, [
      { path, message: `must nest at most ${MAX_JSON_DEPTH} levels deep` },
    ]);
  }
  throw new ValidationError(`The ${what} contains a NUL character`, [
    { path, message: 'must not contain NUL (\\u0000)' },
  ]);
}

/** The id of what a successful create answered with (`{ id, … }`), for its audit row. */
function createdId(response: ApiResponse): string | undefined {
  if (response.status < 200 || response.status >= 300) return undefined;
  const id = (response.body as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id.slice(0, 200) : undefined;
}

function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(decision.resetSeconds),
  };
}

export interface ApiHandler {
  /** API Gateway's entry: the body, if any, is inside the event. */
  (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2>;
  /**
   * The local server's entry: the body is a stream, read only once the route
   * is known and the caller authenticated (an upload, once its signed token
   * checked), and never past the route's limit. Whatever it refuses — a 413
   * included — goes through the same problem documents and audit trail.
   */
  serve(event: APIGatewayProxyEventV2, body: Readable): Promise<APIGatewayProxyStructuredResultV2>;
}

/** The routes a worker process serves on its port: liveness and readiness, nothing else. */
function isProbe(route: Route): boolean {
  return route.access === 'public' && route.method === 'GET' && /^\/v1\/health(\/|$)/.test(route.path);
}

export interface ApiHandlerOptions {
  /** Serve only the health probes (`aiops worker`): the process runs jobs and answers its orchestrator. */
  probesOnly?: boolean;
}

export function createApiHandler(deps: AppDeps, options: ApiHandlerOptions = {}): ApiHandler {
  const apiKeys = new ApiKeysService(deps);
  const all = createRoutes(deps, { apiKeys, executions: new ExecutionsService(deps) });
  const routes = options.probesOnly ? all.filter(isProbe) : all;
  const document = openApiDocument(routes);
  const compiled = [
    ...routes,
    ...(options.probesOnly
      ? []
      : [
          {
            method: 'GET',
            path: '/v1/openapi.json',
            summary: 'This API, as OpenAPI 3.1',
            access: 'public',
            handle: async () => ({ status: 200, body: document }),
          } satisfies Route,
        ]),
  ].map(compile);

  function match(method: string, path: string): { route: Route; params: Record<string, string> } {
    let pathMatched = false;
    for (const c of compiled) {
      const m = c.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (c.route.method !== method) continue;
      const params = Object.fromEntries(c.names.map((n, i) => [n, decodeSegment(m[i + 1] ?? '')]));
      return { route: c.route, params };
    }
    if (pathMatched) throw new MethodNotAllowedError(`${method} is not allowed on ${path}`);
    throw new ResourceNotFoundError(`No route for ${method} ${path}`);
  }

  async function authenticate(request: RoutedRequest, route: Route): Promise<Record<string, string>> {
    const key = request.headers['x-api-key'];
    // Public routes still recognise a key (GET /v1/health?deep=true is admin-only).
    if (route.access === 'public' && key === undefined) return {};
    const principal: Principal = await apiKeys.authenticate(key);
    request.principal = principal;
    const decision = await deps.rateLimiter.consume(
      `key:${principal.keyId}`,
      deps.settings.rateLimitPerMinute,
      60,
      deps.clock.now(),
    );
    const headers = rateLimitHeaders(decision);
    if (!decision.allowed) {
      const error = new RateLimitExceededError(
        `Rate limit of ${decision.limit} requests per minute exceeded; retry in ${decision.resetSeconds} s`,
        { retryAfterSeconds: decision.resetSeconds },
      );
      throw Object.assign(error, { headers });
    }
    if (route.access !== 'public') requireRole(principal, route.access);
    return headers;
  }

  /** The request path with credential parameters replaced by their names (`/v1/uploads/{token}`). */
  function redactedPath(request: RoutedRequest, route: Route | undefined): string {
    let path = request.path;
    for (const name of route?.secretParams ?? []) {
      const value = request.params[name];
      if (value) path = path.replace(value, `{${name}}`);
    }
    return path;
  }

  async function audit(
    request: RoutedRequest,
    route: Route | undefined,
    response: ApiResponse,
  ): Promise<void> {
    const status = response.status;
    const caller: Record<string, Json> = request.principal
      ? { keyId: request.principal.keyId, role: request.principal.role }
      : {};
    try {
      await deps.repos.auditLogs.record({
        traceId: request.traceId,
        userId: request.principal?.userId ?? null,
        eventType: 'api',
        action: route ? `${route.method} ${route.path}` : `${request.method} ${request.path}`,
        resourceType: route?.resource ?? null,
        resourceId:
          response.audit?.resourceId ??
          request.params.id?.replaceAll('\u0000', '').slice(0, 200) ??
          createdId(response) ??
          null,
        ipAddress: request.sourceIp ?? null,
        userAgent: request.userAgent?.replaceAll('\u0000', '').slice(0, 512) ?? null,
        endpoint: redactedPath(request, route).replaceAll('\u0000', '').slice(0, 1024),
        method: request.method,
        statusCode: status,
        details: { ...response.audit?.details, ...caller },
        occurredAt: deps.clock.now(),
      });
    } catch (error) {
      logger.error('audit log write failed', { error, traceId: request.traceId });
    }
  }

  const handle = async (
    event: APIGatewayProxyEventV2,
    body: BodySource,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const headers = lowerCaseHeaders(event.headers);
    const offered = headers['x-trace-id'];
    const traceId = offered !== undefined && TRACE_ID.test(offered) ? offered : newTraceId();
    return withTraceContext(traceId, async () => {
      const method = event.requestContext?.http?.method?.toUpperCase() ?? 'GET';
      const path = event.rawPath || event.requestContext?.http?.path || '/';
      const request: RoutedRequest = {
        method,
        path,
        params: {},
        query: Object.fromEntries(
          Object.entries(event.queryStringParameters ?? {}).filter(
            (e): e is [string, string] => e[1] !== undefined,
          ),
        ),
        headers,
        body: undefined,
        traceId,
        sourceIp: event.requestContext?.http?.sourceIp,
        userAgent: headers['user-agent'],
        principal: undefined,
      };
      let route: Route | undefined;
      let extraHeaders: Record<string, string> = {};
      let response: ApiResponse;
      try {
        const matched = match(method, path);
        route = matched.route;
        request.params = matched.params;
        rejectBadJson('path', matched.params);
        rejectBadJson('query', request.query);
        extraHeaders = await authenticate(request, route);
        request.body = route.rawBody
          ? rawBodyStream(body, headers, route.rawBody.maxBytes)
          : await readBody(body, headers);
        response = await route.handle(request);
      } catch (error) {
        const status = error instanceof AiopsError ? error.status : 500;
        if (status >= 500)
          logger.error('request failed', { error, method, path: redactedPath(request, route) });
        const carried = (error as { headers?: Record<string, string> }).headers ?? {};
        extraHeaders = { ...extraHeaders, ...carried };
        if (error instanceof AiopsError && error.retryAfterSeconds !== undefined) {
          extraHeaders['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
        }
        response = {
          status,
          body: toProblem(error, { traceId, instance: path }),
          headers: { 'content-type': PROBLEM_CONTENT_TYPE },
        };
      }
      // Changes are audited, and reads a route asks to be (an admin reading a raw input).
      if ((method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS') || response.audit !== undefined)
        await audit(request, route, response);
      return {
        statusCode: response.status,
        headers: {
          'content-type': 'application/json',
          ...SECURITY_HEADERS,
          ...extraHeaders,
          ...response.headers,
          'x-trace-id': traceId,
        },
        body: response.body === undefined ? '' : JSON.stringify(response.body),
      };
    });
  };

  const handler = (event: APIGatewayProxyEventV2) => handle(event, { kind: 'event', event });
  const serve = (event: APIGatewayProxyEventV2, stream: Readable) =>
    handle(event, { kind: 'stream', stream });
  return Object.assign(handler, { serve });
}
