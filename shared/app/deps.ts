/**
 * What the application services need from the place they run in. The runtime
 * (AWS, Kubernetes, local) builds one of these; services never construct
 * adapters themselves.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { IdempotencyStore, RateLimiter } from '../core/hot-state.js';
import type { Repositories } from '../db/repositories/index.js';
import type { Database } from '../db/schema.js';
import type { LanesPort } from '../lanes/port.js';
import type { LlmGateway } from '../llm/gateway.js';
import type { AgentExecutor } from './agent-executor.js';
import type { ExecutionEvents } from './events.js';
import type { LogEventsReader } from './log-events.js';
import type { ObjectStore } from './objects.js';
import type { WorkflowEngine } from './workflows/ports.js';

export interface AppSettings {
  rateLimitPerMinute: number;
  /** Signs completion callbacks; without it callbackUrl is refused at create time. */
  callbackSecret: string | undefined;
  /** How long finished work is kept (the configurations table may override at run time). */
  retention: { days: number; auditDays: number };
  /** LLM spend that raises a budget alert; undefined: no budget for that period. */
  budgets: { dailyUsd: number | undefined; monthlyUsd: number | undefined };
  /** The most an execution reads from an object or a log source (AIOPS_MAX_OBJECT_BYTES). */
  maxObjectBytes: number;
  /** The largest result stored, as JSON (AIOPS_MAX_RESULT_BYTES); findings past it are left out. */
  maxResultBytes?: number;
}

export interface AppDeps {
  db: Kysely<Database>;
  repos: Repositories;
  lanes: Pick<LanesPort, 'send' | 'sendMany' | 'depth' | 'liveJobIds' | 'sendInTransaction'>;
  rateLimiter: RateLimiter;
  idempotency: IdempotencyStore;
  events: ExecutionEvents;
  clock: Clock;
  settings: AppSettings;
  /** Inputs too large for a message (S3 on AWS, a directory locally). */
  objects: ObjectStore;
  /** CloudWatch Logs as a log source; undefined outside AWS. */
  logEvents: LogEventsReader | undefined;
  /** Runs workflow state machines: Step Functions on AWS, aws-local-stepfunctions on a lane job elsewhere. */
  workflows: WorkflowEngine;
  /** The one path to a language model (masking, budgets, cache, costs); without providers it runs offline. */
  llm: LlmGateway;
  /** Where agent code runs: a worker-thread pool in `aiops serve` / `aiops worker`; in process when absent. */
  agents?: AgentExecutor;
}
