/**
 * The security scanner's rules: the one place that joins the area catalogs
 * under ./rules/ (Dockerfiles, code patterns, dependencies) into the agent's
 * catalog, and its score policy. Secrets and infrastructure-as-code rules are
 * still the legacy rows below, without samples, until their catalogs
 * (rules/secrets.ts, rules/iac.ts) replace them; `cwe` names the weakness a
 * rule detects, and findings carry it in their evidence.
 */
import { AgentError } from '../../core/errors.js';
import { type Rule, ruleCatalog } from '../rules.js';
import { type Catalog, joinCatalogs } from '../scan/catalog.js';
import type { SeverityWeights } from '../scan/score.js';
import { CODE_RULES } from './rules/code.js';
import { DEPENDENCY_RULES } from './rules/dependencies.js';
import { DOCKER_RULES } from './rules/docker.js';
import { SECRET_RULES } from './rules/secrets.js';

export interface SecurityRule extends Rule {
  cwe?: string;
}

const IAC: SecurityRule[] = [
  {
    id: 'IAC-S3-PUBLIC-ACCESS',
    severity: 'high',
    category: 'security',
    title: 'S3 bucket open to the public',
    description:
      'A public canned ACL (public-read, public-read-write, authenticated-read), a bucket policy that allows Principal "*" without a narrowing condition, or a website bucket: objects are readable (or writable) by anyone.',
    remediation:
      'Remove public ACLs and public statements; serve public content through CloudFront with origin access control; keep the public access block on.',
    cwe: 'CWE-284',
  },
  {
    id: 'IAC-S3-PUBLIC-ACCESS-BLOCK',
    severity: 'medium',
    category: 'security',
    title: 'S3 public access block missing or disabled',
    description:
      'The bucket does not turn on all four public access block settings (BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets). AWS turns them on for new buckets since 2023, so an absent block is reported low and a disabled one medium.',
    remediation: 'Set all four settings to true (CDK: `blockPublicAccess: BlockPublicAccess.BLOCK_ALL`).',
    cwe: 'CWE-284',
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
    cwe: 'CWE-311',
  },
  {
    id: 'IAC-S3-LOGGING',
    severity: 'low',
    category: 'logging',
    title: 'S3 server access logging off',
    description:
      'The bucket writes no server access logs, so reads and writes of its objects cannot be audited.',
    remediation: 'Set a logging configuration to a separate log bucket (or use CloudTrail data events).',
    cwe: 'CWE-778',
  },
  {
    id: 'IAC-EBS-ENCRYPTION',
    severity: 'high',
    category: 'security',
    title: 'EBS volume not encrypted',
    description: 'An EBS volume (or an instance / launch template block device) without encryption.',
    remediation:
      'Set Encrypted: true (with a KMS key), or turn on EBS encryption by default for the account.',
    cwe: 'CWE-311',
  },
  {
    id: 'IAC-RDS-ENCRYPTION',
    severity: 'high',
    category: 'security',
    title: 'RDS storage not encrypted',
    description:
      'A DB instance or Aurora cluster without storage encryption: data, snapshots and replicas are stored in clear. It cannot be turned on later without a snapshot copy.',
    remediation: 'Set StorageEncrypted: true (storage_encrypted = true) with a KMS key.',
    cwe: 'CWE-311',
  },
  {
    id: 'IAC-RDS-PUBLIC',
    severity: 'high',
    category: 'security',
    title: 'RDS instance publicly accessible',
    description: 'PubliclyAccessible gives the database a public endpoint reachable from the internet.',
    remediation: 'Set PubliclyAccessible: false and reach the database from inside the VPC.',
    cwe: 'CWE-284',
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
    cwe: 'CWE-311',
  },
  {
    id: 'IAC-SQS-ENCRYPTION',
    severity: 'medium',
    category: 'security',
    title: 'SQS queue not encrypted',
    description:
      'A queue with SQS-managed encryption turned off and no KMS key stores messages in clear; one with neither set relies on the account default.',
    remediation: 'Set SqsManagedSseEnabled: true, or KmsMasterKeyId for a customer-managed key.',
    cwe: 'CWE-311',
  },
  {
    id: 'IAC-SNS-ENCRYPTION',
    severity: 'medium',
    category: 'security',
    title: 'SNS topic not encrypted',
    description: 'A topic without KmsMasterKeyId stores messages unencrypted at rest.',
    remediation:
      'Set KmsMasterKeyId (a customer-managed key if CloudWatch alarms or other services publish to it).',
    cwe: 'CWE-311',
  },
  {
    id: 'IAC-EFS-ENCRYPTION',
    severity: 'high',
    category: 'security',
    title: 'EFS file system not encrypted',
    description: 'An EFS file system without Encrypted: true; encryption cannot be added after creation.',
    remediation: 'Set Encrypted: true (encrypted = true) with a KMS key.',
    cwe: 'CWE-311',
  },
  {
    id: 'IAC-SG-ADMIN-PORT-OPEN',
    severity: 'high',
    category: 'security',
    title: 'Admin or database port open to the internet',
    description:
      'Ingress from 0.0.0.0/0 or ::/0 to SSH (22), RDP (3389) or a database / cache port (3306, 5432, 1433, 1521, 27017, 6379, 9200, …), or to all ports: brute force and exploits from anywhere.',
    remediation:
      'Allow only known CIDRs or security groups; reach hosts through SSM Session Manager or a bastion, databases from inside the VPC.',
    cwe: 'CWE-284',
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
    cwe: 'CWE-269',
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
    cwe: 'CWE-269',
  },
  {
    id: 'IAC-POLICY-PUBLIC-PRINCIPAL',
    severity: 'high',
    category: 'security',
    title: 'Resource policy allows any principal',
    description:
      'A queue, topic, key or function policy allowing Principal "*" without a condition (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID…): anyone with an AWS account can use the resource.',
    remediation: 'Name the principals (accounts, roles, service principals) or add a narrowing condition.',
    cwe: 'CWE-284',
  },
  {
    id: 'IAC-CLOUDTRAIL-LOGGING',
    severity: 'medium',
    category: 'logging',
    title: 'CloudTrail logging incomplete',
    description:
      'A trail that is not logging (high), without log file validation (medium) or limited to one region (low): API activity goes unrecorded or can be altered unnoticed.',
    remediation: 'Set IsLogging: true, EnableLogFileValidation: true and IsMultiRegionTrail: true.',
    cwe: 'CWE-778',
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
    cwe: 'CWE-778',
  },
  {
    id: 'IAC-API-LOGGING',
    severity: 'medium',
    category: 'logging',
    title: 'API Gateway stage without access logs',
    description: 'A REST or HTTP API stage without access log settings: who called what is not recorded.',
    remediation:
      'Set AccessLogSetting (REST) / AccessLogSettings (HTTP) with a log group destination and a format.',
    cwe: 'CWE-778',
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
    cwe: 'CWE-798',
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
  },
  {
    id: 'IAC-PARSE-ERROR',
    severity: 'info',
    category: 'correctness',
    title: 'Template could not be parsed',
    description:
      'The file looks like infrastructure as code but does not parse, so its IaC rules did not run.',
    remediation: 'Fix the syntax error (terraform validate, cfn-lint); the scan then covers the file.',
  },
];

