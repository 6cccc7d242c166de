import type { Kysely } from 'kysely';
import type { Database, LlmCacheTable } from '../schema.js';

/** A cached reply as the LLM layer reads it: the row, its `replyText` as `text`. */
export type CachedReply = Pick<LlmCacheTable, 'provider' | 'model' | 'inputTokens' | 'outputTokens'> & {
  text: string;
};

/** LLM replies by the hash of what was asked (shared/llm/cache.ts); an expired entry counts as absent. */
export class LlmCacheRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(key: string, now: Date): Promise<CachedReply | undefined> {
    const row = await this.db
      .selectFrom('llmCache')
      .select(['provider', 'model', 'replyText', 'inputTokens', 'outputTokens'])
      .where('key', '=', key)
      .where('expiresAt', '>', now)
      .executeTakeFirst();
    return (
      row && {
        provider: row.provider,
        model: row.model,
        text: row.replyText,
        inputTokens: row.inputTokens,
        outputTokens: row.outputTokens,
      }
    );
  }

  async put(key: string, reply: CachedReply, now: Date, expiresAt: Date): Promise<void> {
    const row = {
      provider: reply.provider,
      model: reply.model,
      replyText: reply.text,
      inputTokens: reply.inputTokens,
      outputTokens: reply.outputTokens,
      createdAt: now,
      expiresAt,
    };
    await this.db
      .insertInto('llmCache')
      .values({ key, ...row })
      .onConflict((oc) => oc.column('key').doUpdateSet(row))
      .execute();
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.db.deleteFrom('llmCache').where('expiresAt', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
