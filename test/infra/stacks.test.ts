/** What the CDK app deploys, read from the synthesized templates (bundling skipped). */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import { listAgents } from '../../shared/agents/registry.js';
import { LANES } from '../../shared/core/domain.js';
import { LANE_SETTINGS } from '../../shared/lanes/settings.js';
import { deadLetterQueueName, laneQueueName } from '../../shared/lanes/sqs.js';
import { WORKFLOW_NAMES } from '../../shared/workflows/index.js';
import { asList, policyStatements, type SynthesizedApp, synthesizeApp } from './synth.js';

let dev: SynthesizedApp;

/** What a state machine's role needs to deliver its logs; CloudWatch Logs scopes none of it to a resource. */
const STATE_MACHINE_LOGGING = new Set([
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

beforeAll(() => {
  dev = synthesizeApp({ stage: 'dev' });
});

describe('lanes', () => {
  it('has a queue and a dead letter queue per lane, all SQS-managed encrypted', () => {
    // Assess
    const queues = dev.templates.lanes.findResources('AWS::SQS::Queue');
    expect(Object.keys(queues)).toHaveLength(2 * LANES.length);
    for (const queue of Object.values(queues)) {
      expect(queue).toMatchObject({ Properties: { SqsManagedSseEnabled: true } });
    }
  });

  it.each(LANES)('%s: redrives after maxAttempts receives, visibility ≥ 6× the worker timeout', (lane) => {
    // Assess
    dev.templates.lanes.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: laneQueueName('dev', lane),
      VisibilityTimeout: 6 * LANE_SETTINGS[lane].timeoutSec,
      RedrivePolicy: {
        maxReceiveCount: LANE_SETTINGS[lane].maxAttempts,
        deadLetterTargetArn: Match.anyValue(),
      },
    });
    dev.templates.lanes.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: deadLetterQueueName('dev', lane),
    });
  });

  it.each(LANES)('%s: consumed with ReportBatchItemFailures and the lane’s concurrency cap', (lane) => {
    // Assess
    dev.templates.lanes.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: Math.max(2, LANE_SETTINGS[lane].concurrency) },
    });
    dev.templates.lanes.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: `aiops-dev-lane-${lane}`,
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Timeout: LANE_SETTINGS[lane].timeoutSec,
      Environment: {
        Variables: Match.objectLike({ AIOPS_LANE: lane, AIOPS_AGENT_FUNCTION_PREFIX: 'aiops-dev-agent-' }),
      },
    });
  });

  it('lets lane workers invoke the agents’ functions and nothing else', () => {
    // Assess
    const invokes = policyStatements(dev.templates.lanes).filter((s) =>
      asList(s.Action).some((action) => String(action).startsWith('lambda:')),
    );
    expect(invokes).toHaveLength(LANES.length);
    for (const statement of invokes) {
      expect(statement.Action).toBe('lambda:InvokeFunction');
      const resources = asList(statement.Resource).map((r) => JSON.stringify(r));
      expect(resources).toHaveLength(listAgents().length);
      for (const agent of listAgents()) {
        expect(resources.some((r) => r.includes(`function:aiops-dev-agent-${agent.name}`))).toBe(true);
      }
    }
  });
});

describe('agents', () => {
  it.each(listAgents().map((agent) => [agent.name, agent.resources] as const))(
    '%s runs in its own function with its memory and timeout',
    (name, resources) => {
      // Assess
      dev.templates.agents.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `aiops-dev-agent-${name}`,
        MemorySize: resources.memoryMb,
        Timeout: resources.timeoutSec,
        Runtime: 'nodejs24.x',
      });
    },
  );

  it('has exactly one function per registered agent', () => {
    // Assess
    dev.templates.agents.resourceCountIs('AWS::Lambda::Function', listAgents().length);
  });

  it('ships the packages an agent loads WASM from in node_modules, for that agent’s function alone', () => {
    // Assess
    const dependencies = Object.keys(
      (
        JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
          dependencies: object;
        }
      ).dependencies,
    );
    for (const agent of listAgents()) {
      const fn = dev.stacks.agents.agents.get(agent.name);
      expect(fn?.nodeModules).toEqual(agent.nodeModules ?? []);
      for (const name of fn?.nodeModules ?? []) expect(dependencies).toContain(name);
    }
    expect(dev.stacks.agents.agents.get('db-query-analyzer')?.nodeModules).toEqual(['libpg-query']);
  });
});

describe('data', () => {
  it('runs Aurora PostgreSQL with the Data API, encrypted, in isolated subnets only', () => {
    // Assess
    dev.templates.data.hasResourceProperties('AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      EnableHttpEndpoint: true,
      StorageEncrypted: true,
      DatabaseName: 'aiops',
    });
    dev.templates.data.resourceCountIs('AWS::EC2::NatGateway', 0);
    dev.templates.data.resourceCountIs('AWS::EC2::InternetGateway', 0);
    dev.templates.data.resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
  });

  it('lets the rotation function, and only it, reach Secrets Manager through the VPC endpoint', () => {
    // Assess
    dev.templates.data.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: true,
    });
    expect(JSON.stringify(dev.templates.data.findResources('AWS::EC2::VPCEndpoint'))).toContain(
      '.secretsmanager',
    );
    const endpointIngress = Object.values(
      dev.templates.data.findResources('AWS::EC2::SecurityGroupIngress'),
    ).filter((rule) => JSON.stringify(rule).includes('SecretsManagerSecurityGroup'));
    expect(endpointIngress).toHaveLength(1);
    expect(endpointIngress[0]).toMatchObject({ Properties: { FromPort: 443, ToPort: 443 } });
    expect(JSON.stringify(endpointIngress[0])).toMatch(
      /"SourceSecurityGroupId":\{"Fn::GetAtt":\["RotationSecurityGroup/,
    );
  });

  it('keeps hot state in an on-demand table with TTL and point-in-time recovery', () => {
    // Assess
    dev.templates.data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
  });

  it('blocks public access to every bucket and sends object events to EventBridge', () => {
    // Assess
    const buckets = Object.values(dev.templates.data.findResources('AWS::S3::Bucket'));
    expect(buckets.length).toBeGreaterThan(0);
    for (const bucket of buckets) {
      expect(bucket).toMatchObject({
        Properties: {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
        },
      });
    }
    dev.templates.data.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
  });
});

