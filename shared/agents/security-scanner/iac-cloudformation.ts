/**
 * CloudFormation templates, JSON or YAML, hand-written or synthesized by the
 * CDK. YAML short-form intrinsics (!Ref, !GetAtt, !Sub, …) parse into their
 * long form. Each resource is checked by type; its line is the line of its
 * logical id. `Metadata.aiops.ignore` suppressions are read here
 * (parseCloudFormationIgnore). cdk-nag's `Metadata.cdk_nag` acknowledgements
 * belong to another rule set and do not suppress anything here.
 */
import { isMap, isScalar, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import { CLOUDFORMATION_TAGS, LOOKS_LIKE_TEMPLATE } from '../../analysis/cloudformation.js';
import { documentValue } from '../../analysis/documents/yaml.js';
import { isSecretName, placeholderReason } from '../../analysis/secrets/index.js';
import type { Finding, Severity, SourceFile } from '../contract.js';
import { ruleFinding } from '../rules.js';
import { mergeSuppressions, type ParsedSuppressions, parseCloudFormationIgnore } from '../suppressions.js';
import {
  asList,
  describePorts,
  exposedAdminPorts,
  isWorldCidr,
  policyIssues,
  policyStatements,
  portRange,
  truth,
} from './iac-common.js';
import { rule } from './rules.js';

type Json = Record<string, unknown>;

interface Template {
  parameters: Json;
  resources: Record<string, { Type: string; Properties: Json; Metadata?: unknown }>;
  lines: Map<string, number>;
  parameterLines: Map<string, number>;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type TemplateParse = { template: Template } | { error: string } | undefined;

/** The template in a file, a parse error when it looks like one but does not parse, or undefined. */
export function parseTemplate(file: SourceFile): TemplateParse {
  if (!LOOKS_LIKE_TEMPLATE.test(file.content)) return undefined;
  const lineCounter = new LineCounter();
  const doc = parseDocument(file.content, {
    customTags: CLOUDFORMATION_TAGS,
    lineCounter,
    logLevel: 'silent',
    uniqueKeys: false,
  });
  const parsed = documentValue(doc);
  if ('error' in parsed) return { error: parsed.error };
  const value = parsed.value;
  if (!isObject(value) || !isObject(value.Resources)) return undefined;
  const resources: Template['resources'] = {};
  for (const [id, resource] of Object.entries(value.Resources)) {
    if (!isObject(resource) || typeof resource.Type !== 'string') continue;
    resources[id] = {
      Type: resource.Type,
      Properties: isObject(resource.Properties) ? resource.Properties : {},
      ...(resource.Metadata === undefined ? {} : { Metadata: resource.Metadata }),
    };
  }
  if (Object.keys(resources).length === 0 && value.AWSTemplateFormatVersion === undefined) return undefined;
  const keyLines = (section: string) => {
    const lines = new Map<string, number>();
    const node = doc.get(section, true);
    if (isMap(node)) {
      for (const pair of (node as YAMLMap).items) {
        if (isScalar(pair.key) && pair.key.range) {
          lines.set(String(pair.key.value), lineCounter.linePos(pair.key.range[0]).line);
        }
      }
    }
    return lines;
  };
  return {
    template: {
      parameters: isObject(value.Parameters) ? value.Parameters : {},
      resources,
      lines: keyLines('Resources'),
      parameterLines: keyLines('Parameters'),
    },
  };
}

/** A literal value, a parameter's default behind a Ref, or undefined when computed at deploy time. */
function literal(template: Template, value: unknown): unknown {
  if (isObject(value) && Object.keys(value).length === 1 && typeof value.Ref === 'string') {
    const parameter = template.parameters[value.Ref];
    return isObject(parameter) && parameter.Default !== undefined ? parameter.Default : value;
  }
  return value;
}

function refersTo(value: unknown, id: string): boolean {
  if (Array.isArray(value)) return value.some((v) => refersTo(v, id));
  if (!isObject(value)) return false;
  if (value.Ref === id) return true;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[0] === id) return true;
  return Object.values(value).some((v) => refersTo(v, id));
}

/** Buckets that receive logs (access logs, ALB logs, trails): they need no access log of their own. */
function logBuckets(template: Template): Set<string> {
  const ids = new Set<string>();
  const bucketIds = Object.entries(template.resources)
    .filter(([, r]) => r.Type === 'AWS::S3::Bucket')
    .map(([id]) => id);
  const visit = (value: unknown, inLogs: boolean) => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v, inLogs);
      return;
    }
    if (!isObject(value)) return;
    for (const [key, v] of Object.entries(value)) {
      const logs = inLogs || /log|trail|S3BucketName/i.test(key);
      if (logs) for (const id of bucketIds) if (refersTo(v, id)) ids.add(id);
      visit(v, logs);
    }
  };
  for (const [id, resource] of Object.entries(template.resources)) {
    if (resource.Type === 'AWS::S3::Bucket' && resource.Properties.AccessControl === 'LogDeliveryWrite')
      ids.add(id);
    if (resource.Type === 'AWS::S3::BucketPolicy') {
      const text = JSON.stringify(resource.Properties.PolicyDocument ?? {});
      if (
        /logging\.s3\.amazonaws\.com|delivery\.logs\.amazonaws\.com|cloudtrail\.amazonaws\.com|logdelivery\.elasticloadbalancing/.test(
          text,
        )
      ) {
        for (const bucket of bucketIds) if (refersTo(resource.Properties.Bucket, bucket)) ids.add(bucket);
      }
    }
    if (resource.Type !== 'AWS::S3::Bucket') visit(resource.Properties, false);
    else visit({ LoggingConfiguration: resource.Properties.LoggingConfiguration }, false);
  }
  return ids;
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

