/** Infrastructure as code: CloudFormation (YAML short forms, JSON, CDK output) and Terraform, good and bad. */
import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../../shared/agents/contract.js';
import { analyzeSecurity } from '../../../shared/agents/security-scanner/analyze.js';
import { parseTemplate } from '../../../shared/agents/security-scanner/iac-cloudformation.js';
import { securityInputSchema } from '../../../shared/agents/security-scanner/schema.js';
import { readHclValue } from '../../../shared/analysis/iac/hcl.js';
import { exposedAdminPorts, portRange } from '../../../shared/analysis/iac/network.js';
import { policyIssues, policyStatements } from '../../../shared/analysis/iac/policy.js';
import { fixture } from '../../helpers/fixtures.js';

const NOW = new Date('2025-06-01T12:00:00Z');

async function scan(...paths: string[]) {
  const files = paths.map((path) => ({ path: `infra/${path}`, content: fixture(`security/${path}`) }));
  return analyzeSecurity(securityInputSchema.parse({ files }), { traceId: 'test', now: NOW });
}

type Row = readonly [string, string | undefined, number | undefined, string];

/** By resource name, rule id and severity, so the expectations read by resource. */
const sorted = (list: readonly Row[]) => [...list].sort((a, b) => a.join('|').localeCompare(b.join('|')));

/** rule id, resource name, line, severity — without the informational tag findings. */
const rows = (findings: Finding[]) =>
  sorted(
    findings
      .filter((f) => f.ruleId !== 'IAC-MISSING-TAGS')
      .map((f): Row => [f.ruleId, f.resource?.name, f.resource?.line, f.severity]),
  );

