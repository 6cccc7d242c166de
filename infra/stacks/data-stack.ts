/**
 * The stateful part: Aurora Serverless v2 PostgreSQL reached only through the
 * RDS Data API, the DynamoDB hot-state table (rate limits, idempotency) and
 * the object store for inputs and results too large for a message.
 *
 * Schema migrations are not a resource here: after a deploy, `aiops migrate up`
 * runs from a workstation or CI against the Data API (README, Deploy), so a
 * failed migration never leaves a stack half-updated in CloudFormation.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import {
  FlowLogDestination,
  InterfaceVpcEndpointAwsService,
  IpAddresses,
  SecurityGroup,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import {
  AuroraPostgresEngineVersion,
  ClusterInstance,
  Credentials,
  DatabaseCluster,
  DatabaseClusterEngine,
} from 'aws-cdk-lib/aws-rds';
import { BlockPublicAccess, Bucket, BucketEncryption, CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { UPLOADS_PREFIX } from '../../shared/app/objects.js';
import { ConfigurationError } from '../../shared/core/errors.js';
import type { Stage } from '../stage.js';

export interface DataStackProps extends StackProps {
  readonly stage: Stage;
}

/** The database the application uses (AURORA_DATABASE). */
export const DATABASE_NAME = 'aiops';

export class DataStack extends Stack {
  readonly cluster: DatabaseCluster;
  readonly secret: ISecret;
  readonly hotStateTable: TableV2;
  readonly objectBucket: Bucket;
  /** Read any object by key (agents, the API's existence check, the object trigger). */
  readonly objectReadPolicy: ManagedPolicy;
  /** Write under `uploads/` only: what the API needs to presign upload URLs. */
  readonly uploadWritePolicy: ManagedPolicy;
  readonly databaseName = DATABASE_NAME;
  /** Aurora's ceiling in ACUs, which the capacity alarm measures against. */
  readonly maxCapacity: number;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { stage } = props;
    this.maxCapacity = stage.isProd ? 16 : 4;

    // No NAT and no public subnets: nothing here reaches the internet, and the
    // functions are not in the VPC at all (they use the Data API over HTTPS).
    const vpc = new Vpc(this, 'Vpc', {
      ipAddresses: IpAddresses.cidr('10.40.0.0/16'),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      flowLogs: {
        rejected: {
          destination: FlowLogDestination.toCloudWatchLogs(
            new LogGroup(this, 'FlowLogs', {
              retention: stage.logRetention,
              removalPolicy: stage.retainPolicy,
            }),
          ),
        },
      },
    });
    // The rotation function runs in the isolated subnets and reaches Secrets Manager only through this
    // endpoint, which admits that function's security group and nothing else.
    const secretsEndpoint = vpc.addInterfaceEndpoint('SecretsManager', {
      service: InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      open: false,
    });

    const clusterIdentifier = `${stage.prefix}-aurora`;
    // Created here rather than by RDS, so it has the stage's retention without a log-retention custom resource.
    const postgresLogs = new LogGroup(this, 'AuroraLogs', {
      logGroupName: `/aws/rds/cluster/${clusterIdentifier}/postgresql`,
      retention: stage.logRetention,
      removalPolicy: stage.retainPolicy,
    });

