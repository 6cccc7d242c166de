/**
 * Kysely types of the database. Columns are snake_case in SQL and camelCase
 * here (CamelCasePlugin); jsonb contents keep their own keys.
 *
 * Value conventions shared by the three dialects (PGlite, pg, Data API):
 * timestamptz → Date (millisecond precision: columns are timestamptz(3), which
 * also keeps keyset cursors exact), jsonb → parsed value, int8 → number,
 * numeric → string (converted to number by the repositories).
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ExecutionStatus, Lane, ProviderName, Role } from '../core/domain.js';
import type { Json, JsonObject } from '../core/json.js';

/** A timestamp the database fills in (default now()) but a caller may set. */
type CreatedAt = ColumnType<Date, Date | undefined, Date>;
/** numeric: read as a string, written as a number or string. */
type Numeric = ColumnType<string, number | string | undefined, number | string>;
type JsonColumn<T extends Json = JsonObject> = ColumnType<T, T | undefined, T>;

export interface UsersTable {
  id: Generated<string>;
  username: string;
  email: string;
  /** Null for accounts that only authenticate with API keys. */
  passwordHash: string | null;
  role: Role;
  isActive: Generated<boolean>;
  createdAt: CreatedAt;
  updatedAt: CreatedAt;
  lastLoginAt: Date | null;
}