describe('api', () => {
  it('serves an HTTP API with throttling and access logs, and outputs its URL', () => {
    // Assess
    dev.templates.api.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    dev.templates.api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
    dev.templates.api.hasOutput('ApiUrl', {});
  });

  it('enables CORS only for the origins the context names', () => {
    // Act
    const withCors = synthesizeApp({ stage: 'dev', corsOrigins: 'https://ops.example.com' });

    // Assess
    withCors.templates.api.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: { AllowOrigins: ['https://ops.example.com'] },
    });
    const plain = Object.values(dev.templates.api.findResources('AWS::ApiGatewayV2::Api'));
    expect(
      plain.every((api) => !('CorsConfiguration' in ((api as { Properties: object }).Properties ?? {}))),
    ).toBe(true);
  });

  it('lets the api function touch the hot-state table item by item, nothing more', () => {
    // Assess
    const dynamo = policyStatements(dev.templates.api).filter((s) =>
      asList(s.Action).some((action) => String(action).startsWith('dynamodb:')),
    );
    expect(dynamo).toHaveLength(1);
    expect(asList(dynamo[0]?.Action).sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
  });
});

describe('observability', () => {
  it('alarms on every dead letter queue, each function and Aurora capacity, into an encrypted topic', () => {
    // Assess
    // Lane workers, agents, the API, the two triggers and the workflow task function.
    const functions = LANES.length + listAgents().length + 1 + 2 + 1;
    const alarms = dev.templates.observability.findResources('AWS::CloudWatch::Alarm');
    // Errors and throttles per function, one per lane DLQ, the schedules' and triggers' DLQs, one per
    // workflow (failed runs), API 5xx, Aurora capacity.
    expect(Object.keys(alarms)).toHaveLength(2 * functions + LANES.length + 2 + WORKFLOW_NAMES.length + 2);
    for (const name of WORKFLOW_NAMES) {
      dev.templates.observability.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `aiops-dev-workflow-${name}-failed`,
        MetricName: 'ExecutionsFailed',
        Namespace: 'AWS/States',
      });
    }
    dev.templates.observability.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: Match.anyValue(),
    });
    dev.templates.observability.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
    dev.templates.observability.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ServerlessDatabaseCapacity',
    });
  });
});

describe('function defaults', () => {
  it('gives every function the Powertools settings and the whole lane map', () => {
    // Assess
    for (const template of [dev.templates.lanes, dev.templates.agents, dev.templates.api]) {
      for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
        const variables = (fn as { Properties: { Environment: { Variables: Record<string, unknown> } } })
          .Properties.Environment.Variables;
        expect(variables).toMatchObject({
          AIOPS_STAGE: 'dev',
          POWERTOOLS_SERVICE_NAME: 'aiops',
          POWERTOOLS_METRICS_NAMESPACE: 'AIOps',
          LOG_LEVEL: 'DEBUG',
          AURORA_DATABASE: 'aiops',
        });
        const laneMap = JSON.stringify(variables.AIOPS_LANE_QUEUES);
        for (const lane of LANES) expect(laneMap).toContain(`\\"${lane}\\":{\\"url\\"`);
        expect(variables).not.toHaveProperty('SENTRY_DSN');
      }
    }
  });

  it('resolves the Sentry DSN from Secrets Manager at deploy time when the context names a secret', () => {
    // Prepare
    const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:aiops/sentry-AbCdEf';

    // Act
    const withSentry = synthesizeApp({ stage: 'dev', sentryDsnSecretArn: secretArn });

    // Assess
    withSentry.templates.api.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          SENTRY_DSN: `{{resolve:secretsmanager:${secretArn}:SecretString:::}}`,
        }),
      },
    });
    // The SDK is left out of the bundles and shipped in node_modules only where a DSN is set.
    expect(withSentry.stacks.api.handler.nodeModules).toContain('@sentry/aws-serverless');
    expect(dev.stacks.api.handler.nodeModules).not.toContain('@sentry/aws-serverless');
  });
});

describe('IAM', () => {
  it('grants no "*" action anywhere, and a "*" resource only to X-Ray, GetMetricData and log delivery', () => {
    // Assess
    for (const template of Object.values(dev.templates)) {
      for (const statement of policyStatements(template)) {
        const actions = asList(statement.Action).map(String);
        expect(actions).not.toContain('*');
        if (asList(statement.Resource).includes('*')) {
          // None has resource-level permissions; GetMetricData is the alarm trigger's, read-only; the log
          // delivery actions are the state machines' logging (CloudWatch Logs vended delivery).
          expect(
            actions.every(
              (a) =>
                a.startsWith('xray:') || a === 'cloudwatch:GetMetricData' || STATE_MACHINE_LOGGING.has(a),
            ),
          ).toBe(true);
        }
      }
    }
  });
});
