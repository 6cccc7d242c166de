/**
 * The one configuration loader: every environment variable the project reads is
 * declared here, once, with its type, default and documentation. A bad or
 * missing value fails fast with a single ConfigurationError listing every
 * problem. The README's configuration table is generated from this schema
 * (`npm run docs:config`) and a test keeps the two in sync.
 */
import * as z from 'zod';
// A leaf module of constants and types: the lane names are the one list every layer shares.
import { LANES, PROVIDER_NAMES } from './domain.js';
import { ConfigurationError, type FieldError } from './errors.js';
import { fieldErrors } from './validation.js';

const RDS_CLUSTER_ARN = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:cluster:[a-zA-Z][a-zA-Z0-9-]{0,62}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;

/** `schema`, with an empty string read as unset: `FOO=` in a shell or a manifest means no value. */
const emptyIsUnset = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema);

const optionalString = () => emptyIsUnset(z.string().trim().min(1).optional());

/** An optional string that must match `pattern` when set. */
const optionalMatch = (pattern: RegExp, message: string) =>
  emptyIsUnset(z.string().regex(pattern, message).optional());

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be a PostgreSQL URL such as postgres://user:password@host:5432/database');

const SQS_QUEUE_URL_HINT = 'must be an SQS queue URL: https://sqs.<region>.amazonaws.com/<account>/<queue>';
const queueUrl = z.url({
  protocol: /^https?$/,
  error: (issue) => (issue.input === undefined ? 'is required' : SQS_QUEUE_URL_HINT),
});
const LANE_QUEUE_SHAPE = '{ "url": "<queue URL>", "deadLetterUrl": "<dead letter queue URL>" }';

/**
 * `AIOPS_LANE_QUEUES`: every lane's queue and dead letter queue, as JSON. All
 * five are required because any function may send to any lane (the API to
 * `agents` or `priority`, a finished execution to `default` for its callback).
 */
const laneQueues = z.preprocess(
  (value, ctx) => {
    if (value === undefined || value === '') return undefined;
    try {
      return JSON.parse(String(value));
    } catch {
      // The value is not echoed: a malformed one may hold anything.
      ctx.addIssue({
        code: 'custom',
        message: `must be JSON mapping each lane (${LANES.join(', ')}) to ${LANE_QUEUE_SHAPE}`,
      });
      return z.NEVER;
    }
  },
  z
    .strictObject(
      Object.fromEntries(
        LANES.map((lane) => [
          lane,
          z.strictObject(
            { url: queueUrl, deadLetterUrl: queueUrl },
            { error: `the ${lane} lane needs ${LANE_QUEUE_SHAPE}` },
          ),
        ]),
      ) as Record<
        (typeof LANES)[number],
        z.ZodObject<{ url: typeof queueUrl; deadLetterUrl: typeof queueUrl }, z.core.$strict>
      >,
      {
        error: (issue) =>
          issue.code === 'unrecognized_keys'
            ? `names no lane ${issue.keys.join(', ')}; the lanes are ${LANES.join(', ')}`
            : `must be a JSON object mapping each lane (${LANES.join(', ')}) to ${LANE_QUEUE_SHAPE}`,
      },
    )
    .optional(),
);

const integer = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
};

/** An amount of US dollars above zero; unset or empty means no budget. */
const budget = () => {
  const message = 'must be an amount of US dollars above 0, such as 25 or 2.50';
  return emptyIsUnset(z.coerce.number({ error: message }).positive(message).max(1e9, message).optional());
};

