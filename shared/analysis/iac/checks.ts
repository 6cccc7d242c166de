/**
 * Every IaC rule, written once against the cloud resource model
 * (./model.ts): a check reads a resource's aspects and returns violations —
 * which rule, which resource (or companion resource) and attribute, the line,
 * a message and evidence. CloudFormation and Terraform reach these through
 * their normalisers; the security scanner turns violations into findings.
 * Whether a property name means a secret is the caller's (the scanner's
 * credential vocabulary), passed in as `secrets`.
 */

import { checkData, type IacDataRuleId } from './checks-data.js';
import { checkNetworkResource, type NetworkRuleId } from './checks-network.js';
import type {
  CloudResource,
  IacSeverity,
  IngressRule,
  Located,
  PolicyDocument,
  ResourcePlace,
} from './model.js';
import { describePorts, exposedAdminPorts, isWorldCidr, portRange } from './network.js';
import { policyIssues } from './policy.js';
import { isObject, truth } from './values.js';

export type IacRuleId =
  | 'IAC-S3-PUBLIC-ACCESS'
  | 'IAC-S3-PUBLIC-ACCESS-BLOCK'
  | 'IAC-S3-ENCRYPTION'
  | 'IAC-S3-LOGGING'
  | 'IAC-EBS-ENCRYPTION'
  | 'IAC-RDS-ENCRYPTION'
  | 'IAC-RDS-PUBLIC'
  | 'IAC-DYNAMODB-ENCRYPTION'
  | 'IAC-SQS-ENCRYPTION'
  | 'IAC-SNS-ENCRYPTION'
  | 'IAC-EFS-ENCRYPTION'
  | 'IAC-SG-ADMIN-PORT-OPEN'
  | 'IAC-IAM-WILDCARD-ACTION'
  | 'IAC-IAM-WILDCARD-RESOURCE'
  | 'IAC-POLICY-PUBLIC-PRINCIPAL'
  | 'IAC-CLOUDTRAIL-LOGGING'
  | 'IAC-ALB-LOGGING'
  | 'IAC-API-LOGGING'
  | 'IAC-HARDCODED-SECRET'
  | 'IAC-MISSING-TAGS'
  | NetworkRuleId
  | IacDataRuleId;

export interface Violation {
  ruleId: IacRuleId;
  /** The resource the finding names (a companion resource when the attribute lives there). */
  resource: ResourcePlace & { source: CloudResource['source'] };
  /** The model attribute, or the raw property path, that is wrong ('' for the resource as a whole). */
  attribute: string;
  line?: number;
  message: string;
  /** Overrides the rule's severity. */
  severity?: IacSeverity;
  evidence: Record<string, unknown>;
  /** What tells two violations of one rule on one resource apart (the finding's fingerprint). */
  key: (string | number | undefined)[];
  cdkPath?: string;
}

export interface CheckOptions {
  /** Whether a property or parameter name holds a secret ('password', 'api_key'). */
  isSecretName(name: string): boolean;
  /** Why a literal value is not a real secret ('placeholder', 'reference'), if it is not. */
  placeholderReason(value: string): string | undefined;
}

type Report = (
  ruleId: IacRuleId,
  attribute: string,
  message: string,
  extra?: {
    line?: number;
    severity?: IacSeverity;
    evidence?: Record<string, unknown>;
    key?: Violation['key'];
    at?: ResourcePlace;
  },
) => void;

/** A line as a report's `extra`: none when it is unknown. */
const at = (line: number | undefined) => (line === undefined ? {} : { line });

/**
 * Reports `ruleId` when the setting is known to be off (false, "false"), at
 * the setting's line; a value that is not known (a reference) is no finding.
 */
function reportOff(
  report: Report,
  setting: Located<unknown> | undefined,
  ruleId: IacRuleId,
  attribute: string,
  message: string,
  extra: { severity?: IacSeverity; key?: Violation['key'] } = {},
): void {
  if (setting !== undefined && truth(setting.value) === false)
    report(ruleId, attribute, message, { ...at(setting.line), ...extra });
}

const PUBLIC_ACLS: Readonly<Record<string, IacSeverity>> = {
  'public-read': 'high',
  'public-read-write': 'critical',
  'authenticated-read': 'high',
};

