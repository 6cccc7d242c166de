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
function loggingSettings(): Pick<Config, 'serviceName' | 'logLevel' | 'logFormat' | 'metricsNamespace'> {
  try {
    return getConfig();
  } catch {
    return { serviceName: 'aiops', logLevel: 'INFO', logFormat: 'auto', metricsNamespace: 'AIOps' };
  }
}

const config = loggingSettings();

/** Keys every line has, or that a person at a terminal does not need: left out of a pretty line. */
const PRETTY_OMITTED = new Set(['level', 'message', 'timestamp', 'service', 'sampling_rate']);
const LEVEL_COLOURS: Readonly<Record<string, string>> = {
  DEBUG: '\x1b[90m',
  INFO: '\x1b[36m',
  WARN: '\x1b[33m',
  ERROR: '\x1b[31m',
  CRITICAL: '\x1b[1;31m',
};

/** A value as `key=value` shows it: strings bare unless they hold spaces, the rest as JSON. */
function prettyValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/**
 * One log line for a person at a terminal: time, level, message, then the attributes as
 * `key=value`, after the same redaction as the JSON lines. Exported for its test.
 */
export function prettyLogLine(attributes: Record<string, unknown>, colour: boolean): string {
  const redacted = JSON.parse(JSON.stringify(attributes, redactLogValue)) as Record<string, unknown>;
  const level = String(redacted.level ?? 'INFO');
  const time = typeof redacted.timestamp === 'string' ? redacted.timestamp.slice(11, 23) : '';
  const shownLevel = level.padEnd(5);
  const pairs = Object.entries(redacted)
    .filter(([key, value]) => !PRETTY_OMITTED.has(key) && value !== undefined && value !== null)
    .map(([key, value]) => `${key}=${prettyValue(value)}`);
  const head = colour ? `${LEVEL_COLOURS[level] ?? ''}${shownLevel}\x1b[0m` : shownLevel;
  return [time, head, String(redacted.message ?? ''), ...pairs].filter((part) => part !== '').join(' ');
}

/** `AIOPS_LOG_FORMAT`: `auto` is pretty at a terminal, and never in Lambda, whose logs are read by machines. */
function prettyLogs(format: Config['logFormat']): boolean {
  if (format !== 'auto') return format === 'pretty';
  return process.stdout.isTTY === true && process.env.AWS_LAMBDA_FUNCTION_NAME === undefined;
}

/** Powertools' Logger, printing pretty lines instead of JSON when asked (`AIOPS_LOG_FORMAT`). */
class AiopsLogger extends Logger {
  /** Set after the base constructor, which may log: until then lines are JSON. */
  private pretty = false;
  private colour = false;

  constructor(options: ConstructorParameters<typeof Logger>[0], format: Config['logFormat']) {
    super(options);
    this.pretty = prettyLogs(format);
    this.colour = this.pretty && process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    if (!this.pretty) {
      super.printLog(logLevel, log);
      return;
    }
    log.prepareForPrint();
    let line: string;
    try {
      line = prettyLogLine(log.getAttributes(), this.colour);
    } catch {
      // Something JSON cannot show (a cycle): Powertools' own printing knows how.
      super.printLog(logLevel, log);
      return;
    }
    // As Powertools does: warnings and errors on stderr, the rest on stdout.
    const level = String(log.getAttributes().level ?? '');
    const stream = ['WARN', 'ERROR', 'CRITICAL'].includes(level) ? process.stderr : process.stdout;
    stream.write(`${line}\n`);
  }
}

export const logger: Logger = new AiopsLogger(
  {
    serviceName: config.serviceName,
    logLevel: config.logLevel,
    logFormatter: new TraceContextLogFormatter(),
    // The one redaction step: every value of every line, errors and nested attributes included.
    jsonReplacerFn: redactLogValue,
  },
  config.logFormat,
);

/** The service name of every log line, metric and trace of the process. */
export const serviceName = config.serviceName;

export const metrics = new Metrics({
  serviceName: config.serviceName,
  namespace: config.metricsNamespace,
});
