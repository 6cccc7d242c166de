/**
 * The one composition of the application's dependencies (AppDeps). Each place
 * — AWS (../runtime/aws/context.ts), a container or a laptop
 * (../runtime/local/runtime.ts), a test — supplies its adapters; the
 * repositories, the settings from the environment and the workflow engine's
 * view of the finished dependencies are wired here, once.
 */
import type { Kysely } from 'kysely';
import { type Clock, systemClock } from '../core/clock.js';
import type { Env } from '../core/config.js';
import type { IdempotencyStore, RateLimiter } from '../core/hot-state.js';
import { createRepositories } from '../db/repositories/index.js';
import type { Database } from '../db/schema.js';
import type { LlmGateway } from '../llm/gateway.js';
import type { AgentExecutor } from './agent-executor.js';
import type { AppDeps, AppSettings } from './deps.js';
import type { ExecutionEvents } from './events.js';
import type { LogEventsReader } from './log-events.js';
import { maintenanceSettings } from './maintenance/settings.js';
import type { ObjectStore } from './objects.js';
import type { WorkflowEngine } from './workflows/ports.js';

/** What a place supplies: the database and one adapter per port. */
export interface PlaceAdapters {
  db: Kysely<Database>;
  lanes: AppDeps['lanes'];
  rateLimiter: RateLimiter;
  idempotency: IdempotencyStore;
  events: ExecutionEvents;
  objects: ObjectStore;
  logEvents: LogEventsReader | undefined;
  /** Built with a view of the finished dependencies: an in-process engine runs its tasks against them. */
  workflows: (deps: () => AppDeps) => WorkflowEngine;
  llm: LlmGateway;
  agents?: AgentExecutor | undefined;
  /** Default: the system clock. */
  clock?: Clock;
}

/** The application settings the environment gives (the configurations table may override some at run time). */
export function appSettings(env: Env): AppSettings {
  return {
    rateLimitPerMinute: env.AIOPS_RATE_LIMIT_PER_MINUTE,
    callbackSecret: env.AIOPS_CALLBACK_SECRET,
    ...maintenanceSettings(env),
    maxObjectBytes: env.AIOPS_MAX_OBJECT_BYTES,
    maxResultBytes: env.AIOPS_MAX_RESULT_BYTES,
  };
}

export function composeAppDeps(adapters: PlaceAdapters, settings: AppSettings): AppDeps {
  const { workflows, agents, clock, ...ports } = adapters;
  const deps: AppDeps = {
    ...ports,
    repos: createRepositories(adapters.db),
    clock: clock ?? systemClock,
    settings,
    workflows: workflows(() => deps),
    ...(agents ? { agents } : {}),
  };
  return deps;
}
