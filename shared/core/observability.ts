/**
 * The one Logger, Tracer and Metrics of the process (../../docs/architecture.md, Observability),
 * and the per-invocation trace id that ties an API call to its lane job, agent run
 * and workflow steps.
 *
 * The trace id lives in an AsyncLocalStorage and the log formatter reads it on every
 * line. Logger keys (`appendKeys`) are process-global: the local runtime runs many
 * jobs at once, so a key appended by one job would be printed on another job's lines
 * and removed under it when the first job ends.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { type Config, getConfig } from './config.js';
import { redactLogValue } from './redaction.js';

interface TraceContext {
  readonly traceId: string;
}

const traceContext = new AsyncLocalStorage<TraceContext>();

/** The trace id of the running invocation, or undefined outside `withTraceContext`. */
export function currentTraceId(): string | undefined {
  return traceContext.getStore()?.traceId;
}

export function newTraceId(): string {
  return randomUUID();
}

/**
 * Runs `fn` with `traceId` on every log line it writes, including lines from
 * callbacks and promises it starts. The id is scoped to `fn`: it is gone once `fn`
 * returns or throws, other contexts running at the same time keep their own, and a
 * nested context restores the outer id when it ends.
 */
export function withTraceContext<T>(traceId: string, fn: () => T): T {
  return traceContext.run({ traceId }, fn);
}

/**
 * The Powertools standard keys, with `traceId` from the async context. Powertools'
 * own formatter is not exported, so the standard keys are repeated here.
 */
class TraceContextLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const traceId = currentTraceId();
    const item = new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        traceId,
        cold_start: attributes.lambdaContext?.coldStart,
        function_arn: attributes.lambdaContext?.invokedFunctionArn,
        function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
        function_name: attributes.lambdaContext?.functionName,
        function_request_id: attributes.lambdaContext?.awsRequestId,
        sampling_rate: attributes.sampleRateValue,
        xray_trace_id: attributes.xRayTraceId,
        tenant_id: attributes.lambdaContext?.tenantId,
      },
    });
    // The context's id wins over a `traceId` appended as a key, which may be left over from another job.
    return item.addAttributes(traceId === undefined ? additional : { ...additional, traceId });
  }
}

/**
 * Logging must work even when the rest of the configuration is invalid — that
 * is when it is needed most — so a bad environment falls back to the defaults
 * here and is reported by whoever asks for the configuration itself.
 */
function loggingSettings(): Pick<Config, 'serviceName' | 'logLevel' | 'metricsNamespace'> {
  try {
    return getConfig();
  } catch {
    return { serviceName: 'aiops', logLevel: 'INFO', metricsNamespace: 'AIOps' };
  }
}

const config = loggingSettings();

export const logger = new Logger({
  serviceName: config.serviceName,
  logLevel: config.logLevel,
  logFormatter: new TraceContextLogFormatter(),
  // The one redaction step: every value of every line, errors and nested attributes included.
  jsonReplacerFn: redactLogValue,
});

/** The service name of every log line, metric and trace of the process. */
export const serviceName = config.serviceName;

export const metrics = new Metrics({
  serviceName: config.serviceName,
  namespace: config.metricsNamespace,
});