const PUBLIC_ACLS: Readonly<Record<string, Severity>> = {
  PublicRead: 'high',
  PublicReadWrite: 'critical',
  AuthenticatedRead: 'high',
};
const BLOCK_SETTINGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];

interface Context {
  file: SourceFile;
  template: Template;
  findings: Finding[];
}

function report(
  ctx: Context,
  id: string,
  ruleId: string,
  message: string,
  extra: {
    severity?: Severity;
    evidence?: Record<string, unknown>;
    key?: (string | number | undefined)[];
  } = {},
): void {
  const resource = ctx.template.resources[id];
  const r = rule(ruleId);
  const line = ctx.template.lines.get(id);
  const metadata = isObject(resource?.Metadata) ? resource.Metadata : {};
  const cdkPath = typeof metadata['aws:cdk:path'] === 'string' ? metadata['aws:cdk:path'] : undefined;
  ctx.findings.push(
    ruleFinding(r, {
      message: `${id} (${resource?.Type}): ${message}`,
      resource: {
        kind: resource?.Type ?? 'Resource',
        name: id,
        file: ctx.file.path,
        ...(line ? { line } : {}),
      },
      ...(extra.severity ? { severity: extra.severity } : {}),
      evidence: { ...(cdkPath ? { cdkPath } : {}), ...extra.evidence, ...(r.cwe ? { cwe: r.cwe } : {}) },
      key: extra.key ?? [],
    }),
  );
}

