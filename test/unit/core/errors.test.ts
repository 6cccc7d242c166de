import { z } from 'zod';
import * as errorsModule from '../../../shared/core/errors.js';
import {
  AgentError,
  AgentExecutionError,
  AgentResourceLimitError,
  AgentTimeoutError,
  AgentValidationError,
  AiopsError,
  ApiError,
  AuthenticationError,
  AuthorizationError,
  BudgetError,
  CacheError,
  ConfigurationError,
  ConnectionError,
  DatabaseError,
  IdempotencyMismatchError,
  IntegrationError,
  InvalidTokenError,
  isAiopsError,
  isRetryable,
  LlmProviderError,
  LlmRateLimitError,
  LlmResponseError,
  LlmTimeoutError,
  MethodNotAllowedError,
  MissingApiKeyError,
  PayloadTooLargeError,
  RateLimitExceededError,
  ResourceError,
  ResourceExistsError,
  ResourceNotFoundError,
  ResultTooLargeError,
  TokenLimitError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../../shared/core/errors.js';
import { PROBLEM_CONTENT_TYPE, problemDocumentSchema, toProblem } from '../../../shared/core/problem.js';

type ErrorClass = new (message: string) => AiopsError;

interface Row {
  name: string;
  ErrorClass: ErrorClass;
  code: string;
  status: number;
  title: string;
  retryable: boolean;
}

// The contract from docs/architecture.md (Errors): one row per class, written out rather than read from the classes.
const rows: Row[] = [
  row(AiopsError, 'AIOPS_ERROR', 500, 'Internal error', false),
  row(ConfigurationError, 'CONFIG_ERROR', 500, 'Configuration error', false),
  row(MissingApiKeyError, 'MISSING_API_KEY', 500, 'Missing API key', false),
  row(LlmProviderError, 'LLM_PROVIDER_ERROR', 502, 'LLM provider error', false),
  row(LlmRateLimitError, 'LLM_RATE_LIMITED', 503, 'LLM provider rate limited', true),
  row(LlmTimeoutError, 'LLM_TIMEOUT', 504, 'LLM provider timed out', true),
  row(LlmResponseError, 'INVALID_LLM_RESPONSE', 502, 'Invalid LLM response', false),
  row(AgentError, 'AGENT_ERROR', 500, 'Agent error', false),
  row(AgentExecutionError, 'AGENT_EXECUTION_FAILED', 500, 'Agent execution failed', false),
  row(AgentValidationError, 'AGENT_INPUT_INVALID', 400, 'Invalid agent input', false),
  row(AgentTimeoutError, 'AGENT_TIMEOUT', 504, 'Agent timed out', false),
  row(AgentResourceLimitError, 'AGENT_RESOURCE_LIMIT', 500, 'Agent resource limit exceeded', false),
  row(ResultTooLargeError, 'RESULT_TOO_LARGE', 500, 'Agent result too large', false),
  row(AuthenticationError, 'AUTH_FAILED', 401, 'Authentication failed', false),
  row(InvalidTokenError, 'INVALID_TOKEN', 401, 'Invalid token', false),
  row(AuthorizationError, 'FORBIDDEN', 403, 'Forbidden', false),
  row(ResourceError, 'RESOURCE_ERROR', 500, 'Resource error', false),
  row(ResourceNotFoundError, 'RESOURCE_NOT_FOUND', 404, 'Resource not found', false),
  row(ResourceExistsError, 'RESOURCE_EXISTS', 409, 'Resource already exists', false),
  row(ApiError, 'API_ERROR', 500, 'API error', false),
  row(RateLimitExceededError, 'RATE_LIMITED', 429, 'Too many requests', true),
  row(ValidationError, 'VALIDATION_ERROR', 400, 'Invalid request', false),
  row(IdempotencyMismatchError, 'IDEMPOTENCY_KEY_REUSED', 422, 'Idempotency key reused', false),
  row(PayloadTooLargeError, 'PAYLOAD_TOO_LARGE', 413, 'Payload too large', false),
  row(UnsupportedMediaTypeError, 'UNSUPPORTED_MEDIA_TYPE', 415, 'Unsupported media type', false),
  row(MethodNotAllowedError, 'METHOD_NOT_ALLOWED', 405, 'Method not allowed', false),
  row(BudgetError, 'BUDGET_EXCEEDED', 402, 'Budget exceeded', false),
  row(TokenLimitError, 'TOKEN_LIMIT_EXCEEDED', 413, 'Token limit exceeded', false),
  row(DatabaseError, 'DATABASE_ERROR', 500, 'Database error', false),
  row(ConnectionError, 'DB_CONNECTION_ERROR', 503, 'Database unavailable', true),
  row(CacheError, 'CACHE_ERROR', 500, 'Cache error', false),
  row(IntegrationError, 'INTEGRATION_ERROR', 502, 'Integration error', false),
];

function row(ErrorClass: ErrorClass, code: string, status: number, title: string, retryable: boolean): Row {
  return { name: ErrorClass.name, ErrorClass, code, status, title, retryable };
}

// Looks like what a driver or SDK puts in a message: must never reach a client on a 5xx.
const INTERNAL_MESSAGE =
  'relation "api_keys" does not exist: SELECT hash FROM api_keys WHERE hash = \'sk-live-9f8e7d\'';
const GENERIC_500_DETAIL = toProblem(new AiopsError('anything')).detail;

describe('error table', () => {
  it('covers every error class errors.ts exports', () => {
    // Prepare
    const exportedValues: unknown[] = Object.values(errorsModule);
    const exported = exportedValues.filter(
      (value): value is ErrorClass =>
        typeof value === 'function' && (value === AiopsError || value.prototype instanceof AiopsError),
    );

    // Act
    const tabled = new Set<unknown>(rows.map((r) => r.ErrorClass));
    const missing = exported.filter((cls) => !tabled.has(cls)).map((cls) => cls.name);

    // Assess
    expect(missing).toEqual([]);
    expect(exported).toHaveLength(rows.length);
  });

  describe.each(rows)('$name', ({ ErrorClass, code, status, title, retryable, name }) => {
    it(`has code ${code}, HTTP ${status} and retryable=${retryable}`, () => {
      // Prepare
      const error = new ErrorClass(INTERNAL_MESSAGE);

      // Act
      const { code: actualCode, status: actualStatus } = error;

      // Assess
      expect(actualCode).toBe(code);
      expect(actualStatus).toBe(status);
      expect(error.title).toBe(title);
      expect(error.name).toBe(name);
      expect(error.retryable).toBe(retryable);
      expect(isRetryable(error)).toBe(retryable);
      expect(error).toBeInstanceOf(AiopsError);
      expect(error).toBeInstanceOf(Error);
      expect(isAiopsError(error)).toBe(true);
    });

    it('maps to its problem document', () => {
      // Prepare
      const error = new ErrorClass(INTERNAL_MESSAGE);

      // Act
      const problem = toProblem(error, { traceId: 'trace-1f2e', instance: '/v1/executions/42' });

      // Assess
      expect(problemDocumentSchema.parse(problem)).toEqual(problem);
      expect(problem).toMatchObject({
        type: `urn:aiops:error:${code.toLowerCase().replaceAll('_', '-')}`,
        title,
        status,
        code,
        traceId: 'trace-1f2e',
        instance: '/v1/executions/42',
      });
      expect(problem.type).toMatch(/^urn:aiops:error:[a-z-]+$/);
    });

    it(status < 500 ? 'shows its message as the detail' : 'hides its message behind a fixed detail', () => {
      // Prepare
      const error = new ErrorClass(INTERNAL_MESSAGE);

      // Act
      const problem = toProblem(error);

      // Assess
      if (status < 500) {
        expect(problem.detail).toBe(INTERNAL_MESSAGE);
      } else {
        expect(JSON.stringify(problem)).not.toContain('api_keys');
        expect(JSON.stringify(problem)).not.toContain('sk-live');
        expect(problem.detail).toBe(toProblem(new ErrorClass('a different message')).detail);
        expect(problem.detail).toEqual(
          [502, 503, 504].includes(status) ? expect.stringContaining(`(${title})`) : GENERIC_500_DETAIL,
        );
      }
    });
  });
});

describe('retryable override', () => {
  it.each([
    [
      'a rate limit the caller must not repeat',
      new LlmRateLimitError('quota exhausted', { retryable: false }),
      false,
    ],
    ['a provider 5xx', new LlmProviderError('provider answered 500', { retryable: true }), true],
    ['a connection error marked final', new ConnectionError('host unknown', { retryable: false }), false],
    [
      'a database error marked transient',
      new DatabaseError('serialization failure', { retryable: true }),
      true,
    ],
  ])('%s', (_label, error, expected) => {
    // Act
    const retryable = isRetryable(error);

    // Assess
    expect(retryable).toBe(expected);
    expect(error.retryable).toBe(expected);
  });

  it.each([
    ['a plain Error', new Error('ETIMEDOUT')],
    ['a string', 'timeout'],
    ['undefined', undefined],
    ['an object claiming to be retryable', { retryable: true, code: 'LLM_TIMEOUT' }],
  ])('%s is not retryable', (_label, value) => {
    // Act + Assess
    expect(isRetryable(value)).toBe(false);
  });
});

describe('instanceof chains', () => {
  it.each<[ErrorClass, ErrorClass[]]>([
    [MissingApiKeyError, [ConfigurationError]],
    [LlmRateLimitError, [LlmProviderError]],
    [LlmTimeoutError, [LlmProviderError]],
    [LlmResponseError, [LlmProviderError]],
    [AgentExecutionError, [AgentError]],
    [AgentValidationError, [AgentError]],
    [InvalidTokenError, [AuthenticationError]],
    [ResourceNotFoundError, [ResourceError]],
    [ResourceExistsError, [ResourceError]],
    [RateLimitExceededError, [ApiError]],
    [ValidationError, [ApiError]],
    [ConnectionError, [DatabaseError]],
  ])('%p is a %p', (Child, parents) => {
    // Prepare
    const error = new Child('boom');

    // Act + Assess
    for (const Parent of parents) {
      expect(error).toBeInstanceOf(Parent);
    }
    expect(error).toBeInstanceOf(AiopsError);
  });

  it('keeps siblings apart', () => {
    // Prepare
    const error = new ValidationError('bad');

    // Act + Assess
    expect(error).not.toBeInstanceOf(AgentValidationError);
    expect(error).not.toBeInstanceOf(RateLimitExceededError);
    expect(new MissingApiKeyError('no key')).not.toBeInstanceOf(AuthenticationError);
  });
});

describe('toProblem', () => {
  it('exposes the problem media type', () => {
    expect(PROBLEM_CONTENT_TYPE).toBe('application/problem+json');
  });

  it.each([
    [
      'ValidationError',
      new ValidationError('The request has 2 invalid fields', [
        { path: 'agent', message: 'unknown agent "k8s-lint"' },
        { path: 'input.manifests.0', message: 'must be a string' },
      ]),
    ],
    [
      'AgentValidationError',
      new AgentValidationError('Invalid input for agent sql-review', [
        { path: 'input.baseline.port', message: 'must be a whole number from 1 to 65535' },
        { path: 'input.dialect', message: 'must be one of postgres, mysql' },
      ]),
    ],
  ])('lists the field errors of a %s', (_label, error) => {
    // Act
    const problem = toProblem(error, { traceId: 't-1' });

    // Assess
    expect(problem.status).toBe(400);
    expect(problem.errors).toEqual(error.errors);
    expect(problem.detail).toBe(error.message);
    expect(problemDocumentSchema.safeParse(problem).success).toBe(true);
  });

  it('omits errors when there are no field errors', () => {
    // Act
    const problem = toProblem(new ValidationError('Body must be a JSON object'));

    // Assess
    expect(problem).not.toHaveProperty('errors');
    expect(problem).not.toHaveProperty('traceId');
    expect(problem).not.toHaveProperty('instance');
  });

  it('maps a ZodError to a 400 with one field error per issue', () => {
    // Prepare
    const body = z.object({
      agent: z.string(),
      input: z.object({ baseline: z.object({ port: z.number().int() }) }),
      tags: z.array(z.string()),
    });
    const parsed = body.safeParse({ input: { baseline: { port: 'eighty' } }, tags: ['ok', 7] });
    if (parsed.success) {
      throw new ValidationError('the fixture must fail to parse');
    }

    // Act
    const problem = toProblem(parsed.error, { traceId: 'trace-z' });

    // Assess
    expect(problem).toMatchObject({
      type: 'urn:aiops:error:validation-error',
      title: 'Invalid request',
      status: 400,
      code: 'VALIDATION_ERROR',
      traceId: 'trace-z',
    });
    expect(problem.errors?.map((e) => e.path)).toEqual(['agent', 'input.baseline.port', 'tags.1']);
    expect(problem.errors?.every((e) => e.message.length > 0)).toBe(true);
    expect(problem.detail).toBe('The request has 3 invalid fields; see errors.');
  });

  it('maps a thrown zod parse to the same document', () => {
    // Prepare
    let thrown: unknown;
    try {
      z.object({ id: z.uuid() }).parse({ id: 'nope' });
    } catch (error) {
      thrown = error;
    }

    // Act
    const problem = toProblem(thrown);

    // Assess
    expect(problem.status).toBe(400);
    expect(problem.errors).toEqual([{ path: 'id', message: expect.any(String) }]);
    expect(problem.detail).toBe('The request has 1 invalid field; see errors.');
  });

  it.each([
    [
      'an Error with a secret in its message',
      new Error('connect to postgres://aiops:hunter2@db:5432 failed'),
    ],
    ['a SyntaxError from JSON.parse', new SyntaxError('Unexpected token h in JSON at position 0 hunter2')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'hunter2')")],
    ['a string', 'hunter2 leaked'],
    ['undefined', undefined],
    ['null', null],
    [
      'an error-like object',
      { message: 'hunter2', status: 400, code: 'VALIDATION_ERROR', stack: 'at hunter2.ts' },
    ],
  ])('maps %s to a 500 that leaks nothing', (_label, thrown) => {
    // Act
    const problem = toProblem(thrown, { traceId: 'trace-u' });

    // Assess
    expect(problem).toEqual({
      type: 'urn:aiops:error:aiops-error',
      title: 'Internal error',
      status: 500,
      detail: GENERIC_500_DETAIL,
      code: 'AIOPS_ERROR',
      traceId: 'trace-u',
    });
    expect(JSON.stringify(problem)).not.toContain('hunter2');
  });

  it('hides a DatabaseError message behind the generic detail', () => {
    // Prepare
    const error = new DatabaseError('duplicate key value violates unique constraint "users_email_key"', {
      details: { sql: 'INSERT INTO users (email) VALUES ($1)' },
    });

    // Act
    const problem = toProblem(error);

    // Assess
    expect(problem.detail).toBe(GENERIC_500_DETAIL);
    expect(JSON.stringify(problem)).not.toMatch(/users|INSERT/);
  });

  it.each([
    [
      new RateLimitExceededError('Rate limit of 60 requests per minute exceeded', { retryAfterSeconds: 30 }),
      30,
    ],
    [new LlmRateLimitError('provider throttled', { retryAfterSeconds: 1.2 }), 2],
    [new ConnectionError('pool exhausted', { retryAfterSeconds: 0 }), 0],
  ])('adds retryAfter in whole seconds (%#)', (error, expected) => {
    // Act
    const problem = toProblem(error);

    // Assess
    expect(problem.retryAfter).toBe(expected);
    expect(problemDocumentSchema.safeParse(problem).success).toBe(true);
  });

  it('has no retryAfter when the error carries none', () => {
    // Act
    const problem = toProblem(new RateLimitExceededError('slow down'));

    // Assess
    expect(problem).not.toHaveProperty('retryAfter');
  });
});
