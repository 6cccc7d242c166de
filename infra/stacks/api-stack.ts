/** The HTTP API: API Gateway HTTP API (payload 2.0) in front of the api function. */
import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LANES } from '../../shared/core/domain.js';
import { AiopsFunction } from '../constructs/aiops-function.js';
import { functionEnvironment, grantObjectRead, type SharedResources } from '../function-environment.js';
import type { Stage } from '../stage.js';
import { stateMachineArns } from './workflows-stack.js';

export interface ApiStackProps extends StackProps {
  readonly stage: Stage;
  readonly shared: SharedResources;
}

/** Requests per second across the API; per-key limits are the application's (RateLimit-* headers). */
const THROTTLE = { rateLimit: 100, burstLimit: 200 } as const;

export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly handler: AiopsFunction;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { stage, shared } = props;
    // Derived, not imported: the workflows stack deploys after this one and nothing here waits on it.
    const workflows = stateMachineArns(this, stage);

    this.handler = new AiopsFunction(this, 'Handler', {
      stage,
      kind: 'api',
      functionName: `${stage.prefix}-api`,
      description: 'The AIOps HTTP API',
      memoryMb: 1024,
      timeoutSec: 29,
      environment: { ...functionEnvironment(this, shared), AIOPS_STATE_MACHINE_ARN_PREFIX: workflows.prefix },
    });
    const fn = this.handler.function;
    shared.cluster.grantDataApiAccess(fn);
    // Rate-limit buckets and idempotency records only: item reads and writes on this one table.
    shared.hotStateTable.grant(
      fn,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
    );
    for (const lane of LANES) shared.lanes[lane].queue.grantSendMessages(fn);
    // POST /v1/workflows/{name}/runs starts an execution of one of the three state machines, by exact ARN.
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: workflows.arns }),
    );
    // POST /v1/executions checks a `$object` exists; POST /v1/uploads presigns PUTs under uploads/ only.
    grantObjectRead(shared, fn);
    fn.role?.addManagedPolicy(shared.uploadWritePolicy);

    this.api = new HttpApi(this, 'Api', {
      apiName: stage.prefix,
      description: 'AIOps /v1 API',
      defaultIntegration: new HttpLambdaIntegration('Lambda', fn),
      createDefaultStage: false,
      // Programs call the API with keys; a browser needs an explicit origin list from the context.
      ...(stage.corsOrigins.length === 0
        ? {}
        : {
            corsPreflight: {
              allowOrigins: [...stage.corsOrigins],
              allowMethods: [CorsHttpMethod.ANY],
              allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
            },
          }),
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: stage.logRetention,
      removalPolicy: stage.retainPolicy,
    });
    // A stage of our own, because the default one takes neither throttling nor access logs.
    const apiStage = this.api.addStage('Stage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // HTTP API context variables (the REST API's standard format names some HTTP APIs lack).
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const defaultRoute = this.api.node.tryFindChild('DefaultRoute');
    if (defaultRoute !== undefined) {
      Validations.of(defaultRoute).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'The application authenticates every /v1 request itself (API keys bound to users and roles, rate ' +
          'limited per key, audited); only GET /v1/health answers without a key, by design.',
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: apiStage.url, description: 'Base URL of the /v1 API' });
  }
}
