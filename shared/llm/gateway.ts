/**
 * The one path to a language model (../../docs/architecture.md, The agent
 * contract): mask → cache → reserve budget → failover router → parse and
 * validate (one repair) → settle → cost row and execution totals → unmask.
 * Nothing reaches a provider any other way, so nothing leaves unmasked,
 * unbudgeted or unrecorded.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import type { Clock } from '../core/clock.js';
import type { ProviderName } from '../core/domain.js';
import { ConfigurationError, LlmResponseError } from '../core/errors.js';
import { logger, metrics } from '../core/observability.js';
import { ceil6, estimateInputTokens, LlmBudget } from './budget.js';
import { cacheKey, LlmCache } from './cache.js';
import { currentLlmPolicy, DEFAULT_LLM_SETTINGS, type LlmSettings } from './config.js';
import { Masker } from './masking.js';
import type { LlmStores } from './ports.js';
import type { Pricing } from './pricing.js';
import type {
  LlmMessage,
  LlmProvider,
  LlmReply,
  LlmRequest,
  LlmRouter,
  ProviderHealth,
  ProviderHealthStore,
} from './types.js';

export interface LlmCall<T> {
  agent: string;
  userId: string | null;
  traceId: string;
  /** The execution whose totals the cost is added to. */
  executionId?: string | undefined;
  request: LlmRequest;
  schema: z.ZodType<T>;
  /** Tried first when configured. */
  provider?: ProviderName | undefined;
  /** Resource names the caller knows (pods, namespaces, services): masked like any identifier. */
  knownIdentifiers?: readonly string[] | undefined;
}

export interface LlmResult<T> {
  value: T;
  /** The last reply (unmasked text); provider and model tell who answered. */
  reply: LlmReply;
  cached: boolean;
  /** What the call cost in all (0 from the cache). */
  costUsd: number;
  tokens: number;
}

export interface LlmGatewayOptions {
  stores: LlmStores;
  clock: Clock;
  settings?: LlmSettings;
  /** In failover order; empty: offline. */
  providers?: readonly Pick<LlmProvider, 'name' | 'model'>[];
  router?: LlmRouter | undefined;
  health?: ProviderHealthStore | undefined;
}

export interface ProviderStatus {
  provider: ProviderName;
  model: string;
  health: ProviderHealth | undefined;
}

const REPAIR_INSTRUCTION =
  'Your previous reply was not valid. Reply again with only one JSON value that matches the requested schema, no prose and no code fences. Problems:';

