/**
 * CloudFormation → the cloud resource model (./model.ts). Each resource type
 * the checks know becomes its aspects, with the line of every property read;
 * a `Ref` to a parameter with a Default reads the default, anything else
 * computed stays unknown. Buckets that other resources send logs to are
 * marked (they need no access log of their own).
 */
import { CLOUDFORMATION_DATA } from './from-cloudformation-data.js';
import type {
  BlockDevice,
  CloudResource,
  IngressRule,
  Located,
  PolicyDocument,
  PolicyUse,
  ResourceKind,
} from './model.js';
import { networkAspects } from './network-cloudformation.js';
import { deliversLogs, policyStatements } from './policy.js';
import { refersTo, type Template, type TemplateResource } from './template.js';
import { asList, isObject, type Json, truth } from './values.js';

type Build = (r: TemplateResource, ctx: Context) => Partial<CloudResource>;

interface Context {
  template: Template;
  literal(value: unknown): unknown;
  logBuckets: ReadonlySet<string>;
}

const TAGGABLE = new Set([
  'AWS::S3::Bucket',
  'AWS::EC2::Instance',
  'AWS::EC2::Volume',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::VPC',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::DynamoDB::Table',
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
  'AWS::Lambda::Function',
  'AWS::KMS::Key',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
]);

const BLOCK_SETTINGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];

/** A literal value, a parameter's default behind a Ref, or the value itself (unknown) when computed. */
function literalIn(template: Template, value: unknown): unknown {
  if (isObject(value) && Object.keys(value).length === 1 && typeof value.Ref === 'string') {
    const parameter = template.parameters[value.Ref];
    return isObject(parameter) && parameter.Default !== undefined ? parameter.Default : value;
  }
  return value;
}

function located(r: TemplateResource, ctx: Context, ...path: string[]): Located<unknown> {
  let value: unknown = r.properties;
  for (const key of path) value = isObject(value) ? value[key] : undefined;
  const line = value === undefined ? undefined : r.lineOf(['Properties', ...path]);
  return { value: ctx.literal(value), ...(line === undefined ? {} : { line }) };
}

/** 'PublicReadWrite' → 'public-read-write', the canned ACL names both languages share. */
function cannedAcl(value: string): string {
  return value.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
}

/** Buckets that receive logs (access logs, ALB logs, trails): they need no access log of their own. */
function logBuckets(template: Template): Set<string> {
  const ids = new Set<string>();
  const bucketResources = template.resources.filter((r) => r.type === 'AWS::S3::Bucket');
  const buckets = bucketResources.map((r) => r.id);
  // A literal name (DestinationBucketName: access-logs) names the bucket declared with that BucketName, as in Terraform.
  const named = new Map(
    bucketResources.flatMap((r) =>
      typeof r.properties.BucketName === 'string' ? [[r.properties.BucketName, r.id] as const] : [],
    ),
  );
  const visit = (value: unknown, inLogs: boolean) => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v, inLogs);
      return;
    }
    if (!isObject(value)) return;
    for (const [key, v] of Object.entries(value)) {
      const logs = inLogs || /log|trail|S3BucketName/i.test(key);
      if (logs) for (const id of buckets) if (referencesResource(v, id)) ids.add(id);
      const byName = logs && typeof v === 'string' ? named.get(v) : undefined;
      if (byName !== undefined) ids.add(byName);
      visit(v, logs);
    }
  };
  for (const r of template.resources) {
    if (r.type === 'AWS::S3::Bucket' && r.properties.AccessControl === 'LogDeliveryWrite') ids.add(r.id);
    if (r.type === 'AWS::S3::BucketPolicy' && deliversLogs(r.properties.PolicyDocument)) {
      for (const id of buckets) if (referencesResource(r.properties.Bucket, id)) ids.add(id);
    }
    if (r.type !== 'AWS::S3::Bucket') visit(r.properties, false);
    else visit({ LoggingConfiguration: r.properties.LoggingConfiguration }, false);
  }
  return ids;
}

/** Ref and GetAtt only (a Sub string naming the bucket is not a log destination). */
function referencesResource(value: unknown, id: string): boolean {
  if (typeof value === 'string') return false;
  return refersTo(value, id);
}

