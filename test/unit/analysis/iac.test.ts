/**
 * The cloud resource model: a CloudFormation template and the Terraform
 * module that declares the same resources normalise to the same aspects,
 * each attribute with its line; and every IaC rule's paired samples (one
 * implementation, both languages) through the security scanner.
 */
import { describe, expect, it } from '@jest/globals';
import { runAgent } from '../../../shared/agents/registry.js';
import { IAC_RULES } from '../../../shared/agents/security-scanner/rules/iac.js';
import { checkResources } from '../../../shared/analysis/iac/checks.js';
import { fromCloudFormation } from '../../../shared/analysis/iac/from-cloudformation.js';
import { fromTerraform } from '../../../shared/analysis/iac/from-terraform.js';
import { lineIn, outline } from '../../../shared/analysis/iac/hcl.js';
import type { CloudResource } from '../../../shared/analysis/iac/model.js';
import { readTemplate } from '../../../shared/analysis/iac/template.js';
import { readTerraform, type TerraformFile } from '../../../shared/analysis/iac/terraform.js';

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
  Db:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/0 }
  Orders:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      PubliclyAccessible: true
      StorageEncrypted: false
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      IsLogging: false
      EnableLogFileValidation: true
      IsMultiRegionTrail: true
`;

const MODULE = `resource "aws_s3_bucket" "Site" {
  bucket = "site"
  acl    = "public-read"
}

resource "aws_security_group" "Db" {
  name = "db"
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "Orders" {
  engine              = "postgres"
  publicly_accessible = true
  storage_encrypted   = false
}

resource "aws_cloudtrail" "Trail" {
  s3_bucket_name             = "logs"
  enable_logging             = false
  enable_log_file_validation = true
  is_multi_region_trail      = true
}
`;

function cloudFormation(content: string): CloudResource[] {
  const read = readTemplate({ path: 'template.yaml', content });
  if (read === undefined || 'error' in read) throw new Error('not a template');
  return fromCloudFormation(read.template);
}

async function terraform(content: string): Promise<CloudResource[]> {
  const [file] = await readTerraform([{ path: 'main.tf', content }]);
  if (file === undefined || 'error' in file) throw new Error('does not parse');
  // hcl2json groups blocks by type; the model keeps that order, the tests compare by name.
  return fromTerraform([file as TerraformFile]).sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name));
}

const ORDER = ['Site', 'Db', 'Orders', 'Trail'];

/** What the checks read, without where it was written. */
function aspects(r: CloudResource) {
  return {
    name: r.name,
    kind: r.kind,
    acls: r.bucket?.acls.map((a) => a.value),
    ingress: r.ingress?.map((i) => ({ cidrs: i.cidrs, protocol: i.protocol, from: i.from, to: i.to })),
    publiclyAccessible: r.database?.publiclyAccessible.value,
    storageEncrypted: r.database?.storageEncrypted.value,
    trail: r.trail && Object.values(r.trail).map((v) => v.value),
  };
}

const quiet = { isSecretName: () => false, placeholderReason: () => undefined };

describe('the cloud resource model', () => {
  it('gives the same aspects for a template and the equivalent Terraform module', async () => {
    // Act
    const fromCfn = cloudFormation(TEMPLATE);
    const fromTf = await terraform(MODULE);

    // Assess
    expect(fromTf.map(aspects)).toEqual(fromCfn.map(aspects));
  });

  it('keeps the line of each attribute the checks read', async () => {
    // Act
    const [site, db, orders, trail] = cloudFormation(TEMPLATE);
    const [tfSite, tfDb, tfOrders, tfTrail] = await terraform(MODULE);

    // Assess
    expect([site?.line, site?.bucket?.acls[0]?.line, db?.ingress?.[0]?.line]).toEqual([3, 6, 12]);
    expect([orders?.database?.publiclyAccessible.line, orders?.database?.storageEncrypted.line]).toEqual([
      17, 18,
    ]);
    expect(trail?.trail?.logging.line).toBe(23);
    expect([tfSite?.line, tfSite?.bucket?.acls[0]?.line, tfDb?.ingress?.[0]?.line]).toEqual([1, 3, 8]);
    expect([tfOrders?.database?.publiclyAccessible.line, tfOrders?.database?.storageEncrypted.line]).toEqual([
      18, 19,
    ]);
    expect(tfTrail?.trail?.logging.line).toBe(24);
  });

  it('finds the same violations in both, each at its attribute', async () => {
    // Act
    const cfn = checkResources(cloudFormation(TEMPLATE), quiet);
    const tf = checkResources(await terraform(MODULE), quiet);
    const rules = (list: typeof cfn) =>
      [...list]
        .sort((a, b) => ORDER.indexOf(a.resource.name) - ORDER.indexOf(b.resource.name))
        .filter((v) => !v.ruleId.startsWith('IAC-S3-') || v.ruleId === 'IAC-S3-PUBLIC-ACCESS')
        .map((v) => [v.ruleId, v.resource.name, v.severity]);

    // Assess
    expect(rules(tf)).toEqual(rules(cfn));
    expect(cfn.find((v) => v.ruleId === 'IAC-RDS-ENCRYPTION')?.line).toBe(18);
    expect(tf.find((v) => v.ruleId === 'IAC-RDS-ENCRYPTION')?.line).toBe(19);
  });

  it('applies the language defaults: Terraform trails log unless told not to, CloudFormation needs IsLogging', async () => {
    // Act
    const [cfnTrail] = cloudFormation(
      'Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Properties: { S3BucketName: logs }\n',
    );
    const [tfTrail] = await terraform('resource "aws_cloudtrail" "t" {\n  s3_bucket_name = "logs"\n}\n');

    // Assess
    expect(cfnTrail?.trail?.logging.value).toBeUndefined();
    expect(tfTrail?.trail?.logging.value).toBe(true);
  });

  it('reads .tf.json with the lines of its arguments', async () => {
    // Act
    const [file] = await readTerraform([
      {
        path: 'main.tf.json',
        content:
          '{\n  "resource": {\n    "aws_efs_file_system": {\n      "shared": {\n        "encrypted": false\n      }\n    }\n  }\n}\n',
      },
    ]);
    const [shared] = fromTerraform([file as TerraformFile]);

    // Assess
    expect([shared?.kind, shared?.line, shared?.fileSystem?.encrypted]).toEqual([
      'file-system',
      4,
      { value: false, line: 5 },
    ]);
  });
});

const LOG_BUCKETS_TEMPLATE = `Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: access-logs
      AccessControl: LogDeliveryWrite
  Logs2:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: access-logs-2
  Logs2Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Logs2
      PolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: logging.s3.amazonaws.com }, Action: "s3:PutObject", Resource: "arn:aws:s3:::access-logs-2/*" }
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: data
      LoggingConfiguration:
        DestinationBucketName: access-logs-3
  Logs3:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: access-logs-3
  Plain:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: plain
