import { type Kysely, sql } from 'kysely';
import { keysetPage, type Page, type PageRequest, type TimeRange } from '../pagination.js';
import type { AuditLogRow, Database, NewAuditLog } from '../schema.js';
import { deleteInBatch } from './batch.js';

export type AuditLog = AuditLogRow;

export interface AuditLogFilter extends TimeRange {
  userId?: string | undefined;
  eventType?: string | undefined;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
}

export class AuditLogsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async record(entry: NewAuditLog): Promise<AuditLog> {
    return this.db.insertInto('auditLogs').values(entry).returningAll().executeTakeFirstOrThrow();
  }

  async list(filter: AuditLogFilter, page: PageRequest): Promise<Page<AuditLog>> {
    let query = this.db.selectFrom('auditLogs').selectAll();
    if (filter.userId !== undefined) query = query.where('userId', '=', filter.userId);
    if (filter.eventType !== undefined) query = query.where('eventType', '=', filter.eventType);
    if (filter.resourceType !== undefined) query = query.where('resourceType', '=', filter.resourceType);
    if (filter.resourceId !== undefined) {
      // Cast: the Data API sends UUID-shaped strings as uuid, and text = uuid has no operator.
      query = query.where('resourceId', '=', sql<string>`cast(${filter.resourceId} as text)`);
    }
    return keysetPage(query, 'occurredAt', page, filter);
  }

  async deleteBefore(before: Date, batchSize: number): Promise<number> {
    return deleteInBatch(this.db, 'auditLogs', (q) => q.where('occurredAt', '<', before), batchSize);
  }
}
