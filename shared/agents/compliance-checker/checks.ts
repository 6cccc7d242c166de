/**
 * Checks: a named set of one source agent's rules, run on one kind of input,
 * that the framework mappings (./mappings) point controls at. A control fails
 * on an open finding of any of its checks' rules, and is assessed only when
 * every one of its checks' input kinds was read. `SEC-*` names every rule of
 * the agent with that prefix (the secret patterns: hundreds of rows, one
 * meaning). `match` narrows a rule that covers several settings to the
 * findings whose message names the one a control is about (K8S013 reports
 * hostPID, hostIPC, hostNetwork and hostPath alike).
 */
import { INPUT_KINDS, type InputKindId, type SourceAgent } from './inputs.js';

export interface Check {
  input: InputKindId;
  /** Rule ids of the input's agent; an id ending in `*` is a prefix. */
  rules: readonly string[];
  /** Only findings whose message matches count for this check. */
  match?: RegExp;
  /**
   * The resources the rules look at, as a CloudFormation type or Terraform
   * resource type in the files' text. A rule that found nothing on templates
   * without such a resource proves nothing (no trail, so no badly configured
   * trail): the check counts as assessed only when a scanned file declares one.
   */
  resources?: RegExp;
}

const RES = {
  iam: /AWS::IAM::(?:Policy|ManagedPolicy|Role|User|Group)\b|resource\s+"aws_iam_/,
  storage:
    /AWS::S3::Bucket\b|resource\s+"(?:aws_s3_bucket|azurerm_storage_account|google_storage_bucket|alicloud_oss_bucket)"/,
  s3: /AWS::S3::Bucket\b|resource\s+"aws_s3_bucket"/,
  ebs: /AWS::EC2::Volume\b|resource\s+"aws_ebs_volume"/,
  rds: /AWS::RDS::DB(?:Instance|Cluster)\b|resource\s+"aws_(?:db_instance|rds_cluster)"/,
  efs: /AWS::EFS::FileSystem\b|resource\s+"aws_efs_file_system"/,
  dataStores:
    /AWS::(?:S3::Bucket|EC2::Volume|RDS::DB|EFS::FileSystem|DynamoDB::Table|SQS::Queue|SNS::Topic|OpenSearchService::Domain|Elasticsearch::Domain|EKS::Cluster)|resource\s+"(?:aws_(?:s3_bucket|ebs_volume|db_instance|rds_cluster|efs_file_system|dynamodb_table|sqs_queue|sns_topic|opensearch_domain|elasticsearch_domain|eks_cluster)|azurerm_(?:storage_account|managed_disk|\w*sql\w*|cosmosdb_account|kubernetes_cluster)|google_(?:storage_bucket|compute_disk|sql_database_instance|container_cluster)|alicloud_\w+)"/,
  databases:
    /AWS::RDS::DB(?:Instance|Cluster)\b|resource\s+"(?:aws_db_instance|aws_rds_cluster|azurerm_\w*(?:sql|postgresql|mysql)\w*_server|google_sql_database_instance|alicloud_db_instance)"/,
  firewalls:
    /AWS::EC2::SecurityGroup(?:Ingress)?\b|resource\s+"(?:aws_security_group(?:_rule)?|aws_vpc_security_group_ingress_rule|azurerm_network_security_(?:group|rule)|google_compute_firewall|alicloud_security_group_rule)"/,
  addresses:
    /AWS::EC2::(?:Subnet|Instance)\b|AWS::EKS::Cluster\b|resource\s+"(?:aws_subnet|aws_instance|aws_eks_cluster|azurerm_public_ip|azurerm_kubernetes_cluster|google_compute_instance|google_container_cluster)"/,
  trails: /AWS::CloudTrail::Trail\b|resource\s+"aws_cloudtrail"/,
  keys: /AWS::KMS::Key\b|resource\s+"aws_kms_key"/,
  keyStores: /AWS::KMS::Key\b|resource\s+"(?:aws_kms_key|azurerm_key_vault\w*|google_kms_crypto_key)"/,
  logged:
    /AWS::(?:CloudTrail::Trail|ElasticLoadBalancingV2::LoadBalancer|ApiGateway(?:V2)?::Stage|EKS::Cluster|RDS::DB\w+|S3::Bucket)\b|resource\s+"(?:aws_(?:cloudtrail|lb|alb|api_gateway_stage|apigatewayv2_stage|eks_cluster|db_instance|rds_cluster|s3_bucket)|azurerm_(?:monitor_diagnostic_setting|kubernetes_cluster|\w*sql\w*_server|storage_account)|google_(?:container_cluster|sql_database_instance|storage_bucket|project_iam_audit_config))"/,
  endpoints:
    /AWS::(?:ElasticLoadBalancingV2::Listener|RDS::DB\w+|ElastiCache::\w+|OpenSearchService::Domain|Elasticsearch::Domain)\b|resource\s+"(?:aws_(?:lb_listener|alb_listener|db_instance|rds_cluster|elasticache_\w+|opensearch_domain|elasticsearch_domain)|azurerm_(?:\w*app_service|\w*web_app|storage_account|redis_cache|\w*sql\w*_server)|google_sql_database_instance)"/,
  clusters:
    /AWS::EKS::Cluster\b|resource\s+"(?:aws_eks_cluster|azurerm_kubernetes_cluster|google_container_cluster)"/,
  registries: /AWS::ECR::Repository\b|resource\s+"(?:aws_ecr_repository|azurerm_container_registry)"/,
} as const;

