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
}

export const CHECKS = {
  // security-scanner, infrastructure templates
  'iam-admin': { input: 'iac', rules: ['IAC-IAM-WILDCARD-ACTION'] },
  'iam-least-privilege': {
    input: 'iac',
    rules: ['IAC-IAM-WILDCARD-ACTION', 'IAC-IAM-WILDCARD-RESOURCE', 'IAC-POLICY-PUBLIC-PRINCIPAL'],
  },
  's3-public': { input: 'iac', rules: ['IAC-S3-PUBLIC-ACCESS', 'IAC-S3-PUBLIC-ACCESS-BLOCK'] },
  'storage-public': {
    input: 'iac',
    rules: [
      'IAC-S3-PUBLIC-ACCESS',
      'IAC-S3-PUBLIC-ACCESS-BLOCK',
      'IAC-STORAGE-PUBLIC',
      'IAC-STORAGE-NETWORK',
      'IAC-POLICY-PUBLIC-PRINCIPAL',
      'IAC-KEYVAULT-NETWORK',
    ],
  },
  'ebs-encryption': { input: 'iac', rules: ['IAC-EBS-ENCRYPTION'] },
  'rds-encryption': { input: 'iac', rules: ['IAC-RDS-ENCRYPTION'] },
  'efs-encryption': { input: 'iac', rules: ['IAC-EFS-ENCRYPTION'] },
  'encryption-at-rest': {
    input: 'iac',
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
  'rds-public': { input: 'iac', rules: ['IAC-RDS-PUBLIC'] },
  'db-exposure': {
    input: 'iac',
    rules: ['IAC-RDS-PUBLIC', 'IAC-DB-OPEN-FIREWALL', 'IAC-DB-PUBLIC-NETWORK'],
  },
  'admin-ports': { input: 'iac', rules: ['IAC-SG-ADMIN-PORT-OPEN'] },
  'admin-ports-v4': { input: 'iac', rules: ['IAC-SG-ADMIN-PORT-OPEN'], match: /0\.0\.0\.0\/0/ },
  'admin-ports-v6': { input: 'iac', rules: ['IAC-SG-ADMIN-PORT-OPEN'], match: /::\/0/ },
  'public-addresses': {
    input: 'iac',
    rules: ['IAC-SUBNET-PUBLIC-IP', 'IAC-INSTANCE-PUBLIC-IP', 'IAC-CLUSTER-PUBLIC-ENDPOINT'],
  },
  cloudtrail: { input: 'iac', rules: ['IAC-CLOUDTRAIL-LOGGING'] },
  's3-access-logs': { input: 'iac', rules: ['IAC-S3-LOGGING'] },
  'kms-rotation': { input: 'iac', rules: ['IAC-KMS-ROTATION'] },
  'key-lifecycle': {
    input: 'iac',
    rules: ['IAC-KMS-ROTATION', 'IAC-KEY-EXPIRY', 'IAC-KEYVAULT-PURGE-PROTECTION'],
  },
  'audit-logging': {
    input: 'iac',
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
  'cluster-auth': { input: 'iac', rules: ['IAC-CLUSTER-LEGACY-AUTH', 'IAC-CLUSTER-RBAC'] },
  'image-registry': { input: 'iac', rules: ['IAC-REGISTRY-SCAN-ON-PUSH', 'IAC-REGISTRY-MUTABLE-TAGS'] },
  'template-secrets': { input: 'iac', rules: ['IAC-HARDCODED-SECRET'] },
  'db-backups': { input: 'iac', rules: ['IAC-DB-BACKUP'] },
  'asset-tags': { input: 'iac', rules: ['IAC-MISSING-TAGS'] },
  // security-scanner, every file
  'leaked-secrets': { input: 'secrets', rules: ['SEC-*'] },
  // security-scanner, Dockerfiles
  'image-root': { input: 'dockerfile', rules: ['DOCKER001'] },
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
  'k8s-health-probes': { input: 'k8s-workloads', rules: ['K8S004', 'K8S005'] },
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
