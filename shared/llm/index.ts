/**
 * The LLM layer's entry for runtimes: one gateway per process, offline
 * (no provider) unless AIOPS_LLM_PROVIDERS names some.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { Config } from '../core/config.js';
import type { Database } from '../db/schema.js';
import { llmSettings } from './config.js';
import { LlmGateway } from './gateway.js';
import type { SecretSource } from './providers/index.js';
import type { ProviderHealthStore } from './types.js';

export { type LlmCall, LlmGateway, type LlmResult, parseReply } from './gateway.js';
export { Masker } from './masking.js';
export { PRICES, Pricing } from './pricing.js';

export interface GatewayPorts {
  /** Where the provider health lives (DynamoDB on AWS); default: the database. */
  health?: ProviderHealthStore;
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
  if (config.env.AIOPS_LLM_PROVIDERS.length === 0) return new LlmGateway({ db, clock, settings });
  const [{ createProviders }, { createRouter }, { LlmProviderHealthRepository }] = await Promise.all([
    import('./providers/index.js'),
    import('./failover.js'),
    import('../db/repositories/llm-provider-health.js'),
  ]);
  const providers = await createProviders(config.env, ports.secrets);
  const health = ports.health ?? new LlmProviderHealthRepository(db, { clock });
  const router = createRouter(providers, health, { clock });
  return new LlmGateway({ db, clock, settings, providers, router, health });
}
