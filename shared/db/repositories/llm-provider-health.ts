/**
 * LLM provider health in PostgreSQL (PGlite, a server, the Aurora Data API):
 * one row per provider, every record one atomic upsert, so processes failing
 * at the same time all count (../../llm/provider-health.ts).
 */
import type { Kysely } from 'kysely';
import { type Clock, systemClock } from '../../core/clock.js';
import { PROVIDER_NAMES, type ProviderName } from '../../core/domain.js';
import {
  DEFAULT_HEALTH_POLICY,
  deriveHealth,
  type HealthPolicy,
  type HealthRecord,
  truncateError,
  unknownHealth,
} from '../../llm/provider-health.js';
import type { ProviderHealth, ProviderHealthStore } from '../../llm/types.js';
import type { Database } from '../schema.js';

export interface ProviderHealthStoreOptions {
  policy?: HealthPolicy;
  /** The instant states are derived at (cool-downs, Retry-After). */
  clock?: Clock;
}

export class LlmProviderHealthRepository implements ProviderHealthStore {
  readonly #policy: HealthPolicy;
  readonly #clock: Clock;

  constructor(
    private readonly db: Kysely<Database>,
    options: ProviderHealthStoreOptions = {},
  ) {
    this.#policy = options.policy ?? DEFAULT_HEALTH_POLICY;
    this.#clock = options.clock ?? systemClock;
  }

  async get(provider: ProviderName): Promise<ProviderHealth> {
    const now = this.#clock.now();
    const row = await this.db
      .selectFrom('llmProviderHealth')
      .selectAll()
      .where('provider', '=', provider)
      .executeTakeFirst();
    return deriveHealth(row ?? unknownHealth(provider, now), now, this.#policy);
  }

  /** Every provider, in the order of PROVIDER_NAMES; one never recorded is healthy. */
  async list(): Promise<ProviderHealth[]> {
    const now = this.#clock.now();
    const rows = await this.db.selectFrom('llmProviderHealth').selectAll().execute();
    const byName = new Map<ProviderName, HealthRecord>(rows.map((r) => [r.provider, r]));
    return PROVIDER_NAMES.map((name) =>
      deriveHealth(byName.get(name) ?? unknownHealth(name, now), now, this.#policy),
    );
  }

  /** Heals the provider: no failures, no rate limit. The last error stays for diagnosis. */
  async recordSuccess(provider: ProviderName, now: Date): Promise<void> {
    await this.db
      .insertInto('llmProviderHealth')
      .values({ provider, consecutiveFailures: 0, rateLimitedUntil: null, updatedAt: now })
      .onConflict((oc) =>
        oc.column('provider').doUpdateSet((eb) => ({
          consecutiveFailures: 0,
          rateLimitedUntil: null,
          updatedAt: eb.fn<Date>('greatest', ['llmProviderHealth.updatedAt', eb.val(now)]),
        })),
      )
      .execute();
  }

  /** Counts one more failure; a rate limit keeps the later of the two ends. */
  async recordFailure(
    provider: ProviderName,
    failure: { rateLimitedUntil?: Date; message: string },
    now: Date,
  ): Promise<void> {
    const rateLimitedUntil = failure.rateLimitedUntil ?? null;
    const lastError = truncateError(failure.message);
    await this.db
      .insertInto('llmProviderHealth')
      .values({ provider, consecutiveFailures: 1, rateLimitedUntil, lastError, updatedAt: now })
      .onConflict((oc) =>
        oc.column('provider').doUpdateSet((eb) => ({
          consecutiveFailures: eb('llmProviderHealth.consecutiveFailures', '+', 1),
          // greatest() ignores nulls: a failure without a rate limit keeps the current one.
          rateLimitedUntil: eb.fn<Date | null>('greatest', [
            'llmProviderHealth.rateLimitedUntil',
            'excluded.rateLimitedUntil',
          ]),
          lastError,
          updatedAt: eb.fn<Date>('greatest', ['llmProviderHealth.updatedAt', eb.val(now)]),
        })),
      )
      .execute();
  }
}
