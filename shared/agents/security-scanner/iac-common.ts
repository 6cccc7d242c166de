/**
 * What CloudFormation and Terraform checks share: admin ports, world-open
 * CIDRs, IAM policy document analysis and the finding each problem becomes.
 * Values that the template computes at deploy time (a Ref, `${var.x}`) are
 * unknown here, and an unknown value is never reported as a problem.
 */
import type { Severity } from '../contract.js';

/** Ports that must not be reachable from the internet, with what listens there. */
export const ADMIN_PORTS: Readonly<Record<number, string>> = {
  22: 'SSH',
  23: 'Telnet',
  135: 'MS RPC',
  445: 'SMB',
  1433: 'SQL Server',
  1521: 'Oracle',
  2375: 'Docker API',
  2376: 'Docker API (TLS)',
  2379: 'etcd',
  3306: 'MySQL',
  3389: 'RDP',
  5432: 'PostgreSQL',
  5439: 'Redshift',
  5601: 'Kibana',
  5900: 'VNC',
  5984: 'CouchDB',
  5985: 'WinRM',
  5986: 'WinRM (TLS)',
  6379: 'Redis',
  7000: 'Cassandra',
  8086: 'InfluxDB',
  9042: 'Cassandra',
  9200: 'Elasticsearch',
  9300: 'Elasticsearch',
  11211: 'Memcached',
  27017: 'MongoDB',
};

export function isWorldCidr(value: unknown): boolean {
  return value === '0.0.0.0/0' || value === '::/0';
}

/** A rule's port range as numbers; `undefined` bounds (or -1) mean every port. */
export interface PortRange {
  protocol: string;
  from?: number;
  to?: number;
}

function portNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

export function portRange(protocol: unknown, from: unknown, to: unknown): PortRange | undefined {
  const p = String(protocol ?? '-1').toLowerCase();
  const lo = portNumber(from);
  const hi = portNumber(to);
  if ((from !== undefined && lo === undefined) || (to !== undefined && hi === undefined)) return undefined; // computed
  return { protocol: p, ...(lo === undefined ? {} : { from: lo }), ...(hi === undefined ? {} : { to: hi }) };
}

/** Which admin ports a rule opens: every protocol counts as TCP; UDP and ICMP open none of these. */
export function exposedAdminPorts(range: PortRange): { all: boolean; ports: number[] } {
  const all = range.protocol === '-1' || range.protocol === 'all';
  if (!all && range.protocol !== 'tcp' && range.protocol !== '6') return { all: false, ports: [] };
  const from = range.from === undefined || range.from < 0 ? 0 : range.from;
  const to = range.to === undefined || range.to < 0 ? 65535 : range.to;
  const everyPort = all || (from <= 0 && to >= 65535);
  const ports = Object.keys(ADMIN_PORTS)
    .map(Number)
    .filter((port) => port >= from && port <= to);
  return { all: everyPort, ports };
}

export function describePorts(ports: readonly number[]): string {
  return ports.map((port) => `${port} (${ADMIN_PORTS[port]})`).join(', ');
}

// --- IAM policy documents ---------------------------------------------------------

export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export interface Statement {
  effect: string;
  actions: string[];
  notActions: boolean;
  resources: string[];
  /** Principal values flattened ('*', account ARNs, service names); empty for identity policies. */
  principals: string[];
  hasCondition: boolean;
  sid?: string;
  index: number;
}

function strings(value: unknown): string[] {
  return asList(value).filter((v): v is string => typeof v === 'string');
}

function principalValues(principal: unknown): string[] {
  if (principal === '*') return ['*'];
  if (typeof principal !== 'object' || principal === null) return [];
  return Object.values(principal).flatMap((v) => strings(v));
}

/** The statements of a policy document given as an object or JSON text. */
export function policyStatements(document: unknown): Statement[] | undefined {
  let doc = document;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      return undefined;
    }
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const raw = (doc as Record<string, unknown>).Statement;
  if (raw === undefined) return undefined;
  return asList(raw).flatMap((s, index) => {
    if (typeof s !== 'object' || s === null) return [];
    const st = s as Record<string, unknown>;
    return [
      {
        effect: String(st.Effect ?? 'Allow'),
        actions: strings(st.Action),
        notActions: st.NotAction !== undefined,
        resources: st.NotResource !== undefined ? ['*'] : strings(st.Resource),
        principals: principalValues(st.Principal),
        hasCondition:
          typeof st.Condition === 'object' && st.Condition !== null && Object.keys(st.Condition).length > 0,
        ...(typeof st.Sid === 'string' ? { sid: st.Sid } : {}),
        index,
      },
    ];
  });
}

