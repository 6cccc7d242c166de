/**
 * Enrichment of a finished deterministic result (../../docs/architecture.md, The
 * agent contract): when the execution asked for it, a provider is configured
 * and the budget allows, the agent's `enrich` adds explanation and
 * remediation under `enrichment`. Whatever happens here, the deterministic
 * result stands: an LLM failure is recorded as `llm.reason`, never as a
 * failed execution.
 */
import * as z from 'zod';
import type { AgentResult } from '../agents/contract.js';
import { loadAgent, validateAgentInput } from '../agents/registry.js';
import { PROVIDER_NAMES, type ProviderName } from '../core/domain.js';
import { AiopsError, BudgetError } from '../core/errors.js';
import { logger } from '../core/observability.js';
import type { Execution } from '../db/repositories/executions.js';
import type { LlmGateway } from '../llm/gateway.js';

/** The `llm` of an execution view and row. */
export interface LlmOutcome {
  used: boolean;
  provider?: string;
  model?: string;
  /** Why no LLM was used: not-configured, budget, unpriced, not-supported, error. */
  reason?: string;
}

const requested = z.object({
  llm: z.object({ enabled: z.boolean(), provider: z.enum(PROVIDER_NAMES).optional() }).optional(),
});

/** The `llm` option the execution was created with (kept in its metadata). */
export function llmRequestOf(execution: Pick<Execution, 'metadata'>): {
  enabled: boolean;
  provider?: ProviderName;
} {
  const parsed = requested.safeParse(execution.metadata);
  return parsed.success && parsed.data.llm ? parsed.data.llm : { enabled: false };
}

function reasonOf(error: unknown): string {
  if (error instanceof BudgetError) return 'budget';
  const details =
    error instanceof AiopsError ? (error.details as { reason?: unknown } | undefined) : undefined;
  if (details?.reason === 'unpriced' || details?.reason === 'not-configured') return details.reason;
  return 'error';
}

export async function enrichExecution(
  gateway: LlmGateway | undefined,
  execution: Pick<Execution, 'id' | 'agentName' | 'userId' | 'traceId' | 'input' | 'metadata'>,
  input: unknown,
  result: AgentResult,
  context: { now: Date; signal?: AbortSignal },
): Promise<{ result: AgentResult; llm: LlmOutcome }> {
  const options = llmRequestOf(execution);
  if (!options.enabled) return { result, llm: { used: false } };
  if (gateway === undefined || !gateway.configured) {
    return { result, llm: { used: false, reason: 'not-configured' } };
  }
  const agent = await loadAgent(execution.agentName);
  if (agent.enrich === undefined) return { result, llm: { used: false, reason: 'not-supported' } };
  let answeredBy: { provider: string; model: string } | undefined;
  try {
    const enrichment = await agent.enrich(validateAgentInput(execution.agentName, input), result, {
      traceId: execution.traceId,
      now: context.now,
      ...(context.signal ? { signal: context.signal } : {}),
      ask: async (prompt, reply) => {
        const answer = await gateway.complete({
          agent: execution.agentName,
          userId: execution.userId,
          traceId: execution.traceId,
          executionId: execution.id,
          request: {
            system: prompt.system,
            messages: [{ role: 'user', content: prompt.prompt }],
            maxTokens: prompt.maxTokens ?? gateway.settings.maxTokens,
            ...(context.signal ? { signal: context.signal } : {}),
          },
          schema: reply,
          provider: options.provider,
          knownIdentifiers: prompt.knownIdentifiers,
        });
        answeredBy = { provider: answer.reply.provider, model: answer.reply.model };
        return answer.value;
      },
    });
    return { result: { ...result, enrichment }, llm: { used: true, ...answeredBy } };
  } catch (error) {
    const reason = reasonOf(error);
    logger.warn('LLM enrichment skipped; the deterministic result stands', {
      executionId: execution.id,
      reason,
      error: error instanceof Error ? error.message : String(error),
    });
    return { result, llm: { used: false, reason } };
  }
}
