/**
 * The infrastructure-as-code rules of the security scanner as one catalog
 * (../../scan/catalog.ts). Each rule is implemented once against the cloud
 * resource model (shared/analysis/iac/checks.ts) and proven on both
 * languages: every row has a CloudFormation and a Terraform sample of the
 * problem and of its fix.
 */
import { defineRules, type RuleSample } from '../../scan/catalog.js';

/** A CloudFormation template holding `resources` (YAML, indented under Resources). */
function cfn(resources: string, why?: string): RuleSample {
  return {
    path: 'template.yaml',
    content: `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n${resources}\n`,
    ...(why === undefined ? {} : { why }),
  };
}

function tf(content: string, why?: string): RuleSample {
  return { path: 'main.tf', content: `${content.trim()}\n`, ...(why === undefined ? {} : { why }) };
}

/** A bucket with no settings at all, in both languages. */
const PLAIN_BUCKET: readonly RuleSample[] = [
  cfn('  Data:\n    Type: AWS::S3::Bucket'),
  tf('resource "aws_s3_bucket" "data" {\n  bucket = "data"\n}'),
];

const TAGS = '      Tags: [{ Key: owner, Value: data }]';
const fake = (...parts: string[]) => parts.join('');

export const IAC_RULES = defineRules('security-scanner', [
  {
    id: 'IAC-S3-PUBLIC-ACCESS',
    severity: 'high',
    category: 'security',
    title: 'S3 bucket open to the public',
    description:
      'A public canned ACL (public-read, public-read-write, authenticated-read), a bucket policy that allows Principal "*" without a narrowing condition, or a website bucket: objects are readable (or writable) by anyone.',
    remediation:
      'Remove public ACLs and public statements; serve public content through CloudFront with origin access control; keep the public access block on.',
    cwe: ['CWE-284'],
    samples: {
      bad: [
        cfn('  Site:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: PublicRead'),
        tf('resource "aws_s3_bucket" "site" {\n  bucket = "site"\n  acl    = "public-read"\n}'),
      ],
      good: [
        cfn('  Site:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: Private'),
        tf('resource "aws_s3_bucket" "site" {\n  bucket = "site"\n  acl    = "private"\n}'),
      ],
    },
  },
  {
    id: 'IAC-S3-PUBLIC-ACCESS-BLOCK',
    severity: 'medium',
    category: 'security',
    title: 'S3 public access block missing or disabled',
    description:
      'The bucket does not turn on all four public access block settings (BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets). AWS turns them on for new buckets since 2023, so an absent block is reported low and a disabled one medium.',
    remediation: 'Set all four settings to true (CDK: `blockPublicAccess: BlockPublicAccess.BLOCK_ALL`).',
    cwe: ['CWE-284'],
    samples: {
      bad: [
        cfn(
          '  Data:\n    Type: AWS::S3::Bucket\n    Properties:\n      PublicAccessBlockConfiguration:\n        BlockPublicAcls: false\n        BlockPublicPolicy: true\n        IgnorePublicAcls: true\n        RestrictPublicBuckets: true',
        ),
        tf(
          'resource "aws_s3_bucket" "data" {\n  bucket = "data"\n}\n\nresource "aws_s3_bucket_public_access_block" "data" {\n  bucket            = aws_s3_bucket.data.id\n  block_public_acls = false\n}',
        ),
      ],
      good: [
        cfn(
          '  Data:\n    Type: AWS::S3::Bucket\n    Properties:\n      PublicAccessBlockConfiguration:\n        BlockPublicAcls: true\n        BlockPublicPolicy: true\n        IgnorePublicAcls: true\n        RestrictPublicBuckets: true',
        ),
        tf(
          'resource "aws_s3_bucket" "data" {\n  bucket = "data"\n}\n\nresource "aws_s3_bucket_public_access_block" "data" {\n  bucket                  = aws_s3_bucket.data.id\n  block_public_acls       = true\n  block_public_policy     = true\n  ignore_public_acls      = true\n  restrict_public_buckets = true\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-S3-ENCRYPTION',
    severity: 'low',
    category: 'security',
    title: 'S3 bucket without explicit encryption',
    description:
      'No server-side encryption configuration: S3 applies SSE-S3 by default, but there is no KMS key to control and audit access to the data separately.',
    remediation:
      'Configure SSE-KMS with a customer-managed key for sensitive data (and a bucket key to cut KMS cost).',
    cwe: ['CWE-311'],
    samples: {
      bad: PLAIN_BUCKET,
      good: [
        cfn(
          '  Data:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault: { SSEAlgorithm: aws:kms }',
        ),
        tf(
          'resource "aws_s3_bucket" "data" {\n  bucket = "data"\n}\n\nresource "aws_s3_bucket_server_side_encryption_configuration" "data" {\n  bucket = aws_s3_bucket.data.id\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = "aws:kms"\n    }\n  }\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-S3-LOGGING',
    severity: 'low',
    category: 'logging',
    title: 'S3 server access logging off',
    description:
      'The bucket writes no server access logs, so reads and writes of its objects cannot be audited.',
    remediation: 'Set a logging configuration to a separate log bucket (or use CloudTrail data events).',
    cwe: ['CWE-778'],
    samples: {
      bad: PLAIN_BUCKET,
      good: [
        cfn(
          '  Data:\n    Type: AWS::S3::Bucket\n    Properties:\n      LoggingConfiguration: { DestinationBucketName: access-logs }',
        ),
        tf(
          'resource "aws_s3_bucket" "data" {\n  bucket = "data"\n}\n\nresource "aws_s3_bucket_logging" "data" {\n  bucket        = aws_s3_bucket.data.id\n  target_bucket = "access-logs"\n  target_prefix = "data/"\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-EBS-ENCRYPTION',
    severity: 'high',
    category: 'security',
    title: 'EBS volume not encrypted',
    description: 'An EBS volume (or an instance / launch template block device) without encryption.',
    remediation:
      'Set Encrypted: true (with a KMS key), or turn on EBS encryption by default for the account.',
    cwe: ['CWE-311'],
    samples: {
      bad: [
        cfn(
          '  Scratch:\n    Type: AWS::EC2::Volume\n    Properties:\n      Size: 100\n      AvailabilityZone: eu-west-1a',
        ),
        tf(
          'resource "aws_ebs_volume" "scratch" {\n  availability_zone = "eu-west-1a"\n  size              = 100\n}',
        ),
      ],
      good: [
        cfn(
          '  Scratch:\n    Type: AWS::EC2::Volume\n    Properties:\n      Size: 100\n      AvailabilityZone: eu-west-1a\n      Encrypted: true',
        ),
        tf(
          'resource "aws_ebs_volume" "scratch" {\n  availability_zone = "eu-west-1a"\n  size              = 100\n  encrypted         = true\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-RDS-ENCRYPTION',
    severity: 'high',
    category: 'security',
    title: 'RDS storage not encrypted',
    description:
      'A DB instance or Aurora cluster without storage encryption: data, snapshots and replicas are stored in clear. It cannot be turned on later without a snapshot copy.',
    remediation: 'Set StorageEncrypted: true (storage_encrypted = true) with a KMS key.',
    cwe: ['CWE-311'],
    samples: {
      bad: [
        cfn(
          '  Orders:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      DBInstanceClass: db.t3.micro',
        ),
        tf(
          'resource "aws_db_instance" "orders" {\n  engine         = "postgres"\n  instance_class = "db.t3.micro"\n}',
        ),
      ],
      good: [
        cfn(
          '  Orders:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      DBInstanceClass: db.t3.micro\n      StorageEncrypted: true',
        ),
        tf(
          'resource "aws_db_instance" "orders" {\n  engine            = "postgres"\n  instance_class    = "db.t3.micro"\n  storage_encrypted = true\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-RDS-PUBLIC',
    severity: 'high',
    category: 'security',
    title: 'RDS instance publicly accessible',
    description: 'PubliclyAccessible gives the database a public endpoint reachable from the internet.',
    remediation: 'Set PubliclyAccessible: false and reach the database from inside the VPC.',
    cwe: ['CWE-284'],
    samples: {
      bad: [
        cfn(
          '  Orders:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      StorageEncrypted: true\n      PubliclyAccessible: true',
        ),
        tf(
          'resource "aws_db_instance" "orders" {\n  engine              = "postgres"\n  storage_encrypted   = true\n  publicly_accessible = true\n}',
        ),
      ],
      good: [
        cfn(
          '  Orders:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      StorageEncrypted: true\n      PubliclyAccessible: false',
        ),
        tf(
          'resource "aws_db_instance" "orders" {\n  engine              = "postgres"\n  storage_encrypted   = true\n  publicly_accessible = false\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-DYNAMODB-ENCRYPTION',
    severity: 'low',
    category: 'security',
    title: 'DynamoDB table without a customer-managed key',
    description:
      'DynamoDB always encrypts at rest, but without SSESpecification the key is AWS-owned: no key policy, no CloudTrail record of its use.',
    remediation:
      'Enable SSE with KMS (SSESpecification: { SSEEnabled: true }, optionally a customer-managed key).',
    cwe: ['CWE-311'],
    samples: {
      bad: [
        cfn('  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST'),
        tf(
          'resource "aws_dynamodb_table" "orders" {\n  name         = "orders"\n  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "id"\n}',
        ),
      ],
      good: [
        cfn(
          '  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      SSESpecification: { SSEEnabled: true }',
        ),
        tf(
          'resource "aws_dynamodb_table" "orders" {\n  name         = "orders"\n  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "id"\n  server_side_encryption {\n    enabled = true\n  }\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-SQS-ENCRYPTION',
    severity: 'medium',
    category: 'security',
    title: 'SQS queue not encrypted',
    description:
      'A queue with SQS-managed encryption turned off and no KMS key stores messages in clear; one with neither set relies on the account default.',
    remediation: 'Set SqsManagedSseEnabled: true, or KmsMasterKeyId for a customer-managed key.',
    cwe: ['CWE-311'],
    samples: {
      bad: [
        cfn('  Jobs:\n    Type: AWS::SQS::Queue\n    Properties:\n      SqsManagedSseEnabled: false'),
        tf(
          'resource "aws_sqs_queue" "jobs" {\n  name                    = "jobs"\n  sqs_managed_sse_enabled = false\n}',
        ),
      ],
      good: [
        cfn('  Jobs:\n    Type: AWS::SQS::Queue\n    Properties:\n      KmsMasterKeyId: alias/aws/sqs'),
        tf(
          'resource "aws_sqs_queue" "jobs" {\n  name              = "jobs"\n  kms_master_key_id = "alias/aws/sqs"\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-SNS-ENCRYPTION',
    severity: 'medium',
    category: 'security',
    title: 'SNS topic not encrypted',
    description: 'A topic without KmsMasterKeyId stores messages unencrypted at rest.',
    remediation:
      'Set KmsMasterKeyId (a customer-managed key if CloudWatch alarms or other services publish to it).',
    cwe: ['CWE-311'],
    samples: {
      bad: [
        cfn('  Alerts:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: alerts'),
        tf('resource "aws_sns_topic" "alerts" {\n  name = "alerts"\n}'),
      ],
      good: [
        cfn('  Alerts:\n    Type: AWS::SNS::Topic\n    Properties:\n      KmsMasterKeyId: alias/aws/sns'),
        tf(
          'resource "aws_sns_topic" "alerts" {\n  name              = "alerts"\n  kms_master_key_id = "alias/aws/sns"\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-EFS-ENCRYPTION',
    severity: 'high',
    category: 'security',
    title: 'EFS file system not encrypted',
    description: 'An EFS file system without Encrypted: true; encryption cannot be added after creation.',
    remediation: 'Set Encrypted: true (encrypted = true) with a KMS key.',
    cwe: ['CWE-311'],
    samples: {
      bad: [
        cfn(
          '  Shared:\n    Type: AWS::EFS::FileSystem\n    Properties:\n      PerformanceMode: generalPurpose',
        ),
        tf('resource "aws_efs_file_system" "shared" {\n  creation_token = "shared"\n}'),
      ],
      good: [
        cfn('  Shared:\n    Type: AWS::EFS::FileSystem\n    Properties:\n      Encrypted: true'),
        tf(
          'resource "aws_efs_file_system" "shared" {\n  creation_token = "shared"\n  encrypted      = true\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-SG-ADMIN-PORT-OPEN',
    severity: 'high',
    category: 'security',
    title: 'Admin or database port open to the internet',
    description:
      'Ingress from the whole internet (0.0.0.0/0, ::/0; Azure `*`, Internet, Any) to SSH (22), RDP (3389) or a database / cache port (3306, 5432, 1433, 1521, 27017, 6379, 9200, …), or to every port (critical): brute force and exploits from anywhere. AWS aws_security_group / aws_security_group_rule / aws_vpc_security_group_ingress_rule and AWS::EC2::SecurityGroup / SecurityGroupIngress; Azure azurerm_network_security_group `security_rule` and azurerm_network_security_rule (Inbound, Allow); GCP google_compute_firewall (INGRESS, from source_ranges, or from anywhere when no source is given); Alicloud alicloud_security_group_rule (ingress, accept); an EKS node group (aws_eks_node_group / AWS::EKS::Nodegroup) with SSH remote access and no source security groups, which opens port 22 to the internet.',
    remediation:
      'Allow only known CIDRs, security groups or service tags; reach hosts through a session manager (SSM, IAP, Azure Bastion) or a bastion, databases from inside the network.',
    cwe: ['CWE-284'],
    references: [
      'CKV_AWS_24',
      'CKV_AWS_25',
      'CKV_AWS_277',
      'CKV_AWS_100',
      'CKV_AZURE_9',
      'CKV_AZURE_10',
      'CKV_GCP_2',
      'CKV_GCP_3',
    ],
    samples: {
      bad: [
        {
          ...cfn(
            '  Bastion:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: bastion\n      SecurityGroupIngress:\n        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }',
          ),
          line: 8,
        },
        {
          ...tf(
            'resource "aws_security_group" "bastion" {\n  name = "bastion"\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}',
          ),
          line: 3,
        },
        {
          ...tf(
            'resource "azurerm_network_security_group" "web" {\n  name                = "web"\n  location            = "westeurope"\n  resource_group_name = "rg"\n\n  security_rule {\n    name                       = "ssh"\n    priority                   = 100\n    direction                  = "Inbound"\n    access                     = "Allow"\n    protocol                   = "Tcp"\n    source_port_range          = "*"\n    destination_port_range     = "22"\n    source_address_prefix      = "*"\n    destination_address_prefix = "*"\n  }\n}',
          ),
          line: 6,
        },
        {
          ...tf(
            'resource "google_compute_firewall" "rdp" {\n  name    = "allow-rdp"\n  network = "default"\n\n  allow {\n    protocol = "tcp"\n    ports    = ["3389"]\n  }\n\n  source_ranges = ["0.0.0.0/0"]\n}',
          ),
          line: 5,
        },
        {
          ...tf(
            'resource "alicloud_security_group_rule" "ssh" {\n  type              = "ingress"\n  ip_protocol       = "tcp"\n  port_range        = "22/22"\n  security_group_id = alicloud_security_group.web.id\n  cidr_ip           = "0.0.0.0/0"\n}',
          ),
          line: 6,
        },
      ],
      good: [
        cfn(
          '  Bastion:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: bastion\n      SecurityGroupIngress:\n        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8 }',
        ),
        tf(
          'resource "aws_security_group" "web" {\n  name = "web"\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}',
        ),
        tf(
          'resource "azurerm_network_security_rule" "ssh" {\n  name                        = "ssh"\n  priority                    = 100\n  direction                   = "Inbound"\n  access                      = "Allow"\n  protocol                    = "Tcp"\n  source_port_range           = "*"\n  destination_port_range      = "22"\n  source_address_prefix       = "10.0.0.0/8"\n  destination_address_prefix  = "*"\n  resource_group_name         = "rg"\n  network_security_group_name = "web"\n}',
        ),
        tf(
          'resource "google_compute_firewall" "https" {\n  name    = "allow-https"\n  network = "default"\n\n  allow {\n    protocol = "tcp"\n    ports    = ["443"]\n  }\n\n  source_ranges = ["0.0.0.0/0"]\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-IAM-WILDCARD-ACTION',
    severity: 'high',
    category: 'security',
    title: 'IAM policy allows wildcard actions',
    description:
      'An Allow statement with Action "*" (every action of every service: administrator when Resource is "*" too), "service:*", or NotAction: far beyond least privilege.',
    remediation:
      'List the actions the principal needs; use IAM Access Analyzer policy generation from CloudTrail.',
    cwe: ['CWE-269'],
    samples: {
      bad: [
        {
          ...cfn(
            '  Admin:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - { Effect: Allow, Action: "*", Resource: "*" }',
          ),
          line: 8,
        },
        tf(
          'resource "aws_iam_policy" "admin" {\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })\n}',
        ),
      ],
      good: [
        cfn(
          '  Reader:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - { Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*" }',
        ),
        tf(
          'resource "aws_iam_policy" "reader" {\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::reports/*" }] })\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-IAM-WILDCARD-RESOURCE',
    severity: 'medium',
    category: 'security',
    title: 'IAM policy allows actions on every resource',
    description:
      'An Allow statement with Resource "*". Higher for actions that hand out access or data (iam:PassRole, sts:AssumeRole, secretsmanager:GetSecretValue, kms:Decrypt, s3 object access); low for read-only and telemetry actions that only accept "*".',
    remediation:
      'Scope Resource to the ARNs the principal needs, or add conditions (aws:ResourceTag, aws:SourceArn).',
    cwe: ['CWE-269'],
    samples: {
      bad: [
        cfn(
          '  Deploy:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - { Effect: Allow, Action: "iam:PassRole", Resource: "*" }',
        ),
        tf(
          'data "aws_iam_policy_document" "deploy" {\n  statement {\n    actions   = ["iam:PassRole"]\n    resources = ["*"]\n  }\n}',
        ),
      ],
      good: [
        cfn(
          '  Deploy:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - { Effect: Allow, Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/app" }',
        ),
        tf(
          'data "aws_iam_policy_document" "deploy" {\n  statement {\n    actions   = ["iam:PassRole"]\n    resources = ["arn:aws:iam::111122223333:role/app"]\n  }\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-POLICY-PUBLIC-PRINCIPAL',
    severity: 'high',
    category: 'security',
    title: 'Resource policy allows any principal',
    description:
      'A queue, topic, key or function policy (or the access policy of an Elasticsearch / OpenSearch domain outside a VPC) allowing Principal "*" without a condition (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID…): anyone with an AWS account can use the resource.',
    remediation: 'Name the principals (accounts, roles, service principals) or add a narrowing condition.',
    cwe: ['CWE-284'],
    samples: {
      bad: [
        cfn(
          '  Invoke:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: thumbs\n      Principal: "*"',
        ),
        tf(
          'resource "aws_lambda_permission" "invoke" {\n  action        = "lambda:InvokeFunction"\n  function_name = "thumbs"\n  principal     = "*"\n}',
        ),
      ],
      good: [
        cfn(
          '  Invoke:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: thumbs\n      Principal: s3.amazonaws.com\n      SourceAccount: "111122223333"',
        ),
        tf(
          'resource "aws_lambda_permission" "invoke" {\n  action         = "lambda:InvokeFunction"\n  function_name  = "thumbs"\n  principal      = "s3.amazonaws.com"\n  source_account = "111122223333"\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-CLOUDTRAIL-LOGGING',
    severity: 'medium',
    category: 'logging',
    title: 'CloudTrail logging incomplete',
    description:
      'A trail that is not logging (high), without log file validation (medium) or limited to one region (low): API activity goes unrecorded or can be altered unnoticed.',
    remediation: 'Set IsLogging: true, EnableLogFileValidation: true and IsMultiRegionTrail: true.',
    cwe: ['CWE-778'],
    samples: {
      bad: [
        cfn(
          '  Audit:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      S3BucketName: audit-logs\n      IsLogging: false\n      EnableLogFileValidation: true\n      IsMultiRegionTrail: true',
        ),
        tf(
          'resource "aws_cloudtrail" "audit" {\n  name                       = "audit"\n  s3_bucket_name             = "audit-logs"\n  enable_logging             = false\n  enable_log_file_validation = true\n  is_multi_region_trail      = true\n}',
        ),
      ],
      good: [
        cfn(
          '  Audit:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      S3BucketName: audit-logs\n      IsLogging: true\n      EnableLogFileValidation: true\n      IsMultiRegionTrail: true',
        ),
        tf(
          'resource "aws_cloudtrail" "audit" {\n  name                       = "audit"\n  s3_bucket_name             = "audit-logs"\n  enable_log_file_validation = true\n  is_multi_region_trail      = true\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-ALB-LOGGING',
    severity: 'medium',
    category: 'logging',
    title: 'Load balancer access logs off',
    description:
      'An application or classic load balancer without access logs: requests cannot be traced after an incident.',
    remediation:
      'Set access_logs.s3.enabled = true with a log bucket (AccessLoggingPolicy for classic load balancers).',
    cwe: ['CWE-778'],
    samples: {
      bad: [
        cfn(
          `  Web:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      Subnets: [subnet-1, subnet-2]\n${TAGS}`,
        ),
        tf('resource "aws_lb" "web" {\n  name    = "web"\n  subnets = ["subnet-1", "subnet-2"]\n}'),
      ],
      good: [
        cfn(
          `  Web:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      LoadBalancerAttributes:\n        - { Key: access_logs.s3.enabled, Value: "true" }\n        - { Key: access_logs.s3.bucket, Value: lb-logs }\n${TAGS}`,
        ),
        tf(
          'resource "aws_lb" "web" {\n  name = "web"\n  access_logs {\n    bucket  = "lb-logs"\n    enabled = true\n  }\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-API-LOGGING',
    severity: 'medium',
    category: 'logging',
    title: 'API Gateway stage without access logs',
    description: 'A REST or HTTP API stage without access log settings: who called what is not recorded.',
    remediation:
      'Set AccessLogSetting (REST) / AccessLogSettings (HTTP) with a log group destination and a format.',
    cwe: ['CWE-778'],
    samples: {
      bad: [
        cfn(
          '  Prod:\n    Type: AWS::ApiGateway::Stage\n    Properties:\n      RestApiId: abc123\n      StageName: prod',
        ),
        tf('resource "aws_api_gateway_stage" "prod" {\n  rest_api_id = "abc123"\n  stage_name  = "prod"\n}'),
      ],
      good: [
        cfn(
          '  Prod:\n    Type: AWS::ApiGateway::Stage\n    Properties:\n      RestApiId: abc123\n      StageName: prod\n      AccessLogSetting: { DestinationArn: "arn:aws:logs:eu-west-1:111122223333:log-group:api", Format: "$context.requestId" }',
        ),
        tf(
          'resource "aws_api_gateway_stage" "prod" {\n  rest_api_id = "abc123"\n  stage_name  = "prod"\n  access_log_settings {\n    destination_arn = "arn:aws:logs:eu-west-1:111122223333:log-group:api"\n    format          = "$context.requestId"\n  }\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-HARDCODED-SECRET',
    severity: 'high',
    category: 'secrets',
    title: 'Hard-coded credential in a template',
    description:
      'A literal password, secret or token in a resource property (MasterUserPassword, password = "…"), or a password parameter without NoEcho: it is stored in the template, the stack and state files.',
    remediation:
      'Generate and store it in Secrets Manager and reference it dynamically (`{{resolve:secretsmanager:…}}`, ManageMasterUserPassword, `manage_master_user_password`).',
    cwe: ['CWE-798'],
    samples: {
      bad: [
        {
          ...cfn(
            `  Orders:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      StorageEncrypted: true\n      MasterUsername: app\n      MasterUserPassword: "${fake('Qx7', '-Lp2', '-Vn9', '-Rt4')}"`,
          ),
          line: 9,
        },
        {
          ...tf(
            `resource "aws_db_instance" "orders" {\n  engine            = "postgres"\n  storage_encrypted = true\n  username          = "app"\n  password          = "${fake('Qx7', '-Lp2', '-Vn9', '-Rt4')}"\n}`,
          ),
          line: 5,
        },
      ],
      good: [
        cfn(
          '  Orders:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      StorageEncrypted: true\n      MasterUsername: app\n      MasterUserPassword: "{{resolve:secretsmanager:orders-db:SecretString:password}}"',
        ),
        tf(
          'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n\nresource "aws_db_instance" "orders" {\n  engine            = "postgres"\n  storage_encrypted = true\n  username          = "app"\n  password          = var.db_password\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-MISSING-TAGS',
    severity: 'info',
    category: 'governance',
    title: 'Resource without tags',
    description:
      'A taggable resource with no tags: cost allocation, ownership and tag-based access control do not see it.',
    remediation:
      'Tag resources with at least an owner and an environment (CDK: Tags.of(app).add(…); Terraform: default_tags).',
    samples: {
      bad: [
        cfn('  Alerts:\n    Type: AWS::SNS::Topic\n    Properties:\n      KmsMasterKeyId: alias/aws/sns'),
        tf('resource "aws_sns_topic" "alerts" {\n  kms_master_key_id = "alias/aws/sns"\n}'),
      ],
      good: [
        cfn(
          `  Alerts:\n    Type: AWS::SNS::Topic\n    Properties:\n      KmsMasterKeyId: alias/aws/sns\n${TAGS}`,
        ),
        tf(
          'provider "aws" {\n  default_tags {\n    tags = { owner = "data" }\n  }\n}\n\nresource "aws_sns_topic" "alerts" {\n  kms_master_key_id = "alias/aws/sns"\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-PARSE-ERROR',
    severity: 'info',
    category: 'correctness',
    title: 'Template could not be parsed',
    description:
      'The file looks like infrastructure as code but does not parse, so its IaC rules did not run.',
    remediation: 'Fix the syntax error (terraform validate, cfn-lint); the scan then covers the file.',
    samples: {
      bad: [
        cfn('  Data:\n    Type: AWS::S3::Bucket\n   Properties: [\n'),
        tf('resource "aws_s3_bucket" "data" {\n  bucket = "data"\n'),
      ],
      good: PLAIN_BUCKET,
    },
  },
] as const);
