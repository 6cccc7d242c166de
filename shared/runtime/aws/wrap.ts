/**
 * Every Lambda handler is wrapped once, here (../../../STYLE.md): Powertools
 * Tracer, Logger and Metrics in their documented order, then error reporting
 * to Sentry when `SENTRY_DSN` is set.
 *
 * Only unexpected failures are reported — anything that is not one of the
 * project's errors, or one with a 5xx status. A client's mistake (a 4xx
 * AiopsError) is an answer, not a fault. Sentry is imported and initialised on
 * the first report, and never without a DSN, so functions that do not use it
 * pay nothing at cold start.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { getConfig } from '../../core/config.js';
import { AiopsError } from '../../core/errors.js';
import { lazy } from '../../core/lazy.js';
import { logger, metrics, serviceName } from '../../core/observability.js';

/**
 * The process's X-Ray tracer. Only Lambda functions trace (Powertools turns it off anywhere
 * without AWS_EXECUTION_ENV), so it lives with their wrapper: the CLI, the local runtime and
 * the tests never load the X-Ray SDK, ~50 ms of CPU at start-up.
 */
export const tracer = new Tracer({ serviceName });

export type LambdaHandler<TEvent, TResult> = (event: TEvent, context: Context) => Promise<TResult>;

export interface WrapOptions<TEvent, TResult> {
  /** The trace id to tag a report with; the handler's own trace context has ended when it is reported. */
  traceIdOf?: (event: TEvent, result: TResult | undefined) => string | undefined;
  /** A failure the handler answered rather than threw (an API's 500 response), to report all the same. */
  failureOf?: (result: TResult) => unknown;
}

/** How long a report may hold up the invocation: Lambda freezes the process once the handler returns. */
const FLUSH_TIMEOUT_MS = 2000;

type Sentry = typeof import('@sentry/aws-serverless');

/** Whether `error` is a fault to report rather than an expected answer. */
export function isReportable(error: unknown): boolean {
  return !(error instanceof AiopsError) || error.status >= 500;
}

function sentryDsn(): { dsn: string; environment: string } | undefined {
  try {
    const { env, stage } = getConfig();
    return env.SENTRY_DSN === undefined ? undefined : { dsn: env.SENTRY_DSN, environment: stage };
  } catch {
    // An invalid environment fails the handler itself, which says why; reporting must not fail on top of it.
    return undefined;
  }
}

const sentry = lazy(async (): Promise<Sentry | undefined> => {
  const settings = sentryDsn();
  if (settings === undefined) return undefined;
  const client = await import('@sentry/aws-serverless');
  client.init({
    ...settings,
    sendDefaultPii: false,
    // Errors captured outside reportError (uncaught exceptions) go through the same filter.
    beforeSend: (event, hint) => (isReportable(hint.originalException) ? event : null),
  });
  return client;
});

/**
 * Reports an unexpected error to Sentry, tagged with the trace id, and waits
 * for it to be sent. Does nothing without a DSN or for a client error; never
 * throws, so reporting cannot change what the handler answers.
 */
export async function reportError(error: unknown, traceId: string | undefined): Promise<void> {
  if (!isReportable(error)) return;
  try {
    const client = await sentry();
    if (client === undefined) return;
    client.captureException(error, { tags: traceId === undefined ? {} : { traceId } });
    await client.flush(FLUSH_TIMEOUT_MS);
  } catch (failure) {
    logger.warn('error report not sent', { error: failure, traceId });
  }
}

function errorReporting<TEvent, TResult>(
  options: WrapOptions<TEvent, TResult>,
): MiddlewareObj<TEvent, TResult> {
  const traceIdOf = options.traceIdOf ?? (() => undefined);
  const { failureOf } = options;
  return {
    after: async (request) => {
      const response = request.response;
      if (failureOf === undefined || response === null || response === undefined) return;
      const failure = failureOf(response);
      if (failure !== undefined) await reportError(failure, traceIdOf(request.event, response));
    },
    onError: async (request) => {
      await reportError(request.error, traceIdOf(request.event, undefined));
    },
  };
}

/**
 * Wraps a handler for Lambda. Error reporting goes innermost: its after and
 * onError hooks run first, so a report and its flush happen inside the traced
 * invocation, with the Lambda context still on the log lines.
 */
export function wrapHandler<TEvent, TResult>(
  handler: LambdaHandler<TEvent, TResult>,
  options: WrapOptions<TEvent, TResult> = {},
): LambdaHandler<TEvent, TResult> {
  return middy<TEvent, TResult>(handler)
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(errorReporting(options));
}