function checkBucket(r: CloudResource, report: Report): void {
  const bucket = r.bucket;
  if (bucket === undefined) return;
  for (const acl of bucket.acls) {
    const severity = PUBLIC_ACLS[acl.value];
    if (severity === undefined) continue;
    report('IAC-S3-PUBLIC-ACCESS', 'acl', `The canned ACL ${acl.value} makes the objects public.`, {
      ...at(acl.line),
      severity,
      evidence: { acl: acl.value },
      key: ['acl'],
    });
  }
  const block = bucket.publicAccessBlock;
  if (block === undefined) {
    report(
      'IAC-S3-PUBLIC-ACCESS-BLOCK',
      'publicAccessBlock',
      'No public access block; only the account default protects it.',
      {
        severity: 'low',
      },
    );
  } else if (block.off.length > 0) {
    report(
      'IAC-S3-PUBLIC-ACCESS-BLOCK',
      'publicAccessBlock',
      `Public access block settings off: ${block.off.join(', ')}.`,
      {
        evidence: { disabled: block.off },
        at: block.at,
      },
    );
  }
  if (!bucket.encrypted)
    report(
      'IAC-S3-ENCRYPTION',
      'encryption',
      'No server-side encryption configuration: only the default SSE-S3 applies.',
    );
  if (!bucket.logged && !bucket.receivesLogs)
    report('IAC-S3-LOGGING', 'logging', 'No access logging: object access is not logged.');
}

function checkIngress(rule: IngressRule, report: Report): void {
  const cidrs = rule.cidrs.filter(isWorldCidr);
  if (cidrs.length === 0) return;
  const range = portRange(rule.protocol, rule.from, rule.to);
  if (range === undefined) return;
  const { all, ports } = exposedAdminPorts(range);
  if (!all && ports.length === 0) return;
  const where = rule.index === undefined ? '' : ` (ingress rule ${rule.index + 1})`;
  report(
    'IAC-SG-ADMIN-PORT-OPEN',
    rule.index === undefined ? 'ingress' : `ingress.${rule.index}`,
    all
      ? `Ingress from ${cidrs.join(' and ')} to every port${where}.`
      : `Ingress from ${cidrs.join(' and ')} to ${describePorts(ports)}${where}.`,
    {
      ...at(rule.line),
      severity: all ? 'critical' : 'high',
      evidence: {
        cidrs,
        protocol: range.protocol,
        fromPort: range.from,
        toPort: range.to,
        adminPorts: ports,
      },
      key: [rule.index, range.protocol, range.from, range.to],
    },
  );
}

function checkPolicy(document: PolicyDocument, index: number, report: Report): void {
  if (document.statements === undefined) return;
  for (const issue of policyIssues(document.statements, { identity: document.use === 'identity' })) {
    const ruleId = document.use === 'bucket' ? 'IAC-S3-PUBLIC-ACCESS' : issue.ruleId;
    const line =
      document.statementLines[document.statements.findIndex((s) => s.index === issue.statement)] ??
      document.line;
    report(ruleId, `policies.${index}.statement.${issue.statement}`, `${document.label}${issue.message}`, {
      ...at(line),
      severity: issue.severity,
      evidence: { statement: issue.statement, actions: issue.actions },
      key: [document.label, issue.statement],
    });
  }
}

function checkStorage(r: CloudResource, report: Report): void {
  if (r.volume && !r.volume.fromSnapshot)
    reportOff(report, r.volume.encrypted, 'IAC-EBS-ENCRYPTION', 'encrypted', 'The volume is not encrypted.');
  for (const device of r.devices ?? []) {
    if (truth(device.encrypted) === false)
      report('IAC-EBS-ENCRYPTION', 'devices', `${device.name} is not encrypted.`, {
        ...at(device.line),
        key: [device.name],
      });
  }
  const db = r.database;
  if (db && truth(db.publiclyAccessible.value) === true)
    report(
      'IAC-RDS-PUBLIC',
      'publiclyAccessible',
      'The database is publicly accessible.',
      at(db.publiclyAccessible.line),
    );
  if (db && !db.inheritsEncryption)
    reportOff(
      report,
      db.storageEncrypted,
      'IAC-RDS-ENCRYPTION',
      'storageEncrypted',
      'Storage encryption is not on.',
    );
  reportOff(
    report,
    r.table?.sseEnabled,
    'IAC-DYNAMODB-ENCRYPTION',
    'sseEnabled',
    'Server-side encryption with a KMS key is not enabled: the key is AWS-owned.',
  );
  reportOff(
    report,
    r.fileSystem?.encrypted,
    'IAC-EFS-ENCRYPTION',
    'encrypted',
    'The file system is not encrypted.',
  );
}

function checkMessaging(r: CloudResource, report: Report): void {
  const queue = r.queue;
  if (queue && !queue.kmsKey) {
    const { value, line } = queue.managedSse;
    if (value === undefined) {
      report(
        'IAC-SQS-ENCRYPTION',
        'managedSse',
        'Neither SQS-managed encryption nor a KMS key is set; encryption relies on the SQS default.',
        {
          severity: 'low',
        },
      );
    } else if (truth(value) === false) {
      report(
        'IAC-SQS-ENCRYPTION',
        'managedSse',
        'SQS-managed encryption is off and there is no KMS key: messages are stored in clear.',
        {
          ...at(line),
          severity: 'high',
        },
      );
    }
  }
  if (r.topic && !r.topic.kmsKey) report('IAC-SNS-ENCRYPTION', 'kmsKey', 'No KMS key.');
  if (r.publicInvoke) {
    const { action, url, line } = r.publicInvoke;
    report(
      'IAC-POLICY-PUBLIC-PRINCIPAL',
      'principal',
      `Anyone may call ${action}${url ? ' through an unauthenticated function URL' : ''}.`,
      {
        ...at(line),
      },
    );
  }
}