describe('CloudFormation', () => {
  it('reports the problems of a hand-written YAML template with short-form intrinsics', async () => {
    // Act
    const { findings } = await scan('cloudformation/insecure.yaml');

    // Assess
    expect(rows(findings)).toEqual(
      sorted([
        ['IAC-RDS-ENCRYPTION', 'AnalyticsDatabase', 72, 'high'],
        ['IAC-RDS-PUBLIC', 'AnalyticsDatabase', 71, 'high'],
        ['IAC-SNS-ENCRYPTION', 'AlertsTopic', 85, 'medium'],
        ['IAC-CLOUDTRAIL-LOGGING', 'AuditTrail', 141, 'high'],
        ['IAC-CLOUDTRAIL-LOGGING', 'AuditTrail', 138, 'low'],
        ['IAC-CLOUDTRAIL-LOGGING', 'AuditTrail', 138, 'medium'],
        ['IAC-SG-ADMIN-PORT-OPEN', 'BastionSecurityGroup', 45, 'high'],
        ['IAC-HARDCODED-SECRET', 'DatabasePassword', 8, 'medium'],
        ['IAC-SG-ADMIN-PORT-OPEN', 'DatabaseSecurityGroupIngress', 61, 'high'],
        ['IAC-IAM-WILDCARD-ACTION', 'DeployPolicy', 128, 'medium'],
        ['IAC-IAM-WILDCARD-RESOURCE', 'DeployPolicy', 132, 'high'],
        ['IAC-S3-ENCRYPTION', 'ExportsBucket', 15, 'low'],
        ['IAC-S3-PUBLIC-ACCESS', 'ExportsBucket', 19, 'high'],
        ['IAC-S3-PUBLIC-ACCESS-BLOCK', 'ExportsBucket', 20, 'medium'],
        ['IAC-S3-PUBLIC-ACCESS', 'ExportsBucketPolicy', 33, 'high'],
        ['IAC-EBS-ENCRYPTION', 'ScratchVolume', 74, 'high'],
        ['IAC-SQS-ENCRYPTION', 'JobsQueue', 83, 'high'],
        ['IAC-ALB-LOGGING', 'PublicLoadBalancer', 144, 'medium'],
        ['IAC-API-LOGGING', 'ReportsApiStage', 150, 'medium'],
        ['IAC-IAM-WILDCARD-ACTION', 'ReportsRole', 118, 'critical'],
        ['IAC-DYNAMODB-ENCRYPTION', 'ReportsTable', 90, 'low'],
        ['IAC-EFS-ENCRYPTION', 'SharedFiles', 101, 'high'],
      ]),
    );
  });

  it('explains what is open: admin ports by name, IPv6 ranges, the statement', async () => {
    // Act
    const { findings } = await scan('cloudformation/insecure.yaml');

    // Assess
    const ipv6 = findings.find((f) => f.resource?.name === 'DatabaseSecurityGroupIngress');
    expect(ipv6?.message).toBe(
      'DatabaseSecurityGroupIngress (AWS::EC2::SecurityGroupIngress): Ingress from ::/0 to 5432 (PostgreSQL), 5439 (Redshift).',
    );
    expect(ipv6?.evidence).toMatchObject({ cidrs: ['::/0'], fromPort: 5400, toPort: 5500, cwe: 'CWE-284' });
    const admin = findings.find((f) => f.ruleId === 'IAC-IAM-WILDCARD-ACTION' && f.severity === 'critical');
    expect(admin?.message).toContain('full administrator access');
  });

  it('passes the reviewed template; its Metadata.aiops.ignore suppresses with the reason', async () => {
    // Act
    const { findings } = await scan('cloudformation/secure.yaml');

    // Assess
    expect(findings.map((f) => [f.ruleId, f.resource?.name, f.severity, f.suppressed ?? false])).toEqual([
      ['IAC-API-LOGGING', 'ReportsApiStage', 'medium', true],
      ['IAC-IAM-WILDCARD-RESOURCE', 'ReportsRole', 'low', false],
    ]);
    expect(findings[0]).toMatchObject({
      suppressionReason: 'internal API behind the VPC link; requests are logged by the backend',
      suppressionSource: 'cloudformation',
    });
  });

  it('reads CDK synth output; cdk-nag acknowledgements do not suppress, a reasonless aiops entry is reported', async () => {
    // Act
    const { findings } = await scan('cloudformation/cdk-synth.template.json');

    // Assess
    expect(rows(findings)).toEqual(
      sorted([
        ['IAC-RDS-ENCRYPTION', 'MetadataClusterB8A7C6D5', 46, 'high'],
        ['IAC-POLICY-PUBLIC-PRINCIPAL', 'ThumbnailerFunctionUrlPermission9F8E7D6C', 41, 'high'],
        ['IAC-S3-ENCRYPTION', 'UploadsBucket5F1B8B0C', 3, 'low'],
        ['IAC-S3-LOGGING', 'UploadsBucket5F1B8B0C', 3, 'low'],
        ['IAC-IAM-WILDCARD-RESOURCE', 'WorkerRoleDefaultPolicy1A2B3C4D', 78, 'high'],
        ['IAC-IAM-WILDCARD-RESOURCE', 'WorkerRoleDefaultPolicy1A2B3C4D', 65, 'low'],
        ['IAC-SG-ADMIN-PORT-OPEN', 'WorkersSecurityGroupA1B2C3D4', 30, 'critical'],
        ['AIOPS000', 'infra/cloudformation/cdk-synth.template.json', 46, 'low'],
      ]),
    );
    expect(findings.some((f) => f.suppressed)).toBe(false);
    const logging = findings.find((f) => f.ruleId === 'IAC-S3-LOGGING');
    expect(logging?.evidence).toMatchObject({ cdkPath: 'Uploads-prod/UploadsBucket/Resource' });
  });

  it('tells a template that does not parse from a file that is no template', () => {
    // Act
    const broken = parseTemplate({
      path: 'template.yaml',
      content:
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n   Properties: [\n',
    });
    const manifest = parseTemplate({
      path: 'deploy.yaml',
      content: 'apiVersion: apps/v1\nkind: Deployment\n',
    });

    // Assess
    expect(broken).toMatchObject({ error: expect.any(String) });
    expect(manifest).toBeUndefined();
  });

  it('resolves a Ref to a parameter default and leaves computed values alone', async () => {
    // Arrange
    const content = [
      'Parameters:',
      '  Encrypt: { Type: String, Default: "false" }',
      '  Flag: { Type: String }',
      'Resources:',
      '  A: { Type: AWS::EFS::FileSystem, Properties: { Encrypted: !Ref Encrypt } }',
      '  B: { Type: AWS::EFS::FileSystem, Properties: { Encrypted: !Ref Flag } }',
      '  C: { Type: AWS::EFS::FileSystem, Properties: { Encrypted: !If [IsProd, true, false] } }',
    ].join('\n');

    // Act
    const { findings } = await analyzeSecurity(
      securityInputSchema.parse({ files: [{ path: 'efs.yaml', content }] }),
      {
        traceId: 't',
        now: NOW,
      },
    );

    // Assess
    expect(findings.map((f) => [f.ruleId, f.resource?.name])).toEqual([['IAC-EFS-ENCRYPTION', 'A']]);
  });
});

describe('Terraform', () => {
  it('reports the problems of an insecure module, lines from the arguments that are wrong', async () => {
    // Act
    const { findings } = await scan('terraform/insecure.tf');

    // Assess
    expect(rows(findings)).toEqual(
      sorted([
        ['IAC-IAM-WILDCARD-ACTION', 'admin', 76, 'critical'],
        ['IAC-SG-ADMIN-PORT-OPEN', 'db', 29, 'high'],
        ['IAC-SG-ADMIN-PORT-OPEN', 'db', 37, 'high'],
        ['IAC-HARDCODED-SECRET', 'db_password', 7, 'high'],
        ['IAC-IAM-WILDCARD-RESOURCE', 'deployer', 91, 'high'],
        ['IAC-SQS-ENCRYPTION', 'events', 114, 'high'],
        ['IAC-SG-ADMIN-PORT-OPEN', 'everything', 52, 'critical'],
        ['IAC-CLOUDTRAIL-LOGGING', 'main', 121, 'high'],
        ['IAC-RDS-ENCRYPTION', 'orders', 56, 'high'],
        ['IAC-RDS-PUBLIC', 'orders', 63, 'high'],
        ['IAC-API-LOGGING', 'prod', 133, 'medium'],
        ['IAC-ALB-LOGGING', 'public', 126, 'medium'],
        ['IAC-POLICY-PUBLIC-PRINCIPAL', 'queue', 102, 'high'],
        ['IAC-EBS-ENCRYPTION', 'scratch', 68, 'high'],
        ['IAC-S3-ENCRYPTION', 'website', 12, 'low'],
        ['IAC-S3-PUBLIC-ACCESS', 'website', 14, 'high'],
        ['IAC-S3-PUBLIC-ACCESS-BLOCK', 'website', 17, 'medium'],
      ]),
    );
    const variable = findings.find((f) => f.ruleId === 'IAC-HARDCODED-SECRET');
    expect(variable?.resource).toMatchObject({ kind: 'variable', name: 'db_password' });
    expect(JSON.stringify(findings)).not.toContain('Pr0d-Passw0rd-2024!');
  });

  it('passes a module that gets it right, with companion resources and provider default tags', async () => {
    // Act
    const { findings } = await scan('terraform/secure.tf');

    // Assess
    expect(findings).toEqual([]);
  });

  it('reports a file that does not parse', async () => {
    // Act
    const { findings } = await analyzeSecurity(
      securityInputSchema.parse({
        files: [{ path: 'broken.tf', content: 'resource "aws_s3_bucket" "x" {\n' }],
      }),
      { traceId: 't', now: NOW },
    );

    // Assess
    expect(findings.map((f) => [f.ruleId, f.severity, f.resource?.file])).toEqual([
      ['IAC-PARSE-ERROR', 'info', 'broken.tf'],
    ]);
  });

  it('reads jsonencode() objects, with references left unknown', () => {
    // Act
    const value = readHclValue(`{
      Version = "2012-10-17" # comment
      Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "\${aws_s3_bucket.a.arn}/*" },
        { "Effect": "Deny", Action = local.actions, Resource = [for b in var.buckets : b.arn] }]
      Count = 3
      Enabled = true
    }`);

    // Assess
    expect(value).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject'], Resource: `\${aws_s3_bucket.a.arn}/*` },
        { Effect: 'Deny', Action: `\${local.actions}`, Resource: [`\${for b in var.buckets : b.arn}`] },
      ],
      Count: 3,
      Enabled: true,
    });
  });
});