function checkBucket(ctx: Context, id: string, p: Json, logs: ReadonlySet<string>): void {
  const acl = literal(ctx.template, p.AccessControl);
  if (typeof acl === 'string' && acl in PUBLIC_ACLS) {
    report(ctx, id, 'IAC-S3-PUBLIC-ACCESS', `AccessControl ${acl} makes the objects public.`, {
      severity: PUBLIC_ACLS[acl],
      evidence: { accessControl: acl },
      key: ['acl'],
    });
  }
  const block = p.PublicAccessBlockConfiguration;
  if (!isObject(block)) {
    report(
      ctx,
      id,
      'IAC-S3-PUBLIC-ACCESS-BLOCK',
      'No PublicAccessBlockConfiguration; only the account default protects it.',
      {
        severity: 'low',
      },
    );
  } else {
    const off = BLOCK_SETTINGS.filter((s) => truth(literal(ctx.template, block[s])) === false);
    if (off.length > 0) {
      report(ctx, id, 'IAC-S3-PUBLIC-ACCESS-BLOCK', `Public access block settings off: ${off.join(', ')}.`, {
        evidence: { disabled: off },
      });
    }
  }
  if (p.BucketEncryption === undefined) {
    report(ctx, id, 'IAC-S3-ENCRYPTION', 'No BucketEncryption: only the default SSE-S3 applies.');
  }
  if (p.LoggingConfiguration === undefined && !logs.has(id)) {
    report(ctx, id, 'IAC-S3-LOGGING', 'No LoggingConfiguration: object access is not logged.');
  }
}

function checkSecurityGroupRule(ctx: Context, id: string, rule: Json, index: number | undefined): void {
  const cidr = literal(ctx.template, rule.CidrIp) ?? literal(ctx.template, rule.CidrIpv6);
  const cidrs = [literal(ctx.template, rule.CidrIp), literal(ctx.template, rule.CidrIpv6)].filter(
    isWorldCidr,
  );
  if (cidrs.length === 0 || cidr === undefined) return;
  const range = portRange(
    literal(ctx.template, rule.IpProtocol),
    literal(ctx.template, rule.FromPort),
    literal(ctx.template, rule.ToPort),
  );
  if (range === undefined) return;
  const { all, ports } = exposedAdminPorts(range);
  if (!all && ports.length === 0) return;
  const where = index === undefined ? '' : ` (ingress rule ${index + 1})`;
  report(
    ctx,
    id,
    'IAC-SG-ADMIN-PORT-OPEN',
    all
      ? `Ingress from ${cidrs.join(' and ')} to every port${where}.`
      : `Ingress from ${cidrs.join(' and ')} to ${describePorts(ports)}${where}.`,
    {
      severity: all ? 'critical' : 'high',
      evidence: {
        cidrs,
        protocol: range.protocol,
        fromPort: range.from,
        toPort: range.to,
        adminPorts: ports,
      },
      key: [index, range.protocol, range.from, range.to],
    },
  );
}

function checkPolicy(ctx: Context, id: string, document: unknown, identity: boolean, where: string): void {
  const statements = policyStatements(document);
  if (statements === undefined) return;
  for (const issue of policyIssues(statements, { identity })) {
    report(ctx, id, issue.ruleId, `${where}${issue.message}`, {
      severity: issue.severity,
      evidence: { statement: issue.statement, actions: issue.actions },
      key: [where, issue.statement],
    });
  }
}

/** Literal values in properties named like a password or secret. */
function checkLiteralSecrets(ctx: Context, id: string, value: unknown, path: string): void {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) checkLiteralSecrets(ctx, id, v, `${path}[${i}]`);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (typeof v === 'string' && v !== '' && isSecretName(key) && !/\{\{resolve:/.test(v)) {
      const lowered = placeholderReason(v);
      report(
        ctx,
        id,
        'IAC-HARDCODED-SECRET',
        `${at} is a literal value (${v.length} chars)${lowered ? ', a placeholder' : ''}.`,
        {
          ...(lowered ? { severity: 'info' as const } : {}),
          evidence: { property: at, name: key, ...(lowered ? { lowered } : {}) },
          key: [at],
        },
      );
    } else if (typeof v === 'object') {
      checkLiteralSecrets(ctx, id, v, at);
    }
  }
}

