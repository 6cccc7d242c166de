/**
 * Readiness for orchestrators (Kubernetes probes, load balancers): public,
 * cheap, and answered by the API and by every worker process alike. Liveness
 * is `GET /v1/health`, which answers as long as the process does; readiness
 * also needs the database, so a pod that lost it is taken out of service
 * without being restarted.
 */
import { sql } from 'kysely';
import { ConnectionError } from '../../core/errors.js';
import type { AppDeps } from '../deps.js';
import type { Route } from './types.js';

/** Longer than a healthy round trip by far, shorter than a probe's timeout. */
export const READY_TIMEOUT_MS = 2000;

async function withinMs<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function probeRoutes(deps: Pick<AppDeps, 'db'>): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/health/ready',
      summary: 'Readiness: 200 when this process reaches its database within 2 s, else 503',
      access: 'public',
      async handle() {
        const started = performance.now();
        try {
          await withinMs(sql`select 1`.execute(deps.db), READY_TIMEOUT_MS);
        } catch (cause) {
          throw new ConnectionError('Not ready: the database does not answer', { cause });
        }
        const latencyMs = Math.round((performance.now() - started) * 100) / 100;
        return { status: 200, body: { status: 'ready', checks: { database: { status: 'ok', latencyMs } } } };
      },
    },
  ];
}
