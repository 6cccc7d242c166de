/** What differs between stages, decided once from the CDK context and passed to every stack. */
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { PROVIDER_NAMES } from '../shared/core/domain.js';
import { ConfigurationError } from '../shared/core/errors.js';

export const STAGES = ['dev', 'prod'] as const;
export type StageName = (typeof STAGES)[number];

export interface Stage {
  readonly name: StageName;
  readonly isProd: boolean;
  /** Every resource name starts with it, so two stages can share an account. */
  readonly prefix: string;
  readonly logRetention: RetentionDays;
  /** The database leaves a final snapshot on `cdk destroy` in prod. */
  readonly databaseRemovalPolicy: RemovalPolicy;
  /** Other stateful resources (table, log groups) are kept on `cdk destroy` in prod (they have no snapshot). */
  readonly retainPolicy: RemovalPolicy;
  /** Secrets Manager secret whose value is the Sentry DSN; no error reporting without it. */
  readonly sentryDsnSecretArn: string | undefined;
  /** Browser origins allowed by CORS; empty turns CORS off (the API is called by programs). */
  readonly corsOrigins: readonly string[];
  /** `AIOPS_LLM_PROVIDERS` of the functions, in failover order; empty keeps every agent offline. */
  readonly llmProviders: readonly string[];
}

function stringContext(scope: Construct, key: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ConfigurationError(`Context ${key} must be a string`);
  return value;
}

/** Reads `-c stage=dev|prod` (default dev), `-c sentryDsnSecretArn=…`, `-c corsOrigins=a,b` and `-c llmProviders=bedrock,…`. */
export function stageFromContext(scope: Construct): Stage {
  const name = stringContext(scope, 'stage') ?? 'dev';
  if (!(STAGES as readonly string[]).includes(name)) {
    throw new ConfigurationError(`Unknown stage "${name}": use -c stage=${STAGES.join('|')}`);
  }
  const stage = name as StageName;
  const isProd = stage === 'prod';
  const origins = stringContext(scope, 'corsOrigins');
  const llm = (stringContext(scope, 'llmProviders') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const unknownProvider = llm.find((p) => !(PROVIDER_NAMES as readonly string[]).includes(p));
  if (unknownProvider !== undefined) {
    throw new ConfigurationError(
      `Unknown LLM provider "${unknownProvider}" in -c llmProviders: use ${PROVIDER_NAMES.join(', ')}`,
    );
  }
  return {
    name: stage,
    isProd,
    prefix: `aiops-${stage}`,
    logRetention: isProd ? RetentionDays.THREE_MONTHS : RetentionDays.ONE_WEEK,
    databaseRemovalPolicy: isProd ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
    retainPolicy: isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    sentryDsnSecretArn: stringContext(scope, 'sentryDsnSecretArn'),
    llmProviders: llm,
    corsOrigins: (origins ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
  };
}