`;

const LOG_BUCKETS_MODULE = `resource "aws_s3_bucket" "Logs" {
  bucket = "access-logs"
}

resource "aws_s3_bucket_acl" "Logs" {
  bucket = aws_s3_bucket.Logs.id
  acl    = "log-delivery-write"
}

resource "aws_s3_bucket" "Logs2" {
  bucket = "access-logs-2"
}

resource "aws_s3_bucket_policy" "Logs2Policy" {
  bucket = aws_s3_bucket.Logs2.id
  policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = "logging.s3.amazonaws.com" }, Action = "s3:PutObject", Resource = "arn:aws:s3:::access-logs-2/*" }] })
}

resource "aws_s3_bucket" "Data" {
  bucket = "data"
}

resource "aws_s3_bucket_logging" "Data" {
  bucket        = aws_s3_bucket.Data.id
  target_bucket = "access-logs-3"
}

resource "aws_s3_bucket" "Logs3" {
  bucket = "access-logs-3"
}

resource "aws_s3_bucket" "Plain" {
  bucket = "plain"
}
`;

describe('S3 access logging, the same bucket in both languages', () => {
  it('exempts log buckets (log-delivery-write ACL, a log delivery policy, a literal log target) and logged buckets alike', async () => {
    // Act
    const unlogged = (resources: CloudResource[]) =>
      checkResources(resources, quiet)
        .filter((v) => v.ruleId === 'IAC-S3-LOGGING')
        .map((v) => v.resource.name)
        .sort();
    const [file] = await readTerraform([{ path: 'main.tf', content: LOG_BUCKETS_MODULE }]);

    // Assess
    expect(unlogged(cloudFormation(LOG_BUCKETS_TEMPLATE))).toEqual(['Plain']);
    expect(unlogged(fromTerraform([file as TerraformFile]))).toEqual(['Plain']);
  });
});

describe('the data aspects, provider-neutral', () => {
  it('reads each provider into the same aspects, with its defaults and the line of each attribute', async () => {
    // Arrange
    const content = [
      'resource "google_kms_crypto_key" "k" {', // 1
      '  name            = "k"', // 2
      '  rotation_period = "7776000s"', // 3
      '}', // 4
      'resource "alicloud_kms_key" "k" {', // 5
      '  description = "k"', // 6
      '}', // 7
      'resource "aws_kms_key" "k" {', // 8
      '  enable_key_rotation = var.rotate', // 9
      '}', // 10
      'resource "azurerm_monitor_log_profile" "forever" {', // 11
      '  categories = ["Action", "Delete", "Write"]', // 12
      '  retention_policy {', // 13
      '    enabled = true', // 14
      '    days    = 0', // 15
      '  }', // 16
      '}', // 17
    ].join('\n');

    // Act
    const [file] = await readTerraform([{ path: 'main.tf', content }]);
    const resources = fromTerraform([file as TerraformFile]);
    const byType = (type: string) => resources.find((r) => r.type === type);

    // Assess
    expect(resources.map((r) => r.provider).sort()).toEqual(['alicloud', 'aws', 'azure', 'gcp']);
    expect(byType('google_kms_crypto_key')?.cryptoKey?.rotation).toEqual({ value: 90, line: 3 });
    expect(byType('alicloud_kms_key')?.cryptoKey?.rotation).toEqual({ value: false, line: 5 });
    // A reference is unknown, and unknown is no finding; retention 0 with retention on keeps logs forever.
    expect(byType('aws_kms_key')?.cryptoKey?.rotation).toEqual({
      value: expect.stringContaining('var.rotate'),
      line: 9,
    });
    const violations = checkResources(resources, quiet).filter((v) => v.ruleId !== 'IAC-MISSING-TAGS');
    expect(violations.map((v) => [v.ruleId, v.resource.type, v.line])).toEqual([
      ['IAC-KMS-ROTATION', 'alicloud_kms_key', 5],
    ]);
  });
});

describe('the HCL outline', () => {
  it('finds arguments inside repeated blocks, past heredocs, comments and braces in strings', () => {
    // Arrange
    const content = [
      'resource "aws_iam_role_policy" "ci" {', // 1
      '  # a comment with { a brace', // 2
      '  policy = <<POLICY', // 3
      '{ "Statement": [ {', // 4
      'POLICY', // 5
      `  name = "\${var.prefix}-{ci}"`, // 6
      '}', // 7
      'resource "aws_security_group" "db" {', // 8
      '  ingress {', // 9
      '    from_port = 22', // 10
      '  }', // 11
      '  ingress {', // 12
      '    from_port = 5432', // 13
      '  }', // 14
      '}', // 15
    ].join('\n');

    // Act
    const tree = outline(content);

    // Assess
    expect(lineIn(tree, ['resource', 'aws_iam_role_policy', 'ci', 'name'])).toBe(6);
    expect(lineIn(tree, ['resource', 'aws_security_group', 'db', 'ingress', 1, 'from_port'])).toBe(13);
    expect(lineIn(tree, ['resource', 'aws_security_group', 'db', 'egress'])).toBe(8);
  });
});

describe('IaC rule samples: one implementation, CloudFormation and Terraform', () => {
  const cases = IAC_RULES.rules.flatMap((rule) => [
    ...rule.samples.bad.map((sample, i) => [rule.id, 'bad', i, sample] as const),
    ...rule.samples.good.map((sample, i) => [rule.id, 'good', i, sample] as const),
  ]);

  it('pairs every rule with a template and a module, bad and good', () => {
    for (const rule of IAC_RULES.rules) {
      for (const kind of ['bad', 'good'] as const) {
        const paths = rule.samples[kind].map((s) => ('path' in s ? s.path : ''));
        expect([rule.id, kind, paths.includes('template.yaml'), paths.includes('main.tf')]).toEqual([
          rule.id,
          kind,
          true,
          true,
        ]);
      }
    }
  });

  it.each(cases)('%s %s sample %d', async (ruleId, kind, _index, sample) => {
    if (!('path' in sample)) throw new Error('IaC samples are files');
    const result = await runAgent(
      'security-scanner',
      { files: [{ path: sample.path, content: sample.content }] },
      { traceId: 'iac-samples', now: new Date('2026-06-01T12:00:00Z') },
    );
    const hits = result.findings.filter((f) => f.ruleId === ruleId && !f.suppressed);
    if (kind === 'good') expect(hits.map((f) => f.message)).toEqual([]);
    else {
      expect(hits.length).toBeGreaterThan(0);
      if (sample.line !== undefined) expect(hits.map((f) => f.resource?.line)).toContain(sample.line);
    }
  });
});