/** Parses a reply as JSON (a ```json fence is tolerated) and validates it. */
export function parseReply<T>(
  text: string,
  schema: z.ZodType<T>,
): { ok: true; value: T } | { ok: false; problems: string[] } {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(trimmed);
  let json: unknown;
  try {
    json = JSON.parse(fenced?.[1] ?? trimmed);
  } catch (error) {
    return { ok: false, problems: [`not JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues
      .slice(0, 20)
      .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`),
  };
}

export class LlmGateway {
  readonly #settings: LlmSettings;
  readonly #providers: readonly Pick<LlmProvider, 'name' | 'model'>[];
  readonly #router: LlmRouter | undefined;
  readonly #health: ProviderHealthStore | undefined;
  readonly #clock: Clock;
  readonly #stores: LlmStores;
  readonly #budget: LlmBudget;
  readonly #cache: LlmCache;

  constructor(options: LlmGatewayOptions) {
    this.#settings = options.settings ?? DEFAULT_LLM_SETTINGS;
    this.#providers = options.providers ?? [];
    this.#router = options.router;
    this.#health = options.health;
    this.#clock = options.clock;
    this.#stores = options.stores;
    this.#budget = new LlmBudget(options.stores.budgets);
    this.#cache = new LlmCache(options.stores.cache, this.#settings.cacheTtlSec);
  }

  /** Whether any provider is configured: without one, the platform runs offline. */
  get configured(): boolean {
    return this.#router !== undefined && this.#providers.length > 0;
  }

  get settings(): LlmSettings {
    return this.#settings;
  }

  /** The configured providers in failover order, with their shared health. */
  async providers(): Promise<ProviderStatus[]> {
    const health = this.#health;
    return Promise.all(
      this.#providers.map(async (p) => ({
        provider: p.name,
        model: p.model,
        health: health === undefined ? undefined : await health.get(p.name),
      })),
    );
  }

  /**
   * Asks for a reply matching `schema`. Throws ConfigurationError (reason
   * `not-configured` or `unpriced`), BudgetError, the router's typed LLM
   * errors, or LlmResponseError when the reply is still invalid after one repair.
   */
  async complete<T>(call: LlmCall<T>): Promise<LlmResult<T>> {
    const router = this.#router;
    if (router === undefined || !this.configured) {
      throw new ConfigurationError('No LLM provider is configured (AIOPS_LLM_PROVIDERS)', {
        details: { reason: 'not-configured' },
      });
    }
    const masker = new Masker(call.knownIdentifiers);
    const request: LlmRequest = {
      ...call.request,
      system: masker.mask(call.request.system),
      messages: call.request.messages.map((m) => ({ role: m.role, content: masker.mask(m.content) })),
      jsonSchema: call.request.jsonSchema ?? (z.toJSONSchema(call.schema) as Record<string, unknown>),
    };
    const { limits, pricing } = await currentLlmPolicy(this.#stores.configurations, this.#settings);
    const candidates = this.#candidates(call.provider);
    // Every provider the router may fail over to must be priced before anything is sent.
    for (const p of candidates) pricing.priceOf(p.model);

    const first = candidates[0] as Pick<LlmProvider, 'name' | 'model'>;
    const key = cacheKey(first.name, first.model, request);
    const hit = await this.#cache.get(key, this.#clock.now());
    if (hit !== undefined) {
      const parsed = parseReply(hit.text, call.schema);
      if (parsed.ok) {
        metrics.addMetric('LlmCacheHits', MetricUnit.Count, 1);
        return {
          value: masker.unmask(parsed.value),
          reply: {
            text: masker.unmask(hit.text),
            usage: { inputTokens: hit.inputTokens, outputTokens: hit.outputTokens },
            provider: hit.provider as ProviderName,
            model: hit.model,
            latencyMs: 0,
          },
          cached: true,
          costUsd: 0,
          tokens: 0,
        };
      }
    }

    let spent = { usd: 0, tokens: 0 };
    const send = async (req: LlmRequest) => {
      const sent = await this.#send(router, call, req, candidates, pricing, limits);
      spent = { usd: spent.usd + sent.usd, tokens: spent.tokens + sent.tokens };
      return sent.reply;
    };
    let reply = await send(request);
    let parsed = parseReply(reply.text, call.schema);
    if (!parsed.ok) {
      logger.warn('LLM reply invalid, asking once to repair it', {
        agent: call.agent,
        provider: reply.provider,
        problems: parsed.problems,
      });
      const messages: LlmMessage[] = [
        ...request.messages,
        { role: 'assistant', content: reply.text },
        { role: 'user', content: `${REPAIR_INSTRUCTION}\n- ${parsed.problems.join('\n- ')}` },
      ];
      reply = await send({ ...request, messages });
      parsed = parseReply(reply.text, call.schema);
      if (!parsed.ok) {
        throw new LlmResponseError('The LLM reply did not match the expected schema, even after a repair', {
          details: { provider: reply.provider, model: reply.model, problems: parsed.problems },
        });
      }
    }
    // Keyed by the provider that answered and the model configured for it (replies may name a dated version).
    const answered = candidates.find((p) => p.name === reply.provider) ?? first;
    await this.#cache.put(
      cacheKey(answered.name, answered.model, request),
      {
        provider: reply.provider,
        model: reply.model,
        text: reply.text,
        inputTokens: reply.usage.inputTokens,
        outputTokens: reply.usage.outputTokens,
      },
      this.#clock.now(),
    );
    return {
      value: masker.unmask(parsed.value),
      reply: { ...reply, text: masker.unmask(reply.text) },
      cached: false,
      costUsd: spent.usd,
      tokens: spent.tokens,
    };
  }

  /** The preferred provider first when it is configured, then the configured order. */
  #candidates(preferred: ProviderName | undefined): Pick<LlmProvider, 'name' | 'model'>[] {
    const chosen = this.#providers.find((p) => p.name === preferred);
    return chosen === undefined
      ? [...this.#providers]
      : [chosen, ...this.#providers.filter((p) => p !== chosen)];
  }

  /** One paid request: reserve the worst case, send, settle to the actual cost, record it. */
  async #send(
    router: LlmRouter,
    call: LlmCall<unknown>,
    request: LlmRequest,
    candidates: readonly Pick<LlmProvider, 'name' | 'model'>[],
    pricing: Pricing,
    limits: Awaited<ReturnType<typeof currentLlmPolicy>>['limits'],
  ): Promise<{ reply: LlmReply; usd: number; tokens: number }> {
    const inputTokens = estimateInputTokens(request);
    const worstCase = ceil6(
      Math.max(
        ...candidates.map(
          (p) => pricing.cost(p.model, { inputTokens, outputTokens: request.maxTokens }).totalUsd,
        ),
      ),
    );
    let reservation: Awaited<ReturnType<LlmBudget['reserve']>>;
    try {
      reservation = await this.#budget.reserve(limits, call.userId, worstCase, this.#clock.now());
    } catch (error) {
      metrics.addMetric('LlmBudgetRefusals', MetricUnit.Count, 1);
      throw error;
    }
    let reply: LlmReply;
    try {
      reply = await router.complete(
        request,
        call.provider === undefined ? undefined : { preferred: call.provider },
      );
    } catch (error) {
      await reservation.release(this.#clock.now());
      throw error;
    }
    let cost: { inputUsd: number; outputUsd: number; totalUsd: number };
    try {
      cost = pricing.cost(reply.model, reply.usage);
    } catch {
      // The provider answered with a model id the table does not know: charge what was reserved.
      const configured = candidates.find((p) => p.name === reply.provider) ?? candidates[0];
      cost = pricing.cost(configured?.model ?? reply.model, reply.usage);
    }
    await reservation.settle(cost.totalUsd, this.#clock.now());
    const tokens = reply.usage.inputTokens + reply.usage.outputTokens;
    await this.#stores.costs.record({
      traceId: call.traceId,
      userId: call.userId,
      executionId: call.executionId ?? null,
      agentName: call.agent,
      operation: 'llm.complete',
      provider: reply.provider,
      model: reply.model,
      promptTokens: reply.usage.inputTokens,
      completionTokens: reply.usage.outputTokens,
      totalTokens: tokens,
      promptCostUsd: cost.inputUsd,
      completionCostUsd: cost.outputUsd,
      totalCostUsd: cost.totalUsd,
      metadata: { latencyMs: reply.latencyMs, reservedUsd: reservation.usd },
      occurredAt: this.#clock.now(),
    });
    if (call.executionId !== undefined) {
      await this.#stores.executions.addUsage(call.executionId, {
        promptTokens: reply.usage.inputTokens,
        completionTokens: reply.usage.outputTokens,
        costUsd: cost.totalUsd,
      });
    }
    metrics.addMetric('LlmInputTokens', MetricUnit.Count, reply.usage.inputTokens);
    metrics.addMetric('LlmOutputTokens', MetricUnit.Count, reply.usage.outputTokens);
    metrics.addMetric('LlmCostUsd', MetricUnit.NoUnit, cost.totalUsd);
    return { reply, usd: cost.totalUsd, tokens };
  }
}
