/**
 * What a model costs, in US dollars per million input and output tokens.
 *
 * Prices as published on 2025-11-25 by the providers' price pages:
 * https://aws.amazon.com/bedrock/pricing/ (on-demand, us-east-1),
 * https://www.anthropic.com/pricing#api and https://openai.com/api/pricing/
 * (standard tier, no batch or cache discounts). Prices change: admins override
 * or add models at run time in the configurations table under `llm.pricing`
 * (`{ "<model id>": { "inputPerMTok": 3, "outputPerMTok": 15 } }`).
 *
 * An unknown model is never guessed: it is "unpriced" and the call is refused
 * before it is sent, unless `llm.pricing` holds a `"*"` entry — the default an
 * admin chose (e.g. `{ "*": { "inputPerMTok": 0, "outputPerMTok": 0 } }` for a
 * self-hosted vLLM or Ollama model that costs nothing per token).
 */
import * as z from 'zod';
import { ConfigurationError } from '../core/errors.js';

export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

/** Keyed by the model's family name: provider prefixes, regions, dates and versions removed (see `modelKey`). */
export const PRICES: Readonly<Record<string, ModelPrice>> = {
  // Anthropic Claude — the Anthropic API and Bedrock charge the same on-demand price.
  'claude-opus-4-5': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-opus-4-1': { inputPerMTok: 15, outputPerMTok: 75 },
  'claude-opus-4': { inputPerMTok: 15, outputPerMTok: 75 },
  'claude-sonnet-4-5': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-sonnet-4': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-3-7-sonnet': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-3-5-sonnet': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-haiku-4-5': { inputPerMTok: 1, outputPerMTok: 5 },
  'claude-3-5-haiku': { inputPerMTok: 0.8, outputPerMTok: 4 },
  'claude-3-haiku': { inputPerMTok: 0.25, outputPerMTok: 1.25 },
  // Amazon Nova on Bedrock.
  'nova-premier': { inputPerMTok: 2.5, outputPerMTok: 12.5 },
  'nova-pro': { inputPerMTok: 0.8, outputPerMTok: 3.2 },
  'nova-lite': { inputPerMTok: 0.06, outputPerMTok: 0.24 },
  'nova-micro': { inputPerMTok: 0.035, outputPerMTok: 0.14 },
  // Meta Llama on Bedrock.
  'llama4-maverick-17b-instruct': { inputPerMTok: 0.24, outputPerMTok: 0.97 },
  'llama4-scout-17b-instruct': { inputPerMTok: 0.17, outputPerMTok: 0.66 },
  'llama3-3-70b-instruct': { inputPerMTok: 0.72, outputPerMTok: 0.72 },
  'llama3-2-90b-instruct': { inputPerMTok: 0.72, outputPerMTok: 0.72 },
  'llama3-2-11b-instruct': { inputPerMTok: 0.16, outputPerMTok: 0.16 },
  'llama3-2-3b-instruct': { inputPerMTok: 0.15, outputPerMTok: 0.15 },
  'llama3-2-1b-instruct': { inputPerMTok: 0.1, outputPerMTok: 0.1 },
  'llama3-1-405b-instruct': { inputPerMTok: 2.4, outputPerMTok: 2.4 },
  'llama3-1-70b-instruct': { inputPerMTok: 0.72, outputPerMTok: 0.72 },
  'llama3-1-8b-instruct': { inputPerMTok: 0.22, outputPerMTok: 0.22 },
  // OpenAI.
  'gpt-5': { inputPerMTok: 1.25, outputPerMTok: 10 },
  'gpt-5-mini': { inputPerMTok: 0.25, outputPerMTok: 2 },
  'gpt-5-nano': { inputPerMTok: 0.05, outputPerMTok: 0.4 },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  'gpt-4.1-nano': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  o3: { inputPerMTok: 2, outputPerMTok: 8 },
  'o4-mini': { inputPerMTok: 1.1, outputPerMTok: 4.4 },
};

/** The configurations key holding admins' overrides. */
export const PRICING_CONFIG_KEY = 'llm.pricing';

const price = z.strictObject({
  inputPerMTok: z.number().min(0).max(10_000),
  outputPerMTok: z.number().min(0).max(10_000),
});
export const pricingOverridesSchema = z.record(z.string().min(1).max(200), price);
export type PricingOverrides = z.infer<typeof pricingOverridesSchema>;

/**
 * The family name of a model id: Bedrock's cross-region prefix (`us.`, `eu.`,
 * `apac.`, `global.`) and vendor (`anthropic.`, `amazon.`, `meta.`), a
 * version (`-v1:0`, `:0`), a date (`-20250929`, `-2024-08-06`) and `-latest`
 * are dropped: `us.anthropic.claude-sonnet-4-5-20250929-v1:0` → `claude-sonnet-4-5`.
 */
export function modelKey(model: string): string {
  return model
    .trim()
    .toLowerCase()
    .replace(/^(?:us|eu|apac|global|us-gov|jp|au|ca)\./, '')
    .replace(/^(?:anthropic|amazon|meta)\./, '')
    .replace(/(?::\d+)+$/, '')
    .replace(/-v\d+(?::\d+)?$/, '')
    .replace(/-latest$/, '')
    .replace(/-(?:\d{8}|\d{4}-\d{2}-\d{2})$/, '');
}

/** Throws ConfigurationError (details.reason `unpriced`) for a model neither table nor overrides know. */
export class Pricing {
  constructor(private readonly overrides: PricingOverrides = {}) {}

  /** The price of `model`: an override by exact id, then by family, then the built-in table, then `"*"`. */
  priceOf(model: string): ModelPrice {
    const key = modelKey(model);
    const found = this.overrides[model] ?? this.overrides[key] ?? PRICES[key] ?? this.overrides['*'];
    if (found === undefined) {
      throw new ConfigurationError(
        `No price is known for the LLM model "${model}"; add it to the configurations key ${PRICING_CONFIG_KEY}`,
        { details: { reason: 'unpriced', model } },
      );
    }
    return found;
  }

  /** US dollars for the tokens, rounded to the 6 decimals cost_tracking keeps. */
  cost(
    model: string,
    usage: { inputTokens: number; outputTokens: number },
  ): {
    inputUsd: number;
    outputUsd: number;
    totalUsd: number;
  } {
    const p = this.priceOf(model);
    const inputUsd = round6((usage.inputTokens * p.inputPerMTok) / 1e6);
    const outputUsd = round6((usage.outputTokens * p.outputPerMTok) / 1e6);
    return { inputUsd, outputUsd, totalUsd: round6(inputUsd + outputUsd) };
  }
}

export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
