import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { ApiKeysRepository } from './api-keys.js';
import { AuditLogsRepository } from './audit-logs.js';
import { BudgetAlertsRepository } from './budget-alerts.js';
import { ConfigurationsRepository } from './configurations.js';
import { CostRollupsRepository } from './cost-rollups.js';
import { CostTrackingRepository } from './cost-tracking.js';
import { ExecutionsRepository } from './executions.js';
import { LlmProviderHealthRepository } from './llm-provider-health.js';
import { SystemMetricsRepository } from './system-metrics.js';
import { UsersRepository } from './users.js';
import { WorkflowRunsRepository } from './workflow-runs.js';

export interface Repositories {
  users: UsersRepository;
  apiKeys: ApiKeysRepository;
  executions: ExecutionsRepository;
  auditLogs: AuditLogsRepository;
  costs: CostTrackingRepository;
  metrics: SystemMetricsRepository;
  configurations: ConfigurationsRepository;
  costRollups: CostRollupsRepository;
  budgetAlerts: BudgetAlertsRepository;
  workflowRuns: WorkflowRunsRepository;
  llmProviderHealth: LlmProviderHealthRepository;
}

/** Every repository over one executor: the database, or a transaction. */
export function createRepositories(db: Kysely<Database>): Repositories {
  return {
    users: new UsersRepository(db),
    apiKeys: new ApiKeysRepository(db),
    executions: new ExecutionsRepository(db),
    auditLogs: new AuditLogsRepository(db),
    costs: new CostTrackingRepository(db),
    metrics: new SystemMetricsRepository(db),
    configurations: new ConfigurationsRepository(db),
    costRollups: new CostRollupsRepository(db),
    budgetAlerts: new BudgetAlertsRepository(db),
    workflowRuns: new WorkflowRunsRepository(db),
    llmProviderHealth: new LlmProviderHealthRepository(db),
  };
}

/**
 * Runs `work` in one transaction with repositories bound to it: all of its
 * writes land, or none do. Inside, use only the repositories given.
 */
export async function inTransaction<T>(
  db: Kysely<Database>,
  work: (repos: Repositories) => Promise<T>,
): Promise<T> {
  return db.transaction().execute((trx) => work(createRepositories(trx)));
}

export {
  ApiKeysRepository,
  AuditLogsRepository,
  BudgetAlertsRepository,
  ConfigurationsRepository,
  CostRollupsRepository,
  CostTrackingRepository,
  ExecutionsRepository,
  LlmProviderHealthRepository,
  SystemMetricsRepository,
  UsersRepository,
  WorkflowRunsRepository,
};
