/**
 * The executions use cases behind `/v1/executions` (../../docs/architecture.md, HTTP API
 * contract and Who may do what). Everyone but an admin sees only their own
 * executions — a readonly key only reads them — and admins see all: results
 * carry input-derived text (log lines, evidence), so they are protected like
 * the inputs themselves.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { getAgent, validateAgentInput } from '../agents/registry.js';
import { EXECUTION_STATUSES, PROVIDER_NAMES } from '../core/domain.js';
import {
  ConnectionError,
  IdempotencyMismatchError,
  ResourceExistsError,
  ResourceNotFoundError,
  ValidationError,
} from '../core/errors.js';
import type { StoredResponse } from '../core/hot-state.js';
import { isUuid } from '../core/ids.js';
import type { Json } from '../core/json.js';
import { redactLogValue } from '../core/redaction.js';
import { RECONNECT_RETRY_AFTER_SECONDS } from '../db/connection-errors.js';
import { isUniqueViolation } from '../db/constraint.js';
import type { PageRequest } from '../db/pagination.js';
import { type Execution, ExecutionsRepository } from '../db/repositories/executions.js';
import type { NewExecution } from '../db/schema.js';
import { sqlExecutorOf } from '../db/sql-executor.js';
import { type JobEnvelope, newJob } from '../lanes/envelope.js';
import { callbackUrlProblem } from './callback-policy.js';
import { canonicalJson } from './canonical-json.js';
import type { AppDeps } from './deps.js';
import { InputSources, inputSourceOf } from './input-sources.js';
import { atLeast, type Principal, requireRole } from './principal.js';
import { parseBody } from './validation.js';

const IDEMPOTENCY_TTL_SEC = 24 * 60 * 60;

function queueUnavailable(cause: unknown): ConnectionError {
  return new ConnectionError('The execution could not be queued; try again', {
    cause,
    retryAfterSeconds: RECONNECT_RETRY_AFTER_SECONDS,
  });
}

/** The error of an execution stored but never queued (the lane was down): nothing ran, so it may be sent again. */
export const QUEUE_UNAVAILABLE = 'QUEUE_UNAVAILABLE';

export const createExecutionBody = z.strictObject({
  agent: z.string().min(1).max(100),
  input: z.unknown().refine((v) => v !== undefined, 'is required'),
  priority: z.boolean().optional(),
  llm: z.strictObject({ enabled: z.boolean(), provider: z.enum(PROVIDER_NAMES).optional() }).optional(),
  callbackUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .max(2048)
    .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), 'must not carry credentials')
    // SSRF: https to a public address only (AIOPS_CALLBACK_ALLOW excepted); resolved addresses are checked at send.
    .superRefine((u, ctx) => {
      const problem = callbackUrlProblem(u);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
});

export const listExecutionsQuery = z.strictObject({
  agent: z.string().min(1).max(100).optional(),
  status: z.enum(EXECUTION_STATUSES).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  userId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().min(1).max(512).optional(),
});

/** `GET /v1/executions/{id}?include=input`: the input as sent, secrets included (admins only, audited). */
export const getExecutionQuery = z.strictObject({
  include: z.literal('input').optional(),
});

export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export interface ExecutionView {
  id: string;
  agent: string;
  status: Execution['status'];
  lane: Execution['lane'];
  userId: string | null;
  input?: Json;
  result?: Json;
  error?: { code: string; message: string };
  findingCounts: Record<string, number>;
  traceId: string;
  createdAt: string;
  startedAt?: string;
  completedAt?: string;
  durationMs?: number;
  llm: { used: boolean; provider?: string; model?: string; reason?: string };
  cost: { usd: number; tokens: number };
}

/**
 * An input as it is shown back: values under secret-looking keys and credentials inside
 * strings masked, by the same redaction as the logs. The raw input is for an admin who asks.
 */
export function maskedInput(input: Json): Json {
  return JSON.parse(JSON.stringify(input, redactLogValue)) as Json;
}

