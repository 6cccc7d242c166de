import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../../shared/core/errors.js';
import { budgetCharges, ceil6, estimateInputTokens } from '../../../shared/llm/budget.js';
import { modelKey, PRICES, Pricing } from '../../../shared/llm/pricing.js';

describe('pricing', () => {
  it.each([
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['anthropic.claude-3-haiku-20240307-v1:0', 'claude-3-haiku'],
    ['claude-haiku-4-5', 'claude-haiku-4-5'],
    ['eu.amazon.nova-pro-v1:0', 'nova-pro'],
    ['meta.llama3-1-70b-instruct-v1:0', 'llama3-1-70b-instruct'],
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4.1-mini', 'gpt-4.1-mini'],
  ])('names %s by its family %s, which the table prices', (model, key) => {
    expect(modelKey(model)).toBe(key);
    expect(PRICES[key]).toBeDefined();
  });

  it('prices tokens per million, input and output apart', () => {
    // Act
    const cost = new Pricing().cost('us.anthropic.claude-sonnet-4-5-20250929-v1:0', {
      inputTokens: 1000,
      outputTokens: 500,
    });

    // Assess: $3 and $15 per million tokens
    expect(cost).toEqual({ inputUsd: 0.003, outputUsd: 0.0075, totalUsd: 0.0105 });
  });

  it('refuses an unknown model as unpriced rather than guessing', () => {
    // Act
    const act = () => new Pricing().priceOf('llama3.1:8b');

    // Assess
    expect(act).toThrow(ConfigurationError);
    try {
      act();
    } catch (error) {
      expect((error as ConfigurationError).details).toEqual({ reason: 'unpriced', model: 'llama3.1:8b' });
    }
  });

  it('takes overrides by exact id, then family, then the "*" default', () => {
    // Arrange
    const pricing = new Pricing({
      'gpt-4o-2024-08-06': { inputPerMTok: 1, outputPerMTok: 2 },
      'claude-sonnet-4-5': { inputPerMTok: 4, outputPerMTok: 5 },
      '*': { inputPerMTok: 0, outputPerMTok: 0 },
    });

    // Act & Assess
    expect(pricing.priceOf('gpt-4o-2024-08-06')).toEqual({ inputPerMTok: 1, outputPerMTok: 2 });
    expect(pricing.priceOf('gpt-4o')).toEqual(PRICES['gpt-4o']);
    expect(pricing.priceOf('claude-sonnet-4-5-20250929')).toEqual({ inputPerMTok: 4, outputPerMTok: 5 });
    expect(pricing.priceOf('llama3.1:8b')).toEqual({ inputPerMTok: 0, outputPerMTok: 0 });
  });
});

describe('budget arithmetic', () => {
  it('charges a user daily and the deployment monthly, only where limits are set', () => {
    // Arrange
    const now = new Date('2025-03-14T23:59:59Z');

    // Act & Assess
    expect(budgetCharges({ userDailyUsd: 2, monthlyUsd: 100 }, 'u1', now)).toEqual([
      { scope: 'global', periodStart: '2025-03-01', limitUsd: 100 },
      { scope: 'user:u1', periodStart: '2025-03-14', limitUsd: 2 },
    ]);
    expect(budgetCharges({ userDailyUsd: 2, monthlyUsd: undefined }, null, now)).toEqual([]);
  });

  it('estimates input tokens from above and rounds reservations up', () => {
    expect(estimateInputTokens({ system: 'abcd', messages: [{ role: 'user', content: 'efgh' }] })).toBe(
      4 + 16,
    );
    expect(ceil6(0.0000011)).toBe(0.000002);
    expect(ceil6(0.1)).toBe(0.1);
  });
});
