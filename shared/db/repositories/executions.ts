import { type Kysely, sql } from 'kysely';
import type { ExecutionStatus } from '../../core/domain.js';
import type { Json, JsonObject } from '../../core/json.js';
import { jsonbOrNull } from '../json.js';
import { keysetPage, mapPage, type Page, type PageRequest, type TimeRange } from '../pagination.js';
import type { Database, ExecutionRow, NewExecution } from '../schema.js';
import { deleteInBatch } from './batch.js';

/** An execution as the application sees it: the cost is a number, not numeric text. */
export type Execution = Omit<ExecutionRow, 'costUsd'> & { costUsd: number };

export interface ExecutionFilter extends TimeRange {
  userId?: string | undefined;
  agentName?: string | undefined;
  status?: ExecutionStatus | undefined;
}

export interface CompletedExecution {
  output: Json;
  outputRef?: string | null;
  findingCounts: JsonObject;
  llmUsed?: boolean;
  llmProvider?: string | null;
  llmModel?: string | null;
  llmReason?: string | null;
}

export interface FailedExecution {
  errorCode: string;
  errorMessage: string;
  errorDetail?: string | null;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

const FINISHED: readonly ExecutionStatus[] = ['completed', 'failed', 'cancelled'];

function toExecution(row: ExecutionRow): Execution {
  return { ...row, costUsd: Number(row.costUsd) };
}

export class ExecutionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(execution: NewExecution): Promise<Execution> {
    const row = await this.db
      .insertInto('agentExecutions')
      .values({ ...execution, input: jsonbOrNull(execution.input), output: jsonbOrNull(execution.output) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toExecution(row);
  }

  async findById(id: string): Promise<Execution | undefined> {
    const row = await this.db
      .selectFrom('agentExecutions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toExecution(row);
  }

  async list(filter: ExecutionFilter, page: PageRequest): Promise<Page<Execution>> {
    let query = this.db.selectFrom('agentExecutions').selectAll();
    if (filter.userId !== undefined) query = query.where('userId', '=', filter.userId);
    if (filter.agentName !== undefined) query = query.where('agentName', '=', filter.agentName);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    return mapPage(await keysetPage(query, 'createdAt', page, filter), toExecution);
  }

  /**
   * Takes the lease of a queued execution, or of a running one whose lease
   * expired (its worker crashed). Undefined when another worker holds it or it
   * has finished — the caller must then not run it.
   */
  async acquireLease(id: string, leaseUntil: Date, now: Date = new Date()): Promise<Execution | undefined> {
    const row = await this.db
      .updateTable('agentExecutions')
      .set((eb) => ({
        status: 'running',
        leaseExpiresAt: leaseUntil,
        attempts: eb('attempts', '+', 1),
        startedAt: eb.fn.coalesce('startedAt', eb.val(now)),
      }))
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb('status', '=', 'queued'),
          eb.and([eb('status', '=', 'running'), eb('leaseExpiresAt', '<', now)]),
        ]),
      )
      .returningAll()
      .executeTakeFirst();
    return row && toExecution(row);
  }

  /** Records the result of a running execution; undefined if it is not running (never completes twice). */
  async complete(
    id: string,
    result: CompletedExecution,
    now: Date = new Date(),
  ): Promise<Execution | undefined> {
    const row = await this.db
      .updateTable('agentExecutions')
      .set({
        status: 'completed',
        output: jsonbOrNull(result.output),
        outputRef: result.outputRef ?? null,
        findingCounts: result.findingCounts,
        llmUsed: result.llmUsed ?? false,
        llmProvider: result.llmProvider ?? null,
        llmModel: result.llmModel ?? null,
        llmReason: result.llmReason ?? null,
        completedAt: now,
        durationMs: sql<number>`greatest(0, round(extract(epoch from (${now}::timestamptz - coalesce(started_at, created_at))) * 1000))::integer`,
        leaseExpiresAt: null,
      })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .returningAll()
      .executeTakeFirst();
    return row && toExecution(row);
  }