function checkLogging(r: CloudResource, report: Report): void {
  const trail = r.trail;
  if (trail) {
    reportOff(
      report,
      trail.logging,
      'IAC-CLOUDTRAIL-LOGGING',
      'logging',
      'Logging is off: the trail records nothing.',
      {
        severity: 'high',
        key: ['IsLogging'],
      },
    );
    reportOff(
      report,
      trail.validation,
      'IAC-CLOUDTRAIL-LOGGING',
      'validation',
      'Log file validation is not on.',
      {
        key: ['validation'],
      },
    );
    reportOff(
      report,
      trail.multiRegion,
      'IAC-CLOUDTRAIL-LOGGING',
      'multiRegion',
      'The trail is not multi-region.',
      {
        severity: 'low',
        key: ['multiRegion'],
      },
    );
  }
  reportOff(
    report,
    r.loadBalancer?.accessLogs,
    'IAC-ALB-LOGGING',
    'accessLogs',
    'Access logs are not enabled.',
  );
  if (r.apiStage && !r.apiStage.accessLogs)
    report('IAC-API-LOGGING', 'accessLogs', 'No access log settings.');
}

/** Literal values in properties named like a password or secret (nested values included). */
function checkLiteralSecrets(r: CloudResource, options: CheckOptions, report: Report): void {
  const visit = (value: unknown, path: (string | number)[]) => {
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) visit(v, [...path, i]);
      return;
    }
    if (!isObject(value)) return;
    for (const [key, v] of Object.entries(value)) {
      const where = [...path, key];
      if (typeof v === 'string' && v !== '' && !/\{\{resolve:|\$\{/.test(v) && options.isSecretName(key)) {
        const shown = where
          .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
          .join('')
          .slice(1);
        const lowered = options.placeholderReason(v);
        const line = r.lineOf(where);
        report(
          'IAC-HARDCODED-SECRET',
          shown,
          `${shown} is a literal value (${v.length} chars)${lowered ? ', a placeholder' : ''}.`,
          {
            ...at(line),
            ...(lowered ? { severity: 'info' as const } : {}),
            evidence: { property: shown, name: key, ...(lowered ? { lowered } : {}) },
            key: [shown],
          },
        );
      } else if (typeof v === 'object') visit(v, where);
    }
  };
  visit(r.properties, []);
}

function checkParameter(r: CloudResource, options: CheckOptions, report: Report): void {
  const p = r.parameter;
  if (p === undefined || !p.textual || !options.isSecretName(r.name)) return;
  if (p.fallback === undefined) {
    if (p.mustHide && !p.hidden)
      report(
        'IAC-HARDCODED-SECRET',
        'hidden',
        `${r.name} looks like a secret and is not hidden (NoEcho): its value shows in the console and API.`,
        {
          severity: 'medium',
          evidence: { hidden: p.hidden },
        },
      );
    return;
  }
  const lowered = options.placeholderReason(p.fallback);
  report(
    'IAC-HARDCODED-SECRET',
    'default',
    `${r.name} has a literal default (${p.fallback.length} chars)${lowered ? ', a placeholder' : ''}.`,
    {
      severity: lowered ? 'info' : 'high',
      evidence: { hidden: p.hidden, ...(lowered ? { lowered } : {}) },
    },
  );
}

/** Every violation of every resource, in resource order. */
export function checkResources(resources: readonly CloudResource[], options: CheckOptions): Violation[] {
  const violations: Violation[] = [];
  for (const r of resources) {
    const report: Report = (ruleId, attribute, message, extra = {}) => {
      const place = extra.at ?? r;
      const line = extra.line ?? place.line;
      violations.push({
        ruleId,
        resource: {
          id: place.id,
          name: place.name,
          type: place.type,
          file: place.file,
          ...at(place.line),
          source: r.source,
        },
        attribute,
        ...at(line),
        message,
        ...(extra.severity === undefined ? {} : { severity: extra.severity }),
        evidence: extra.evidence ?? {},
        key: extra.key ?? [],
        ...(r.cdkPath === undefined ? {} : { cdkPath: r.cdkPath }),
      });
    };
    checkBucket(r, report);
    for (const rule of r.ingress ?? []) checkIngress(rule, report);
    for (const [index, document] of (r.policies ?? []).entries()) checkPolicy(document, index, report);
    checkStorage(r, report);
    checkMessaging(r, report);
    checkLogging(r, report);
    checkNetworkResource(r, report);
    checkData(r, report);
    if (r.tagged === false) report('IAC-MISSING-TAGS', 'tags', 'No tags.');
    checkLiteralSecrets(r, options, report);
    checkParameter(r, options, report);
  }
  return violations;
}
