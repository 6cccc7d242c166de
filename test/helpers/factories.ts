/** Record factories: realistic rows with unique names, overridable per test. */
import { randomUUID } from 'node:crypto';
import type { NewAuditLog, NewCost, NewExecution, NewUser } from '../../shared/db/schema.js';

let sequence = 0;
const next = () => {
  sequence += 1;
  return sequence;
};

export function aUser(overrides: Partial<NewUser> = {}): NewUser {
  const n = next();
  return {
    username: `sre-${n}`,
    email: `sre-${n}@example.com`,
    role: 'user',
    passwordHash: null,
    ...overrides,
  };
}

export function anExecution(overrides: Partial<NewExecution> = {}): NewExecution {
  return {
    traceId: randomUUID(),
    agentName: 'config-drift-detector',
    lane: 'agents',
    input: { baseline: { replicas: 3, database_url: 'postgres://db:5432/app' }, target: { replicas: 5 } },
    ...overrides,
  };
}

export function anAuditLog(overrides: Partial<NewAuditLog> = {}): NewAuditLog {
  return {
    traceId: randomUUID(),
    eventType: 'execution',
    action: 'create',
    resourceType: 'execution',
    resourceId: randomUUID(),
    ipAddress: '203.0.113.7',
    userAgent: 'curl/8.5.0',
    endpoint: '/v1/executions',
    method: 'POST',
    statusCode: 202,
    details: { agent: 'config-drift-detector' },
    ...overrides,
  };
}

export function aCost(overrides: Partial<NewCost> = {}): NewCost {
  return {
    traceId: randomUUID(),
    agentName: 'log-analyzer',
    operation: 'enrich',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    promptTokens: 1200,
    completionTokens: 300,
    totalTokens: 1500,
    promptCostUsd: 0.0036,
    completionCostUsd: 0.0045,
    totalCostUsd: 0.0081,
    ...overrides,
  };
}
