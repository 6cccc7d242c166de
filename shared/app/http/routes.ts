/**
 * The `/v1` routes: each parses what it needs, calls one application service
 * and shapes the answer. Authorisation beyond "has at least this role" lives in
 * the services (ownership rules).
 */
import * as z from 'zod';
import { getAgent, inputJsonSchema, listAgents } from '../../agents/registry.js';
import { AuthenticationError, ResourceNotFoundError } from '../../core/errors.js';
import { ApiKeysService, createApiKeyBody } from '../api-keys.js';
import type { AppDeps } from '../deps.js';
import {
  createExecutionBody,
  ExecutionsService,
  getExecutionQuery,
  listExecutionsQuery,
} from '../executions.js';
import { llmRoutes } from '../llm-routes.js';
import { maintenanceRoutes } from '../maintenance/routes.js';
import type { Principal } from '../principal.js';
import { parseBody } from '../validation.js';
import { workflowRoutes } from '../workflows/routes.js';
import { probeRoutes } from './probe-routes.js';
import type { Route, RoutedRequest } from './types.js';
import { uploadRoutes } from './upload-routes.js';

function who(request: RoutedRequest): Principal {
  if (!request.principal) throw new AuthenticationError('Missing API key: send it in the X-API-Key header');
  return request.principal;
}

const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().min(1).max(512).optional(),
});

const auditQuery = pageQuery.extend({
  userId: z.uuid().optional(),
  eventType: z.string().max(100).optional(),
  resourceType: z.string().max(100).optional(),
  resourceId: z.string().max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

const apiKeysQuery = pageQuery.extend({ userId: z.uuid().optional() });

export function createRoutes(
  deps: AppDeps,
  services = {
    apiKeys: new ApiKeysService(deps),
    executions: new ExecutionsService(deps),
  },
): Route[] {
  const { apiKeys, executions } = services;
  return [
    ...maintenanceRoutes(deps),
    ...llmRoutes(deps),
    ...probeRoutes(deps),
    {
      method: 'GET',
      path: '/v1/agents',
      summary: 'The agents this deployment runs',
      access: 'readonly',
      async handle() {
        const items = listAgents().map(({ name, version, description, lane, resources }) => ({
          name,
          version,
          description,
          lane,
          resources,
        }));
        return { status: 200, body: { items, nextCursor: null } };
      },
    },
    {
      method: 'GET',
      path: '/v1/agents/{name}',
      summary: 'One agent, with the JSON Schema of its input',
      access: 'readonly',
      async handle(request) {
        const name = request.params.name ?? '';
        const agent = getAgent(name);
        if (!agent) throw new ResourceNotFoundError(`Agent ${name} not found`, { details: { name } });
        const { version, description, lane, resources } = agent;
        return {
          status: 200,
          body: { name, version, description, lane, resources, inputSchema: inputJsonSchema(name) },
        };
      },
    },
    {
      method: 'POST',
      path: '/v1/executions',
      summary: 'Queue an agent execution',
      access: 'user',
      resource: 'execution',
      body: createExecutionBody,
      success: 202,
      async handle(request) {
        return executions.create(who(request), request.body, {
          traceId: request.traceId,
          idempotencyKey: request.headers['idempotency-key'],
        });
      },
    },
    {
      method: 'GET',
      path: '/v1/executions',
      summary: 'List executions, newest first (filters: agent, status, from, to)',
      access: 'readonly',
      query: listExecutionsQuery,
      async handle(request) {
        return { status: 200, body: await executions.list(who(request), request.query) };
      },
    },
    {
      method: 'GET',
      path: '/v1/executions/{id}',
      summary:
        'One execution with its result; its input with secret-looking values masked (`include=input`: as sent, admins only, audited)',
      access: 'readonly',
      resource: 'execution',
      query: getExecutionQuery,
      async handle(request) {
        const id = request.params.id ?? '';
        const body = await executions.get(who(request), id, request.query);
        // Reading credentials someone sent is worth a line in the audit trail.
        const audit =
          request.query.include === 'input' ? { resourceId: id, details: { include: 'input' } } : undefined;
        return { status: 200, body, ...(audit === undefined ? {} : { audit }) };
      },
    },
    {
      method: 'POST',
      path: '/v1/executions/{id}/cancel',
      summary: 'Cancel a queued execution',
      access: 'user',
      resource: 'execution',
      async handle(request) {
        return { status: 200, body: await executions.cancel(who(request), request.params.id ?? '') };
      },
    },
    {
      method: 'POST',
      path: '/v1/api-keys',
      summary: 'Create an API key (shown once), and its user when new',
      access: 'admin',
      resource: 'api_key',
      body: createApiKeyBody,
      success: 201,
      async handle(request) {
        const { key, apiKey, owner } = await apiKeys.create(who(request), request.body);
        return {
          status: 201,
          body: { key, apiKey },
          headers: { Location: `/v1/api-keys/${apiKey.id}` },
          audit: {
            resourceId: apiKey.id,
            details: {
              created: {
                apiKeyId: apiKey.id,
                userId: owner.userId,
                username: owner.username,
                role: owner.role,
              },
            },
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/v1/api-keys',
      summary: 'List API keys of a user (default: the caller)',
      access: 'admin',
      query: apiKeysQuery,
      async handle(request) {
        const q = parseBody(apiKeysQuery, request.query, 'query');
        return {
          status: 200,
          body: await apiKeys.list(who(request), { ...(q.userId ? { userId: q.userId } : {}) }, q),
        };
      },
    },
    {
      method: 'DELETE',
      path: '/v1/api-keys/{id}',
      summary: 'Revoke an API key',
      access: 'admin',
      resource: 'api_key',
      async handle(request) {
        const id = request.params.id ?? '';
        const parsed = z.uuid().safeParse(id);
        if (!parsed.success) throw new ResourceNotFoundError(`API key ${id} not found`, { details: { id } });
        return { status: 200, body: await apiKeys.revoke(who(request), parsed.data) };
      },
    },
    {
      method: 'GET',
      path: '/v1/audit-logs',
      summary: 'The audit trail of mutating calls',
      access: 'admin',
      query: auditQuery,
      async handle(request) {
        const q = parseBody(auditQuery, request.query, 'query');
        const page = await deps.repos.auditLogs.list(
          {
            userId: q.userId,
            eventType: q.eventType,
            resourceType: q.resourceType,
            resourceId: q.resourceId,
            from: q.from ? new Date(q.from) : undefined,
            to: q.to ? new Date(q.to) : undefined,
          },
          q,
        );
        return { status: 200, body: page };
      },
    },
    ...uploadRoutes(deps),
    ...workflowRoutes(deps),
  ];
}
