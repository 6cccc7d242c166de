/**
 * The one task function every Task state of every workflow invokes, with a
 * payload naming the task (../../../docs/architecture.md, Workflows). On AWS it is the
 * workflow-task Lambda; locally aws-local-stepfunctions calls it in process
 * with the very same payload.
 *
 * Every task is safe to run twice (Retry, a re-run after a crash): an agent
 * step's execution id is derived from the run and the step, a finished step
 * answers with what it recorded, and run transitions only move forward.
 * State carries ids and small results only: inputs and results stay in the
 * database.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { countFindings, type Finding, SEVERITIES } from '../../agents/contract.js';
import { getAgent, validateAgentInput } from '../../agents/registry.js';
import { AiopsError, isRetryable } from '../../core/errors.js';
import type { Json, JsonObject } from '../../core/json.js';
import { logger, withTraceContext } from '../../core/observability.js';
import { isUniqueViolation } from '../../db/constraint.js';
import type { Execution } from '../../db/repositories/executions.js';
import type { WorkflowRun, WorkflowStep } from '../../db/repositories/workflow-runs.js';
import { isWorkflowName, RETRYABLE_TASK_ERROR, TASK_MAX_ATTEMPTS } from '../../workflows/index.js';
import type { AppDeps } from '../deps.js';
import { inputSourceOf } from '../input-sources.js';
import {
  type AgentStep,
  type BatchAnalysisRequest,
  type IncidentTriageRequest,
  itemStepName,
  WORKFLOWS,
  type WorkflowEntry,
} from './catalog.js';
import type { RunExecutionNow } from './ports.js';
import { type RefContext, refsIn, resolveRefs, stepOf } from './refs.js';
import { triage } from './triage.js';

/** The error names the definitions match on (Retry: the retryable one; Catch: all). */
export const TASK_ERRORS = {
  retryable: RETRYABLE_TASK_ERROR,
  /** An agent step failed for good: its input was invalid or the agent failed. */
  stepFailed: 'Aiops.StepFailed',
  /** Anything else another attempt will not fix. */
  taskFailed: 'Aiops.TaskFailed',
} as const;

/** The run's error code for each error a state machine may end with. */
const RUN_ERROR_CODES: Readonly<Record<string, string>> = {
  [TASK_ERRORS.stepFailed]: 'STEP_FAILED',
  [TASK_ERRORS.taskFailed]: 'TASK_FAILED',
  [TASK_ERRORS.retryable]: 'TASK_RETRIES_EXHAUSTED',
  'States.Timeout': 'TASK_TIMED_OUT',
};

/** A step result travels in the state only up to this size; the execution always has it. */
const SMALL_RESULT_BYTES = 8 * 1024;
const SUMMARY_CHARS = 500;

/**
 * Thrown by a task. Its name is what Step Functions matches Retry and Catch
 * on (Lambda reports a thrown error by its name and message), its message is
 * what the run's error says.
 */
export class WorkflowTaskError extends AiopsError {
  override readonly name: string;
  override readonly code: string = 'WORKFLOW_TASK_FAILED';
  override readonly title: string = 'Workflow task failed';
  /** A step that failed on its input or its agent is an outcome of the run, not a fault of the platform. */
  override readonly status: number;

  constructor(
    name: string,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { ...options, retryable: name === TASK_ERRORS.retryable });
    this.name = name;
    this.status = name === TASK_ERRORS.stepFailed ? 422 : 500;
  }
}

const ids = { runId: z.uuid(), traceId: z.string().min(1).max(128) };
/** What a Catch puts in the state: the error's name, and its cause (a Lambda error payload as JSON on AWS). */
const caughtError = z.looseObject({ Error: z.string().optional(), Cause: z.unknown().optional() });

export const taskPayloadSchema = z.discriminatedUnion('task', [
  z.looseObject({ task: z.literal('begin'), ...ids }),
  z.looseObject({ task: z.literal('run-step'), ...ids, index: z.number().int().min(0) }),
  z.looseObject({ task: z.literal('fail-step'), ...ids, index: z.number().int().min(0), error: caughtError }),
  z.looseObject({ task: z.literal('correlate'), ...ids }),
  z.looseObject({ task: z.literal('aggregate'), ...ids }),
  z.looseObject({ task: z.literal('complete'), ...ids }),
  z.looseObject({ task: z.literal('fail'), ...ids, error: caughtError }),
]);
export type TaskPayload = z.infer<typeof taskPayloadSchema>;
export const TASK_NAMES = taskPayloadSchema.options.map((o) => o.shape.task.value);