describe('hard-coded credentials and the less common resources', () => {
  it('CloudFormation: literal passwords and secrets, instance block devices, classic load balancers', async () => {
    // Arrange
    const content = [
      'Parameters:',
      '  AdminPassword: { Type: String, NoEcho: true, Default: "Adm1n-2024-Passw0rd" }',
      '  ApiToken: { Type: String, NoEcho: true }',
      'Resources:',
      '  Cluster:',
      '    Type: AWS::RDS::DBCluster',
      '    Properties: { Engine: aurora-mysql, MasterUsername: admin, MasterUserPassword: "Kx9-Lm2-Qw7-Zp4", StorageEncrypted: true, Tags: [{ Key: a, Value: b }] }',
      '  ApiSecret:',
      '    Type: AWS::SecretsManager::Secret',
      '    Properties: { SecretString: "changeme" }',
      '  Worker:',
      '    Type: AWS::EC2::Instance',
      '    Properties:',
      '      Tags: [{ Key: a, Value: b }]',
      '      BlockDeviceMappings:',
      '        - { DeviceName: /dev/xvda, Ebs: { VolumeSize: 50 } }',
      '        - { DeviceName: /dev/xvdb, Ebs: { VolumeSize: 50, Encrypted: true } }',
      '  Template:',
      '    Type: AWS::EC2::LaunchTemplate',
      '    Properties: { LaunchTemplateData: { BlockDeviceMappings: [{ DeviceName: /dev/sda1, Ebs: { Encrypted: false } }] } }',
      '  Classic:',
      '    Type: AWS::ElasticLoadBalancing::LoadBalancer',
      '    Properties: { Listeners: [{ LoadBalancerPort: "80", InstancePort: "80", Protocol: HTTP }] }',
      '  Key:',
      '    Type: AWS::KMS::Key',
      '    Properties:',
      '      Tags: [{ Key: a, Value: b }]',
      '      KeyPolicy: { Statement: [{ Effect: Allow, Principal: "*", Action: "kms:Decrypt", Resource: "*" }] }',
    ].join('\n');

    // Act
    const result = await analyzeSecurity(
      securityInputSchema.parse({ files: [{ path: 'stack.yaml', content }] }),
      {
        traceId: 't',
        now: NOW,
      },
    );

    // Assess
    expect(rows(result.findings)).toEqual(
      sorted([
        ['IAC-HARDCODED-SECRET', 'AdminPassword', 2, 'high'],
        ['IAC-HARDCODED-SECRET', 'Cluster', 7, 'high'],
        ['IAC-HARDCODED-SECRET', 'ApiSecret', 10, 'info'],
        ['IAC-EBS-ENCRYPTION', 'Worker', 16, 'high'],
        ['IAC-EBS-ENCRYPTION', 'Template', 20, 'high'],
        ['IAC-ALB-LOGGING', 'Classic', 21, 'medium'],
        // Its listener takes plain HTTP.
        ['IAC-LB-HTTP-LISTENER', 'Classic', 23, 'high'],
        ['IAC-POLICY-PUBLIC-PRINCIPAL', 'Key', 28, 'high'],
        // No EnableKeyRotation: rotation is off by default.
        ['IAC-KMS-ROTATION', 'Key', 24, 'medium'],
      ]),
    );
    const text = JSON.stringify(result);
    expect(text).not.toContain('Adm1n-2024-Passw0rd');
    expect(text).not.toContain('Kx9-Lm2-Qw7-Zp4');
  });

  it('Terraform: literal passwords, instance devices, clusters, function URLs, key and role policies', async () => {
    // Arrange
    const content = `
resource "aws_db_instance" "legacy" {
  engine            = "mysql"
  password          = "Kx9-Lm2-Qw7-Zp4"
  storage_encrypted = true
  tags              = { a = "b" }
}

resource "aws_rds_cluster" "reports" {
  engine          = "aurora-postgresql"
  master_password = var.master_password
}

resource "aws_instance" "worker" {
  ami  = "ami-0abcdef1234567890"
  tags = { a = "b" }
  root_block_device {
    encrypted = false
  }
  ebs_block_device {
    device_name = "/dev/sdf"
    encrypted   = true
  }
}

resource "aws_elb" "classic" {
  listener {
    instance_port     = 80
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }
}

resource "aws_lambda_permission" "url" {
  action        = "lambda:InvokeFunctionUrl"
  function_name = aws_lambda_function.thumbs.function_name
  principal     = "*"
}

resource "aws_kms_key" "shared" {
  tags   = { a = "b" }
  policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "kms:Decrypt", Resource = "*" }] })
}

resource "aws_iam_role" "ci" {
  name = "ci"
  inline_policy {
    name   = "all"
    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] })
  }
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "s3:GetObject", Resource = "arn:aws:s3:::site/*" }] })
}
`;

    // Act
    const result = await analyzeSecurity(
      securityInputSchema.parse({ files: [{ path: 'main.tf', content }] }),
      {
        traceId: 't',
        now: NOW,
      },
    );

    // Assess
    expect(rows(result.findings)).toEqual(
      sorted([
        ['IAC-HARDCODED-SECRET', 'legacy', 4, 'high'],
        ['IAC-RDS-ENCRYPTION', 'reports', 9, 'high'],
        ['IAC-EBS-ENCRYPTION', 'worker', 17, 'high'],
        ['IAC-ALB-LOGGING', 'classic', 26, 'medium'],
        ['IAC-LB-HTTP-LISTENER', 'classic', 27, 'high'],
        ['IAC-POLICY-PUBLIC-PRINCIPAL', 'url', 38, 'high'],
        ['IAC-POLICY-PUBLIC-PRINCIPAL', 'shared', 43, 'high'],
        // No enable_key_rotation: rotation is off by default.
        ['IAC-KMS-ROTATION', 'shared', 41, 'medium'],
        ['IAC-IAM-WILDCARD-ACTION', 'ci', 50, 'high'],
        ['IAC-S3-PUBLIC-ACCESS', 'site', 56, 'high'],
      ]),
    );
    expect(JSON.stringify(result)).not.toContain('Kx9-Lm2-Qw7-Zp4');
  });
});