  /** Marks a queued or running execution failed; undefined if it had already finished. */
  async fail(id: string, failure: FailedExecution, now: Date = new Date()): Promise<Execution | undefined> {
    const row = await this.db
      .updateTable('agentExecutions')
      .set({
        status: 'failed',
        errorCode: failure.errorCode,
        errorMessage: failure.errorMessage,
        errorDetail: failure.errorDetail ?? null,
        completedAt: now,
        durationMs: sql<number>`greatest(0, round(extract(epoch from (${now}::timestamptz - coalesce(started_at, created_at))) * 1000))::integer`,
        leaseExpiresAt: null,
      })
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'running'])
      .returningAll()
      .executeTakeFirst();
    return row && toExecution(row);
  }

  /**
   * Puts an execution that failed only because its job could not be queued
   * (`errorCode`) back to queued, for a redelivered trigger to send the job
   * again; undefined when it is in any other state.
   */
  async requeueUnsent(id: string, errorCode: string): Promise<Execution | undefined> {
    const row = await this.db
      .updateTable('agentExecutions')
      .set({
        status: 'queued',
        errorCode: null,
        errorMessage: null,
        errorDetail: null,
        completedAt: null,
        durationMs: null,
      })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .where('errorCode', '=', errorCode)
      .where('startedAt', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row && toExecution(row);
  }

  /** Cancels a queued execution; undefined when it is not queued any more. */
  async cancel(id: string, now: Date = new Date()): Promise<Execution | undefined> {
    const row = await this.db
      .updateTable('agentExecutions')
      .set({ status: 'cancelled', completedAt: now })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .returningAll()
      .executeTakeFirst();
    return row && toExecution(row);
  }

  /**
   * Ends every lease at `now`. Only for a process that knows no other can be
   * running executions (the embedded runtime at start): their work is lost.
   */
  async releaseAllLeases(now: Date = new Date()): Promise<number> {
    const result = await this.db
      .updateTable('agentExecutions')
      .set({ leaseExpiresAt: now })
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Ends the lease of a running execution this worker gives back (a retryable
   * failure), so the job's next delivery may take it at once rather than wait
   * for the lease to run out.
   */
  async releaseLease(id: string, now: Date = new Date()): Promise<void> {
    await this.db
      .updateTable('agentExecutions')
      .set({ leaseExpiresAt: now })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  }

  /** Records that the completion event and the callback job of a finished execution were handed on. */
  async markNotified(id: string, now: Date = new Date()): Promise<void> {
    await this.db
      .updateTable('agentExecutions')
      .set({ notifiedAt: now })
      .where('id', '=', id)
      .where('notifiedAt', 'is', null)
      .execute();
  }

  /** Finished executions whose completion was never announced (their worker died first), oldest first. */
  async listUnnotified(finishedBefore: Date, limit: number): Promise<Execution[]> {
    const rows = await this.db
      .selectFrom('agentExecutions')
      .selectAll()
      .where('status', 'in', ['completed', 'failed'])
      .where('notifiedAt', 'is', null)
      .where('completedAt', '<=', finishedBefore)
      .orderBy('completedAt')
      .limit(limit)
      .execute();
    return rows.map(toExecution);
  }

  /**
   * Executions no job may be carrying any more: queued since before
   * `queuedBefore` (a crash between insert and send, a job lost), or running
   * on a lease that ran out before `leaseBefore` (a worker died and its job is
   * gone). Oldest first, after the keyset `after`.
   */
  async listStalled(
    queuedBefore: Date,
    leaseBefore: Date,
    limit: number,
    after?: { createdAt: Date; id: string },
  ) {
    let query = this.db
      .selectFrom('agentExecutions')
      .select(['id', 'agentName', 'lane', 'traceId', 'createdAt', 'status', 'attempts'])
      .where('status', 'in', ['queued', 'running'])
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('createdAt', '<=', queuedBefore)]),
          eb.and([eb('status', '=', 'running'), eb('leaseExpiresAt', '<=', leaseBefore)]),
        ]),
      );
    if (after) {
      query = query.where((eb) =>
        eb(eb.refTuple('createdAt', 'id'), '>', eb.tuple(after.createdAt, after.id)),
      );
    }
    return query.orderBy('createdAt').orderBy('id').limit(limit).execute();
  }

  /** Adds LLM usage to the execution's totals atomically (concurrent calls never lose an update). */
  async addUsage(id: string, usage: Usage): Promise<void> {
    await this.db
      .updateTable('agentExecutions')
      .set((eb) => ({
        promptTokens: eb('promptTokens', '+', usage.promptTokens),
        completionTokens: eb('completionTokens', '+', usage.completionTokens),
        totalTokens: eb('totalTokens', '+', usage.promptTokens + usage.completionTokens),
        costUsd: sql<string>`cost_usd + ${usage.costUsd}`,
      }))
      .where('id', '=', id)
      .execute();
  }

  /** Deletes at most `batchSize` finished executions created before `before`. */
  async deleteFinishedBefore(before: Date, batchSize: number): Promise<number> {
    return deleteInBatch(
      this.db,
      'agentExecutions',
      (q) => q.where('createdAt', '<', before).where('status', 'in', FINISHED),
      batchSize,
    );
  }
}