function checkResource(ctx: Context, id: string, logs: ReadonlySet<string>): void {
  const resource = ctx.template.resources[id];
  if (!resource) return;
  const { Type: type, Properties: p } = resource;
  const lit = (v: unknown) => literal(ctx.template, v);
  switch (type) {
    case 'AWS::S3::Bucket':
      checkBucket(ctx, id, p, logs);
      break;
    case 'AWS::S3::BucketPolicy': {
      const statements = policyStatements(p.PolicyDocument) ?? [];
      for (const issue of policyIssues(statements, { identity: false })) {
        report(ctx, id, 'IAC-S3-PUBLIC-ACCESS', `The bucket policy's ${issue.message}`, {
          evidence: { statement: issue.statement, actions: issue.actions },
          key: [issue.statement],
        });
      }
      break;
    }
    case 'AWS::SQS::QueuePolicy':
    case 'AWS::SNS::TopicPolicy':
    case 'AWS::SecretsManager::ResourcePolicy':
      checkPolicy(ctx, id, p.PolicyDocument ?? p.ResourcePolicy, false, '');
      break;
    case 'AWS::KMS::Key':
      checkPolicy(ctx, id, p.KeyPolicy, false, 'Key policy ');
      break;
    case 'AWS::ECR::Repository':
      checkPolicy(ctx, id, p.RepositoryPolicyText, false, 'Repository policy ');
      break;
    case 'AWS::Lambda::Permission':
      if (
        lit(p.Principal) === '*' &&
        p.SourceArn === undefined &&
        p.SourceAccount === undefined &&
        p.PrincipalOrgID === undefined
      ) {
        report(
          ctx,
          id,
          'IAC-POLICY-PUBLIC-PRINCIPAL',
          `Anyone may call ${String(lit(p.Action) ?? 'the function')}${p.FunctionUrlAuthType === 'NONE' ? ' through an unauthenticated function URL' : ''}.`,
        );
      }
      break;
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
      checkPolicy(ctx, id, p.PolicyDocument, true, '');
      break;
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
      for (const policy of asList(p.Policies)) {
        if (isObject(policy))
          checkPolicy(ctx, id, policy.PolicyDocument, true, `Policy ${String(policy.PolicyName ?? '')}: `);
      }
      break;
    case 'AWS::EC2::SecurityGroup':
      asList(p.SecurityGroupIngress).forEach((r, i) => {
        if (isObject(r)) checkSecurityGroupRule(ctx, id, r, i);
      });
      break;
    case 'AWS::EC2::SecurityGroupIngress':
      checkSecurityGroupRule(ctx, id, p, undefined);
      break;
    case 'AWS::EC2::Volume':
      if (truth(lit(p.Encrypted)) === false) report(ctx, id, 'IAC-EBS-ENCRYPTION', 'Encrypted is not true.');
      break;
    case 'AWS::EC2::Instance':
    case 'AWS::EC2::LaunchTemplate': {
      const data =
        type === 'AWS::EC2::LaunchTemplate' && isObject(p.LaunchTemplateData) ? p.LaunchTemplateData : p;
      asList(data.BlockDeviceMappings).forEach((mapping, i) => {
        if (!isObject(mapping) || !isObject(mapping.Ebs)) return;
        if (truth(lit(mapping.Ebs.Encrypted)) === false) {
          report(
            ctx,
            id,
            'IAC-EBS-ENCRYPTION',
            `Block device ${String(mapping.DeviceName ?? i + 1)} is not encrypted.`,
            {
              key: [String(mapping.DeviceName ?? i)],
            },
          );
        }
      });
      break;
    }
    case 'AWS::RDS::DBInstance':
      if (truth(lit(p.PubliclyAccessible)) === true) {
        report(ctx, id, 'IAC-RDS-PUBLIC', 'PubliclyAccessible is true.');
      }
      if (
        p.DBClusterIdentifier === undefined &&
        p.SourceDBInstanceIdentifier === undefined &&
        p.DBSnapshotIdentifier === undefined &&
        truth(lit(p.StorageEncrypted)) === false
      ) {
        report(ctx, id, 'IAC-RDS-ENCRYPTION', 'StorageEncrypted is not true.');
      }
      break;
    case 'AWS::RDS::DBCluster':
      if (
        lit(p.EngineMode) !== 'serverless' &&
        p.SnapshotIdentifier === undefined &&
        p.SourceDBClusterIdentifier === undefined &&
        truth(lit(p.StorageEncrypted)) === false
      ) {
        report(ctx, id, 'IAC-RDS-ENCRYPTION', 'StorageEncrypted is not true.');
      }
      if (truth(lit(p.PubliclyAccessible)) === true)
        report(ctx, id, 'IAC-RDS-PUBLIC', 'PubliclyAccessible is true.');
      break;
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable': {
      const sse = isObject(p.SSESpecification) ? p.SSESpecification : {};
      if (truth(lit(sse.SSEEnabled)) === false) {
        report(
          ctx,
          id,
          'IAC-DYNAMODB-ENCRYPTION',
          'SSESpecification.SSEEnabled is not true: the key is AWS-owned.',
        );
      }
      break;
    }
    case 'AWS::SQS::Queue':
      if (p.KmsMasterKeyId === undefined) {
        const managed = truth(lit(p.SqsManagedSseEnabled));
        if (p.SqsManagedSseEnabled !== undefined && managed === false) {
          report(
            ctx,
            id,
            'IAC-SQS-ENCRYPTION',
            'SqsManagedSseEnabled is false and there is no KMS key: messages are stored in clear.',
            {
              severity: 'high',
            },
          );
        } else if (p.SqsManagedSseEnabled === undefined) {
          report(
            ctx,
            id,
            'IAC-SQS-ENCRYPTION',
            'Neither SqsManagedSseEnabled nor KmsMasterKeyId is set; encryption relies on the SQS default.',
            {
              severity: 'low',
            },
          );
        }
      }
      break;
    case 'AWS::SNS::Topic':
      if (p.KmsMasterKeyId === undefined) report(ctx, id, 'IAC-SNS-ENCRYPTION', 'No KmsMasterKeyId.');
      break;
    case 'AWS::EFS::FileSystem':
      if (truth(lit(p.Encrypted)) === false) report(ctx, id, 'IAC-EFS-ENCRYPTION', 'Encrypted is not true.');
      break;
    case 'AWS::CloudTrail::Trail':
      if (truth(lit(p.IsLogging)) === false) {
        report(ctx, id, 'IAC-CLOUDTRAIL-LOGGING', 'IsLogging is not true: the trail records nothing.', {
          severity: 'high',
          key: ['IsLogging'],
        });
      }
      if (truth(lit(p.EnableLogFileValidation)) === false) {
        report(ctx, id, 'IAC-CLOUDTRAIL-LOGGING', 'EnableLogFileValidation is not true.', {
          key: ['validation'],
        });
      }
      if (truth(lit(p.IsMultiRegionTrail)) === false) {
        report(ctx, id, 'IAC-CLOUDTRAIL-LOGGING', 'IsMultiRegionTrail is not true.', {
          severity: 'low',
          key: ['multiRegion'],
        });
      }
      break;
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer': {
      const kind = lit(p.Type) ?? 'application';
      if (kind !== 'application') break;
      const enabled = asList(p.LoadBalancerAttributes).some(
        (a) => isObject(a) && a.Key === 'access_logs.s3.enabled' && truth(lit(a.Value)) !== false,
      );
      if (!enabled) report(ctx, id, 'IAC-ALB-LOGGING', 'access_logs.s3.enabled is not true.');
      break;
    }
    case 'AWS::ElasticLoadBalancing::LoadBalancer': {
      const policy = isObject(p.AccessLoggingPolicy) ? p.AccessLoggingPolicy : {};
      if (truth(lit(policy.Enabled)) === false)
        report(ctx, id, 'IAC-ALB-LOGGING', 'AccessLoggingPolicy is not enabled.');
      break;
    }
    case 'AWS::ApiGateway::Stage':
      if (!isObject(p.AccessLogSetting) || p.AccessLogSetting.DestinationArn === undefined) {
        report(ctx, id, 'IAC-API-LOGGING', 'No AccessLogSetting.');
      }
      break;
    case 'AWS::ApiGatewayV2::Stage':
      if (!isObject(p.AccessLogSettings) || p.AccessLogSettings.DestinationArn === undefined) {
        report(ctx, id, 'IAC-API-LOGGING', 'No AccessLogSettings.');
      }
      break;
    default:
      break;
  }
  if (TAGGABLE.has(type) && asList(p.Tags).length === 0 && !isObject(p.Tags)) {
    report(ctx, id, 'IAC-MISSING-TAGS', 'No Tags.');
  }
  checkLiteralSecrets(ctx, id, p, '');
}