function policy(
  r: TemplateResource,
  path: readonly (string | number)[],
  document: unknown,
  use: PolicyUse,
  label = '',
): PolicyDocument {
  const statements = policyStatements(document);
  const line = r.lineOf(['Properties', ...path]);
  return {
    statements,
    use,
    label,
    ...(line === undefined ? {} : { line }),
    statementLines: (statements ?? []).map((s) =>
      isObject(document) ? r.lineOf(['Properties', ...path, 'Statement', s.index]) : line,
    ),
  };
}

function ingressRule(
  r: TemplateResource,
  ctx: Context,
  rule: Json,
  path: (string | number)[],
  index?: number,
): IngressRule {
  // A standalone rule resource points at its CIDR, an inline rule at its list item.
  const cidrKey = rule.CidrIp === undefined ? 'CidrIpv6' : 'CidrIp';
  const line = r.lineOf(['Properties', ...(path.length === 0 ? [cidrKey] : path)]);
  return {
    ...(index === undefined ? {} : { index }),
    cidrs: [ctx.literal(rule.CidrIp), ctx.literal(rule.CidrIpv6)].filter((c) => c !== undefined),
    protocol: ctx.literal(rule.IpProtocol),
    from: ctx.literal(rule.FromPort),
    to: ctx.literal(rule.ToPort),
    ...(line === undefined ? {} : { line }),
  };
}

function devices(r: TemplateResource, ctx: Context, data: Json, prefix: string[]): BlockDevice[] {
  return asList(data.BlockDeviceMappings).flatMap((mapping, i) => {
    if (!isObject(mapping) || !isObject(mapping.Ebs)) return [];
    const line = r.lineOf(['Properties', ...prefix, 'BlockDeviceMappings', i]);
    return [
      {
        name: `Block device ${String(mapping.DeviceName ?? i + 1)}`,
        encrypted: ctx.literal(mapping.Ebs.Encrypted),
        ...(line === undefined ? {} : { line }),
      },
    ];
  });
}

const bucket: Build = (r, ctx) => {
  const p = r.properties;
  const acl = located(r, ctx, 'AccessControl');
  const block = p.PublicAccessBlockConfiguration;
  const blockLine = r.lineOf(['Properties', 'PublicAccessBlockConfiguration']);
  return {
    kind: 'bucket',
    bucket: {
      acls: typeof acl.value === 'string' ? [{ ...acl, value: cannedAcl(acl.value) }] : [],
      ...(isObject(block)
        ? {
            publicAccessBlock: {
              off: BLOCK_SETTINGS.filter((s) => truth(ctx.literal(block[s])) === false),
              at: {
                id: r.id,
                name: r.id,
                type: r.type,
                file: ctx.template.file,
                ...(blockLine ? { line: blockLine } : {}),
              },
            },
          }
        : {}),
      encrypted: p.BucketEncryption !== undefined,
      logged: p.LoggingConfiguration !== undefined,
      receivesLogs: ctx.logBuckets.has(r.id),
    },
  };
};

const resourcePolicy =
  (
    key: string,
    use: PolicyUse,
    label = '',
    kind: ResourceKind = 'resource-policy',
    alternative?: string,
  ): Build =>
  (r) => {
    const path = r.properties[key] === undefined && alternative !== undefined ? alternative : key;
    return { kind, policies: [policy(r, [path], r.properties[path], use, label)] };
  };

const principalPolicies: Build = (r) => ({
  kind: 'iam-principal',
  policies: asList(r.properties.Policies).flatMap((p, i) =>
    isObject(p)
      ? [
          policy(
            r,
            ['Policies', i, 'PolicyDocument'],
            p.PolicyDocument,
            'identity',
            `Policy ${String(p.PolicyName ?? '')}: `,
          ),
        ]
      : [],
  ),
});

const permission: Build = (r, ctx) => {
  const p = r.properties;
  const open =
    ctx.literal(p.Principal) === '*' &&
    p.SourceArn === undefined &&
    p.SourceAccount === undefined &&
    p.PrincipalOrgID === undefined;
  const line = r.lineOf(['Properties', 'Principal']);
  return {
    kind: 'function-permission',
    ...(open
      ? {
          publicInvoke: {
            action: String(ctx.literal(p.Action) ?? 'the function'),
            url: p.FunctionUrlAuthType === 'NONE',
            ...(line === undefined ? {} : { line }),
          },
        }
      : {}),
  };
};