/** Actions that hand out access, secrets or data when allowed on every resource. */
const SENSITIVE_ACTION =
  /^(?:iam:(?:PassRole|Create[\w*]*|Put[\w*]*|Attach[\w*]*|Update[\w*]*|Add[\w*]*|Delete[\w*]*|Set[\w*]*)|sts:Assume[\w*]*|secretsmanager:(?:GetSecretValue|PutSecretValue|\*)|ssm:(?:GetParameter[\w*]*|SendCommand|StartSession)|kms:(?:Decrypt|Encrypt|GenerateDataKey[\w*]*|ReEncrypt[\w*]*|CreateGrant|\*)|s3:(?:GetObject[\w*]*|PutObject[\w*]*|DeleteObject[\w*]*|PutBucketPolicy|PutBucketAcl|\*)|dynamodb:(?:GetItem|BatchGetItem|Query|Scan|PutItem|UpdateItem|DeleteItem|BatchWriteItem|\*)|lambda:(?:UpdateFunctionCode|InvokeFunction|AddPermission|\*)|ec2:RunInstances|organizations:[\w*]+)$/i;
/** Actions that only accept "*" or only read metadata and telemetry. */
const STAR_ONLY_OR_READ =
  /^(?:xray:(?:Put[\w*]*|Get[\w*]*)|cloudwatch:(?:PutMetricData|Describe[\w*]*|Get[\w*]*|List[\w*]*)|ecr:GetAuthorizationToken|sts:GetCallerIdentity|secretsmanager:GetRandomPassword|ec2:(?:CreateNetworkInterface|DeleteNetworkInterface|DescribeNetworkInterfaces|AssignPrivateIpAddresses|UnassignPrivateIpAddresses)|logs:(?:CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)|[\w-]+:(?:Describe|List)[\w*]*)$/;
const SENSITIVE_SERVICE_WILDCARD =
  /^(?:iam|sts|kms|secretsmanager|organizations|s3|ssm|lambda|ec2|dynamodb):\*$/i;

export interface PolicyIssue {
  ruleId: 'IAC-IAM-WILDCARD-ACTION' | 'IAC-IAM-WILDCARD-RESOURCE' | 'IAC-POLICY-PUBLIC-PRINCIPAL';
  severity: Severity;
  message: string;
  statement: number;
  actions: string[];
}

function label(st: Statement): string {
  return st.sid === undefined ? `statement ${st.index + 1}` : `statement ${st.sid}`;
}

/**
 * Problems in an identity policy (wildcards) or a resource policy (public
 * principal). `resourcePolicy` skips the wildcard checks for documents whose
 * Resource "*" means the resource itself (KMS key policies).
 */
export function policyIssues(
  statements: readonly Statement[],
  options: { identity: boolean },
): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  for (const st of statements) {
    if (st.effect !== 'Allow') continue;
    if (!options.identity) {
      if (st.principals.includes('*') && !st.hasCondition) {
        issues.push({
          ruleId: 'IAC-POLICY-PUBLIC-PRINCIPAL',
          severity: 'high',
          message: `${label(st)} allows Principal "*" (${st.actions.join(', ') || 'NotAction'}) with no condition.`,
          statement: st.index,
          actions: st.actions,
        });
      }
      continue;
    }
    const everyResource = st.resources.includes('*');
    if (st.actions.includes('*') || st.notActions) {
      const what = st.notActions ? 'NotAction (every action but a few)' : 'Action "*"';
      issues.push({
        ruleId: 'IAC-IAM-WILDCARD-ACTION',
        severity: everyResource && !st.hasCondition ? 'critical' : 'high',
        message: `${label(st)} allows ${what}${everyResource ? ' on Resource "*": full administrator access' : ''}.`,
        statement: st.index,
        actions: st.actions,
      });
      continue;
    }
    const serviceWildcards = st.actions.filter((a) => /^[\w-]+:\*$/.test(a));
    if (serviceWildcards.length > 0) {
      issues.push({
        ruleId: 'IAC-IAM-WILDCARD-ACTION',
        severity:
          serviceWildcards.some((a) => SENSITIVE_SERVICE_WILDCARD.test(a)) && everyResource
            ? 'high'
            : 'medium',
        message: `${label(st)} allows every action of ${serviceWildcards.join(', ')}${everyResource ? ' on Resource "*"' : ''}.`,
        statement: st.index,
        actions: serviceWildcards,
      });
      continue;
    }
    if (!everyResource) continue;
    const sensitive = st.actions.filter((a) => SENSITIVE_ACTION.test(a));
    let severity: Severity = 'medium';
    if (sensitive.length > 0) severity = st.hasCondition ? 'medium' : 'high';
    else if (st.hasCondition || st.actions.every((a) => STAR_ONLY_OR_READ.test(a))) severity = 'low';
    const shown = sensitive.length > 0 ? sensitive : st.actions;
    issues.push({
      ruleId: 'IAC-IAM-WILDCARD-RESOURCE',
      severity,
      message: `${label(st)} allows ${shown.slice(0, 6).join(', ')}${shown.length > 6 ? ', …' : ''} on Resource "*"${st.hasCondition ? ' (with a condition)' : ''}.`,
      statement: st.index,
      actions: st.actions,
    });
  }
  return issues;
}

/** Tri-state truth of a template value: undefined when computed at deploy time. */
export function truth(value: unknown): boolean | undefined {
  if (value === true || value === 'true' || value === 'True') return true;
  if (value === false || value === 'false' || value === 'False' || value === undefined || value === null)
    return false;
  return undefined;
}