export const CHECKS = {
  // security-scanner, infrastructure templates
  'iam-admin': { input: 'iac', resources: RES.iam, rules: ['IAC-IAM-WILDCARD-ACTION'] },
  'iam-least-privilege': {
    input: 'iac',
    resources: RES.iam,
    rules: ['IAC-IAM-WILDCARD-ACTION', 'IAC-IAM-WILDCARD-RESOURCE', 'IAC-POLICY-PUBLIC-PRINCIPAL'],
  },
  's3-public': {
    input: 'iac',
    resources: RES.s3,
    rules: ['IAC-S3-PUBLIC-ACCESS', 'IAC-S3-PUBLIC-ACCESS-BLOCK'],
  },
  'storage-public': {
    input: 'iac',
    resources: RES.storage,
    rules: [
      'IAC-S3-PUBLIC-ACCESS',
      'IAC-S3-PUBLIC-ACCESS-BLOCK',
      'IAC-STORAGE-PUBLIC',
      'IAC-STORAGE-NETWORK',
      'IAC-POLICY-PUBLIC-PRINCIPAL',
      'IAC-KEYVAULT-NETWORK',
    ],
  },
  'ebs-encryption': { input: 'iac', resources: RES.ebs, rules: ['IAC-EBS-ENCRYPTION'] },
  'rds-encryption': { input: 'iac', resources: RES.rds, rules: ['IAC-RDS-ENCRYPTION'] },
  'efs-encryption': { input: 'iac', resources: RES.efs, rules: ['IAC-EFS-ENCRYPTION'] },
  'encryption-at-rest': {
    input: 'iac',
    resources: RES.dataStores,
    rules: [
      'IAC-S3-ENCRYPTION',
      'IAC-EBS-ENCRYPTION',
      'IAC-RDS-ENCRYPTION',
      'IAC-EFS-ENCRYPTION',
      'IAC-DYNAMODB-ENCRYPTION',
      'IAC-SQS-ENCRYPTION',
      'IAC-SNS-ENCRYPTION',
      'IAC-SEARCH-ENCRYPTION',
      'IAC-ENCRYPTION-AT-REST',
      'IAC-CLUSTER-SECRETS-ENCRYPTION',
    ],
  },
  'rds-public': { input: 'iac', resources: RES.rds, rules: ['IAC-RDS-PUBLIC'] },
  'db-exposure': {
    input: 'iac',
    resources: RES.databases,
    rules: ['IAC-RDS-PUBLIC', 'IAC-DB-OPEN-FIREWALL', 'IAC-DB-PUBLIC-NETWORK'],
  },
  'admin-ports': { input: 'iac', resources: RES.firewalls, rules: ['IAC-SG-ADMIN-PORT-OPEN'] },
  'admin-ports-v4': {
    input: 'iac',
    resources: RES.firewalls,
    rules: ['IAC-SG-ADMIN-PORT-OPEN'],
    match: /0\.0\.0\.0\/0/,
  },
  'admin-ports-v6': {
    input: 'iac',
    resources: RES.firewalls,
    rules: ['IAC-SG-ADMIN-PORT-OPEN'],
    match: /::\/0/,
  },
  'public-addresses': {
    input: 'iac',
    resources: RES.addresses,
    rules: ['IAC-SUBNET-PUBLIC-IP', 'IAC-INSTANCE-PUBLIC-IP', 'IAC-CLUSTER-PUBLIC-ENDPOINT'],
  },
  cloudtrail: { input: 'iac', resources: RES.trails, rules: ['IAC-CLOUDTRAIL-LOGGING'] },
  's3-access-logs': { input: 'iac', resources: RES.s3, rules: ['IAC-S3-LOGGING'] },
  'kms-rotation': { input: 'iac', resources: RES.keys, rules: ['IAC-KMS-ROTATION'] },
  'key-lifecycle': {
    input: 'iac',
    resources: RES.keyStores,
    rules: ['IAC-KMS-ROTATION', 'IAC-KEY-EXPIRY', 'IAC-KEYVAULT-PURGE-PROTECTION'],
  },
  'audit-logging': {
    input: 'iac',
    resources: RES.logged,
    rules: [
      'IAC-CLOUDTRAIL-LOGGING',
      'IAC-ALB-LOGGING',
      'IAC-API-LOGGING',
      'IAC-CLUSTER-LOGGING',
      'IAC-DB-AUDIT',
      'IAC-AUDIT-LOG',
      'IAC-S3-LOGGING',
      'IAC-STORAGE-LOGGING',
    ],
  },
  'tls-in-transit': {
    input: 'iac',
    resources: RES.endpoints,
    rules: [
      'IAC-LB-HTTP-LISTENER',
      'IAC-LB-TLS-POLICY',
      'IAC-MIN-TLS',
      'IAC-DB-TLS',
      'IAC-SEARCH-HTTPS',
      'IAC-WEBAPP-HTTPS',
      'IAC-WEBAPP-TLS',
      'IAC-STORAGE-HTTPS',
    ],
  },
  'cluster-auth': {
    input: 'iac',
    resources: RES.clusters,
    rules: ['IAC-CLUSTER-LEGACY-AUTH', 'IAC-CLUSTER-RBAC'],
  },
  'image-registry': {
    input: 'iac',
    resources: RES.registries,
    rules: ['IAC-REGISTRY-SCAN-ON-PUSH', 'IAC-REGISTRY-MUTABLE-TAGS'],
  },
  'template-secrets': { input: 'iac', rules: ['IAC-HARDCODED-SECRET'] },
  'db-backups': { input: 'iac', resources: RES.databases, rules: ['IAC-DB-BACKUP'] },
  'asset-tags': { input: 'iac', rules: ['IAC-MISSING-TAGS'] },
  // security-scanner, every file
  'leaked-secrets': { input: 'secrets', rules: ['SEC-*'] },
  // security-scanner, Dockerfiles
  'image-supply-chain': { input: 'dockerfile', rules: ['DOCKER002', 'DOCKER003', 'DOCKER008'] },
  'image-secrets': { input: 'dockerfile', rules: ['DOCKER004', 'DOCKER013', 'DOCKER014'] },
  'image-tls': { input: 'dockerfile', rules: ['DOCKER009'] },
  'image-hardening': { input: 'dockerfile', rules: ['DOCKER001', 'DOCKER007', 'DOCKER011', 'DOCKER012'] },
  'image-services': { input: 'dockerfile', rules: ['DOCKER011'] },
  // security-scanner, source code and dependencies
  injection: {
    input: 'code',
    rules: ['CODE-EVAL', 'CODE-COMMAND-INJECTION', 'CODE-SQL-INJECTION', 'CODE-UNSAFE-DESERIALIZATION'],
  },
  'code-tls': { input: 'code', rules: ['CODE-TLS-DISABLED'] },
  'weak-password-hash': { input: 'code', rules: ['CODE-WEAK-HASH'] },
  'vulnerable-dependencies': { input: 'dependencies', rules: ['DEP-VULNERABLE'] },
  // k8s-optimizer, any object
  'k8s-cluster-admin': { input: 'k8s', rules: ['K8S021'] },
  'k8s-secret-access': { input: 'k8s', rules: ['K8S023'] },
  'k8s-rbac-wildcards': { input: 'k8s', rules: ['K8S022'] },
  'k8s-rbac-escalation': { input: 'k8s', rules: ['K8S024'] },
  'k8s-rbac': { input: 'k8s', rules: ['K8S021', 'K8S022', 'K8S023', 'K8S024'] },
  'k8s-configmap-secrets': { input: 'k8s', rules: ['K8S040'] },
  'k8s-removed-apis': { input: 'k8s', rules: ['K8S019'] },
  // k8s-optimizer, workloads
  'k8s-network-policy': { input: 'k8s-workloads', rules: ['K8S025'] },
  'k8s-exposure': { input: 'k8s-workloads', rules: ['K8S025', 'K8S027', 'K8S036'] },
  'k8s-privileged': { input: 'k8s-workloads', rules: ['K8S008'], match: /is privileged/ },
  'k8s-escalation': { input: 'k8s-workloads', rules: ['K8S008'], match: /allowPrivilegeEscalation/ },
  'k8s-host-pid': { input: 'k8s-workloads', rules: ['K8S013'], match: /hostPID/ },
  'k8s-host-ipc': { input: 'k8s-workloads', rules: ['K8S013'], match: /hostIPC/ },
  'k8s-host-network': { input: 'k8s-workloads', rules: ['K8S013'], match: /hostNetwork/ },
  'k8s-host-path': { input: 'k8s-workloads', rules: ['K8S013'], match: /hostPath/ },
  'k8s-root': { input: 'k8s-workloads', rules: ['K8S007', 'K8S031'] },
  'k8s-capabilities': { input: 'k8s-workloads', rules: ['K8S010'] },
  'k8s-host-port': { input: 'k8s-workloads', rules: ['K8S027'] },
  'k8s-token-mount': { input: 'k8s-workloads', rules: ['K8S030'] },
  'k8s-env-secrets': { input: 'k8s-workloads', rules: ['K8S020'] },
  'k8s-seccomp': { input: 'k8s-workloads', rules: ['K8S029'] },
  'k8s-security-context': {
    input: 'k8s-workloads',
    rules: ['K8S007', 'K8S008', 'K8S009', 'K8S010', 'K8S029'],
  },
  'k8s-image-pinning': { input: 'k8s-workloads', rules: ['K8S006', 'K8S028'] },
  'k8s-resources': { input: 'k8s-workloads', rules: ['K8S001', 'K8S002', 'K8S003'] },
  'k8s-redundancy': { input: 'k8s-workloads', rules: ['K8S011', 'K8S012', 'K8S017', 'K8S043'] },
  // disaster-recovery
  backups: { input: 'dr', rules: ['DR001', 'DR008', 'DR009', 'DR012'] },
  'restore-tests': { input: 'dr', rules: ['DR002'] },
  'cross-region-copy': { input: 'dr', rules: ['DR003'] },
  'recovery-targets': { input: 'dr', rules: ['DR004', 'DR011'] },
  'multi-az': { input: 'dr', rules: ['DR005'] },
  'deletion-protection': { input: 'dr', rules: ['DR006', 'DR010'] },
  versioning: { input: 'dr', rules: ['DR007'] },
  // cost-optimizer
  'idle-capacity': { input: 'cost', rules: ['COST001', 'COST002', 'COST005'] },
  'stale-data': { input: 'cost', rules: ['COST004', 'COST008'] },
  // db-query-analyzer
  'unbounded-writes': { input: 'sql', rules: ['SQL002'] },
  'risky-migrations': {
    input: 'sql',
    rules: ['MIG001', 'MIG002', 'MIG003', 'MIG005', 'MIG006', 'MIG011', 'MIG012', 'MIG025'],
  },
  // code-reviewer
  'review-injection': { input: 'review', rules: ['CR007', 'CR008'] },
  'review-secrets': { input: 'review', rules: ['CR004'] },
  'review-error-handling': { input: 'review', rules: ['CR006'] },
  'untested-change': { input: 'review-diff', rules: ['CR010'] },
} as const satisfies Record<string, Check>;

export type CheckId = keyof typeof CHECKS;

export function checkOf(id: CheckId): Check {
  return CHECKS[id];
}

export function agentOfCheck(id: CheckId): SourceAgent {
  return INPUT_KINDS[CHECKS[id].input].agent;
}

/** Whether a finding of `ruleId` with `message` counts for check `id`. */
export function checkCovers(id: CheckId, ruleId: string, message: string): boolean {
  const check: Check = CHECKS[id];
  const named = check.rules.some((rule) =>
    rule.endsWith('*') ? ruleId.startsWith(rule.slice(0, -1)) : rule === ruleId,
  );
  return named && (check.match === undefined || check.match.test(message));
}