const database =
  (kind: 'database' | 'database-cluster'): Build =>
  (r, ctx) => {
    const p = r.properties;
    const inherits =
      kind === 'database'
        ? p.DBClusterIdentifier !== undefined ||
          p.SourceDBInstanceIdentifier !== undefined ||
          p.DBSnapshotIdentifier !== undefined
        : ctx.literal(p.EngineMode) === 'serverless' ||
          p.SnapshotIdentifier !== undefined ||
          p.SourceDBClusterIdentifier !== undefined;
    return {
      kind,
      database: {
        publiclyAccessible: located(r, ctx, 'PubliclyAccessible'),
        storageEncrypted: located(r, ctx, 'StorageEncrypted'),
        inheritsEncryption: inherits,
      },
    };
  };

const securityGroup: Build = (r, ctx) => ({
  kind: 'security-group',
  ingress: asList(r.properties.SecurityGroupIngress).flatMap((rule, i) =>
    isObject(rule) ? [ingressRule(r, ctx, rule, ['SecurityGroupIngress', i], i)] : [],
  ),
});

const loadBalancerV2: Build = (r, ctx) => {
  if ((ctx.literal(r.properties.Type) ?? 'application') !== 'application') return { kind: 'load-balancer' };
  const attributes = asList(r.properties.LoadBalancerAttributes);
  const index = attributes.findIndex((a) => isObject(a) && a.Key === 'access_logs.s3.enabled');
  const attribute = attributes[index];
  const line = index < 0 ? undefined : r.lineOf(['Properties', 'LoadBalancerAttributes', index]);
  return {
    kind: 'load-balancer',
    loadBalancer: {
      accessLogs: {
        value: isObject(attribute) ? ctx.literal(attribute.Value) : false,
        ...(line === undefined ? {} : { line }),
      },
    },
  };
};

const BUILDERS: Readonly<Record<string, Build>> = {
  'AWS::S3::Bucket': bucket,
  'AWS::S3::BucketPolicy': resourcePolicy('PolicyDocument', 'bucket', '', 'bucket-policy'),
  'AWS::SQS::QueuePolicy': resourcePolicy('PolicyDocument', 'resource'),
  'AWS::SNS::TopicPolicy': resourcePolicy('PolicyDocument', 'resource'),
  'AWS::SecretsManager::ResourcePolicy': resourcePolicy(
    'PolicyDocument',
    'resource',
    '',
    'resource-policy',
    'ResourcePolicy',
  ),
  'AWS::KMS::Key': resourcePolicy('KeyPolicy', 'resource', 'Key policy ', 'key'),
  'AWS::ECR::Repository': resourcePolicy('RepositoryPolicyText', 'resource', 'Repository policy ', 'other'),
  'AWS::Lambda::Permission': permission,
  'AWS::IAM::Policy': resourcePolicy('PolicyDocument', 'identity', '', 'iam-policy'),
  'AWS::IAM::ManagedPolicy': resourcePolicy('PolicyDocument', 'identity', '', 'iam-policy'),
  'AWS::IAM::Role': principalPolicies,
  'AWS::IAM::User': principalPolicies,
  'AWS::IAM::Group': principalPolicies,
  'AWS::EC2::SecurityGroup': securityGroup,
  'AWS::EC2::SecurityGroupIngress': (r, ctx) => ({
    kind: 'security-group-rule',
    ingress: [ingressRule(r, ctx, r.properties, [])],
  }),
  'AWS::EC2::Volume': (r, ctx) => ({
    kind: 'volume',
    volume: { encrypted: located(r, ctx, 'Encrypted'), fromSnapshot: r.properties.SnapshotId !== undefined },
  }),
  'AWS::EC2::Instance': (r, ctx) => ({ kind: 'instance', devices: devices(r, ctx, r.properties, []) }),
  'AWS::EC2::LaunchTemplate': (r, ctx) => {
    const data = isObject(r.properties.LaunchTemplateData) ? r.properties.LaunchTemplateData : {};
    return { kind: 'instance', devices: devices(r, ctx, data, ['LaunchTemplateData']) };
  },
  'AWS::RDS::DBInstance': database('database'),
  'AWS::RDS::DBCluster': database('database-cluster'),
  'AWS::DynamoDB::Table': (r, ctx) => ({
    kind: 'table',
    table: { sseEnabled: located(r, ctx, 'SSESpecification', 'SSEEnabled') },
  }),
  'AWS::DynamoDB::GlobalTable': (r, ctx) => ({
    kind: 'table',
    table: { sseEnabled: located(r, ctx, 'SSESpecification', 'SSEEnabled') },
  }),
  'AWS::SQS::Queue': (r, ctx) => ({
    kind: 'queue',
    queue: {
      kmsKey: r.properties.KmsMasterKeyId !== undefined,
      managedSse: located(r, ctx, 'SqsManagedSseEnabled'),
    },
  }),
  'AWS::SNS::Topic': (r) => ({ kind: 'topic', topic: { kmsKey: r.properties.KmsMasterKeyId !== undefined } }),
  'AWS::EFS::FileSystem': (r, ctx) => ({
    kind: 'file-system',
    fileSystem: { encrypted: located(r, ctx, 'Encrypted') },
  }),
  'AWS::CloudTrail::Trail': (r, ctx) => ({
    kind: 'trail',
    trail: {
      logging: located(r, ctx, 'IsLogging'),
      validation: located(r, ctx, 'EnableLogFileValidation'),
      multiRegion: located(r, ctx, 'IsMultiRegionTrail'),
    },
  }),
  'AWS::ElasticLoadBalancingV2::LoadBalancer': loadBalancerV2,
  'AWS::ElasticLoadBalancing::LoadBalancer': (r, ctx) => ({
    kind: 'load-balancer',
    loadBalancer: { accessLogs: located(r, ctx, 'AccessLoggingPolicy', 'Enabled') },
  }),
  'AWS::ApiGateway::Stage': (r) => ({
    kind: 'api-stage',
    apiStage: { accessLogs: hasDestination(r.properties.AccessLogSetting) },
  }),
  'AWS::ApiGatewayV2::Stage': (r) => ({
    kind: 'api-stage',
    apiStage: { accessLogs: hasDestination(r.properties.AccessLogSettings) },
  }),
  'AWS::Lambda::Function': () => ({ kind: 'function' }),
};

