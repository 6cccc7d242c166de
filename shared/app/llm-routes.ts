/**
 * `GET /v1/llm/providers`: the configured LLM providers in failover order,
 * with the model each uses and its health as every process sees it, and the
 * limits in force. Admins only: it shows the deployment's configuration.
 */
import * as z from 'zod';
import { currentLlmPolicy } from '../llm/config.js';
import type { AppDeps } from './deps.js';
import type { Route } from './http/types.js';
import { parseBody } from './validation.js';

const noQuery = z.strictObject({});

export function llmRoutes(deps: Pick<AppDeps, 'llm' | 'repos'>): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/llm/providers',
      summary: 'Configured LLM providers in failover order, with model, health and budget limits',
      access: 'admin',
      query: noQuery,
      async handle(request) {
        parseBody(noQuery, request.query, 'query');
        const [providers, policy] = await Promise.all([
          deps.llm.providers(),
          currentLlmPolicy(deps.repos.configurations, deps.llm.settings),
        ]);
        return {
          status: 200,
          body: {
            offline: providers.length === 0,
            items: providers.map((p) => ({
              provider: p.provider,
              model: p.model,
              state: p.health?.state ?? 'unknown',
              consecutiveFailures: p.health?.consecutiveFailures ?? 0,
              ...(p.health?.until ? { until: p.health.until } : {}),
              ...(p.health?.lastError ? { lastError: p.health.lastError } : {}),
            })),
            budgets: {
              userDailyUsd: policy.limits.userDailyUsd ?? null,
              monthlyUsd: policy.limits.monthlyUsd ?? null,
            },
            cacheTtlSec: deps.llm.settings.cacheTtlSec,
          },
        };
      },
    },
  ];
}
