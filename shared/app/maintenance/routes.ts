/**
 * The routes of the maintenance jobs' results: health (liveness, and the deep
 * report for admins), LLM costs, and the stored system metrics.
 */
import * as z from 'zod';
import { AuthenticationError, ValidationError } from '../../core/errors.js';
import { COST_GROUPS, type CostTotal } from '../../db/repositories/cost-tracking.js';
import type { Metric } from '../../db/repositories/system-metrics.js';
import type { AppDeps } from '../deps.js';
import type { Route, RoutedRequest } from '../http/types.js';
import { atLeast, type Principal, requireRole } from '../principal.js';
import { parseBody } from '../validation.js';
import { HealthCheckService } from './health.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The longest range one costs query may sum. */
export const MAX_COST_RANGE_DAYS = 366;

const instant = z.iso.datetime({ offset: true });

export const healthQuery = z.strictObject({ deep: z.enum(['true', 'false']).optional() });

export const costsQuery = z.strictObject({
  groupBy: z.enum(COST_GROUPS).default('agent'),
  /** Default: the start of the UTC month of `to`. */
  from: instant.optional(),
  /** Default: now. */
  to: instant.optional(),
  /** Admins: one user's costs. Everyone else always sees their own. */
  userId: z.uuid().optional(),
});

export const metricsQuery = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().min(1).max(512).optional(),
});

function who(request: RoutedRequest): Principal {
  if (!request.principal) throw new AuthenticationError('Missing API key: send it in the X-API-Key header');
  return request.principal;
}

function range(
  q: { from?: string | undefined; to?: string | undefined },
  now: Date,
): { from: Date; to: Date } {
  const to = q.to === undefined ? now : new Date(q.to);
  const from =
    q.from === undefined ? new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), 1)) : new Date(q.from);
  if (from.getTime() >= to.getTime()) {
    throw new ValidationError('Invalid range', [{ path: 'from', message: 'must be before to' }]);
  }
  if (to.getTime() - from.getTime() > MAX_COST_RANGE_DAYS * DAY_MS) {
    throw new ValidationError('Invalid range', [
      { path: 'from', message: `must be at most ${MAX_COST_RANGE_DAYS} days before to` },
    ]);
  }
  return { from, to };
}

/** Six decimals, like the numeric(…, 6) columns the sums come from. */
function usd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function costItem(total: CostTotal) {
  const { totalCostUsd, ...rest } = total;
  return { ...rest, costUsd: usd(totalCostUsd) };
}

function metricItem(metric: Metric) {
  return {
    id: metric.id,
    name: metric.metricName,
    value: metric.metricValue,
    unit: metric.metricUnit,
    recordedAt: metric.recordedAt.toISOString(),
    tags: metric.tags,
  };
}

export function maintenanceRoutes(deps: AppDeps, health = new HealthCheckService(deps)): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/health',
      summary:
        'Liveness; `?deep=true` (admin) reports the latest health checks with their status and a live database check',
      access: 'public',
      query: healthQuery,
      async handle(request) {
        const { deep } = parseBody(healthQuery, request.query, 'query');
        if (deep !== 'true') return { status: 200, body: { status: 'ok' } };
        // Deep checks reveal internals: admins only, and the key is only checked here.
        requireRole(who(request), 'admin');
        return { status: 200, body: await health.report() };
      },
    },
    {
      method: 'GET',
      path: '/v1/costs',
      summary: 'LLM calls, tokens and cost summed by agent, user, model, provider or day (users: their own)',
      access: 'readonly',
      query: costsQuery,
      async handle(request) {
        const principal = who(request);
        const q = parseBody(costsQuery, request.query, 'query');
        const { from, to } = range(q, deps.clock.now());
        // Like executions: admins see everyone's, any other key (readonly included) only its user's.
        const userId = atLeast(principal.role, 'admin') ? q.userId : principal.userId;
        const totals = await deps.repos.costs.totals(q.groupBy, { from, to, userId });
        const sum = (pick: (t: CostTotal) => number) => totals.reduce((s, t) => s + pick(t), 0);
        return {
          status: 200,
          body: {
            groupBy: q.groupBy,
            from: from.toISOString(),
            to: to.toISOString(),
            ...(userId === undefined ? {} : { userId }),
            items: totals.map(costItem),
            total: {
              calls: sum((t) => t.calls),
              promptTokens: sum((t) => t.promptTokens),
              completionTokens: sum((t) => t.completionTokens),
              totalTokens: sum((t) => t.totalTokens),
              costUsd: usd(sum((t) => t.totalCostUsd)),
            },
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/v1/metrics',
      summary: 'Stored system metrics (health checks, cleanup counts), newest first',
      access: 'admin',
      query: metricsQuery,
      async handle(request) {
        const q = parseBody(metricsQuery, request.query, 'query');
        const from = q.from === undefined ? undefined : new Date(q.from);
        const to = q.to === undefined ? undefined : new Date(q.to);
        if (from !== undefined && to !== undefined && from.getTime() >= to.getTime()) {
          throw new ValidationError('Invalid range', [{ path: 'from', message: 'must be before to' }]);
        }
        const page = await deps.repos.metrics.list({ name: q.name, from, to }, q);
        return { status: 200, body: { items: page.items.map(metricItem), nextCursor: page.nextCursor } };
      },
    },
  ];
}
