/**
 * Provider health: the facts every process records (consecutive failures, the
 * last failure, a rate limit's end) and the state derived from them at a given
 * instant. The fact stores (PostgreSQL: ../db/repositories/llm-provider-health.ts,
 * DynamoDB: ../runtime/aws/dynamodb-provider-health.ts) implement the
 * HealthFacts port and keep only facts, updated atomically, so concurrent
 * processes never lose a failure; ProviderHealthTracker derives the state, so a
 * state that depends on time (a cool-down, a Retry-After) cannot go stale.
 */
import { type Clock, systemClock } from '../core/clock.js';
import { PROVIDER_NAMES, type ProviderName } from '../core/domain.js';
import type { ProviderHealth, ProviderHealthStore, ProviderState } from './types.js';

export interface HealthPolicy {
  /** Consecutive failures after which a provider is unavailable for the cool-down. Default 3. */
  maxConsecutiveFailures: number;
  /** How long an unavailable provider is skipped after its last failure. Default 5 min. */
  cooldownMs: number;
}

export const DEFAULT_HEALTH_POLICY: Readonly<HealthPolicy> = {
  maxConsecutiveFailures: 3,
  cooldownMs: 5 * 60_000,
};

/** What a store keeps per provider. */
export interface HealthRecord {
  provider: ProviderName;
  consecutiveFailures: number;
  rateLimitedUntil: Date | null;
  lastError: string | null;
  /** The last success or failure: while failures are counted, the time of the last one. */
  updatedAt: Date;
}

/** Longest error message kept: enough to diagnose, short enough for a table cell. */
export const MAX_ERROR_LENGTH = 500;

export function truncateError(message: string): string {
  return message.length <= MAX_ERROR_LENGTH ? message : `${message.slice(0, MAX_ERROR_LENGTH - 1)}…`;
}

/** Rejects a policy that would never or always skip a provider. */
export function healthPolicy(overrides: Partial<HealthPolicy> = {}): HealthPolicy {
  const policy = { ...DEFAULT_HEALTH_POLICY, ...overrides };
  if (!Number.isInteger(policy.maxConsecutiveFailures) || policy.maxConsecutiveFailures < 1) {
    throw new RangeError(
      `maxConsecutiveFailures must be a whole number ≥ 1, got ${policy.maxConsecutiveFailures}`,
    );
  }
  if (!Number.isFinite(policy.cooldownMs) || policy.cooldownMs < 0) {
    throw new RangeError(`cooldownMs must be ≥ 0, got ${policy.cooldownMs}`);
  }
  return policy;
}

/** A provider nobody has recorded anything about. */
export function unknownHealth(provider: ProviderName, now: Date): HealthRecord {
  return {
    provider,
    consecutiveFailures: 0,
    rateLimitedUntil: null,
    lastError: null,
    updatedAt: now,
  };
}

/**
 * The state at `now`: rate-limited until the Retry-After has passed;
 * unavailable for `cooldownMs` after the N-th consecutive failure (one more
 * failure after the cool-down makes it unavailable again, a success heals it);
 * degraded after any failure; healthy otherwise.
 */
export function deriveHealth(record: HealthRecord, now: Date, policy: HealthPolicy): ProviderHealth {
  const base = {
    provider: record.provider,
    consecutiveFailures: record.consecutiveFailures,
    updatedAt: record.updatedAt.toISOString(),
    ...(record.lastError === null ? {} : { lastError: record.lastError }),
  };
  const at = now.getTime();
  if (record.rateLimitedUntil !== null && record.rateLimitedUntil.getTime() > at) {
    return { ...base, state: 'rate-limited', until: record.rateLimitedUntil.toISOString() };
  }
  if (record.consecutiveFailures >= policy.maxConsecutiveFailures) {
    const until = record.updatedAt.getTime() + policy.cooldownMs;
    if (until > at) return { ...base, state: 'unavailable', until: new Date(until).toISOString() };
  }
  const state: ProviderState = record.consecutiveFailures > 0 ? 'degraded' : 'healthy';
  return { ...base, state };
}

/** The facts behind a reported health, so a router can judge them at its own instant by its own policy. */
export function recordOf(health: ProviderHealth): HealthRecord {
  return {
    provider: health.provider,
    consecutiveFailures: health.consecutiveFailures,
    rateLimitedUntil:
      health.state === 'rate-limited' && health.until !== undefined ? new Date(health.until) : null,
    lastError: health.lastError ?? null,
    updatedAt: new Date(health.updatedAt),
  };
}

/** Whether a router skips the provider in this state. */
export function isSkipped(health: ProviderHealth): boolean {
  return health.state === 'unavailable' || health.state === 'rate-limited';
}

/** The port of a fact store: one provider's facts, each record one atomic update. */
export interface HealthFacts {
  /** What was recorded about the provider; undefined when nothing ever was. */
  read(provider: ProviderName): Promise<HealthRecord | undefined>;
  /** Heals the provider: no failures, no rate limit; the last error stays, a later failure is not overwritten. */
  recordSuccess(provider: ProviderName, now: Date): Promise<void>;
  /** Counts one more failure; a rate limit keeps the later of the two ends. */
  recordFailure(
    provider: ProviderName,
    failure: { rateLimitedUntil: Date | null; lastError: string },
    now: Date,
  ): Promise<void>;
}

export interface ProviderHealthOptions {
  policy?: HealthPolicy;
  /** The instant states are derived at (cool-downs, Retry-After). */
  clock?: Clock;
}

/** The health every router and the admin API read: facts from a store, judged by a policy at the clock's instant. */
export class ProviderHealthTracker implements ProviderHealthStore {
  readonly #facts: HealthFacts;
  readonly #policy: HealthPolicy;
  readonly #clock: Clock;

  constructor(facts: HealthFacts, options: ProviderHealthOptions = {}) {
    this.#facts = facts;
    this.#policy = options.policy ?? DEFAULT_HEALTH_POLICY;
    this.#clock = options.clock ?? systemClock;
  }

  async get(provider: ProviderName): Promise<ProviderHealth> {
    return this.#derive(provider, this.#clock.now());
  }

  /** Every provider, in the order of PROVIDER_NAMES; one never recorded is healthy. */
  async list(): Promise<ProviderHealth[]> {
    const now = this.#clock.now();
    return Promise.all(PROVIDER_NAMES.map((provider) => this.#derive(provider, now)));
  }

  async recordSuccess(provider: ProviderName, now: Date): Promise<void> {
    await this.#facts.recordSuccess(provider, now);
  }

  async recordFailure(
    provider: ProviderName,
    failure: { rateLimitedUntil?: Date; message: string },
    now: Date,
  ): Promise<void> {
    await this.#facts.recordFailure(
      provider,
      { rateLimitedUntil: failure.rateLimitedUntil ?? null, lastError: truncateError(failure.message) },
      now,
    );
  }

  async #derive(provider: ProviderName, now: Date): Promise<ProviderHealth> {
    const record = await this.#facts.read(provider);
    return deriveHealth(record ?? unknownHealth(provider, now), now, this.#policy);
  }
}