/** The legacy rows (IaC), until their area catalog lands. */
const LEGACY = ruleCatalog(IAC);

/** The area catalogs, joined: ids unique across them, each rule with its samples. */
export const CATALOG = joinCatalogs(
  'security-scanner',
  SECRET_RULES,
  DOCKER_RULES,
  CODE_RULES,
  DEPENDENCY_RULES,
);

export type SecurityRuleId = (typeof CATALOG.rules)[number]['id'];

/**
 * The agent's rules (defineAgent, SARIF, test/rules): the joined catalog,
 * whose `byId` also holds the legacy rows so SARIF and the README describe
 * every rule the scanner reports.
 */
export const RULES: Catalog<SecurityRuleId> = Object.freeze({
  ...CATALOG,
  byId: Object.freeze({ ...LEGACY, ...CATALOG.byId }),
});

/** A legacy (secrets or IaC) rule by id; the ids are literals in those engines, so a miss is a bug caught by the tests. */
export function rule(id: string): SecurityRule {
  const found = LEGACY[id];
  if (found === undefined)
    throw new AgentError(`security-scanner has no rule ${id}`, { details: { ruleId: id } });
  return found as SecurityRule;
}

/**
 * The weights of the score, policy `survival` (../scan/score.ts): each open
 * finding removes this fraction of what is left, and `riskScore` is
 * 100 − score = 100 × (1 − Π(1 − w)). One critical finding is a risk of 40,
 * two are 64; ten low ones are 18.
 */
export const RISK_WEIGHTS: SeverityWeights = {
  critical: 0.4,
  high: 0.2,
  medium: 0.07,
  low: 0.02,
  info: 0,
};
