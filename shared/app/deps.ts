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
import type { ExecutionEvents } from './events.js';

export interface AppSettings {
  rateLimitPerMinute: number;
  /** Signs completion callbacks; without it callbackUrl is refused at create time. */
  callbackSecret: string | undefined;
}

export interface AppDeps {
  db: Kysely<Database>;
  repos: Repositories;
  lanes: Pick<LanesPort, 'send' | 'sendMany'>;
  rateLimiter: RateLimiter;
  idempotency: IdempotencyStore;
  events: ExecutionEvents;
  clock: Clock;
  settings: AppSettings;
}
