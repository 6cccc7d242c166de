/** `/v1/workflows`: the definitions, starting a run, and a run with its steps. */
import { AuthenticationError } from '../../core/errors.js';
import type { AppDeps } from '../deps.js';
import type { Route, RoutedRequest } from '../http/types.js';
import type { Principal } from '../principal.js';
import { batchAnalysisRequest, chainAnalysisRequest, incidentTriageRequest } from './catalog.js';
import { WorkflowsService } from './service.js';

function who(request: RoutedRequest): Principal {
  if (!request.principal) throw new AuthenticationError('Missing API key: send it in the X-API-Key header');
  return request.principal;
}

/** The body depends on the workflow; the OpenAPI document shows every accepted form. */
const anyRunRequest = chainAnalysisRequest.or(incidentTriageRequest).or(batchAnalysisRequest);

export function workflowRoutes(deps: AppDeps, workflows = new WorkflowsService(deps)): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/workflows',
      summary: 'The workflows this deployment runs, with the JSON Schema of each run request',
      access: 'readonly',
      async handle() {
        return { status: 200, body: { items: workflows.definitions(), nextCursor: null } };
      },
    },
    {
      method: 'POST',
      path: '/v1/workflows/{name}/runs',
      summary: 'Start a run of a workflow (chain-analysis, incident-triage, batch-analysis)',
      access: 'user',
      resource: 'workflow_run',
      body: anyRunRequest,
      success: 202,
      async handle(request) {
        return workflows.create(who(request), request.params.name ?? '', request.body, {
          traceId: request.traceId,
        });
      },
    },
    {
      method: 'GET',
      path: '/v1/workflows/runs/{id}',
      summary: 'A workflow run: status, each step with its result and timings, the output or error',
      access: 'readonly',
      async handle(request) {
        return { status: 200, body: await workflows.get(who(request), request.params.id ?? '') };
      },
    },
  ];
}
