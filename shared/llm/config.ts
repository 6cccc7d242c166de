/**
 * LLM settings: the environment gives the defaults, the configurations table
 * (read on every call, so a change applies at once) overrides budgets and
 * prices at run time (../../docs/architecture.md, Configuration).
 */
import * as z from 'zod';
import type { Env } from '../core/config.js';
import { logger } from '../core/observability.js';
import { PRICING_CONFIG_KEY, Pricing, pricingOverridesSchema } from './pricing.js';

export const LLM_CONFIG_KEYS = {
  userDailyUsd: 'llm.budget.userDailyUsd',
  monthlyUsd: 'llm.budget.monthlyUsd',
  pricing: PRICING_CONFIG_KEY,
} as const;

export interface LlmLimits {
  /** Per user and UTC day; undefined: no limit. */
  userDailyUsd: number | undefined;
  /** The whole deployment per UTC month; undefined: no limit. */
  monthlyUsd: number | undefined;
}

export interface LlmSettings extends LlmLimits {
  /** 0: no cache. */
  cacheTtlSec: number;
  /** Output tokens an enrichment asks for at most. */
  maxTokens: number;
}

export function llmSettings(
  env: Pick<
    Env,
    'AIOPS_LLM_USER_DAILY_USD' | 'AIOPS_LLM_MONTHLY_USD' | 'AIOPS_LLM_CACHE_TTL_SEC' | 'AIOPS_LLM_MAX_TOKENS'
  >,
): LlmSettings {
  return {
    userDailyUsd: env.AIOPS_LLM_USER_DAILY_USD,
    monthlyUsd: env.AIOPS_LLM_MONTHLY_USD,
    cacheTtlSec: env.AIOPS_LLM_CACHE_TTL_SEC,
    maxTokens: env.AIOPS_LLM_MAX_TOKENS,
  };
}

/** Settings an environment without any LLM variable gives (tests, offline). */
export const DEFAULT_LLM_SETTINGS: LlmSettings = {
  userDailyUsd: undefined,
  monthlyUsd: undefined,
  cacheTtlSec: 3600,
  maxTokens: 1024,
};

/** A number sets a limit; null switches off one the environment sets. */
const usd = z.number().positive().max(1e9).nullable();

export interface ConfigurationReader {
  get(key: string): Promise<{ value: unknown } | undefined>;
}

async function override<T>(
  configurations: ConfigurationReader,
  key: string,
  schema: z.ZodType<T>,
  fallback: T,
): Promise<T> {
  const row = await configurations.get(key);
  if (row === undefined) return fallback;
  const parsed = schema.safeParse(row.value);
  if (parsed.success) return parsed.data;
  // A mistyped value must not stop LLM calls nor lift a limit silently: the environment's value holds.
  logger.warn('ignoring an invalid configuration value', { key, problem: parsed.error.issues[0]?.message });
  return fallback;
}

/** The limits and prices in force now. */
export async function currentLlmPolicy(
  configurations: ConfigurationReader,
  settings: LlmSettings,
): Promise<{ limits: LlmLimits; pricing: Pricing }> {
  const [userDailyUsd, monthlyUsd, overrides] = await Promise.all([
    override(configurations, LLM_CONFIG_KEYS.userDailyUsd, usd, settings.userDailyUsd ?? null),
    override(configurations, LLM_CONFIG_KEYS.monthlyUsd, usd, settings.monthlyUsd ?? null),
    override(configurations, LLM_CONFIG_KEYS.pricing, pricingOverridesSchema, {}),
  ]);
  return {
    limits: { userDailyUsd: userDailyUsd ?? undefined, monthlyUsd: monthlyUsd ?? undefined },
    pricing: new Pricing(overrides),
  };
}