/** Entry: the zod type, and a one-line description shown in the README table. */
const variables = {
  AIOPS_STAGE: {
    schema: z.enum(['dev', 'test', 'staging', 'prod']).default('dev'),
    doc: 'Deployment stage; `prod` turns on deletion protection and stricter defaults.',
  },
  LOG_LEVEL: {
    schema: z
      .preprocess(
        (v) => (typeof v === 'string' && v !== '' ? v.toUpperCase() : undefined),
        z.enum(LOG_LEVELS),
      )
      .default('INFO'),
    doc: 'Log level of the JSON logger (TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT).',
  },
  AIOPS_LOG_FORMAT: {
    schema: z.enum(['auto', 'json', 'pretty']).default('auto'),
    doc: 'Log lines as JSON (`json`, what Lambda and log shippers read) or one readable line each (`pretty`); `auto`: pretty when stdout is a terminal outside Lambda.',
  },
  POWERTOOLS_SERVICE_NAME: {
    schema: z.string().min(1).default('aiops'),
    doc: 'Service name on every log line, trace and metric.',
  },
  POWERTOOLS_METRICS_NAMESPACE: {
    schema: z.string().min(1).default('AIOps'),
    doc: 'CloudWatch namespace of the embedded-metric-format metrics.',
  },
  DATABASE_URL: {
    schema: emptyIsUnset(postgresUrl.optional()),
    doc: 'PostgreSQL server to use (k8s, `aiops api`, `aiops worker`, tests). Takes precedence over Aurora and PGlite.',
  },
  DATABASE_POOL_MAX: {
    schema: integer(1, 200).default(10),
    doc: 'Maximum connections in the `pg` pool when `DATABASE_URL` is set.',
  },
  AURORA_CLUSTER_ARN: {
    schema: optionalMatch(
      RDS_CLUSTER_ARN,
      'must be an RDS cluster ARN: arn:aws:rds:<region>:<account>:cluster:<name>',
    ),
    doc: 'Aurora cluster reached through the RDS Data API (Lambda). Requires `AURORA_SECRET_ARN`.',
  },
  AURORA_SECRET_ARN: {
    schema: optionalMatch(
      SECRET_ARN,
      'must be a Secrets Manager ARN: arn:aws:secretsmanager:<region>:<account>:secret:<name>',
    ),
    doc: 'Secrets Manager secret holding the Aurora credentials used by the Data API.',
  },
  AURORA_DATABASE: {
    schema: z.string().min(1).default('aiops'),
    doc: 'Database name inside the Aurora cluster.',
  },
  AIOPS_DATA_DIR: {
    schema: z.string().min(1).default('.aiops'),
    doc: 'Local state for `aiops serve`: the embedded PostgreSQL (`data/`) and the object store (`objects/`).',
  },
  HOST: {
    schema: z.string().min(1).default('127.0.0.1'),
    doc: 'Interface `aiops serve` and `aiops api` listen on (`0.0.0.0` in containers).',
  },
  PORT: {
    schema: integer(0, 65535).default(3000),
    doc: 'HTTP port of `aiops serve` and `aiops api` (0 picks a free port).',
  },
  AIOPS_BOOTSTRAP_API_KEY: {
    schema: emptyIsUnset(
      z
        .string()
        .regex(/^aiops_[A-Za-z0-9]{24,64}$/, 'must look like aiops_ followed by 24 to 64 letters or digits')
        .optional(),
    ),
    doc: 'Admin API key `aiops serve` creates at start; generated and written to `.aiops/admin-key` when unset.',
    secret: true,
  },
  AIOPS_RATE_LIMIT_PER_MINUTE: {
    schema: integer(1, 1_000_000).default(600),
    doc: 'Requests per minute allowed per API key (429 with Retry-After beyond).',
  },
  AIOPS_CALLBACK_SECRET: {
    schema: optionalString(),
    doc: 'HMAC-SHA256 key that signs completion callbacks (`X-Aiops-Signature`); callbacks are refused without it.',
    secret: true,
  },
  AIOPS_CALLBACK_ALLOW: {
    schema: optionalString(),
    doc:
      'Comma-separated hosts and CIDRs (`127.0.0.1,hooks.internal,10.0.0.0/8`) that completion callbacks may reach ' +
      'even though private, over http too; everything else must be https to a public address. For local testing.',
  },
  AIOPS_RETENTION_DAYS: {
    schema: integer(1, 3650).default(30),
    doc:
      'Days finished executions and system metrics are kept before the hourly cleanup deletes them ' +
      '(the configurations key `retention.days` overrides it at run time).',
  },
  AIOPS_AUDIT_RETENTION_DAYS: {
    schema: integer(1, 3650).default(365),
    doc: 'Days audit log entries are kept (configurations key `retention.auditDays` overrides it).',
  },
  AIOPS_BUDGET_DAILY_USD: {
    schema: budget(),
    doc:
      'LLM spend per UTC day that raises an `aiops.budget.alert` event once per day; unset: no daily budget ' +
      '(configurations key `budget.dailyUsd` overrides it).',
  },
  AIOPS_BUDGET_MONTHLY_USD: {
    schema: budget(),
    doc:
      'LLM spend per UTC month that raises an `aiops.budget.alert` event once per month; unset: no monthly ' +
      'budget (configurations key `budget.monthlyUsd` overrides it).',
  },
  AWS_REGION: {
    schema: optionalString(),
    doc: 'AWS region for the SDK clients (set by Lambda).',
  },
  AIOPS_LANE_QUEUES: {
    schema: laneQueues,
    doc:
      'Lambda: JSON mapping every lane (`default`, `agents`, `monitoring`, `maintenance`, `priority`) to ' +
      '`{ "url", "deadLetterUrl" }` of its SQS queue and dead letter queue.',
  },
  AIOPS_LANES_DRIVER: {
    schema: emptyIsUnset(z.enum(['pg', 'sqs']).default('pg')),
    doc:
      '`aiops api` / `aiops worker`: `pg` runs the lanes on pg-boss in the PostgreSQL of DATABASE_URL; `sqs` ' +
      'sends to and long-polls the SQS queues of AIOPS_LANE_QUEUES (Kubernetes on AWS). `aiops serve` always uses pg.',
  },
  AIOPS_LANE: {
    schema: emptyIsUnset(z.enum(LANES).optional()),
    doc: 'Lambda lane worker: the lane whose queue this function consumes.',
  },
  AIOPS_HOT_STATE_TABLE: {
    schema: emptyIsUnset(
      z
        .string()
        .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -)')
        .optional(),
    ),
    doc: 'Lambda: DynamoDB table (key `pk`, TTL `ttl`) holding rate-limit buckets and idempotency records.',
  },
  AIOPS_EVENT_BUS: {
    schema: z
      .string()
      .regex(
        /^(?:arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/)?[A-Za-z0-9._\-/]{1,256}$/,
        'must be an EventBridge event bus name or ARN',
      )
      .default('default'),
    doc: 'Lambda: EventBridge bus that receives `aiops.execution.completed` events.',
  },
  AIOPS_OBJECTS_BUCKET: {
    schema: emptyIsUnset(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3 to 63 of a-z 0-9 . -)')
        .optional(),
    ),
    doc:
      'Lambda: S3 bucket of the object store (uploads, `$object` inputs, the S3 trigger); ' +
      'locally objects live in `<AIOPS_DATA_DIR>/objects/`.',
  },
  AIOPS_MAX_OBJECT_BYTES: {
    schema: integer(1024, 1024 * 1024 * 1024).default(64 * 1024 * 1024),
    doc:
      'Most bytes an execution reads from an object (`$object`) or a CloudWatch Logs source, and the largest ' +
      'upload; a larger one fails with a readable error.',
  },
  AIOPS_AGENT_THREADS: {
    schema: emptyIsUnset(integer(1, 64).optional()),
    doc:
      '`aiops serve` / `aiops worker`: worker threads that run agents at once, off the event loop that serves ' +
      'the API and the lanes; more runs wait for a free thread within their time limit. Default: the CPUs less one ' +
      '(at least 1).',
  },
  AIOPS_AGENT_TIMEOUT_SEC: {
    schema: emptyIsUnset(
      z.coerce
        .number({ error: 'must be a number of seconds from 0.1 to 900' })
        .min(0.1, 'must be a number of seconds from 0.1 to 900')
        .max(900, 'must be a number of seconds from 0.1 to 900')
        .optional(),
    ),
    doc:
      'Seconds every agent run may take before its thread is stopped and the execution fails with AGENT_TIMEOUT ' +
      '(0.1 to 900, the agents lane job expiry; fractions allowed); ' +
      "default: each agent's own `resources.timeoutSec` (`GET /v1/agents`).",
  },
  AIOPS_AGENT_MEMORY_MB: {
    schema: integer(32, 16_384).default(2048),
    doc:
      "Upper bound of an agent thread's heap in MiB: a thread gets its agent's own memory size up to this, and " +
      'one that goes over is stopped (AGENT_RESOURCE_LIMIT).',
  },
  AIOPS_MAX_RESULT_BYTES: {
    schema: integer(64 * 1024, 256 * 1024 * 1024).default(4 * 1024 * 1024),
    doc:
      'Largest agent result stored (as JSON): past it the least severe findings are dropped and one `info` ' +
      'finding says how many; a result that cannot be cut down enough fails with RESULT_TOO_LARGE.',
  },
  AIOPS_ALARM_TRIAGE_LOG_GROUP: {
    schema: emptyIsUnset(
      z
        .string()
        .regex(/^[.\-_/#A-Za-z0-9]{1,512}$/, 'must be a CloudWatch Logs log group name')
        .optional(),
    ),
    doc:
      'Lambda alarm trigger: when set, an alarm going to ALARM also starts an incident-triage run over this ' +
      "log group's last hour and the alarm's metric.",
  },
  AIOPS_AGENT_FUNCTION_PREFIX: {
    schema: emptyIsUnset(
      z
        .string()
        .regex(
          /^[A-Za-z0-9_-]{1,40}$/,
          'must be the start of a Lambda function name: 1 to 40 of A-Z a-z 0-9 _ -',
        )
        .optional(),
    ),
    doc:
      'Lambda lane worker: agents run in the function `<prefix><agent>` ' +
      '(`aiops-prod-agent-` runs config-drift-detector in `aiops-prod-agent-config-drift-detector`).',
  },
  AIOPS_STATE_MACHINE_ARN_PREFIX: {
    schema: emptyIsUnset(
      z
        .string()
        .regex(
          /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{0,60}$/,
          'must be the start of a state machine ARN: arn:aws:states:<region>:<account>:stateMachine:<name prefix>',
        )
        .optional(),
    ),
    doc:
      'Lambda: the workflow `<name>` runs on the state machine `<prefix><name>` ' +
      '(`arn:aws:states:eu-west-1:123456789012:stateMachine:aiops-prod-` runs chain-analysis on `…:aiops-prod-chain-analysis`).',
  },
  AIOPS_LLM_PROVIDERS: {
    schema: z.preprocess(
      (v) =>
        typeof v === 'string'
          ? v
              .split(',')
              .map((s) => s.trim().toLowerCase())
              .filter((s) => s !== '')
          : v,
      z.array(z.enum(PROVIDER_NAMES)).default([]),
    ),
    doc: 'Ordered, comma-separated LLM providers (`bedrock`, `anthropic`, `openai`); empty runs offline.',
  },
  AIOPS_LLM_MODEL_BEDROCK: {
    schema: optionalString(),
    doc:
      'Model id or inference profile used on Amazon Bedrock; default: the Claude Sonnet 4.5 cross-region profile ' +
      'of AWS_REGION (`eu.anthropic.claude-sonnet-4-5-20250929-v1:0` in eu-*, `us.` in us-*, `apac.` in ap-*).',
  },
  AIOPS_LLM_MODEL_ANTHROPIC: {
    schema: optionalString(),
    doc: 'Model id used on the Anthropic API; default `claude-sonnet-4-5`.',
  },
  AIOPS_LLM_MODEL_OPENAI: {
    schema: optionalString(),
    doc: 'Model id used on the OpenAI-compatible endpoint (`llama3.1:8b` on Ollama); default `gpt-4.1-mini`.',
  },
  AIOPS_LLM_USER_DAILY_USD: {
    schema: budget(),
    doc:
      'Enforced LLM spend per user per UTC day: a call that could exceed it is refused before it is sent; ' +
      'unset: no per-user limit (configurations key `llm.budget.userDailyUsd` overrides it).',
  },
  AIOPS_LLM_MONTHLY_USD: {
    schema: budget(),
    doc:
      'Enforced LLM spend of the whole deployment per UTC month (see AIOPS_LLM_USER_DAILY_USD); unset: no ' +
      'global limit (configurations key `llm.budget.monthlyUsd` overrides it).',
  },
  AIOPS_LLM_CACHE_TTL_SEC: {
    schema: integer(0, 30 * 24 * 3600).default(3600),
    doc: 'Seconds an LLM reply is reused for the same provider, model, masked prompt and schema; 0 disables.',
  },
  AIOPS_LLM_MAX_TOKENS: {
    schema: integer(64, 64_000).default(1024),
    doc: 'Most output tokens one enrichment call may produce (the budget reserves this worst case).',
  },
  ANTHROPIC_API_KEY: {
    schema: optionalString(),
    doc: 'Anthropic API key (on AWS prefer ANTHROPIC_API_KEY_SECRET_ARN).',
    secret: true,
  },
  ANTHROPIC_BASE_URL: { schema: optionalString(), doc: 'Anthropic API base URL override.' },
  OPENAI_API_KEY: {
    schema: optionalString(),
    doc: 'OpenAI-compatible API key; optional with OPENAI_BASE_URL (vLLM and Ollama need none).',
    secret: true,
  },
  OPENAI_BASE_URL: {
    schema: optionalString(),
    doc: 'OpenAI-compatible base URL (OpenAI, vLLM, Ollama, LiteLLM).',
  },
  ANTHROPIC_API_KEY_SECRET_ARN: {
    schema: optionalString(),
    doc:
      'AWS: Secrets Manager secret holding the Anthropic API key, read when ANTHROPIC_API_KEY is unset ' +
      '(`<arn>#<field>` reads one field of a JSON secret).',
  },
  OPENAI_API_KEY_SECRET_ARN: {
    schema: optionalString(),
    doc:
      'AWS: Secrets Manager secret holding the OpenAI-compatible API key, read when OPENAI_API_KEY is unset ' +
      '(`<arn>#<field>` reads one field of a JSON secret).',
  },
  SENTRY_DSN: { schema: optionalString(), doc: 'Sentry DSN; errors are reported when set.', secret: true },
  BENCH_DIR: {
    schema: z.string().min(1).default('../shared/bench'),
    doc: 'Benchmark data (Loghub, NAB) read by `npm run bench:*`.',
  },
} satisfies Record<string, { schema: z.ZodType; doc: string; secret?: boolean }>;

type Variables = typeof variables;
export type EnvName = keyof Variables;
export type Env = { [K in EnvName]: z.output<Variables[K]['schema']> };

export type DatabaseTarget =
  | { kind: 'pg'; url: string; poolMax: number }
  | { kind: 'data-api'; clusterArn: string; secretArn: string; database: string; region: string | undefined }
  | { kind: 'pglite'; dataDir: string };

export interface Config {
  env: Env;
  stage: Env['AIOPS_STAGE'];
  serviceName: string;
  logLevel: Env['LOG_LEVEL'];
  logFormat: Env['AIOPS_LOG_FORMAT'];
  metricsNamespace: string;
  database: DatabaseTarget;
  dataDir: string;
  host: string;
  port: number;
}

const envSchema = z
  .object(
    Object.fromEntries(Object.entries(variables).map(([name, v]) => [name, v.schema])) as {
      [K in EnvName]: Variables[K]['schema'];
    },
  )
  .superRefine((env, ctx) => {
    if (env.AURORA_CLUSTER_ARN !== undefined && env.AURORA_SECRET_ARN === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['AURORA_SECRET_ARN'],
        message: 'is required when AURORA_CLUSTER_ARN is set',
      });
    }
  });