    this.cluster = new DatabaseCluster(this, 'Aurora', {
      engine: DatabaseClusterEngine.auroraPostgres({ version: AuroraPostgresEngineVersion.VER_17_9 }),
      credentials: Credentials.fromGeneratedSecret('aiops_admin', { secretName: `${stage.prefix}/aurora` }),
      defaultDatabaseName: DATABASE_NAME,
      writer: ClusterInstance.serverlessV2('writer', { autoMinorVersionUpgrade: true }),
      // Scale to zero in dev (Aurora pauses when idle); prod keeps a warm half ACU.
      serverlessV2MinCapacity: stage.isProd ? 0.5 : 0,
      serverlessV2MaxCapacity: this.maxCapacity,
      enableDataApi: true,
      iamAuthentication: true,
      storageEncrypted: true,
      vpc,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_ISOLATED },
      backup: { retention: Duration.days(stage.isProd ? 14 : 1) },
      deletionProtection: stage.isProd,
      removalPolicy: stage.databaseRemovalPolicy,
      cloudwatchLogsExports: ['postgresql'],
      clusterIdentifier,
    });
    this.cluster.node.addDependency(postgresLogs);
    if (!stage.isProd) {
      Validations.of(this.cluster).acknowledge({
        id: 'AwsSolutions-RDS10',
        reason:
          'Deletion protection is on in prod only; a dev cluster is disposable and torn down with its stack.',
      });
    }
    const secret = this.cluster.secret;
    if (secret === undefined) {
      throw new ConfigurationError('Aurora was created without a generated secret, which the Data API needs');
    }
    this.secret = secret;
    const rotationSecurityGroup = new SecurityGroup(this, 'RotationSecurityGroup', {
      vpc,
      description: 'Aurora secret rotation function',
    });
    secretsEndpoint.connections.allowDefaultPortFrom(rotationSecurityGroup, 'secret rotation');
    this.cluster.addRotationSingleUser({
      automaticallyAfter: Duration.days(30),
      endpoint: secretsEndpoint,
      securityGroup: rotationSecurityGroup,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_ISOLATED },
    });

    this.hotStateTable = new TableV2(this, 'HotState', {
      tableName: `${stage.prefix}-hot-state`,
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      timeToLiveAttribute: 'ttl',
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: stage.isProd,
      removalPolicy: stage.retainPolicy,
    });

    const accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(stage.isProd ? 365 : 30) }],
      // Kept in every stage: emptying a bucket on delete needs a custom-resource Lambda; see README, Deploy.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log destination; logging it into itself would loop.',
    });

    this.objectBucket = new Bucket(this, 'Objects', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'objects/',
      lifecycleRules: [
        // Large inputs and results are referenced by executions; the retention job prunes those rows first.
        { expiration: Duration.days(stage.isProd ? 90 : 14), noncurrentVersionExpiration: Duration.days(7) },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // POST /v1/uploads targets: read by the execution that names them, minutes after they land.
        { prefix: UPLOADS_PREFIX, expiration: Duration.days(7) },
      ],
      // Kept in every stage: emptying a bucket on delete needs a custom-resource Lambda; see README, Deploy.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Object events go to EventBridge (the triggers stack's rules). Set natively on the bucket: the L2's
    // eventBridgeEnabled goes through a notifications custom-resource Lambda for the same result.
    const cfnObjects = this.objectBucket.node.defaultChild;
    if (cfnObjects instanceof CfnBucket) {
      cfnObjects.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    }

    // Policies rather than grants in each consumer: the wildcard on keys is reviewed once, here.
    this.objectReadPolicy = new ManagedPolicy(this, 'ObjectRead', {
      description: 'Read objects of the AIOps object store by key',
      statements: [
        // ListBucket makes S3 answer a missing key with 404 rather than 403.
        new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.objectBucket.bucketArn] }),
        new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.objectBucket.arnForObjects('*')] }),
      ],
    });
    this.uploadWritePolicy = new ManagedPolicy(this, 'UploadWrite', {
      description: 'Write uploads (presigned PUTs) to the AIOps object store',
      statements: [
        new PolicyStatement({
          actions: ['s3:PutObject'],
          resources: [this.objectBucket.arnForObjects(`${UPLOADS_PREFIX}*`)],
        }),
      ],
    });
    Validations.of(this.objectReadPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::<ObjectsA92BA4F1.Arn>/*]',
      reason:
        'An execution names its input object by key at run time (`$object`), and the S3 trigger routes any new ' +
        'key; the policy is read-only and limited to this one bucket.',
    });
    Validations.of(this.uploadWritePolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::<ObjectsA92BA4F1.Arn>/uploads/*]',
      reason: 'Each upload gets a fresh key under uploads/<user>/<id>/; writes are limited to that prefix.',
    });

    // What `aiops migrate up` and `aiops keys create` need from a workstation (README, Deploy).
    new CfnOutput(this, 'AuroraClusterArn', { value: this.cluster.clusterArn });
    new CfnOutput(this, 'AuroraSecretArn', { value: this.secret.secretArn });
    new CfnOutput(this, 'ObjectBucketName', { value: this.objectBucket.bucketName });
  }
}
