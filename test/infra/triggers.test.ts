/** The triggers stack and the object store it listens to, read from the synthesized templates. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import { TRIGGER_RETRY } from '../../infra/stacks/triggers-stack.js';
import { asList, policyStatements, type SynthesizedApp, synthesizeApp } from './synth.js';

let dev: SynthesizedApp;

beforeAll(() => {
  dev = synthesizeApp({ stage: 'dev' });
});

type Resource = { Properties: Record<string, unknown> };

function resources(template: SynthesizedApp['templates'][keyof SynthesizedApp['templates']], type: string) {
  return Object.values(template.findResources(type)) as Resource[];
}

describe('the objects bucket', () => {
  it('is private, encrypted, SSL-only, versioned, logged, and tells EventBridge about new objects', () => {
    // Assess
    dev.templates.data.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'objects/' }),
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'uploads/', ExpirationInDays: 7, Status: 'Enabled' }),
        ]),
      },
    });
    dev.templates.data.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('is named to every function, read by agents, the API and the object trigger, written by the API under uploads/ only', () => {
    // Assess: the environment.
    for (const template of [
      dev.templates.agents,
      dev.templates.api,
      dev.templates.lanes,
      dev.templates.triggers,
    ]) {
      for (const fn of resources(template, 'AWS::Lambda::Function')) {
        const variables = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
          ?.Variables;
        if (variables?.AIOPS_LANE_QUEUES !== undefined) expect(variables.AIOPS_OBJECTS_BUCKET).toBeDefined();
      }
    }
    // Assess: who gets which policy.
    const read = JSON.stringify(dev.stacks.data.resolve(dev.stacks.data.objectReadPolicy.managedPolicyArn));
    const write = JSON.stringify(dev.stacks.data.resolve(dev.stacks.data.uploadWritePolicy.managedPolicyArn));
    const attached = (template: SynthesizedApp['templates']['api']) =>
      resources(template, 'AWS::IAM::Role').map((role) =>
        JSON.stringify(role.Properties.ManagedPolicyArns ?? []),
      );
    const exportOf = (arn: string) => (JSON.parse(arn) as { Ref: string }).Ref;
    expect(attached(dev.templates.api).some((p) => p.includes(exportOf(read)))).toBe(true);
    expect(attached(dev.templates.api).some((p) => p.includes(exportOf(write)))).toBe(true);
    expect(attached(dev.templates.agents).filter((p) => p.includes(exportOf(read)))).toHaveLength(
      dev.stacks.agents.agents.size,
    );
    expect(attached(dev.templates.agents).some((p) => p.includes(exportOf(write)))).toBe(false);
    expect(attached(dev.templates.triggers).filter((p) => p.includes(exportOf(read)))).toHaveLength(1);
    dev.templates.data.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 's3:PutObject',
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', [Match.anyValue(), '/uploads/*']] },
          },
        ],
      },
    });
  });

  it('lets only the log analyzer read CloudWatch Logs', () => {
    const filters = policyStatements(dev.templates.agents).filter((s) =>
      asList(s.Action).includes('logs:FilterLogEvents'),
    );
    expect(filters).toHaveLength(1);
    const roles = resources(dev.templates.agents, 'AWS::IAM::Policy').filter((p) =>
      JSON.stringify(p.Properties.PolicyDocument).includes('logs:FilterLogEvents'),
    );
    expect(JSON.stringify(roles[0]?.Properties.Roles)).toContain('loganalyzer');
  });
});

describe('the triggers', () => {
  it('routes Object Created events of the bucket, outside uploads/, to the object trigger', () => {
    dev.templates.triggers.hasResourceProperties('AWS::Events::Rule', {
      Name: 'aiops-dev-object-created',
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [Match.anyValue()] },
          object: { key: [{ 'anything-but': { prefix: 'uploads/' } }] },
        },
      },
      Targets: [
        Match.objectLike({
          RetryPolicy: {
            MaximumRetryAttempts: TRIGGER_RETRY.targetAttempts,
            MaximumEventAgeInSeconds: TRIGGER_RETRY.maxEventAgeHours * 3600,
          },
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      ],
    });
  });

  it('routes alarms entering ALARM, and only those, to the alarm trigger', () => {
    dev.templates.triggers.hasResourceProperties('AWS::Events::Rule', {
      Name: 'aiops-dev-alarm-to-alarm',
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        detail: { state: { value: ['ALARM'] } },
      },
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: Match.anyValue() } })],
    });
  });

  it('retries a failed invocation a bounded number of times, then keeps it in the dead letter queue', () => {
    const configs = resources(dev.templates.triggers, 'AWS::Lambda::EventInvokeConfig');
    expect(configs).toHaveLength(2);
    for (const config of configs) {
      expect(config.Properties).toMatchObject({
        MaximumRetryAttempts: TRIGGER_RETRY.functionAttempts,
        MaximumEventAgeInSeconds: TRIGGER_RETRY.maxEventAgeHours * 3600,
        DestinationConfig: { OnFailure: { Destination: expect.anything() } },
      });
    }
    dev.templates.triggers.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'aiops-dev-triggers-dlq',
      SqsManagedSseEnabled: true,
    });
  });

  it('runs each trigger in its own function, allowed to create executions and to read what it needs', () => {
    // Assess
    for (const name of ['object-trigger', 'alarm-trigger']) {
      dev.templates.triggers.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `aiops-dev-${name}`,
        Runtime: 'nodejs24.x',
        Environment: { Variables: Match.objectLike({ AIOPS_OBJECTS_BUCKET: Match.anyValue() }) },
      });
    }
    const statements = policyStatements(dev.templates.triggers);
    const actions = statements.flatMap((s) => asList(s.Action).map(String));
    expect(actions).toEqual(
      expect.arrayContaining(['rds-data:ExecuteStatement', 'sqs:SendMessage', 'cloudwatch:GetMetricData']),
    );
    const metricReads = statements.filter((s) => asList(s.Action).includes('cloudwatch:GetMetricData'));
    expect(metricReads).toHaveLength(1);
    expect(
      JSON.stringify(
        resources(dev.templates.triggers, 'AWS::IAM::Policy').find((p) =>
          JSON.stringify(p).includes('GetMetricData'),
        )?.Properties.Roles,
      ),
    ).toContain('alarmtrigger');
  });
});
