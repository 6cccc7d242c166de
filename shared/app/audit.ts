/**
 * Audit rows written outside the HTTP handler (which audits every mutating
 * call itself): what an operator does straight on the database from the CLI
 * is in the same trail, with the same facts as its API counterpart.
 */
import { newTraceId } from '../core/observability.js';
import type { IssuedKey } from './api-keys.js';
import type { AppDeps } from './deps.js';

/** The row of `aiops keys create`: the key, its user and role; the operator is the OS account that ran it. */
export async function auditKeyIssuedFromCli(
  deps: Pick<AppDeps, 'repos' | 'clock'>,
  issued: IssuedKey,
  operator: string,
): Promise<void> {
  await deps.repos.auditLogs.record({
    traceId: newTraceId(),
    // No API caller: the operator had database access, which is the credential here.
    userId: null,
    eventType: 'cli',
    action: 'aiops keys create',
    resourceType: 'api_key',
    resourceId: issued.apiKey.id,
    ipAddress: null,
    userAgent: null,
    endpoint: 'cli',
    method: 'CLI',
    statusCode: 201,
    details: {
      operator: operator.slice(0, 200),
      created: {
        apiKeyId: issued.apiKey.id,
        userId: issued.owner.userId,
        username: issued.owner.username,
        role: issued.owner.role,
      },
    },
    occurredAt: deps.clock.now(),
  });
}