function databaseTarget(env: Env): DatabaseTarget {
  if (env.DATABASE_URL !== undefined) {
    return { kind: 'pg', url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX };
  }
  if (env.AURORA_CLUSTER_ARN !== undefined && env.AURORA_SECRET_ARN !== undefined) {
    return {
      kind: 'data-api',
      clusterArn: env.AURORA_CLUSTER_ARN,
      secretArn: env.AURORA_SECRET_ARN,
      database: env.AURORA_DATABASE,
      region: env.AWS_REGION,
    };
  }
  return { kind: 'pglite', dataDir: `${env.AIOPS_DATA_DIR}/data` };
}

/** Parses an environment (default: `process.env`). Throws one ConfigurationError listing every problem. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const picked = Object.fromEntries(Object.keys(variables).map((name) => [name, source[name]]));
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    const problems: FieldError[] = fieldErrors(parsed.error.issues);
    const lines = problems.map((p) => `  - ${p.path}: ${p.message}`);
    throw new ConfigurationError(`Invalid configuration:\n${lines.join('\n')}`, {
      details: { problems },
    });
  }
  const env = parsed.data as Env;
  return {
    env,
    stage: env.AIOPS_STAGE,
    serviceName: env.POWERTOOLS_SERVICE_NAME,
    logLevel: env.LOG_LEVEL,
    logFormat: env.AIOPS_LOG_FORMAT,
    metricsNamespace: env.POWERTOOLS_METRICS_NAMESPACE,
    database: databaseTarget(env),
    dataDir: env.AIOPS_DATA_DIR,
    host: env.HOST,
    port: env.PORT,
  };
}

let cached: Config | undefined;

/** The process configuration, parsed once on first use. */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}

/** Forget the cached configuration (tests that change `process.env`). */
export function resetConfig(): void {
  cached = undefined;
}

/** The variables the schema knows, with their documentation and whether each holds a secret. */
export function configurationVariables(): Readonly<Record<string, { doc: string; secret: boolean }>> {
  return Object.fromEntries(
    Object.entries(variables).map(([name, v]) => [
      name,
      { doc: v.doc, secret: 'secret' in v && v.secret === true },
    ]),
  );
}

/** The README's configuration table, generated from the schema above. */
export function configurationTable(): string {
  const rows = Object.entries(variables).map(([name, v]) => {
    const parsed = (v.schema as z.ZodType).safeParse(undefined);
    const fallback =
      parsed.success && parsed.data !== undefined && !(Array.isArray(parsed.data) && parsed.data.length === 0)
        ? `\`${String(parsed.data)}\``
        : '';
    const secret =
      'secret' in v && v.secret ? ' Secret: from a Secret / Secrets Manager, never a literal.' : '';
    return `| \`${name}\` | ${fallback} | ${v.doc}${secret} |`;
  });
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