export function viewExecution(
  e: Execution,
  options: { withInput: boolean; withResult?: boolean; rawInput?: boolean },
): ExecutionView {
  const view: ExecutionView = {
    id: e.id,
    agent: e.agentName,
    status: e.status,
    lane: e.lane,
    userId: e.userId,
    findingCounts: {
      critical: 0,
      high: 0,
      medium: 0,
      low: 0,
      info: 0,
      ...(e.findingCounts as Record<string, number>),
    },
    traceId: e.traceId,
    createdAt: e.createdAt.toISOString(),
    llm: { used: e.llmUsed },
    cost: { usd: e.costUsd, tokens: e.totalTokens },
  };
  if (options.withInput && e.input !== null) view.input = options.rawInput ? e.input : maskedInput(e.input);
  if (options.withResult !== false && e.output !== null) view.result = e.output;
  if (e.errorCode) view.error = { code: e.errorCode, message: e.errorMessage ?? '' };
  if (e.startedAt) view.startedAt = e.startedAt.toISOString();
  if (e.completedAt) view.completedAt = e.completedAt.toISOString();
  if (e.durationMs !== null) view.durationMs = e.durationMs;
  if (e.llmProvider) view.llm.provider = e.llmProvider;
  if (e.llmModel) view.llm.model = e.llmModel;
  if (e.llmReason) view.llm.reason = e.llmReason;
  return view;
}

export interface CreateOptions {
  traceId: string;
  idempotencyKey?: string | undefined;
  /** A chosen id (the triggers derive it from the event, so a redelivery creates nothing new); taken → 409. */
  executionId?: string | undefined;
}

export class ExecutionsService {
  constructor(
    private readonly deps: Pick<
      AppDeps,
      'repos' | 'lanes' | 'idempotency' | 'clock' | 'settings' | 'objects' | 'logEvents'
    > &
      Partial<Pick<AppDeps, 'db'>>,
  ) {}

