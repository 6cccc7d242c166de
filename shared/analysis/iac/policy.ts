/**
 * IAM policy documents: their statements and what is wrong with them —
 * wildcard actions and resources in identity policies, a public principal in
 * resource policies. Both CloudFormation and Terraform documents (JSON text,
 * objects, `aws_iam_policy_document` blocks) become these statements.
 */
import { asList, type IacSeverity, isObject, strings } from './values.js';

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

function principalValues(principal: unknown): string[] {
  if (principal === '*') return ['*'];
  if (typeof principal !== 'object' || principal === null) return [];
  return Object.values(principal).flatMap((v) => strings(v));
}

function parsedDocument(document: unknown): unknown {
  if (typeof document !== 'string') return document;
  try {
    return JSON.parse(document);
  } catch {
    return undefined;
  }
}

/** The statements of a policy document given as an object or JSON text. */
export function policyStatements(document: unknown): Statement[] | undefined {
  const doc = parsedDocument(document);
  if (!isObject(doc) || doc.Statement === undefined) return undefined;
  return asList(doc.Statement).flatMap((st, index) => {
    if (!isObject(st)) return [];
    return [
      {
        effect: String(st.Effect ?? 'Allow'),
        actions: strings(st.Action),
        notActions: st.NotAction !== undefined,
        resources: st.NotResource !== undefined ? ['*'] : strings(st.Resource),
        principals: principalValues(st.Principal),
        hasCondition: isObject(st.Condition) && Object.keys(st.Condition).length > 0,
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
  severity: IacSeverity;
  message: string;
  statement: number;
  actions: string[];
}

function label(st: Statement): string {
  return st.sid === undefined ? `statement ${st.index + 1}` : `statement ${st.sid}`;
}

function publicPrincipal(st: Statement): PolicyIssue | undefined {
  if (!st.principals.includes('*') || st.hasCondition) return undefined;
  return {
    ruleId: 'IAC-POLICY-PUBLIC-PRINCIPAL',
    severity: 'high',
    message: `${label(st)} allows Principal "*" (${st.actions.join(', ') || 'NotAction'}) with no condition.`,
    statement: st.index,
    actions: st.actions,
  };
}

function wildcardAction(st: Statement, everyResource: boolean): PolicyIssue | undefined {
  if (st.actions.includes('*') || st.notActions) {
    const what = st.notActions ? 'NotAction (every action but a few)' : 'Action "*"';
    return {
      ruleId: 'IAC-IAM-WILDCARD-ACTION',
      severity: everyResource && !st.hasCondition ? 'critical' : 'high',
      message: `${label(st)} allows ${what}${everyResource ? ' on Resource "*": full administrator access' : ''}.`,
      statement: st.index,
      actions: st.actions,
    };
  }
  const serviceWildcards = st.actions.filter((a) => /^[\w-]+:\*$/.test(a));
  if (serviceWildcards.length === 0) return undefined;
  const sensitive = serviceWildcards.some((a) => SENSITIVE_SERVICE_WILDCARD.test(a)) && everyResource;
  return {
    ruleId: 'IAC-IAM-WILDCARD-ACTION',
    severity: sensitive ? 'high' : 'medium',
    message: `${label(st)} allows every action of ${serviceWildcards.join(', ')}${everyResource ? ' on Resource "*"' : ''}.`,
    statement: st.index,
    actions: serviceWildcards,
  };
}

function wildcardResource(st: Statement): PolicyIssue {
  const sensitive = st.actions.filter((a) => SENSITIVE_ACTION.test(a));
  let severity: IacSeverity = 'medium';
  if (sensitive.length > 0) severity = st.hasCondition ? 'medium' : 'high';
  else if (st.hasCondition || st.actions.every((a) => STAR_ONLY_OR_READ.test(a))) severity = 'low';
  const shown = sensitive.length > 0 ? sensitive : st.actions;
  return {
    ruleId: 'IAC-IAM-WILDCARD-RESOURCE',
    severity,
    message: `${label(st)} allows ${shown.slice(0, 6).join(', ')}${shown.length > 6 ? ', …' : ''} on Resource "*"${st.hasCondition ? ' (with a condition)' : ''}.`,
    statement: st.index,
    actions: st.actions,
  };
}

/**
 * Problems in an identity policy (wildcards) or a resource policy (public
 * principal). Resource policies skip the wildcard checks: their Resource "*"
 * means the resource itself (KMS key policies).
 */
export function policyIssues(
  statements: readonly Statement[],
  options: { identity: boolean },
): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  for (const st of statements) {
    if (st.effect !== 'Allow') continue;
    if (!options.identity) {
      const issue = publicPrincipal(st);
      if (issue) issues.push(issue);
      continue;
    }
    const everyResource = st.resources.includes('*');
    const action = wildcardAction(st, everyResource);
    if (action) issues.push(action);
    else if (everyResource) issues.push(wildcardResource(st));
  }
  return issues;
}

/** Whether a policy lets a log delivery service write (S3 access logs, VPC/ALB logs, CloudTrail): its bucket receives logs. */
export function deliversLogs(document: unknown): boolean {
  return /logging\.s3\.amazonaws\.com|delivery\.logs\.amazonaws\.com|cloudtrail\.amazonaws\.com|logdelivery\.elasticloadbalancing/.test(
    typeof document === 'string' ? document : JSON.stringify(document ?? {}),
  );
}
