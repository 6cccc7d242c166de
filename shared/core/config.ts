/**
 * The one configuration loader: every environment variable the project reads is
 * declared here, once, with its type, default and documentation. A bad or
 * missing value fails fast with a single ConfigurationError listing every
 * problem. The README's configuration table is generated from this schema
 * (`npm run docs:config`) and a test keeps the two in sync.
 */
import { z } from 'zod';
import { ConfigurationError, type FieldError } from './errors.js';

const RDS_CLUSTER_ARN = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:cluster:[a-zA-Z][a-zA-Z0-9-]{0,62}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const LLM_PROVIDERS = ['bedrock', 'anthropic', 'openai'] as const;
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;

/** Empty strings count as "not set": `FOO=` in a shell or a manifest means no value. */
const optionalString = () =>
  z.preprocess((value) => (value === '' ? undefined : value), z.string().trim().min(1).optional());

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

const integer = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
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
  POWERTOOLS_SERVICE_NAME: {
    schema: z.string().min(1).default('aiops'),
    doc: 'Service name on every log line, trace and metric.',
  },
  POWERTOOLS_METRICS_NAMESPACE: {
    schema: z.string().min(1).default('AIOps'),
    doc: 'CloudWatch namespace of the embedded-metric-format metrics.',
  },
  DATABASE_URL: {
    schema: z.preprocess((v) => (v === '' ? undefined : v), postgresUrl.optional()),
    doc: 'PostgreSQL server to use (k8s, `aiops api`, `aiops worker`, tests). Takes precedence over Aurora and PGlite.',
  },
  DATABASE_POOL_MAX: {
    schema: integer(1, 200).default(10),
    doc: 'Maximum connections in the `pg` pool when `DATABASE_URL` is set.',
  },
  AURORA_CLUSTER_ARN: {
    schema: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(RDS_CLUSTER_ARN, 'must be an RDS cluster ARN: arn:aws:rds:<region>:<account>:cluster:<name>')
        .optional(),
    ),
    doc: 'Aurora cluster reached through the RDS Data API (Lambda). Requires `AURORA_SECRET_ARN`.',
  },
  AURORA_SECRET_ARN: {
    schema: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .regex(
          SECRET_ARN,
          'must be a Secrets Manager ARN: arn:aws:secretsmanager:<region>:<account>:secret:<name>',
        )
        .optional(),
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
    schema: z.preprocess(
      (v) => (v === '' ? undefined : v),
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
  AWS_REGION: {
    schema: optionalString(),
    doc: 'AWS region for the SDK clients (set by Lambda).',
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
      z.array(z.enum(LLM_PROVIDERS)).default([]),
    ),
    doc: 'Ordered, comma-separated LLM providers (`bedrock`, `anthropic`, `openai`); empty runs offline.',
  },
  AIOPS_LLM_MODEL_BEDROCK: { schema: optionalString(), doc: 'Model id used on Amazon Bedrock.' },
  AIOPS_LLM_MODEL_ANTHROPIC: { schema: optionalString(), doc: 'Model id used on the Anthropic API.' },
  AIOPS_LLM_MODEL_OPENAI: {
    schema: optionalString(),
    doc: 'Model id used on the OpenAI-compatible endpoint.',
  },
  ANTHROPIC_API_KEY: { schema: optionalString(), doc: 'Anthropic API key.', secret: true },
  ANTHROPIC_BASE_URL: { schema: optionalString(), doc: 'Anthropic API base URL override.' },
  OPENAI_API_KEY: { schema: optionalString(), doc: 'OpenAI-compatible API key.', secret: true },
  OPENAI_BASE_URL: {
    schema: optionalString(),
    doc: 'OpenAI-compatible base URL (OpenAI, vLLM, Ollama, LiteLLM).',
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
    const problems: FieldError[] = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }));
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
