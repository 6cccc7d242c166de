/**
 * The typed error hierarchy. Every error the project throws across a boundary is
 * one of these: its `code` and `status` are the contract (../../docs/architecture.md, Errors),
 * `retryable` tells the retry helper and the lanes whether another attempt can
 * succeed, and `details` carries structured context that is safe to log.
 *
 * Class names are set explicitly (not from `constructor.name`) because bundles
 * are minified.
 */

export interface FieldError {
  /** Dotted path of the offending field (`input.baseline.port`), empty for the whole value. */
  path: string;
  message: string;
}

export interface AiopsErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
  /** Overrides the class default (e.g. a provider's 5xx is retryable, its 4xx is not). */
  retryable?: boolean;
  /** Seconds the caller should wait before trying again (Retry-After). */
  retryAfterSeconds?: number;
}

export class AiopsError extends Error {
  override readonly name: string = 'AiopsError';
  readonly code: string = 'AIOPS_ERROR';
  readonly status: number = 500;
  readonly title: string = 'Internal error';
  readonly details: Readonly<Record<string, unknown>>;
  readonly retryAfterSeconds: number | undefined;
  readonly #retryable: boolean | undefined;

  constructor(message: string, options: AiopsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.#retryable = options.retryable;
  }

  /** Whether another attempt may succeed; subclasses set the default, options override it. */
  get retryable(): boolean {
    return this.#retryable ?? this.retryableByDefault;
  }

  protected get retryableByDefault(): boolean {
    return false;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      status: this.status,
      message: this.message,
      retryable: this.retryable,
      details: this.details,
    };
  }
}

// --- configuration --------------------------------------------------------

export class ConfigurationError extends AiopsError {
  override readonly name: string = 'ConfigurationError';
  override readonly code: string = 'CONFIG_ERROR';
  override readonly title: string = 'Configuration error';
}

export class MissingApiKeyError extends ConfigurationError {
  override readonly name: string = 'MissingApiKeyError';
  override readonly code: string = 'MISSING_API_KEY';
  override readonly title: string = 'Missing API key';
}

// --- LLM providers --------------------------------------------------------

export class LlmProviderError extends AiopsError {
  override readonly name: string = 'LlmProviderError';
  override readonly code: string = 'LLM_PROVIDER_ERROR';
  override readonly status: number = 502;
  override readonly title: string = 'LLM provider error';
}

export class LlmRateLimitError extends LlmProviderError {
  override readonly name: string = 'LlmRateLimitError';
  override readonly code: string = 'LLM_RATE_LIMITED';
  override readonly status: number = 503;
  override readonly title: string = 'LLM provider rate limited';
  protected override get retryableByDefault(): boolean {
    return true;
  }
}

export class LlmTimeoutError extends LlmProviderError {
  override readonly name: string = 'LlmTimeoutError';
  override readonly code: string = 'LLM_TIMEOUT';
  override readonly status: number = 504;
  override readonly title: string = 'LLM provider timed out';
  protected override get retryableByDefault(): boolean {
    return true;
  }
}

export class LlmResponseError extends LlmProviderError {
  override readonly name: string = 'LlmResponseError';
  override readonly code: string = 'INVALID_LLM_RESPONSE';
  override readonly title: string = 'Invalid LLM response';
}

// --- agents ---------------------------------------------------------------

export class AgentError extends AiopsError {
  override readonly name: string = 'AgentError';
  override readonly code: string = 'AGENT_ERROR';
  override readonly title: string = 'Agent error';
}

export class AgentExecutionError extends AgentError {
  override readonly name: string = 'AgentExecutionError';
  override readonly code: string = 'AGENT_EXECUTION_FAILED';
  override readonly title: string = 'Agent execution failed';
}

/**
 * The agent did not finish within its time limit, so its thread was stopped. Not retryable: the same input
 * would run away again.
 */
export class AgentTimeoutError extends AgentError {
  override readonly name: string = 'AgentTimeoutError';
  override readonly code: string = 'AGENT_TIMEOUT';
  override readonly status: number = 504;
  override readonly title: string = 'Agent timed out';
}

/** The agent's thread went over its memory limit and was stopped. Not retryable, like a timeout. */
export class AgentResourceLimitError extends AgentError {
  override readonly name: string = 'AgentResourceLimitError';
  override readonly code: string = 'AGENT_RESOURCE_LIMIT';
  override readonly title: string = 'Agent resource limit exceeded';
}

/** A result too large to store even with its findings cut down (AIOPS_MAX_RESULT_BYTES). */
export class ResultTooLargeError extends AgentError {
  override readonly name: string = 'ResultTooLargeError';
  override readonly code: string = 'RESULT_TOO_LARGE';
  override readonly title: string = 'Agent result too large';
}

/** Errors that carry field-level problems (request or agent input). */
export interface HasFieldErrors {
  readonly errors: readonly FieldError[];
}

export class AgentValidationError extends AgentError implements HasFieldErrors {
  override readonly name: string = 'AgentValidationError';
  override readonly code: string = 'AGENT_INPUT_INVALID';
  override readonly status: number = 400;
  override readonly title: string = 'Invalid agent input';
  readonly errors: readonly FieldError[];

  constructor(message: string, errors: readonly FieldError[] = [], options: AiopsErrorOptions = {}) {
    super(message, options);
    this.errors = errors;
  }
}

// --- authentication and authorisation --------------------------------------

