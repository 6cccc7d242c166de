import type * as z from 'zod';
import type { Role } from '../../core/domain.js';
import type { Json } from '../../core/json.js';
import type { Principal } from '../principal.js';

/** A request as the routes see it, whatever carried it (API Gateway, the local adapter). */
export interface ApiRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: unknown;
  traceId: string;
  sourceIp: string | undefined;
  userAgent: string | undefined;
}

/** A request after authentication: `principal` is set on every non-public route. */
export interface RoutedRequest extends ApiRequest {
  principal: Principal | undefined;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** What the audit row of this call adds: the id of what it created and facts about it, never a secret. */
  audit?: { resourceId: string; details: Record<string, Json> };
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `/v1/executions/{id}`: `{name}` matches one path segment. */
  path: string;
  summary: string;
  /** Minimum role; 'public' needs no key. */
  access: Role | 'public';
  /** For the audit trail of mutating calls. */
  resource?: string;
  /** Documented in the OpenAPI document; the handler validates with the same schema. */
  body?: z.ZodType;
  query?: z.ZodType;
  /**
   * The body as a stream of raw bytes (a Readable, not yet read), of any media
   * type, up to `maxBytes` instead of the JSON limit: for the one route that
   * receives file uploads, which checks its credential before reading.
   */
  rawBody?: { maxBytes: number };
  /** Path parameters that are credentials (a signed upload token): never written to the audit trail or logs. */
  secretParams?: readonly string[];
  /** Status of a success. */
  success?: number;
  handle(request: RoutedRequest): Promise<ApiResponse>;
}