function lineOf(lines: ReadonlyMap<string, number>, key: string): { line?: number } {
  const line = lines.get(key);
  return line === undefined ? {} : { line };
}

function checkParameters(ctx: Context): void {
  for (const [name, parameter] of Object.entries(ctx.template.parameters)) {
    if (!isObject(parameter) || !isSecretName(name)) continue;
    if (parameter.Type !== undefined && !/^String$|^CommaDelimitedList$/.test(String(parameter.Type)))
      continue;
    const fallback =
      typeof parameter.Default === 'string' && parameter.Default !== '' ? parameter.Default : undefined;
    const noEcho = truth(parameter.NoEcho) === true;
    if (noEcho && fallback === undefined) continue;
    const lowered = fallback === undefined ? undefined : placeholderReason(fallback);
    let severity: Severity = fallback === undefined ? 'medium' : 'high';
    if (lowered) severity = 'info';
    const r = rule('IAC-HARDCODED-SECRET');
    ctx.findings.push(
      ruleFinding(r, {
        message:
          fallback === undefined
            ? `Parameter ${name} looks like a secret and has no NoEcho: its value shows in the console and API.`
            : `Parameter ${name} has a literal Default (${fallback.length} chars)${lowered ? ', a placeholder' : ''}.`,
        resource: {
          kind: 'Parameter',
          name,
          file: ctx.file.path,
          ...lineOf(ctx.template.parameterLines, name),
        },
        severity,
        evidence: { noEcho, ...(lowered ? { lowered } : {}), cwe: r.cwe },
      }),
    );
  }
}

