/**
 * The cloud resource model every IaC check reads (docs/architecture.md,
 * Infrastructure as code): a CloudFormation resource and a Terraform block
 * of the same thing normalise to the same CloudResource, so a rule is written
 * once against it (./checks.ts). A resource keeps where it was written — file,
 * line, and the line of each attribute the checks read — so a finding points
 * at the attribute, not only at the resource.
 *
 * Attributes are grouped by aspect (bucket, database, ingress, policies …);
 * a resource has the aspects its type has. Values a template computes at
 * deploy time stay unknown (`undefined` from `truth`), and unknown is never a
 * problem. Defaults that differ between the two languages (Terraform's
 * `enable_logging` defaults to true, CloudFormation's `IsLogging` is
 * required) are applied by the normalisers, so the checks see the effective
 * value.
 */
import type {
  AuditLogAspect,
  CryptoKeyAspect,
  DataStoreAspect,
  EncryptionAspect,
  StorageAspect,
  VaultAspect,
} from './data-model.js';
import type { NetworkAspects, NetworkKind } from './model-network.js';
import type { Statement } from './policy.js';
import type { Located } from './values.js';

export type * from './data-model.js';

export type { IacSeverity, Located } from './values.js';
export type IacSource = 'cloudformation' | 'terraform';
/** The cloud a resource belongs to (CloudFormation: always AWS; Terraform: the type's provider prefix). */
export type CloudProvider = 'aws' | 'azure' | 'gcp' | 'alicloud';

export type ResourceKind =
  | 'bucket'
  | 'bucket-policy'
  | 'public-access-block'
  | 'security-group'
  | 'security-group-rule'
  | 'iam-policy'
  | 'iam-principal'
  | 'resource-policy'
  | 'key'
  | 'database'
  | 'database-cluster'
  | 'table'
  | 'volume'
  | 'instance'
  | 'queue'
  | 'topic'
  | 'file-system'
  | 'trail'
  | 'load-balancer'
  | 'api-stage'
  | 'function'
  | 'function-permission'
  | 'parameter'
  | NetworkKind
  | 'other';

/** Where a resource (or a companion resource holding one of its attributes) was written. */
export interface ResourcePlace {
  /** Logical id ('ExportsBucket') or Terraform address ('aws_s3_bucket.website'). */
  id: string;
  /** The name findings show: the logical id, or the Terraform block name. */
  name: string;
  /** The native type: 'AWS::S3::Bucket', 'aws_s3_bucket', 'data.aws_iam_policy_document', 'variable'. */
  type: string;
  file: string;
  line?: number;
}

export interface BucketAspect {
  /** Canned ACLs granted (kebab-case: 'public-read'), from the bucket or its ACL resources. */
  acls: Located<string>[];
  /** The public access block: absent, or the settings turned off and where they are written. */
  publicAccessBlock?: { off: string[]; at: ResourcePlace };
  encrypted: boolean;
  logged: boolean;
  /** Other resources deliver their logs here (access logs, load balancer logs, trails). */
  receivesLogs: boolean;
}

export interface IngressRule {
  /** The rule's place in the group's inline list; undefined for a standalone rule resource. */
  index?: number;
  cidrs: unknown[];
  protocol: unknown;
  from: unknown;
  to: unknown;
  line?: number;
}

export type PolicyUse = 'identity' | 'resource' | 'bucket';

export interface PolicyDocument {
  /** undefined when the document is computed at deploy time. */
  statements: Statement[] | undefined;
  use: PolicyUse;
  /** Prefix of messages: 'Key policy ', 'Policy reports: ' or ''. */
  label: string;
  line?: number;
  /** Line of each statement, by index, where the document's source keeps them. */
  statementLines: (number | undefined)[];
}

export interface BlockDevice {
  name: string;
  encrypted: unknown;
  line?: number;
}

export interface DatabaseAspect {
  publiclyAccessible: Located<unknown>;
  storageEncrypted: Located<unknown>;
  /** A cluster member, read replica or snapshot restore: encryption comes from elsewhere. */
  inheritsEncryption: boolean;
}

export interface QueueAspect {
  kmsKey: boolean;
  /** SQS-managed encryption: true, false, or undefined when unset and the language sets no default. */
  managedSse: Located<unknown>;
}

export interface TrailAspect {
  logging: Located<unknown>;
  validation: Located<unknown>;
  multiRegion: Located<unknown>;
}

export interface LoadBalancerAspect {
  /** Access logs enabled (effective value, the language's default applied). */
  accessLogs: Located<unknown>;
}

export interface ParameterAspect {
  /** The literal default, if any. */
  fallback?: string;
  /** NoEcho / sensitive. */
  hidden: boolean;
  /** Whether the parameter's type holds text (String, CommaDelimitedList; every variable). */
  textual: boolean;
  /** Whether a missing NoEcho is itself a finding (CloudFormation shows parameters in the console). */
  mustHide: boolean;
}

export interface CloudResource extends ResourcePlace, NetworkAspects {
  kind: ResourceKind;
  source: IacSource;
  /** undefined for variables, parameters and types of no known provider. */
  provider?: CloudProvider;
  /** The CDK construct path (`aws:cdk:path`) of a synthesized resource. */
  cdkPath?: string;
  /** The raw properties / arguments, for checks over every value (literal secrets). */
  properties: Record<string, unknown>;
  /** Line of a raw property path ('MasterUserPassword', 'ingress.1.cidr_blocks'). */
  lineOf(path: readonly (string | number)[]): number | undefined;
  /** undefined: the type takes no tags; else whether it has any (or the provider adds default tags). */
  tagged?: boolean;
  bucket?: BucketAspect;
  ingress?: IngressRule[];
  policies?: PolicyDocument[];
  /** A permission that lets anyone invoke a function. */
  publicInvoke?: { action: string; line?: number; url: boolean };
  volume?: { encrypted: Located<unknown>; fromSnapshot: boolean };
  devices?: BlockDevice[];
  database?: DatabaseAspect;
  table?: { sseEnabled: Located<unknown> };
  queue?: QueueAspect;
  topic?: { kmsKey: boolean };
  fileSystem?: { encrypted: Located<unknown> };
  trail?: TrailAspect;
  loadBalancer?: LoadBalancerAspect;
  apiStage?: { accessLogs: boolean };
  parameter?: ParameterAspect;
  /** Provider-neutral data aspects, read by ./checks-data.ts (see ./data-model.ts). */
  storage?: StorageAspect;
  encryption?: EncryptionAspect;
  dataStore?: DataStoreAspect;
  cryptoKey?: CryptoKeyAspect;
  vault?: VaultAspect;
  auditLog?: AuditLogAspect;
}
