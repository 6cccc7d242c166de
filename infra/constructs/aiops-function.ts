/**
 * Every Lambda of the project, with its defaults baked in once (the Powertools
 * example app's FunctionWithLogGroup): Node.js 24 on ARM64, X-Ray tracing, a
 * log group with the stage's retention, and a local esbuild bundle (never
 * Docker) built with the options in ../bundling.ts.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { getAgent, listAgents } from '../../shared/agents/registry.js';
import {
  agentCodeExternals,
  BUNDLE_BANNER,
  BUNDLE_EXTERNALS,
  BUNDLE_MAIN_FIELDS,
  BUNDLE_TARGET,
  FUNCTION_ENTRIES,
  type FunctionKind,
  llmNodeModules,
  SENTRY_SDK,
} from '../bundling.js';
import type { Stage } from '../stage.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface AiopsFunctionProps {
  readonly stage: Stage;
  readonly kind: FunctionKind;
  readonly functionName: string;
  readonly description: string;
  readonly memoryMb?: number;
  readonly timeoutSec?: number;
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Packages installed in the function's node_modules instead of inlined in
   * its bundle (esbuild leaves them external): those that load WASM or data
   * files from beside their own JS. Each must be a dependency in package.json.
   */
  readonly nodeModules?: readonly string[];
  /** An agent function's agent: the only agent whose code its bundle carries (others carry none). */
  readonly agent?: string;
}

/** An agent function keeps its agent's code and that of the agents it runs through the catalog. */
function keptAgents(agent: string): string[] {
  return [agent, ...(getAgent(agent)?.composes ?? [])];
}

export class AiopsFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  /** What the bundle leaves to node_modules (the props' `nodeModules`). */
  readonly nodeModules: readonly string[];

  constructor(scope: Construct, id: string, props: AiopsFunctionProps) {
    super(scope, id);
    const { stage } = props;
    this.nodeModules = [
      ...new Set([
        ...(props.nodeModules ?? []),
        ...llmNodeModules(stage.llmProviders),
        ...(stage.sentryDsnSecretArn === undefined ? [] : [SENTRY_SDK]),
      ]),
    ];
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: stage.logRetention,
      // Logs are diagnostics, not records: they go with the stack, except in prod where an audit may need them.
      removalPolicy: stage.isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.function = new NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      entry: path.join(ROOT, FUNCTION_ENTRIES[props.kind]),
      handler: 'handler',
      projectRoot: ROOT,
      depsLockFilePath: path.join(ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb ?? 512,
      timeout: Duration.seconds(props.timeoutSec ?? 30),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      environment: {
        AIOPS_STAGE: stage.name,
        POWERTOOLS_SERVICE_NAME: 'aiops',
        POWERTOOLS_METRICS_NAMESPACE: 'AIOps',
        LOG_LEVEL: stage.isProd ? 'INFO' : 'DEBUG',
        ...sentryEnvironment(stage),
        ...(stage.llmProviders.length === 0 ? {} : { AIOPS_LLM_PROVIDERS: stage.llmProviders.join(',') }),
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        minify: true,
        // The map ships with the code but NODE_OPTIONS=--enable-source-maps is not set: it parses the
        // ~9 MB map at every cold start (+50 ms measured). Set it on a function while debugging it.
        sourceMap: true,
        format: OutputFormat.ESM,
        target: BUNDLE_TARGET,
        banner: BUNDLE_BANNER,
        mainFields: [...BUNDLE_MAIN_FIELDS],
        externalModules: [
          ...BUNDLE_EXTERNALS,
          ...agentCodeExternals(
            listAgents().map((a) => a.name),
            props.agent === undefined ? undefined : keptAgents(props.agent),
          ),
        ],
        ...(this.nodeModules.length === 0 ? {} : { nodeModules: [...this.nodeModules] }),
      },
    });
    const role = this.function.role;
    if (role !== undefined) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'Writes to CloudWatch Logs only (CreateLogStream, PutLogEvents); AWS maintains it for every Lambda function.',
      });
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions, so AWS requires "*"; ' +
          'test/infra asserts no other statement of these roles uses a "*" resource.',
      });
    }
  }
}

/**
 * The DSN is resolved by CloudFormation at deploy time (a dynamic reference),
 * so it never sits in the template or the repository. It does land in the
 * function's configuration; a DSN only lets one send events to Sentry, which
 * is why the code reads it from the environment rather than calling Secrets
 * Manager at every cold start.
 */
function sentryEnvironment(stage: Stage): Record<string, string> {
  if (stage.sentryDsnSecretArn === undefined) return {};
  return { SENTRY_DSN: SecretValue.secretsManager(stage.sentryDsnSecretArn).unsafeUnwrap() };
}