export class AuthenticationError extends AiopsError {
  override readonly name: string = 'AuthenticationError';
  override readonly code: string = 'AUTH_FAILED';
  override readonly status: number = 401;
  override readonly title: string = 'Authentication failed';
}

export class InvalidTokenError extends AuthenticationError {
  override readonly name: string = 'InvalidTokenError';
  override readonly code: string = 'INVALID_TOKEN';
  override readonly title: string = 'Invalid token';
}

export class AuthorizationError extends AiopsError {
  override readonly name: string = 'AuthorizationError';
  override readonly code: string = 'FORBIDDEN';
  override readonly status: number = 403;
  override readonly title: string = 'Forbidden';
}

// --- resources ------------------------------------------------------------

export class ResourceError extends AiopsError {
  override readonly name: string = 'ResourceError';
  override readonly code: string = 'RESOURCE_ERROR';
  override readonly title: string = 'Resource error';
}

export class ResourceNotFoundError extends ResourceError {
  override readonly name: string = 'ResourceNotFoundError';
  override readonly code: string = 'RESOURCE_NOT_FOUND';
  override readonly status: number = 404;
  override readonly title: string = 'Resource not found';
}

export class ResourceExistsError extends ResourceError {
  override readonly name: string = 'ResourceExistsError';
  override readonly code: string = 'RESOURCE_EXISTS';
  override readonly status: number = 409;
  override readonly title: string = 'Resource already exists';
}

// --- API ------------------------------------------------------------------

export class ApiError extends AiopsError {
  override readonly name: string = 'ApiError';
  override readonly code: string = 'API_ERROR';
  override readonly title: string = 'API error';
}

export class RateLimitExceededError extends ApiError {
  override readonly name: string = 'RateLimitExceededError';
  override readonly code: string = 'RATE_LIMITED';
  override readonly status: number = 429;
  override readonly title: string = 'Too many requests';
  protected override get retryableByDefault(): boolean {
    return true;
  }
}

export class ValidationError extends ApiError implements HasFieldErrors {
  override readonly name: string = 'ValidationError';
  override readonly code: string = 'VALIDATION_ERROR';
  override readonly status: number = 400;
  override readonly title: string = 'Invalid request';
  readonly errors: readonly FieldError[];

  constructor(message: string, errors: readonly FieldError[] = [], options: AiopsErrorOptions = {}) {
    super(message, options);
    this.errors = errors;
  }
}

/** Same Idempotency-Key reused with a different request body. */
export class IdempotencyMismatchError extends ApiError {
  override readonly name: string = 'IdempotencyMismatchError';
  override readonly code: string = 'IDEMPOTENCY_KEY_REUSED';
  override readonly status: number = 422;
  override readonly title: string = 'Idempotency key reused';
}

export class PayloadTooLargeError extends ApiError {
  override readonly name: string = 'PayloadTooLargeError';
  override readonly code: string = 'PAYLOAD_TOO_LARGE';
  override readonly status: number = 413;
  override readonly title: string = 'Payload too large';
}

export class UnsupportedMediaTypeError extends ApiError {
  override readonly name: string = 'UnsupportedMediaTypeError';
  override readonly code: string = 'UNSUPPORTED_MEDIA_TYPE';
  override readonly status: number = 415;
  override readonly title: string = 'Unsupported media type';
}

export class MethodNotAllowedError extends ApiError {
  override readonly name: string = 'MethodNotAllowedError';
  override readonly code: string = 'METHOD_NOT_ALLOWED';
  override readonly status: number = 405;
  override readonly title: string = 'Method not allowed';
}

// --- budgets --------------------------------------------------------------

export class BudgetError extends AiopsError {
  override readonly name: string = 'BudgetError';
  override readonly code: string = 'BUDGET_EXCEEDED';
  override readonly status: number = 402;
  override readonly title: string = 'Budget exceeded';
}

export class TokenLimitError extends AiopsError {
  override readonly name: string = 'TokenLimitError';
  override readonly code: string = 'TOKEN_LIMIT_EXCEEDED';
  override readonly status: number = 413;
  override readonly title: string = 'Token limit exceeded';
}

// --- data and integrations ------------------------------------------------

export class DatabaseError extends AiopsError {
  override readonly name: string = 'DatabaseError';
  override readonly code: string = 'DATABASE_ERROR';
  override readonly title: string = 'Database error';
}

export class ConnectionError extends DatabaseError {
  override readonly name: string = 'ConnectionError';
  override readonly code: string = 'DB_CONNECTION_ERROR';
  override readonly status: number = 503;
  override readonly title: string = 'Database unavailable';
  protected override get retryableByDefault(): boolean {
    return true;
  }
}

export class CacheError extends AiopsError {
  override readonly name: string = 'CacheError';
  override readonly code: string = 'CACHE_ERROR';
  override readonly title: string = 'Cache error';
}

export class IntegrationError extends AiopsError {
  override readonly name: string = 'IntegrationError';
  override readonly code: string = 'INTEGRATION_ERROR';
  override readonly status: number = 502;
  override readonly title: string = 'Integration error';
}

export function isAiopsError(value: unknown): value is AiopsError {
  return value instanceof AiopsError;
}

/** True when another attempt may succeed: only errors marked retryable qualify. */
export function isRetryable(value: unknown): boolean {
  return value instanceof AiopsError && value.retryable;
}
