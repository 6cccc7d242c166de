/**
 * The workflow runs use cases behind `/v1/workflows` (../../../docs/architecture.md,
 * Workflows): a request is validated against its workflow, recorded as a run
 * and handed to the engine (Step Functions on AWS, aws-local-stepfunctions on
 * a lane job elsewhere). Who may read a run follows the executions' rules:
 * users their own, admins and readonly keys all, inputs only owner and admins.
 */
import * as z from 'zod';
import { getAgent, validateAgentInput } from '../../agents/registry.js';
import {
  AgentValidationError,
  AiopsError,
  ConnectionError,
  type FieldError,
  ResourceNotFoundError,
  ValidationError,
} from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import type { Json } from '../../core/json.js';
import type { WorkflowRun, WorkflowStep } from '../../db/repositories/workflow-runs.js';
import {
  isWorkflowName,
  WORKFLOW_NAMES,
  type WorkflowName,
  workflowDefinition,
} from '../../workflows/index.js';
import type { AppDeps } from '../deps.js';
import { InputSources, inputSourceOf } from '../input-sources.js';
import { type Principal, requireRole } from '../principal.js';
import { parseBody } from '../validation.js';
import { type AgentStep, hasRefs, referenceProblems, WORKFLOWS } from './catalog.js';
import { lookup, parseRef, refsIn } from './refs.js';

export interface StartOptions {
  /** The run's owner; null for a run the system starts on nobody's behalf. */
  userId: string | null;
  traceId: string;
  /** Checks object and log sources against what this caller may read; without it they are trusted. */
  principal?: Principal | undefined;
}

export interface WorkflowStepView {
  name: string;
  agent: string | null;
  executionId: string | null;
  status: WorkflowStep['status'];
  attempts: number;
  summary: string | null;
  findingCounts: Record<string, number>;
  result?: Json;
  error?: { code: string; message: string };
  startedAt: string;
  completedAt?: string;
  durationMs?: number;
}

export interface WorkflowRunView {
  id: string;
  workflow: string;
  status: WorkflowRun['status'];
  userId: string | null;
  traceId: string;
  engineRef: string | null;
  input?: Json;
  output?: Json;
  error?: { code: string; message: string; step: string | null };
  createdAt: string;
  startedAt?: string;
  completedAt?: string;
  durationMs?: number;
  steps: WorkflowStepView[];
}

const COUNTS = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };

function duration(from: Date | null, to: Date | null): { durationMs?: number } {
  return from && to ? { durationMs: Math.max(0, to.getTime() - from.getTime()) } : {};
}

function viewStep(s: WorkflowStep): WorkflowStepView {
  return {
    name: s.name,
    agent: s.agent,
    executionId: s.executionId,
    status: s.status,
    attempts: s.attempts,
    summary: s.summary,
    findingCounts: { ...COUNTS, ...(s.findingCounts as Record<string, number>) },
    ...(s.result === null ? {} : { result: s.result }),
    ...(s.errorCode === null ? {} : { error: { code: s.errorCode, message: s.errorMessage ?? '' } }),
    startedAt: s.startedAt.toISOString(),
    ...(s.completedAt ? { completedAt: s.completedAt.toISOString() } : {}),
    ...duration(s.startedAt, s.completedAt),
  };
}

/** Field errors of an agent input, moved from `input.…` to where the input sits in the request. */
function movedTo(where: string, errors: readonly FieldError[]): FieldError[] {
  return errors.map((e) => ({ path: e.path.replace(/^input/, where), message: e.message }));
}

export class WorkflowsService {
  constructor(
    private readonly deps: Pick<
      AppDeps,
      'repos' | 'workflows' | 'clock' | 'objects' | 'logEvents' | 'settings'
    >,
  ) {}

  /** The workflows this deployment runs, with the JSON Schema of each request body and its states. */
  definitions() {
    return WORKFLOW_NAMES.map((name) => ({
      name,
      description: WORKFLOWS[name].description,
      requestSchema: z.toJSONSchema(WORKFLOWS[name].request, { io: 'input' }),
      states: Object.keys(workflowDefinition(name).States),
    }));
  }

  /** POST /v1/workflows/{name}/runs: 202 with the run's id; the engine runs it from there. */
  async create(principal: Principal, name: string, body: unknown, options: { traceId: string }) {
    requireRole(principal, 'user');
    const run = await this.start(name, body, {
      userId: principal.userId,
      traceId: options.traceId,
      principal,
    });
    return {
      status: 202,
      headers: { Location: `/v1/workflows/runs/${run.id}` },
      body: {
        id: run.id,
        workflow: run.workflowName,
        status: run.status,
        createdAt: run.createdAt.toISOString(),
      },
    };
  }

