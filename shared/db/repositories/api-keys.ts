import type { Kysely } from 'kysely';
import { writeUnique } from '../constraint.js';
import { keysetPage, type Page, type PageRequest } from '../pagination.js';
import type { ApiKeyRow, Database, NewApiKey } from '../schema.js';
import { deleteInBatch } from './batch.js';

export type ApiKey = ApiKeyRow;

export class ApiKeysRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(key: NewApiKey): Promise<ApiKey> {
    return writeUnique(
      () => this.db.insertInto('apiKeys').values(key).returningAll().executeTakeFirstOrThrow(),
      'An API key with this hash already exists',
    );
  }

  async findById(id: string): Promise<ApiKey | undefined> {
    return this.db.selectFrom('apiKeys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The key with this hash whatever its state; the caller decides what inactive or expired means. */
  async findByHash(keyHash: string): Promise<ApiKey | undefined> {
    return this.db.selectFrom('apiKeys').selectAll().where('keyHash', '=', keyHash).executeTakeFirst();
  }

  async listByUser(
    userId: string,
    page: PageRequest,
    options: { activeOnly?: boolean } = {},
  ): Promise<Page<ApiKey>> {
    let query = this.db.selectFrom('apiKeys').selectAll().where('userId', '=', userId);
    if (options.activeOnly) query = query.where('isActive', '=', true);
    return keysetPage(query, 'createdAt', page);
  }

  async touch(id: string, at: Date = new Date()): Promise<void> {
    await this.db.updateTable('apiKeys').set({ lastUsedAt: at }).where('id', '=', id).execute();
  }

  /** Revokes a key; false when it did not exist or was already inactive. */
  async deactivate(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('apiKeys')
      .set({ isActive: false })
      .where('id', '=', id)
      .where('isActive', '=', true)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Deletes at most `batchSize` keys that expired before `before`; returns how many. */
  async deleteExpired(before: Date, batchSize: number): Promise<number> {
    return deleteInBatch(this.db, 'apiKeys', (qb) => qb.where('expiresAt', '<', before), batchSize);
  }
}
