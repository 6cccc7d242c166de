/**
 * Workflow runs and their steps. Every transition is conditional on the
 * current status, so a task that runs twice (a retry, a re-run after a crash,
 * at-least-once delivery) never moves a finished run or step backwards.
 */
import type { Kysely } from 'kysely';
import { DatabaseError } from '../../core/errors.js';
import type { Json, JsonObject } from '../../core/json.js';
import { jsonb, jsonbOrNull } from '../json.js';
import type { Database, WorkflowRunRow, WorkflowRunStepRow } from '../schema.js';

export type WorkflowRun = WorkflowRunRow;
export type WorkflowStep = WorkflowRunStepRow;

export interface NewWorkflowRun {
  workflowName: string;
  userId: string | null;
  traceId: string;
  input: Json;
  createdAt?: Date;
}

export interface RunFailure {
  code: string;
  message: string;
  step?: string | null;
}

export interface StepSpec {
  name: string;
  position: number;
  agent: string | null;
}

export interface StepSuccess {
  summary: string | null;
  findingCounts: JsonObject;
  result?: Json | null;
}

export interface StepFailure {
  code: string;
  message: string;
}

const UNFINISHED = ['queued', 'running'] as const;

export class WorkflowRunsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(run: NewWorkflowRun): Promise<WorkflowRun> {
    return this.db
      .insertInto('workflowRuns')
      .values({
        workflowName: run.workflowName,
        userId: run.userId,
        traceId: run.traceId,
        input: jsonb(run.input),
        ...(run.createdAt === undefined ? {} : { createdAt: run.createdAt }),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async findById(id: string): Promise<WorkflowRun | undefined> {
    return this.db.selectFrom('workflowRuns').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async setEngineRef(id: string, engineRef: string): Promise<void> {
    await this.db.updateTable('workflowRuns').set({ engineRef }).where('id', '=', id).execute();
  }

  /** queued → running; a running run stays as it is. Undefined when the run has finished (or is gone). */
  async start(id: string, now: Date): Promise<WorkflowRun | undefined> {
    return this.#whileUnfinished(id)
      .set((eb) => ({ status: 'running', startedAt: eb.fn.coalesce('startedAt', eb.val(now)) }))
      .returningAll()
      .executeTakeFirst();
  }

  /** Undefined when the run had already finished: an outcome is recorded once. */
  async succeed(id: string, output: Json, now: Date): Promise<WorkflowRun | undefined> {
    return this.#whileUnfinished(id)
      .set((eb) => ({
        status: 'succeeded',
        output: jsonbOrNull(output),
        startedAt: eb.fn.coalesce('startedAt', eb.val(now)),
        completedAt: now,
      }))
      .returningAll()
      .executeTakeFirst();
  }

  async fail(id: string, failure: RunFailure, now: Date): Promise<WorkflowRun | undefined> {
    return this.#whileUnfinished(id)
      .set({
        status: 'failed',
        errorCode: failure.code,
        errorMessage: failure.message,
        errorStep: failure.step ?? null,
        completedAt: now,
      })
      .returningAll()
      .executeTakeFirst();
  }

  /** An update of the run that applies only while it is queued or running. */
  #whileUnfinished(id: string) {
    return this.db.updateTable('workflowRuns').where('id', '=', id).where('status', 'in', UNFINISHED);
  }

  /** An update of one step of a run. */
  #updateStep(runId: string, name: string) {
    return this.db.updateTable('workflowRunSteps').where('runId', '=', runId).where('name', '=', name);
  }

  /**
   * Records that a step (re)starts and counts the attempt. A step that already
   * succeeded is returned as it is, so its caller answers with the stored
   * outcome instead of running it again.
   */
  async beginStep(runId: string, step: StepSpec, now: Date): Promise<WorkflowStep> {
    const row = await this.db
      .insertInto('workflowRunSteps')
      .values({
        runId,
        name: step.name,
        position: step.position,
        agent: step.agent,
        status: 'running',
        startedAt: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['runId', 'name'])
          .doUpdateSet((eb) => ({
            status: 'running',
            attempts: eb('workflowRunSteps.attempts', '+', 1),
            errorCode: null,
            errorMessage: null,
            completedAt: null,
          }))
          .where('workflowRunSteps.status', '!=', 'succeeded'),
      )
      .returningAll()
      .executeTakeFirst();
    if (row !== undefined) return row;
    const existing = await this.findStep(runId, step.name);
    // The conflict update only skips a row that exists; it cannot have gone in between (steps go with their run).
    if (existing === undefined) {
      throw new DatabaseError(`Step ${step.name} of run ${runId} was neither inserted nor found`, {
        details: { runId, step: step.name },
      });
    }
    return existing;
  }

  async setStepExecution(runId: string, name: string, executionId: string): Promise<void> {
    await this.#updateStep(runId, name).set({ executionId }).execute();
  }

  async completeStep(
    runId: string,
    name: string,
    success: StepSuccess,
    now: Date,
  ): Promise<WorkflowStep | undefined> {
    return this.#updateStep(runId, name)
      .set({
        status: 'succeeded',
        summary: success.summary,
        findingCounts: jsonb(success.findingCounts),
        result: jsonbOrNull(success.result),
        errorCode: null,
        errorMessage: null,
        completedAt: now,
      })
      .returningAll()
      .executeTakeFirst();
  }

  async failStep(
    runId: string,
    name: string,
    failure: StepFailure,
    now: Date,
  ): Promise<WorkflowStep | undefined> {
    return this.#updateStep(runId, name)
      .set({ status: 'failed', errorCode: failure.code, errorMessage: failure.message, completedAt: now })
      .where('status', '!=', 'succeeded')
      .returningAll()
      .executeTakeFirst();
  }

  /** Steps still running when the run ends did not finish: they are failed with the run's error. */
  async failUnfinishedSteps(runId: string, failure: StepFailure, now: Date): Promise<string[]> {
    const rows = await this.db
      .updateTable('workflowRunSteps')
      .set({ status: 'failed', errorCode: failure.code, errorMessage: failure.message, completedAt: now })
      .where('runId', '=', runId)
      .where('status', '=', 'running')
      .returning('name')
      .execute();
    return rows.map((r) => r.name).sort();
  }

  async findStep(runId: string, name: string): Promise<WorkflowStep | undefined> {
    return this.db
      .selectFrom('workflowRunSteps')
      .selectAll()
      .where('runId', '=', runId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  /** One page of a run's steps in order; pass the last step's position and name for the next page. */
  async listSteps(
    runId: string,
    limit: number,
    after?: { position: number; name: string },
  ): Promise<WorkflowStep[]> {
    let query = this.db.selectFrom('workflowRunSteps').selectAll().where('runId', '=', runId);
    if (after) {
      query = query.where((eb) =>
        eb(eb.refTuple('position', 'name'), '>', eb.tuple(after.position, after.name)),
      );
    }
    return query.orderBy('position').orderBy('name').limit(limit).execute();
  }

  /** Every step of a run, read page by page (the Data API answers at most 1 MiB). */
  async allSteps(runId: string, pageSize = 100): Promise<WorkflowStep[]> {
    const steps: WorkflowStep[] = [];
    let after: { position: number; name: string } | undefined;
    for (;;) {
      const page = await this.listSteps(runId, pageSize, after);
      steps.push(...page);
      const last = page.at(-1);
      if (page.length < pageSize || last === undefined) return steps;
      after = { position: last.position, name: last.name };
    }
  }
}