export interface CloudFormationScan {
  findings: Finding[];
  suppressions: ParsedSuppressions;
}

export function scanCloudFormation(file: SourceFile, parsed: TemplateParse): CloudFormationScan {
  const empty = { suppressions: [], problems: [] };
  if (parsed === undefined) return { findings: [], suppressions: empty };
  if ('error' in parsed) {
    return {
      findings: [
        ruleFinding(rule('IAC-PARSE-ERROR'), {
          message: `${file.path} looks like a CloudFormation template but does not parse: ${parsed.error}`,
          resource: { kind: 'File', name: file.path, file: file.path },
        }),
      ],
      suppressions: empty,
    };
  }
  const { template } = parsed;
  const ctx: Context = { file, template, findings: [] };
  const logs = logBuckets(template);
  const suppressions: ParsedSuppressions[] = [];
  for (const [id, resource] of Object.entries(template.resources)) {
    checkResource(ctx, id, logs);
    if (resource.Metadata !== undefined) {
      const line = template.lines.get(id);
      suppressions.push(
        parseCloudFormationIgnore(resource.Metadata, {
          kind: resource.Type,
          name: id,
          file: file.path,
          ...(line ? { line } : {}),
        }),
      );
    }
  }
  checkParameters(ctx);
  return { findings: ctx.findings, suppressions: mergeSuppressions(empty, ...suppressions) };
}