function hasDestination(settings: unknown): boolean {
  return isObject(settings) && settings.DestinationArn !== undefined;
}

function cdkPathOf(metadata: unknown): string | undefined {
  const path = isObject(metadata) ? metadata['aws:cdk:path'] : undefined;
  return typeof path === 'string' ? path : undefined;
}

function normaliseResource(r: TemplateResource, ctx: Context): CloudResource {
  const aspects = BUILDERS[r.type]?.(r, ctx) ?? { kind: 'other' as const };
  const cdkPath = cdkPathOf(r.metadata);
  const tags = r.properties.Tags;
  return {
    kind: 'other',
    ...CLOUDFORMATION_DATA[r.type]?.(r, ctx.literal),
    ...aspects,
    ...networkAspects(r, ctx.literal),
    id: r.id,
    name: r.id,
    type: r.type,
    source: 'cloudformation',
    provider: 'aws',
    file: ctx.template.file,
    ...(r.line === undefined ? {} : { line: r.line }),
    ...(cdkPath === undefined ? {} : { cdkPath }),
    properties: r.properties,
    lineOf: (path) => r.lineOf(['Properties', ...path]),
    ...(TAGGABLE.has(r.type) ? { tagged: asList(tags).length > 0 || isObject(tags) } : {}),
  };
}

function normaliseParameter(template: Template, name: string, parameter: Json): CloudResource {
  const line = template.lineOf(['Parameters', name]);
  const fallback =
    typeof parameter.Default === 'string' && parameter.Default !== '' ? parameter.Default : undefined;
  return {
    kind: 'parameter',
    id: name,
    name,
    type: 'Parameter',
    source: 'cloudformation',
    file: template.file,
    ...(line === undefined ? {} : { line }),
    properties: {},
    lineOf: (path) => template.lineOf(['Parameters', name, ...path]),
    parameter: {
      ...(fallback === undefined ? {} : { fallback }),
      hidden: truth(parameter.NoEcho) === true,
      textual: parameter.Type === undefined || /^String$|^CommaDelimitedList$/.test(String(parameter.Type)),
      mustHide: true,
    },
  };
}

/** The template's resources and parameters as model resources. */
export function fromCloudFormation(template: Template): CloudResource[] {
  const ctx: Context = {
    template,
    literal: (value) => literalIn(template, value),
    logBuckets: logBuckets(template),
  };
  const resources = template.resources.map((r) => normaliseResource(r, ctx));
  const parameters = Object.entries(template.parameters).flatMap(([name, parameter]) =>
    isObject(parameter) ? [normaliseParameter(template, name, parameter)] : [],
  );
  return [...resources, ...parameters];
}
