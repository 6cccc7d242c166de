/** The vocabulary every layer shares: roles, execution statuses, lanes. */

export const ROLES = ['admin', 'user', 'readonly'] as const;
export type Role = (typeof ROLES)[number];

export const EXECUTION_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const LANES = ['default', 'agents', 'monitoring', 'maintenance', 'priority'] as const;
export type Lane = (typeof LANES)[number];