export interface StepResult {
  name: string;
  index: number;
  /** The index of the step after this one (chain-analysis loops while it is below the count). */
  next: number;
  executionId: string;
  status: 'succeeded';
  summary: string | null;
  findingCounts: JsonObject;
  /** The agent's result when small; the execution always holds it (GET /v1/executions/{id}). */
  result?: Json;
}

/** An agent step's execution id: the same for every attempt, so a retried task never runs the step twice. */
export function stepExecutionId(runId: string, step: string): string {
  const hex = createHash('sha256').update(`aiops-workflow-step\u0000${runId}\u0000${step}`).digest('hex');
  // RFC 9562 version 8 (custom) with the RFC variant: a valid UUID for the uuid column.
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The readable message of a caught error: Lambda puts the thrown error's message in a JSON cause. */
export function causeOf(error: { Error?: string | undefined; Cause?: unknown }): string {
  const cause = error.Cause;
  if (typeof cause === 'string') {
    try {
      const parsed = JSON.parse(cause) as { errorMessage?: unknown };
      if (typeof parsed?.errorMessage === 'string') return parsed.errorMessage;
    } catch {
      // Not JSON: the cause is the message itself.
    }
    if (cause !== '') return cause;
  }
  return error.Error ?? 'The workflow failed without saying why';
}

function fieldDetails(error: unknown): string {
  const errors = (error as { errors?: readonly { path: string; message: string }[] }).errors ?? [];
  return errors.length === 0 ? '' : ` (${errors.map((e) => `${e.path}: ${e.message}`).join('; ')})`;
}

function sum(into: Record<string, number>, counts: unknown): void {
  for (const severity of SEVERITIES) {
    const n = (counts as Record<string, unknown> | null)?.[severity];
    into[severity] = (into[severity] ?? 0) + (typeof n === 'number' ? n : 0);
  }
}

function zeroCounts(): Record<string, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
}

export class WorkflowTasks {
  constructor(
    private readonly deps: Pick<AppDeps, 'repos' | 'clock'>,
    private readonly runNow: RunExecutionNow,
  ) {}

