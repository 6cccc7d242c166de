/**
 * LLM provider health facts in PostgreSQL (PGlite, a server, the Aurora Data
 * API): one row per provider, every record one atomic upsert, so processes
 * failing at the same time all count. The states are derived from these facts
 * by the LLM layer (../../llm/provider-health.ts, whose HealthFacts port this
 * implements).
 */
import type { Kysely } from 'kysely';
import type { ProviderName } from '../../core/domain.js';
import type { Database, LlmProviderHealthRow } from '../schema.js';

export class LlmProviderHealthRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async read(provider: ProviderName): Promise<LlmProviderHealthRow | undefined> {
    return this.db
      .selectFrom('llmProviderHealth')
      .selectAll()
      .where('provider', '=', provider)
      .executeTakeFirst();
  }

  /** No failures, no rate limit; the last error stays for diagnosis, and a later failure's time is kept. */
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
    failure: { rateLimitedUntil: Date | null; lastError: string },
    now: Date,
  ): Promise<void> {
    const { rateLimitedUntil, lastError } = failure;
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
