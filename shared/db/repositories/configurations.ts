import type { Kysely } from 'kysely';
import { ValidationError } from '../../core/errors.js';
import type { Json } from '../../core/json.js';
import { jsonb } from '../json.js';
import { type Page, type PageRequest, pageSize } from '../pagination.js';
import type { ConfigurationRow, Database } from '../schema.js';

export type Configuration = ConfigurationRow;

export interface ConfigurationWrite {
  value: Json;
  description?: string | null;
  isSecret?: boolean;
  updatedBy?: string | null;
}

/** Settings admins tune at run time (retention, budgets, pricing overrides, provider order). */
export class ConfigurationsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(key: string): Promise<Configuration | undefined> {
    return this.db.selectFrom('configurations').selectAll().where('key', '=', key).executeTakeFirst();
  }

  /** Creates or replaces a setting; `createdAt` survives replacement. */
  async set(key: string, write: ConfigurationWrite, now: Date = new Date()): Promise<Configuration> {
    if (key.trim() === '') {
      throw new ValidationError('Invalid configuration key', [{ path: 'key', message: 'must not be empty' }]);
    }
    const row = {
      key,
      value: jsonb(write.value),
      description: write.description ?? null,
      isSecret: write.isSecret ?? false,
      updatedBy: write.updatedBy ?? null,
      updatedAt: now,
    };
    return this.db
      .insertInto('configurations')
      .values({ ...row, createdAt: now })
      .onConflict((oc) => oc.column('key').doUpdateSet(row))
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async delete(key: string): Promise<boolean> {
    const result = await this.db.deleteFrom('configurations').where('key', '=', key).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Settings in key order; the cursor is the last key of the previous page. */
  async list(page: PageRequest): Promise<Page<Configuration>> {
    const limit = pageSize(page.limit);
    let query = this.db.selectFrom('configurations').selectAll();
    if (page.cursor) query = query.where('key', '>', Buffer.from(page.cursor, 'base64url').toString('utf8'));
    const rows = await query
      .orderBy('key')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor: rows.length > limit && last ? Buffer.from(last.key).toString('base64url') : null,
    };
  }
}
