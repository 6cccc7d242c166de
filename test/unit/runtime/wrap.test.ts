import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as Sentry from '@sentry/aws-serverless';
import { resetConfig } from '../../../shared/core/config.js';
import {
  ConnectionError,
  IntegrationError,
  RateLimitExceededError,
  ResourceNotFoundError,
  ValidationError,
} from '../../../shared/core/errors.js';
import { isReportable, reportError, tracer, wrapHandler } from '../../../shared/runtime/aws/wrap.js';
import { lambdaContext } from '../../helpers/lambda.js';

const dsn = process.env.SENTRY_DSN;

beforeAll(() => {
  delete process.env.SENTRY_DSN;
  resetConfig();
});

afterAll(() => {
  if (dsn !== undefined) process.env.SENTRY_DSN = dsn;
  resetConfig();
});

describe('wrapHandler', () => {
  it('passes the event and context through and returns the handler’s result', async () => {
    // Prepare
    const handler = wrapHandler(async (event: { n: number }, context) => ({
      doubled: event.n * 2,
      functionName: context.functionName,
    }));

    // Act
    const result = await handler({ n: 21 }, lambdaContext('aiops-prod-api'));

    // Assess
    expect(result).toEqual({ doubled: 42, functionName: 'aiops-prod-api' });
  });

  it('rethrows a failure unchanged and leaves Sentry alone without a DSN', async () => {
    // Prepare
    const failure = new TypeError("Cannot read properties of undefined (reading 'findings')");
    const handler = wrapHandler(
      async () => {
        throw failure;
      },
      { traceIdOf: () => '4f3c2b1a-9e8d-4c7b-a6f5-0e1d2c3b4a59' },
    );

    // Act
    const attempt = handler({}, lambdaContext());

    // Assess
    await expect(attempt).rejects.toBe(failure);
    await reportError(new Error('also not reported'), undefined);
    expect(Sentry.isInitialized()).toBe(false);
  });

  it.each([
    { kind: 'TypeError', error: new TypeError('x is undefined'), reportable: true },
    { kind: 'IntegrationError (502)', error: new IntegrationError('EventBridge refused'), reportable: true },
    { kind: 'ConnectionError (503)', error: new ConnectionError('Lease held elsewhere'), reportable: true },
    { kind: 'ValidationError (400)', error: new ValidationError('Invalid request'), reportable: false },
    { kind: 'ResourceNotFoundError (404)', error: new ResourceNotFoundError('Not found'), reportable: false },
    {
      kind: 'RateLimitExceededError (429)',
      error: new RateLimitExceededError('Slow down'),
      reportable: false,
    },
  ])('reports a $kind: $reportable', ({ error, reportable }) => {
    expect(isReportable(error)).toBe(reportable);
  });
});

describe('tracer', () => {
  it('is off outside Lambda, so nothing tries to reach X-Ray', () => {
    expect(tracer.isTracingEnabled()).toBe(false);
  });
});
