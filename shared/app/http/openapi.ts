/**
 * The OpenAPI 3.1 document, generated from the route table and the same zod
 * schemas that validate requests, so the document cannot drift from behaviour.
 */
import * as z from 'zod';
import { problemDocumentSchema } from '../../core/problem.js';
import type { Route } from './types.js';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function queryParameters(schema: z.ZodType | undefined): Record<string, unknown>[] {
  if (!schema) return [];
  const doc = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(doc.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: doc.required?.includes(name) ?? false,
    schema: s,
  }));
}

export function openApiDocument(routes: readonly Route[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const problem = {
      description: 'Problem',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
    const operation: Record<string, unknown> = {
      summary: route.summary,
      operationId: `${route.method.toLowerCase()}${route.path.replace(/\/v1|[{}]/g, '').replace(/[/-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
      parameters: [...pathParams, ...queryParameters(route.query)],
      responses: {
        [String(route.success ?? 200)]: { description: 'Success', content: { 'application/json': {} } },
        '400': problem,
        ...(route.access === 'public' ? {} : { '401': problem, '403': problem, '429': problem }),
        default: problem,
      },
      ...(route.access === 'public' ? { security: [] } : { 'x-required-role': route.access }),
    };
    if (route.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
      };
    }
    if (route.rawBody) {
      operation.requestBody = {
        required: true,
        content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
      };
    }
    if (route.method === 'POST' && route.path === '/v1/executions') {
      operation.parameters = [
        ...(operation.parameters as unknown[]),
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          schema: { type: 'string', maxLength: 255 },
        },
      ];
    }
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'AIOps API', version: '1.0.0' },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    paths,
    components: {
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
      schemas: { Problem: jsonSchema(problemDocumentSchema, 'output') },
    },
  };
}