export interface ApiKeysTable {
  id: Generated<string>;
  userId: string;
  /** SHA-256 of the key; the key itself is shown once and never stored. */
  keyHash: string;
  /** The first characters of the key, to recognise it in lists. */
  keyPrefix: string;
  name: string;
  /** Narrower role than the owner's, or null to act with the owner's role. */
  role: Role | null;
  isActive: Generated<boolean>;
  createdAt: CreatedAt;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

export interface AgentExecutionsTable {
  id: Generated<string>;
  traceId: string;
  userId: string | null;
  agentName: string;
  operation: string | null;
  lane: Lane;
  status: ColumnType<ExecutionStatus, ExecutionStatus | undefined, ExecutionStatus>;
  input: JsonColumn<Json>;
  /** Object-store reference when the input is too large to keep in a row. */
  inputRef: string | null;
  output: JsonColumn<Json>;
  outputRef: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  errorDetail: string | null;
  findingCounts: JsonColumn;
  callbackUrl: string | null;
  attempts: Generated<number>;
  leaseExpiresAt: Date | null;
  /** When the completion event and the callback job were handed on; null while that is still owed. */
  notifiedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  createdAt: CreatedAt;
  startedAt: Date | null;
  completedAt: Date | null;
  durationMs: number | null;
  llmUsed: Generated<boolean>;
  llmProvider: string | null;
  llmModel: string | null;
  llmReason: string | null;
  promptTokens: Generated<number>;
  completionTokens: Generated<number>;
  totalTokens: Generated<number>;
  costUsd: Numeric;
  metadata: JsonColumn;
}

export interface AuditLogsTable {
  id: Generated<string>;
  occurredAt: CreatedAt;
  traceId: string | null;
  userId: string | null;
  eventType: string;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  ipAddress: string | null;
  userAgent: string | null;
  endpoint: string | null;
  method: string | null;
  statusCode: number | null;
  details: JsonColumn;
}

export interface CostTrackingTable {
  id: Generated<string>;
  occurredAt: CreatedAt;
  traceId: string | null;
  userId: string | null;
  executionId: string | null;
  agentName: string | null;
  operation: string | null;
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  promptCostUsd: Numeric;
  completionCostUsd: Numeric;
  totalCostUsd: Numeric;
  metadata: JsonColumn;
}

export interface SystemMetricsTable {
  id: Generated<string>;
  recordedAt: CreatedAt;
  metricName: string;
  metricValue: number;
  metricUnit: string | null;
  tags: JsonColumn<{ [key: string]: string }>;
}

export interface ConfigurationsTable {
  key: string;
  value: JsonColumn<Json>;
  description: string | null;
  isSecret: Generated<boolean>;
  createdAt: CreatedAt;
  updatedAt: CreatedAt;
  updatedBy: string | null;
}

/** Keyed by the caller-scoped Idempotency-Key; a row past `expiresAt` counts as absent. */
export interface IdempotencyRecordsTable {
  key: string;
  /** Hash of method, path and body: the same key with another request is a mismatch. */
  fingerprint: string;
  state: 'in-flight' | 'completed';
  /** The stored response ({ status, body, headers? }) once completed. */
  response: JsonColumn<Json>;
  createdAt: CreatedAt;
  expiresAt: Date;
}

/** One fixed window of one rate-limit key. */
export interface RateLimitBucketsTable {
  key: string;
  windowStart: Date;
  count: number;
  expiresAt: Date;
}

/**
 * One UTC day of LLM cost per user, agent, provider and model, recomputed from
 * cost_tracking. `day` is a SQL date: bind it with `cast(... as date)` and read
 * it with `to_char(day, 'YYYY-MM-DD')` (the drivers disagree on date values).
 */
export interface CostDailyRollupsTable {
  day: string;
  userId: string | null;
  agentName: string | null;
  provider: string;
  model: string;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costUsd: Numeric;
  computedAt: CreatedAt;
}

/** A budget alert raised for one period (a UTC day or month), so it is raised once. */
export interface BudgetAlertsTable {
  period: 'day' | 'month';
  /** The period's first day, a SQL date (see CostDailyRollupsTable.day). */
  periodStart: string;
  thresholdUsd: Numeric;
  totalUsd: Numeric;
  alertedAt: CreatedAt;
}

export const WORKFLOW_RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type WorkflowRunStatus = (typeof WORKFLOW_RUN_STATUSES)[number];
export type WorkflowStepStatus = 'running' | 'succeeded' | 'failed';

/** One run of a workflow (shared/workflows), whichever engine ran it. */
export interface WorkflowRunsTable {
  id: Generated<string>;
  workflowName: string;
  status: ColumnType<WorkflowRunStatus, WorkflowRunStatus | undefined, WorkflowRunStatus>;
  userId: string | null;
  traceId: string;
  /** The request body: the steps and their inputs stay here, never in the engine's state. */
  input: JsonColumn<Json>;
  output: JsonColumn<Json>;
  errorCode: string | null;
  errorMessage: string | null;
  errorStep: string | null;
  /** A Step Functions execution ARN, or the lane job that runs it locally. */
  engineRef: string | null;
  createdAt: CreatedAt;
  startedAt: Date | null;
  completedAt: Date | null;
}

/** One step of a run: an agent execution (by id), or a task of its own (correlation, aggregation). */
export interface WorkflowRunStepsTable {
  runId: string;
  name: string;
  position: number;
  agent: string | null;
  executionId: string | null;
  status: WorkflowStepStatus;
  attempts: ColumnType<number, number | undefined, number>;
  summary: string | null;
  findingCounts: JsonColumn;
  /** A non-agent step's result, kept small. */
  result: JsonColumn<Json>;
  errorCode: string | null;
  errorMessage: string | null;
  startedAt: CreatedAt;
  completedAt: Date | null;
}

/** Health of one LLM provider, shared by every process (shared/llm/provider-health.ts). */
export interface LlmProviderHealthTable {
  provider: ProviderName;
  consecutiveFailures: ColumnType<number, number | undefined, number>;
  rateLimitedUntil: Date | null;
  lastError: string | null;
  updatedAt: CreatedAt;
}

/**
 * LLM spend reserved or spent per scope ('global' per UTC month, 'user:<id>'
 * per UTC day) and period; `periodStart` is a SQL date (see CostDailyRollupsTable.day).
 */
export interface LlmBudgetUsageTable {
  scope: string;
  periodStart: string;
  committedUsd: Numeric;
  updatedAt: CreatedAt;
}

/** A cached LLM reply, keyed by a hash of provider, model, masked prompt and reply schema. */
export interface LlmCacheTable {
  key: string;
  provider: string;
  model: string;
  replyText: string;
  inputTokens: number;
  outputTokens: number;
  createdAt: CreatedAt;
  expiresAt: Date;
}

export interface Database {
  users: UsersTable;
  apiKeys: ApiKeysTable;
  agentExecutions: AgentExecutionsTable;
  auditLogs: AuditLogsTable;
  costTracking: CostTrackingTable;
  systemMetrics: SystemMetricsTable;
  configurations: ConfigurationsTable;
  idempotencyRecords: IdempotencyRecordsTable;
  rateLimitBuckets: RateLimitBucketsTable;
  workflowRuns: WorkflowRunsTable;
  workflowRunSteps: WorkflowRunStepsTable;
  costDailyRollups: CostDailyRollupsTable;
  budgetAlerts: BudgetAlertsTable;
  llmProviderHealth: LlmProviderHealthTable;
  llmBudgetUsage: LlmBudgetUsageTable;
  llmCache: LlmCacheTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type NewApiKey = Insertable<ApiKeysTable>;
export type ExecutionRow = Selectable<AgentExecutionsTable>;
export type NewExecution = Insertable<AgentExecutionsTable>;
export type AuditLogRow = Selectable<AuditLogsTable>;
export type NewAuditLog = Insertable<AuditLogsTable>;
export type CostRow = Selectable<CostTrackingTable>;
export type NewCost = Insertable<CostTrackingTable>;
export type MetricRow = Selectable<SystemMetricsTable>;
export type NewMetric = Insertable<SystemMetricsTable>;
export type ConfigurationRow = Selectable<ConfigurationsTable>;
export type WorkflowRunRow = Selectable<WorkflowRunsTable>;
export type WorkflowRunStepRow = Selectable<WorkflowRunStepsTable>;
export type LlmProviderHealthRow = Selectable<LlmProviderHealthTable>;
