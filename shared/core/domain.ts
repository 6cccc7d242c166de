/** The vocabulary every layer shares: roles, execution statuses, lanes, LLM providers. */

export const ROLES = ['admin', 'user', 'readonly'] as const;
export type Role = (typeof ROLES)[number];

export const EXECUTION_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const LANES = ['default', 'agents', 'monitoring', 'maintenance', 'priority'] as const;
export type Lane = (typeof LANES)[number];

/** The LLM providers the platform can call, in the default failover order (AIOPS_LLM_PROVIDERS). */
export const PROVIDER_NAMES = ['bedrock', 'anthropic', 'openai'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * The agents whose input is log lines: the app lets them read a CloudWatch Logs source (`$cloudwatchLogs`),
 * and infra grants their functions the right to read log groups.
 */
export const LOG_AGENTS: ReadonlySet<string> = new Set(['log-analyzer']);