describe('shared checks', () => {
  it.each([
    [['tcp', 22, 22], { all: false, ports: [22] }],
    [['tcp', 0, 1024], { all: false, ports: [22, 23, 135, 445] }],
    [['-1', undefined, undefined], { all: true, ports: expect.arrayContaining([22, 3389, 5432]) }],
    [['udp', 0, 65535], { all: false, ports: [] }],
    [['tcp', 443, 443], { all: false, ports: [] }],
  ] as const)('exposedAdminPorts(%j)', ([protocol, from, to], expected) => {
    const range = portRange(protocol, from, to);
    expect(range && exposedAdminPorts(range)).toEqual(expected);
  });

  it('does not judge a port range computed at deploy time', () => {
    expect(portRange('tcp', { Ref: 'Port' }, 22)).toBeUndefined();
  });

  it.each([
    [{ Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }, []],
    [{ Action: ['ec2:DescribeInstances'], Resource: '*' }, [['IAC-IAM-WILDCARD-RESOURCE', 'low']]],
    [{ Action: ['dynamodb:PutItem'], Resource: '*' }, [['IAC-IAM-WILDCARD-RESOURCE', 'high']]],
    [{ Action: ['sqs:SendMessage'], Resource: '*' }, [['IAC-IAM-WILDCARD-RESOURCE', 'medium']]],
    [
      {
        Action: ['kms:Decrypt'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
      },
      [['IAC-IAM-WILDCARD-RESOURCE', 'medium']],
    ],
    [{ NotAction: 'iam:*', Resource: '*' }, [['IAC-IAM-WILDCARD-ACTION', 'critical']]],
    [{ Action: 'iam:*', Resource: '*' }, [['IAC-IAM-WILDCARD-ACTION', 'high']]],
    [{ Effect: 'Deny', Action: '*', Resource: '*' }, []],
  ])('identity policy statement %j', (statement, expected) => {
    const statements = policyStatements({ Statement: [{ Effect: 'Allow', ...statement }] }) ?? [];
    expect(policyIssues(statements, { identity: true }).map((i) => [i.ruleId, i.severity])).toEqual(expected);
  });

  it('treats a resource policy with Principal "*" and a condition as narrowed', () => {
    const open = policyStatements(
      JSON.stringify({ Statement: { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sqs:SendMessage' } }),
    );
    const narrowed = policyStatements({
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'sqs:SendMessage',
          Condition: { ArnEquals: { 'aws:SourceArn': 'arn:x' } },
        },
      ],
    });
    expect(policyIssues(open ?? [], { identity: false }).map((i) => i.ruleId)).toEqual([
      'IAC-POLICY-PUBLIC-PRINCIPAL',
    ]);
    expect(policyIssues(narrowed ?? [], { identity: false })).toEqual([]);
    expect(policyStatements('not json')).toBeUndefined();
  });
});
