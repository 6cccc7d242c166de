/**
 * The LLM gateway composed for a process: the LLM layer's ports (../llm/ports.ts)
 * bound to the PostgreSQL repositories, provider health judged from the facts a
 * store keeps (the database, or DynamoDB on AWS), and the providers that
 * AIOPS_LLM_PROVIDERS names — none means offline.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { Config } from '../core/config.js';
import { ConfigurationsRepository } from '../db/repositories/configurations.js';
import { CostTrackingRepository } from '../db/repositories/cost-tracking.js';
import { ExecutionsRepository } from '../db/repositories/executions.js';
import { LlmBudgetsRepository } from '../db/repositories/llm-budgets.js';
import { LlmCacheRepository } from '../db/repositories/llm-cache.js';
import { LlmProviderHealthRepository } from '../db/repositories/llm-provider-health.js';
import type { Database } from '../db/schema.js';
import { llmSettings } from '../llm/config.js';
import { LlmGateway } from '../llm/gateway.js';
import type { LlmStores } from '../llm/ports.js';
import {
  type HealthFacts,
  type ProviderHealthOptions,
  ProviderHealthTracker,
} from '../llm/provider-health.js';
import type { SecretSource } from '../llm/providers/index.js';

/** The gateway's stores in the database. */
export function llmStores(db: Kysely<Database>): LlmStores {
  return {
    configurations: new ConfigurationsRepository(db),
    budgets: new LlmBudgetsRepository(db),
    cache: new LlmCacheRepository(db),
    costs: new CostTrackingRepository(db),
    executions: new ExecutionsRepository(db),
  };
}

/** Provider health shared by every process through the database. */
export function databaseProviderHealth(
  db: Kysely<Database>,
  options: ProviderHealthOptions = {},
): ProviderHealthTracker {
  return new ProviderHealthTracker(new LlmProviderHealthRepository(db), options);
}

export interface GatewayPorts {
  /** Where the provider health facts live (DynamoDB on AWS); default: the database. */
  health?: HealthFacts;
  /** Reads API keys kept in Secrets Manager (AWS). */
  secrets?: SecretSource;
}

/** The process's gateway; the provider SDKs are imported only when providers are configured. */
export async function llmGatewayFor(
  config: Config,
  db: Kysely<Database>,
  clock: Clock,
  ports: GatewayPorts = {},
): Promise<LlmGateway> {
  const settings = llmSettings(config.env);
  const stores = llmStores(db);
  if (config.env.AIOPS_LLM_PROVIDERS.length === 0) return new LlmGateway({ stores, clock, settings });
  const [{ createProviders }, { createRouter }] = await Promise.all([
    import('../llm/providers/index.js'),
    import('../llm/failover.js'),
  ]);
  const providers = await createProviders(config.env, ports.secrets);
  const health = new ProviderHealthTracker(ports.health ?? new LlmProviderHealthRepository(db), { clock });
  const router = createRouter(providers, health, { clock });
  return new LlmGateway({ stores, clock, settings, providers, router, health });
}