  /** Runs one task; every failure leaves as a WorkflowTaskError, retryable or not. */
  async handle(payload: unknown): Promise<Json> {
    const parsed = taskPayloadSchema.safeParse(payload);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`);
      throw new WorkflowTaskError(TASK_ERRORS.taskFailed, `Invalid task payload: ${problems.join('; ')}`);
    }
    const task = parsed.data;
    return withTraceContext(task.traceId, async () => {
      try {
        return await this.#dispatch(task);
      } catch (error) {
        throw this.#asTaskError(error, task);
      }
    });
  }

  async #dispatch(task: TaskPayload): Promise<Json> {
    const run = await this.#run(task.runId);
    switch (task.task) {
      case 'begin':
        return this.#begin(run);
      case 'run-step':
        return (await this.#runStep(run, task.index)) as unknown as Json;
      case 'fail-step':
        return this.#failStep(run, task.index, causeOf(task.error));
      case 'correlate':
        return this.#correlate(run);
      case 'aggregate':
        return this.#aggregate(run);
      case 'complete':
        return this.#complete(run);
      case 'fail':
        return this.#fail(run, task.error);
    }
  }

  #asTaskError(error: unknown, task: TaskPayload): WorkflowTaskError {
    if (error instanceof WorkflowTaskError) return error;
    const retryable = isRetryable(error);
    const what =
      task.task === 'run-step' || task.task === 'fail-step' ? `${task.task} ${task.index}` : task.task;
    // A project error's message is written for users; anything else may quote internals and stays in the log.
    const reason = error instanceof AiopsError ? `${error.code}: ${error.message}` : 'an internal error';
    if (!(error instanceof AiopsError) || error.status >= 500) {
      logger.error('workflow task failed', { error, task: task.task, runId: task.runId });
    }
    return new WorkflowTaskError(
      retryable ? TASK_ERRORS.retryable : TASK_ERRORS.taskFailed,
      `Task ${what} of run ${task.runId} failed: ${reason}`,
      { cause: error },
    );
  }

  async #run(runId: string): Promise<WorkflowRun & { entry: WorkflowEntry }> {
    const run = await this.deps.repos.workflowRuns.findById(runId);
    if (run === undefined || !isWorkflowName(run.workflowName)) {
      throw new WorkflowTaskError(TASK_ERRORS.taskFailed, `Workflow run ${runId} does not exist`);
    }
    return { ...run, entry: WORKFLOWS[run.workflowName] };
  }

  async #begin(run: WorkflowRun & { entry: WorkflowEntry }): Promise<Json> {
    const started = await this.deps.repos.workflowRuns.start(run.id, this.deps.clock.now());
    if (started === undefined) {
      throw new WorkflowTaskError(TASK_ERRORS.taskFailed, `Workflow run ${run.id} has already ${run.status}`);
    }
    const steps = run.entry.agentSteps(run.input);
    switch (run.entry.name) {
      case 'chain-analysis':
        return { index: 0, count: steps.length };
      case 'batch-analysis':
        return { items: steps.map((s) => s.position) };
      default:
        return {};
    }
  }

  #stepAt(run: WorkflowRun & { entry: WorkflowEntry }, index: number): { spec: AgentStep; all: AgentStep[] } {
    const all = run.entry.agentSteps(run.input);
    const spec = all[index];
    if (spec === undefined) {
      throw new WorkflowTaskError(
        TASK_ERRORS.taskFailed,
        `Run ${run.id} has ${all.length} step(s), no step ${index}`,
      );
    }
    return { spec, all };
  }

  async #runStep(run: WorkflowRun & { entry: WorkflowEntry }, index: number): Promise<StepResult> {
    const { spec, all } = this.#stepAt(run, index);
    const repo = this.deps.repos.workflowRuns;
    const step = await repo.beginStep(run.id, spec, this.deps.clock.now());
    const executions = this.deps.repos.executions;
    if (step.status === 'succeeded' && step.executionId !== null) {
      return this.#stepResult(spec, await executions.findById(step.executionId), step);
    }
    const input = await this.#inputOf(run, spec, all);
    const executionId = stepExecutionId(run.id, spec.name);
    let execution = await executions.findById(executionId);
    if (execution === undefined) execution = await this.#createExecution(run, spec, executionId, input);
    await repo.setStepExecution(run.id, spec.name, executionId);
    let runError: unknown;
    if (execution.status === 'queued' || execution.status === 'running') {
      try {
        await this.runNow.run(
          { executionId, agent: spec.agent, traceId: run.traceId },
          { attempt: Math.min(step.attempts, TASK_MAX_ATTEMPTS), maxAttempts: TASK_MAX_ATTEMPTS },
        );
      } catch (error) {
        runError = error;
      }
      execution = (await executions.findById(executionId)) ?? execution;
    }
    if (execution.status === 'completed') {
      const output = execution.output as { summary?: unknown } | null;
      const done = await repo.completeStep(
        run.id,
        spec.name,
        {
          summary: typeof output?.summary === 'string' ? output.summary.slice(0, SUMMARY_CHARS) : null,
          findingCounts: execution.findingCounts,
        },
        this.deps.clock.now(),
      );
      return this.#stepResult(spec, execution, done ?? step);
    }
    if (execution.status === 'failed' || execution.status === 'cancelled') {
      const reason =
        execution.status === 'cancelled'
          ? 'its execution was cancelled'
          : `${execution.errorCode ?? 'AGENT_EXECUTION_FAILED'}: ${execution.errorMessage ?? 'the agent failed'}`;
      throw await this.#stepFailure(run, spec, execution.errorCode ?? 'CANCELLED', reason, executionId);
    }
    // Still queued or running: the run could not finish it this time; another attempt will.
    if (runError !== undefined) throw runError;
    throw new WorkflowTaskError(
      TASK_ERRORS.retryable,
      `Step "${spec.name}" (${spec.agent}): execution ${executionId} is still ${execution.status}`,
    );
  }

  #stepResult(spec: AgentStep, execution: Execution | undefined, step: WorkflowStep): StepResult {
    const result: StepResult = {
      name: spec.name,
      index: spec.position,
      next: spec.position + 1,
      executionId: step.executionId ?? execution?.id ?? '',
      status: 'succeeded',
      summary: step.summary,
      findingCounts: { ...zeroCounts(), ...step.findingCounts },
    };
    const output = execution?.output;
    if (output !== undefined && output !== null && JSON.stringify(output).length <= SMALL_RESULT_BYTES) {
      result.result = output;
    }
    return result;
  }

  /** Records the step as failed and answers the error that fails the task for good, naming the step. */
  async #stepFailure(
    run: WorkflowRun,
    spec: AgentStep,
    code: string,
    reason: string,
    executionId?: string,
  ): Promise<WorkflowTaskError> {
    const message = `Step "${spec.name}" (${spec.agent}) failed: ${reason}`;
    await this.deps.repos.workflowRuns.failStep(run.id, spec.name, { code, message }, this.deps.clock.now());
    return new WorkflowTaskError(TASK_ERRORS.stepFailed, message, {
      details: { runId: run.id, step: spec.name, agent: spec.agent, executionId },
    });
  }

  /** The step's input with its references resolved and checked against the agent's schema. */
  async #inputOf(run: WorkflowRun, spec: AgentStep, all: readonly AgentStep[]): Promise<unknown> {
    const agent = getAgent(spec.agent);
    if (agent === undefined) {
      throw await this.#stepFailure(run, spec, 'AGENT_NOT_FOUND', `no agent named "${spec.agent}"`);
    }
    try {
      const context: RefContext = { request: run.input, steps: await this.#earlierSteps(run, spec, all) };
      const input = resolveRefs(spec.input, context, spec.where);
      // An object or log source is read and validated by the execution runner, like any execution's.
      return inputSourceOf(input) === undefined ? validateAgentInput(agent.name, input) : input;
    } catch (error) {
      if (!(error instanceof AiopsError) || error.status !== 400) throw error;
      throw await this.#stepFailure(run, spec, error.code, `${error.message}${fieldDetails(error)}`);
    }
  }

  /** What `steps.<name>` means to this step's references: only the earlier steps it names, read from the database. */
  async #earlierSteps(
    run: WorkflowRun,
    spec: AgentStep,
    all: readonly AgentStep[],
  ): Promise<Record<string, unknown>> {
    const names = new Set(
      refsIn(spec.input, spec.where)
        .map((ref) => stepOf(ref.path, ref.where)?.step)
        .filter((name): name is string => name !== undefined),
    );
    const steps: Record<string, unknown> = {};
    for (const name of names) {
      const earlier = all.find((s) => s.name === name && s.position < spec.position);
      const record = earlier && (await this.deps.repos.workflowRuns.findStep(run.id, name));
      if (record?.status !== 'succeeded' || record.executionId === null) continue;
      const execution = await this.deps.repos.executions.findById(record.executionId);
      steps[name] = {
        result: execution?.output ?? null,
        summary: record.summary,
        findingCounts: record.findingCounts,
        executionId: record.executionId,
        status: record.status,
      };
    }
    return steps;
  }

  async #createExecution(run: WorkflowRun, spec: AgentStep, id: string, input: unknown): Promise<Execution> {
    const executions = this.deps.repos.executions;
    try {
      return await executions.create({
        id,
        traceId: run.traceId,
        userId: run.userId,
        agentName: spec.agent,
        lane: getAgent(spec.agent)?.lane ?? 'agents',
        input: input as Json,
        metadata: { workflowRun: { id: run.id, workflow: run.workflowName, step: spec.name } },
        createdAt: this.deps.clock.now(),
      });
    } catch (error) {
      // Another attempt of this task created it first: that one is this step's execution.
      const existing = isUniqueViolation(error) ? await executions.findById(id) : undefined;
      if (existing === undefined) throw error;
      return existing;
    }
  }

  async #failStep(
    run: WorkflowRun & { entry: WorkflowEntry },
    index: number,
    message: string,
  ): Promise<Json> {
    const { spec } = this.#stepAt(run, index);
    const repo = this.deps.repos.workflowRuns;
    const now = this.deps.clock.now();
    // The task may have failed before it recorded the step at all.
    const step = await repo.beginStep(run.id, spec, now);
    if (step.status !== 'succeeded') {
      await repo.failStep(run.id, spec.name, { code: 'STEP_FAILED', message }, now);
    }
    return { index, status: step.status === 'succeeded' ? 'succeeded' : 'failed' };
  }

  /** Runs a step that is not an agent execution once, storing its result; a repeat answers the stored one. */
  async #ownStep(
    run: WorkflowRun & { entry: WorkflowEntry },
    compute: () => Promise<
      { summary: string; findings?: Finding[]; findingCounts?: JsonObject } & JsonObject
    >,
  ): Promise<Json> {
    const spec = run.entry.finalStep?.(run.input);
    if (spec === undefined) {
      throw new WorkflowTaskError(TASK_ERRORS.taskFailed, `${run.workflowName} has no step of its own`);
    }
    const repo = this.deps.repos.workflowRuns;
    const step = await repo.beginStep(run.id, { ...spec, agent: null }, this.deps.clock.now());
    if (step.status === 'succeeded' && step.result !== null) return step.result;
    const result = await compute();
    const findingCounts = result.findingCounts ?? countFindings(result.findings ?? []);
    await repo.completeStep(
      run.id,
      spec.name,
      { summary: result.summary.slice(0, SUMMARY_CHARS), findingCounts, result },
      this.deps.clock.now(),
    );
    return result;
  }

  async #correlate(run: WorkflowRun & { entry: WorkflowEntry }): Promise<Json> {
    return this.#ownStep(run, async () => {
      const request = run.input as unknown as IncidentTriageRequest;
      const [logs, metrics] = await Promise.all(
        ['logs', 'metrics'].map(async (name) => {
          const step = await this.deps.repos.workflowRuns.findStep(run.id, name);
          const execution = step?.executionId
            ? await this.deps.repos.executions.findById(step.executionId)
            : undefined;
          if (step?.status !== 'succeeded' || !execution?.output) {
            throw new WorkflowTaskError(TASK_ERRORS.taskFailed, `Step "${name}" has no result to correlate`);
          }
          return execution;
        }),
      );
      return triage(logs?.output, metrics?.output, metrics?.input, request.lookbackMinutes) as unknown as {
        summary: string;
        findings: Finding[];
      } & JsonObject;
    });
  }

  async #aggregate(run: WorkflowRun & { entry: WorkflowEntry }): Promise<Json> {
    return this.#ownStep(run, async () => {
      const request = run.input as unknown as BatchAnalysisRequest;
      const repo = this.deps.repos.workflowRuns;
      // An item whose task failed before recording anything (its retries, then its catch, failed too).
      await repo.failUnfinishedSteps(
        run.id,
        { code: 'STEP_FAILED', message: 'The item did not finish: its task failed after every retry' },
        this.deps.clock.now(),
      );
      const byName = new Map((await repo.allSteps(run.id)).map((s) => [s.name, s]));
      const findingCounts = zeroCounts();
      let succeeded = 0;
      const items = request.items.map((_, index) => {
        const step = byName.get(itemStepName(index));
        const status = step?.status === 'succeeded' ? 'succeeded' : 'failed';
        if (status === 'succeeded') {
          succeeded += 1;
          sum(findingCounts, step?.findingCounts);
        }
        return {
          index,
          status,
          executionId: step?.executionId ?? null,
          findingCounts: { ...zeroCounts(), ...(status === 'succeeded' ? step?.findingCounts : {}) },
          ...(status === 'failed' ? { error: step?.errorMessage ?? 'The item was never run' } : {}),
        };
      });
      const failed = items.length - succeeded;
      const total = Object.values(findingCounts).reduce((a, b) => a + b, 0);
      return {
        summary: `${request.agent} over ${items.length} item(s): ${succeeded} succeeded, ${failed} failed; ${total} finding(s).`,
        agent: request.agent,
        findingCounts,
        metrics: { items: items.length, succeeded, failed },
        items,
      };
    });
  }

  async #complete(run: WorkflowRun & { entry: WorkflowEntry }): Promise<Json> {
    const steps = await this.deps.repos.workflowRuns.allSteps(run.id);
    const own = run.entry.finalStep?.(run.input);
    const final = own && steps.find((s) => s.name === own.name)?.result;
    const output = final ?? chainOutput(steps);
    const done = await this.deps.repos.workflowRuns.succeed(run.id, output, this.deps.clock.now());
    return { runId: run.id, status: done?.status ?? run.status };
  }

  async #fail(run: WorkflowRun, error: { Error?: string | undefined; Cause?: unknown }): Promise<Json> {
    const message = causeOf(error);
    const code = RUN_ERROR_CODES[error.Error ?? ''] ?? error.Error ?? 'WORKFLOW_FAILED';
    const repo = this.deps.repos.workflowRuns;
    const now = this.deps.clock.now();
    const steps = await repo.allSteps(run.id);
    const culprit = steps.find((s) => s.status === 'failed') ?? steps.find((s) => s.status === 'running');
    await repo.failUnfinishedSteps(run.id, { code, message }, now);
    await repo.fail(run.id, { code, message, step: culprit?.name ?? null }, now);
    return { error: error.Error ?? code, cause: message };
  }
}

/** A chain's outcome: every step in order with its summary and counts, and the counts summed. */
function chainOutput(steps: readonly WorkflowStep[]): Json {
  const findingCounts = zeroCounts();
  for (const s of steps) if (s.status === 'succeeded') sum(findingCounts, s.findingCounts);
  return {
    findingCounts,
    steps: steps.map((s) => ({
      name: s.name,
      agent: s.agent,
      executionId: s.executionId,
      status: s.status,
      summary: s.summary,
      findingCounts: { ...zeroCounts(), ...s.findingCounts },
    })),
  };
}
