/** The HTTP API Lambda: the shared API handler behind the Lambda wrapper. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { AppDeps } from '../../app/deps.js';
import { createApiHandler } from '../../app/http/handler.js';
import { AiopsError } from '../../core/errors.js';
import { lazy } from '../../core/lazy.js';
import { metrics } from '../../core/observability.js';
import { type LambdaHandler, wrapHandler } from './wrap.js';

/**
 * The API handler answers every failure with a problem document, so nothing
 * reaches the wrapper as a thrown error; a 5xx answer is reported instead, by
 * its problem code and trace id (the log line `request failed` holds the stack).
 */
function serverFailure(result: APIGatewayProxyStructuredResultV2): AiopsError | undefined {
  if (result.statusCode === undefined || result.statusCode < 500) return undefined;
  let problem: { code?: unknown; detail?: unknown; instance?: unknown } = {};
  try {
    problem = JSON.parse(typeof result.body === 'string' ? result.body : '{}') ?? {};
  } catch {
    // A body that is not a problem document still gets reported, by its status alone.
  }
  return new AiopsError(`The API answered ${result.statusCode} ${String(problem.code ?? '')}`.trim(), {
    details: {
      status: result.statusCode,
      code: problem.code,
      detail: problem.detail,
      path: problem.instance,
    },
  });
}

export function createApiFunctionHandler(
  load: () => Promise<AppDeps>,
): LambdaHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  // Routes and the OpenAPI document are built once per container, not per request.
  const api = lazy(async () => createApiHandler(await load()));
  return wrapHandler(
    async (event: APIGatewayProxyEventV2) => {
      const result = await (await api())(event);
      // By status class: a dimension per status code would multiply the metric's series for little gain.
      metrics.addDimension('statusClass', `${String(result.statusCode ?? 200).charAt(0)}xx`);
      metrics.addMetric('ApiResponses', MetricUnit.Count, 1);
      return result;
    },
    {
      failureOf: serverFailure,
      traceIdOf: (event, result) => {
        const header = result?.headers?.['x-trace-id'];
        return typeof header === 'string' ? header : event.headers?.['x-trace-id'];
      },
    },
  );
}