  /**
   * Validates the request, stores the execution and queues it. With an
   * Idempotency-Key: same key and body → the original response; other body →
   * 422; still in flight → 409.
   */
  async create(principal: Principal, body: unknown, options: CreateOptions): Promise<StoredResponse> {
    requireRole(principal, 'user');
    if (options.idempotencyKey === undefined) return this.#create(principal, body, options);
    if (!IDEMPOTENCY_KEY.test(options.idempotencyKey)) {
      throw new ValidationError('Invalid Idempotency-Key', [
        { path: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters' },
      ]);
    }
    const scope = `${principal.userId}:${options.idempotencyKey}`;
    const fingerprint = createHash('sha256')
      .update(`POST /v1/executions\n${canonicalJson(body)}`)
      .digest('hex');
    const claim = await this.deps.idempotency.claim(
      scope,
      fingerprint,
      IDEMPOTENCY_TTL_SEC,
      this.deps.clock.now(),
    );
    switch (claim.state) {
      case 'completed':
        return { ...claim.response, headers: { ...claim.response.headers, 'Idempotent-Replayed': 'true' } };
      case 'in-flight':
        throw new ResourceExistsError(
          'A request with this Idempotency-Key is still being processed; retry later',
        );
      case 'mismatch':
        throw new IdempotencyMismatchError('This Idempotency-Key was used with a different request body');
      case 'claimed':
        break;
    }
    try {
      const response = await this.#create(principal, body, options);
      await this.deps.idempotency.complete(scope, response);
      return response;
    } catch (error) {
      await this.deps.idempotency.release(scope);
      throw error;
    }
  }

  async #create(principal: Principal, body: unknown, options: CreateOptions): Promise<StoredResponse> {
    const { traceId } = options;
    const request = parseBody(createExecutionBody, body);
    const agent = getAgent(request.agent);
    if (!agent) {
      throw new ValidationError('Unknown agent', [
        { path: 'agent', message: `no agent named "${request.agent}"; GET /v1/agents lists them` },
      ]);
    }
    // An input that names a source is checked now and read by the worker, which validates what it reads.
    const source = inputSourceOf(request.input);
    if (source !== undefined) await new InputSources(this.deps).check(principal, agent.name, source);
    const input = source === undefined ? validateAgentInput(agent.name, request.input) : request.input;
    if (request.callbackUrl !== undefined && this.deps.settings.callbackSecret === undefined) {
      throw new ValidationError('Callbacks are not configured on this server', [
        { path: 'callbackUrl', message: 'AIOPS_CALLBACK_SECRET is not set, so callbacks cannot be signed' },
      ]);
    }
    const lane = request.priority ? 'priority' : agent.lane;
    const execution = await this.#storeAndQueue(
      {
        ...(options.executionId === undefined ? {} : { id: options.executionId }),
        traceId,
        userId: principal.userId,
        agentName: agent.name,
        lane,
        input: input as Json,
        callbackUrl: request.callbackUrl ?? null,
        metadata: request.llm ? { llm: request.llm } : {},
        createdAt: this.deps.clock.now(),
      },
      (id) => newJob('execution.run', { executionId: id, agent: agent.name }, { traceId, lane, jobId: id }),
    );
    return {
      status: 202,
      headers: { Location: `/v1/executions/${execution.id}` },
      body: {
        id: execution.id,
        agent: execution.agentName,
        status: execution.status,
        createdAt: execution.createdAt.toISOString(),
      },
    };
  }

  /**
   * Stores the execution and queues its job. Where the lanes live in this
   * database (pg-boss), both happen in one transaction: a crash or a failure
   * leaves neither. Elsewhere (SQS) the job is sent after the insert, and a
   * crash between the two leaves a queued row the delivery sweeper sends.
   */
  async #storeAndQueue(row: NewExecution, job: (executionId: string) => JobEnvelope): Promise<Execution> {
    const { lanes, db } = this.deps;
    if (lanes.sendInTransaction !== undefined && db !== undefined) {
      const sendInTransaction = lanes.sendInTransaction.bind(lanes);
      let wake = () => {};
      const execution = await db.transaction().execute(async (trx) => {
        const stored = await this.#insert(new ExecutionsRepository(trx), row);
        wake = await sendInTransaction(job(stored.id), sqlExecutorOf(trx)).catch((cause: unknown) => {
          throw queueUnavailable(cause);
        });
        return stored;
      });
      wake();
      return execution;
    }
    const execution = await this.#insert(this.deps.repos.executions, row);
    try {
      await lanes.send(job(execution.id));
    } catch (cause) {
      // Never leave an execution queued that no job will run. Should this write fail too (the
      // database is the one away), the execution stays queued and the delivery sweeper sends it.
      await this.deps.repos.executions
        .fail(execution.id, {
          errorCode: QUEUE_UNAVAILABLE,
          errorMessage: 'The execution could not be queued',
        })
        .catch(() => undefined);
      throw queueUnavailable(cause);
    }
    return execution;
  }

  async #insert(repository: ExecutionsRepository, row: NewExecution): Promise<Execution> {
    return repository.create(row).catch((error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
      throw new ResourceExistsError(`Execution ${row.id} already exists`, {
        cause: error,
        details: { id: row.id },
      });
    });
  }

  async get(principal: Principal, id: string, query: unknown = {}): Promise<ExecutionView> {
    const { include } = parseBody(getExecutionQuery, query, 'query');
    // The raw input may hold credentials: only an admin reads it, and the route audits that read.
    if (include === 'input') requireRole(principal, 'admin');
    const execution = isUuid(id) ? await this.deps.repos.executions.findById(id) : undefined;
    if (!execution || !this.#mayRead(principal, execution)) {
      // Someone else's execution is "not found", not "forbidden": ids do not leak.
      throw new ResourceNotFoundError(`Execution ${id} not found`, { details: { id } });
    }
    return viewExecution(execution, {
      withInput: this.#mayReadInput(principal, execution),
      rawInput: include === 'input',
    });
  }

  async list(principal: Principal, query: unknown) {
    const q = parseBody(listExecutionsQuery, query, 'query');
    const userId = atLeast(principal.role, 'admin') ? q.userId : principal.userId;
    const page: PageRequest = { limit: q.limit, cursor: q.cursor };
    const result = await this.deps.repos.executions.list(
      {
        userId,
        agentName: q.agent,
        status: q.status,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      },
      page,
    );
    return {
      items: result.items.map((e) => viewExecution(e, { withInput: false, withResult: false })),
      nextCursor: result.nextCursor,
    };
  }

  async cancel(principal: Principal, id: string): Promise<ExecutionView> {
    requireRole(principal, 'user');
    const execution = isUuid(id) ? await this.deps.repos.executions.findById(id) : undefined;
    if (!execution || !(principal.role === 'admin' || execution.userId === principal.userId)) {
      throw new ResourceNotFoundError(`Execution ${id} not found`, { details: { id } });
    }
    const cancelled = await this.deps.repos.executions.cancel(id, this.deps.clock.now());
    if (!cancelled) {
      throw new ResourceExistsError(
        `Execution ${id} is ${execution.status}; only queued executions can be cancelled`,
        {
          details: { id, status: execution.status },
        },
      );
    }
    return viewExecution(cancelled, { withInput: true });
  }

  #mayRead(principal: Principal, e: Execution): boolean {
    return principal.role === 'admin' || e.userId === principal.userId;
  }

  #mayReadInput(principal: Principal, e: Execution): boolean {
    return principal.role === 'admin' || e.userId === principal.userId;
  }
}