  /**
   * Validates `input` as a request of `workflowName`, records the run and starts
   * it. For any caller that has already decided the run may start (the API
   * after its checks, an alarm trigger): 404 for an unknown workflow, 400 for
   * an invalid request, 503 when the engine cannot take it.
   */
  async start(workflowName: string, input: unknown, options: StartOptions): Promise<WorkflowRun> {
    if (!isWorkflowName(workflowName)) {
      throw new ResourceNotFoundError(`Workflow ${workflowName} not found; GET /v1/workflows lists them`, {
        details: { workflow: workflowName },
      });
    }
    const request = parseBody(WORKFLOWS[workflowName].request, input);
    await this.#check(workflowName, request, options.principal);
    const run = await this.deps.repos.workflowRuns.create({
      workflowName,
      userId: options.userId,
      traceId: options.traceId,
      input: request as Json,
      createdAt: this.deps.clock.now(),
    });
    try {
      const { engineRef } = await this.deps.workflows.start({
        runId: run.id,
        workflow: workflowName,
        traceId: options.traceId,
      });
      await this.deps.repos.workflowRuns.setEngineRef(run.id, engineRef);
      return { ...run, engineRef };
    } catch (cause) {
      // Never leave a run queued that no engine will run.
      await this.deps.repos.workflowRuns.fail(
        run.id,
        { code: 'ENGINE_UNAVAILABLE', message: 'The workflow could not be started' },
        this.deps.clock.now(),
      );
      // A deployment that cannot run workflows says so; anything else may work on the next try.
      if (cause instanceof AiopsError && !cause.retryable) throw cause;
      throw new ConnectionError('The workflow could not be started; try again', { cause });
    }
  }

  /** Everything that can be known before the run: agents exist, references can resolve, literal inputs are valid. */
  async #check(name: WorkflowName, request: unknown, principal: Principal | undefined): Promise<void> {
    const steps = WORKFLOWS[name].agentSteps(request);
    const problems: FieldError[] = [];
    for (const step of steps) {
      if (getAgent(step.agent) === undefined) {
        problems.push({
          path: step.agentWhere,
          message: `no agent named "${step.agent}"; GET /v1/agents lists them`,
        });
        continue;
      }
      problems.push(...this.#requestRefProblems(step, request));
      if (!hasRefs(step.input)) problems.push(...(await this.#inputProblems(step, principal)));
    }
    problems.push(...referenceProblems(steps));
    if (problems.length > 0) {
      const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
      throw new ValidationError(`The ${name} request has ${count}; see errors.`, problems);
    }
  }

  /** `request.…` references resolve now or never. */
  #requestRefProblems(step: AgentStep, request: unknown): FieldError[] {
    const problems: FieldError[] = [];
    for (const ref of refsIn(step.input, step.where)) {
      try {
        if (parseRef(ref.path, ref.where).root === 'request')
          lookup(ref.path, { request, steps: {} }, ref.where);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        problems.push(...error.errors);
      }
    }
    return problems;
  }

  async #inputProblems(step: AgentStep, principal: Principal | undefined): Promise<FieldError[]> {
    try {
      const source = inputSourceOf(step.input);
      if (source === undefined) validateAgentInput(step.agent, step.input);
      else if (principal !== undefined)
        await new InputSources(this.deps).check(principal, step.agent, source);
      return [];
    } catch (error) {
      if (error instanceof AgentValidationError || error instanceof ValidationError) {
        return movedTo(step.where, error.errors);
      }
      throw error;
    }
  }

  async get(principal: Principal, id: string): Promise<WorkflowRunView> {
    const run = isUuid(id) ? await this.deps.repos.workflowRuns.findById(id) : undefined;
    // Outputs carry input-derived text: only the owner (any role) and admins read a run.
    if (!run || !(principal.role === 'admin' || run.userId === principal.userId)) {
      // Someone else's run is "not found", not "forbidden": ids do not leak.
      throw new ResourceNotFoundError(`Workflow run ${id} not found`, { details: { id } });
    }
    const steps = await this.deps.repos.workflowRuns.allSteps(run.id);
    const mayReadInput = principal.role === 'admin' || run.userId === principal.userId;
    return {
      id: run.id,
      workflow: run.workflowName,
      status: run.status,
      userId: run.userId,
      traceId: run.traceId,
      engineRef: run.engineRef,
      ...(mayReadInput && run.input !== null ? { input: run.input } : {}),
      ...(run.output === null ? {} : { output: run.output }),
      ...(run.errorCode === null
        ? {}
        : { error: { code: run.errorCode, message: run.errorMessage ?? '', step: run.errorStep } }),
      createdAt: run.createdAt.toISOString(),
      ...(run.startedAt ? { startedAt: run.startedAt.toISOString() } : {}),
      ...(run.completedAt ? { completedAt: run.completedAt.toISOString() } : {}),
      ...duration(run.startedAt ?? run.createdAt, run.completedAt),
      steps: steps.map(viewStep),
    };
  }
}
