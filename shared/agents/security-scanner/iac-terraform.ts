/**
 * Terraform (HCL) for the AWS provider. `@cdktf/hcl2json` (HashiCorp's HCL
 * parser compiled to WASM) turns a file into JSON; interpolations stay as
 * `${…}` strings and count as unknown. Policies written with `jsonencode({…})`
 * are read by a small HCL-object reader below, heredoc JSON with JSON.parse,
 * `aws_iam_policy_document` data sources from their blocks. Checks that span
 * resources (a bucket and its separate public access block, encryption or
 * logging resources) look across all the Terraform files of the input, like a
 * module. Lines are found by searching the block header in the source.
 */

import { isSecretName, placeholderReason } from '../../analysis/secrets/index.js';
import { AgentExecutionError } from '../../core/errors.js';
import type { Finding, Severity, SourceFile } from '../contract.js';
import { ruleFinding } from '../rules.js';
import {
  asList,
  describePorts,
  exposedAdminPorts,
  isWorldCidr,
  policyIssues,
  policyStatements,
  portRange,
  type Statement,
  truth,
} from './iac-common.js';
import { rule } from './rules.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Block {
  /** 'resource' | 'data' | 'variable' */
  section: string;
  type: string;
  name: string;
  body: Json;
  file: SourceFile;
  line?: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function headerLine(content: string, section: string, labels: readonly string[]): number | undefined {
  const pattern = new RegExp(
    `^[ \\t]*${section}${labels.map((l) => `[ \\t]+"?${escapeRegExp(l)}"?`).join('')}[ \\t]*\\{`,
    'm',
  );
  const match = pattern.exec(content);
  if (!match) return undefined;
  return content.slice(0, match.index).split('\n').length;
}

/** The resource, data and variable blocks of a parsed file. */
function blocksOf(file: SourceFile, parsed: Json): Block[] {
  const blocks: Block[] = [];
  for (const section of ['resource', 'data'] as const) {
    const byType = parsed[section];
    if (!isObject(byType)) continue;
    for (const [type, byName] of Object.entries(byType)) {
      if (!isObject(byName)) continue;
      for (const [name, bodies] of Object.entries(byName)) {
        for (const body of asList(bodies)) {
          if (!isObject(body)) continue;
          const line = headerLine(file.content, section, [type, name]);
          blocks.push({ section, type, name, body, file, ...(line ? { line } : {}) });
        }
      }
    }
  }
  const variables = parsed.variable;
  if (isObject(variables)) {
    for (const [name, bodies] of Object.entries(variables)) {
      for (const body of asList(bodies)) {
        if (!isObject(body)) continue;
        const line = headerLine(file.content, 'variable', [name]);
        blocks.push({ section: 'variable', type: 'variable', name, body, file, ...(line ? { line } : {}) });
      }
    }
  }
  return blocks;
}

// --- jsonencode({ … }) ----------------------------------------------------------

/**
 * Reads an HCL object/tuple expression (`{ Version = "2012-10-17", Statement = [...] }`)
 * into JSON. Anything that is not a literal (a reference, a function call) becomes
 * the string `${…}`, an unknown like hcl2json's own.
 */
export function readHclValue(text: string): unknown {
  let i = 0;
  const skip = () => {
    for (;;) {
      while (i < text.length && /[\s,]/.test(text[i] as string)) i++;
      if (text.startsWith('#', i) || text.startsWith('//', i)) {
        while (i < text.length && text[i] !== '\n') i++;
      } else if (text.startsWith('/*', i)) {
        const end = text.indexOf('*/', i + 2);
        i = end < 0 ? text.length : end + 2;
      } else return;
    }
  };
  const readString = (): string => {
    let out = '';
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        const next = text[i + 1] ?? '';
        out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
        i += 2;
      } else out += text[i++];
    }
    i++;
    return out;
  };
  const readExpression = (): string => {
    const start = i;
    let depth = 0;
    while (i < text.length) {
      const c = text[i] as string;
      if (c === '"') {
        readString();
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && (c === ',' || c === '\n')) break;
      i++;
    }
    return `\${${text.slice(start, i).trim()}}`;
  };
  const readValue = (): unknown => {
    skip();
    const c = text[i];
    if (c === '{') {
      i++;
      const object: Json = {};
      for (skip(); i < text.length && text[i] !== '}'; skip()) {
        let key: string;
        if (text[i] === '"') key = readString();
        else {
          key = /^[\w-]+/.exec(text.slice(i, i + 200))?.[0] ?? '';
          if (key === '') return readExpression();
          i += key.length;
        }
        skip();
        if (text[i] !== '=' && text[i] !== ':') return readExpression();
        i++;
        object[key] = readValue();
      }
      i++;
      return object;
    }
    if (c === '[') {
      i++;
      const list: unknown[] = [];
      for (skip(); i < text.length && text[i] !== ']'; skip()) list.push(readValue());
      i++;
      return list;
    }
    if (c === '"') return readString();
    const word = /^(?:true|false|null|-?\d+(?:\.\d+)?)(?![\w.(])/.exec(text.slice(i))?.[0];
    if (word !== undefined) {
      i += word.length;
      return word === 'null' ? null : word === 'true' ? true : word === 'false' ? false : Number(word);
    }
    return readExpression();
  };
  return readValue();
}

/** A policy argument as a document: JSON text, `${jsonencode({...})}`, or unknown. */
function policyDocument(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const encoded = /^\$\{\s*jsonencode\(([\s\S]*)\)\s*\}$/.exec(value.trim());
  if (encoded) return readHclValue(encoded[1] ?? '');
  return value.includes('${') && !value.trim().startsWith('{') ? undefined : value;
}

/** Statements of a `data "aws_iam_policy_document"` block. */
function documentStatements(body: Json): Statement[] {
  return asList(body.statement).flatMap((s, index) => {
    if (!isObject(s)) return [];
    const principals = asList(s.principals).flatMap((p) =>
      isObject(p) ? (p.type === '*' ? ['*'] : asList(p.identifiers).map(String)) : [],
    );
    return [
      {
        effect: String(s.effect ?? 'Allow'),
        actions: asList(s.actions).map(String),
        notActions: s.not_actions !== undefined,
        resources: s.not_resources !== undefined ? ['*'] : asList(s.resources).map(String),
        principals,
        hasCondition: asList(s.condition).length > 0,
        ...(typeof s.sid === 'string' ? { sid: s.sid } : {}),
        index,
      },
    ];
  });
}

// --- the checks ---------------------------------------------------------------------

interface Context {
  findings: Finding[];
  blocks: Block[];
  /** Any `provider "aws"` with default_tags in the input. */
  defaultTags: boolean;
}

function report(
  ctx: Context,
  block: Block,
  ruleId: string,
  message: string,
  extra: {
    severity?: Severity;
    evidence?: Record<string, unknown>;
    key?: (string | number | undefined)[];
  } = {},
): void {
  const r = rule(ruleId);
  const address =
    block.section === 'resource'
      ? `${block.type}.${block.name}`
      : `${block.section}.${block.type === 'variable' ? '' : `${block.type}.`}${block.name}`;
  ctx.findings.push(
    ruleFinding(r, {
      message: `${address}: ${message}`,
      resource: {
        kind: block.section === 'data' ? `data.${block.type}` : block.type,
        name: block.name,
        file: block.file.path,
        ...(block.line ? { line: block.line } : {}),
      },
      ...(extra.severity ? { severity: extra.severity } : {}),
      evidence: { ...extra.evidence, ...(r.cwe ? { cwe: r.cwe } : {}) },
      key: extra.key ?? [],
    }),
  );
}

/** Whether an expression refers to a resource (`${aws_s3_bucket.logs.id}`), or is the same literal name. */
function references(value: unknown, type: string, name: string, literalName?: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (literalName !== undefined && value === literalName) return true;
  return new RegExp(`\\b${escapeRegExp(type)}\\.${escapeRegExp(name)}\\b`).test(value);
}

function companions(ctx: Context, type: string, bucket: Block): Block[] {
  return ctx.blocks.filter(
    (b) =>
      b.section === 'resource' &&
      b.type === type &&
      references(b.body.bucket, bucket.type, bucket.name, bucket.body.bucket),
  );
}

const PUBLIC_ACLS: Readonly<Record<string, Severity>> = {
  'public-read': 'high',
  'public-read-write': 'critical',
  'authenticated-read': 'high',
};
const BLOCK_SETTINGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
];

function isLogBucket(ctx: Context, bucket: Block): boolean {
  return ctx.blocks.some((b) => {
    if (b === bucket) return false;
    const targets = [
      b.body.target_bucket,
      ...asList(b.body.logging).map((l) => (isObject(l) ? l.target_bucket : undefined)),
      ...asList(b.body.access_logs).map((l) => (isObject(l) ? l.bucket : undefined)),
      b.type === 'aws_cloudtrail' ? b.body.s3_bucket_name : undefined,
    ];
    return targets.some((t) => references(t, bucket.type, bucket.name, bucket.body.bucket));
  });
}

function checkBucket(ctx: Context, block: Block): void {
  const acls = [block.body.acl, ...companions(ctx, 'aws_s3_bucket_acl', block).map((b) => b.body.acl)];
  for (const acl of acls) {
    if (typeof acl === 'string' && acl in PUBLIC_ACLS) {
      report(ctx, block, 'IAC-S3-PUBLIC-ACCESS', `acl "${acl}" makes the objects public.`, {
        severity: PUBLIC_ACLS[acl],
        evidence: { acl },
        key: ['acl'],
      });
    }
  }
  const [pab] = companions(ctx, 'aws_s3_bucket_public_access_block', block);
  if (pab === undefined) {
    report(
      ctx,
      block,
      'IAC-S3-PUBLIC-ACCESS-BLOCK',
      'No aws_s3_bucket_public_access_block; only the account default protects it.',
      {
        severity: 'low',
      },
    );
  } else {
    const off = BLOCK_SETTINGS.filter((s) => truth(pab.body[s]) === false);
    if (off.length > 0) {
      report(ctx, pab, 'IAC-S3-PUBLIC-ACCESS-BLOCK', `Public access block settings off: ${off.join(', ')}.`, {
        evidence: { disabled: off },
      });
    }
  }
  const encrypted =
    block.body.server_side_encryption_configuration !== undefined ||
    companions(ctx, 'aws_s3_bucket_server_side_encryption_configuration', block).length > 0;
  if (!encrypted)
    report(
      ctx,
      block,
      'IAC-S3-ENCRYPTION',
      'No server-side encryption configuration: only the default SSE-S3 applies.',
    );
  const logged =
    block.body.logging !== undefined || companions(ctx, 'aws_s3_bucket_logging', block).length > 0;
  if (!logged && !isLogBucket(ctx, block)) {
    report(ctx, block, 'IAC-S3-LOGGING', 'No access logging (logging block or aws_s3_bucket_logging).');
  }
}

function checkIngress(ctx: Context, block: Block, rule: Json, index: number | undefined): void {
  const cidrs = [
    ...asList(rule.cidr_blocks),
    ...asList(rule.ipv6_cidr_blocks),
    rule.cidr_ipv4,
    rule.cidr_ipv6,
  ].filter(isWorldCidr);
  if (cidrs.length === 0) return;
  const range = portRange(rule.protocol ?? rule.ip_protocol, rule.from_port, rule.to_port);
  if (range === undefined) return;
  const { all, ports } = exposedAdminPorts(range);
  if (!all && ports.length === 0) return;
  const where = index === undefined ? '' : ` (ingress block ${index + 1})`;
  report(
    ctx,
    block,
    'IAC-SG-ADMIN-PORT-OPEN',
    all
      ? `Ingress from ${cidrs.join(' and ')} to every port${where}.`
      : `Ingress from ${cidrs.join(' and ')} to ${describePorts(ports)}${where}.`,
    {
      severity: all ? 'critical' : 'high',
      evidence: {
        cidrs,
        protocol: range.protocol,
        fromPort: range.from,
        toPort: range.to,
        adminPorts: ports,
      },
      key: [index, range.protocol, range.from, range.to],
    },
  );
}

function checkStatements(
  ctx: Context,
  block: Block,
  statements: Statement[] | undefined,
  identity: boolean,
  bucketPolicy = false,
): void {
  if (statements === undefined) return;
  for (const issue of policyIssues(statements, { identity })) {
    const ruleId =
      bucketPolicy && issue.ruleId === 'IAC-POLICY-PUBLIC-PRINCIPAL' ? 'IAC-S3-PUBLIC-ACCESS' : issue.ruleId;
    report(ctx, block, ruleId, issue.message, {
      severity: issue.severity,
      evidence: { statement: issue.statement, actions: issue.actions },
      key: [issue.statement],
    });
  }
}

/** Literal strings in arguments named like a password or secret (nested blocks included). */
function checkLiteralSecrets(ctx: Context, block: Block, value: unknown, path: string): void {
  if (Array.isArray(value)) {
    for (const v of value) checkLiteralSecrets(ctx, block, v, path);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (typeof v === 'string' && v !== '' && !v.includes('${') && isSecretName(key)) {
      const lowered = placeholderReason(v);
      report(
        ctx,
        block,
        'IAC-HARDCODED-SECRET',
        `${at} is a literal value (${v.length} chars)${lowered ? ', a placeholder' : ''}.`,
        {
          ...(lowered ? { severity: 'info' as const } : {}),
          evidence: { argument: at, name: key, ...(lowered ? { lowered } : {}) },
          key: [at],
        },
      );
    } else if (typeof v === 'object') {
      checkLiteralSecrets(ctx, block, v, at);
    }
  }
}

const TAGGABLE = new Set([
  'aws_s3_bucket',
  'aws_instance',
  'aws_ebs_volume',
  'aws_security_group',
  'aws_vpc',
  'aws_db_instance',
  'aws_rds_cluster',
  'aws_dynamodb_table',
  'aws_sqs_queue',
  'aws_sns_topic',
  'aws_lambda_function',
  'aws_kms_key',
  'aws_lb',
  'aws_efs_file_system',
]);

const IDENTITY_POLICIES = new Set([
  'aws_iam_policy',
  'aws_iam_role_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
]);
const RESOURCE_POLICIES = new Set([
  'aws_sqs_queue_policy',
  'aws_sns_topic_policy',
  'aws_secretsmanager_secret_policy',
  'aws_ecr_repository_policy',
]);

function checkResource(ctx: Context, block: Block): void {
  const b = block.body;
  const t = block.type;
  if (t === 'aws_s3_bucket') checkBucket(ctx, block);
  else if (t === 'aws_s3_bucket_policy')
    checkStatements(ctx, block, policyStatements(policyDocument(b.policy)), false, true);
  else if (IDENTITY_POLICIES.has(t))
    checkStatements(ctx, block, policyStatements(policyDocument(b.policy)), true);
  else if (RESOURCE_POLICIES.has(t) || t === 'aws_kms_key') {
    checkStatements(ctx, block, policyStatements(policyDocument(b.policy)), false);
  } else if (t === 'aws_iam_role') {
    for (const inline of asList(b.inline_policy)) {
      if (isObject(inline))
        checkStatements(ctx, block, policyStatements(policyDocument(inline.policy)), true);
    }
  } else if (t === 'aws_lambda_permission') {
    if (
      b.principal === '*' &&
      b.source_arn === undefined &&
      b.source_account === undefined &&
      b.principal_org_id === undefined
    ) {
      report(
        ctx,
        block,
        'IAC-POLICY-PUBLIC-PRINCIPAL',
        `Anyone may call ${String(b.action ?? 'the function')}.`,
      );
    }
  } else if (t === 'aws_security_group') {
    asList(b.ingress).forEach((r, i) => {
      if (isObject(r)) checkIngress(ctx, block, r, i);
    });
  } else if (t === 'aws_security_group_rule') {
    if (b.type === 'ingress') checkIngress(ctx, block, b, undefined);
  } else if (t === 'aws_vpc_security_group_ingress_rule') {
    checkIngress(ctx, block, b, undefined);
  } else if (t === 'aws_ebs_volume') {
    if (truth(b.encrypted) === false && b.snapshot_id === undefined)
      report(ctx, block, 'IAC-EBS-ENCRYPTION', 'encrypted is not true.');
  } else if (t === 'aws_instance' || t === 'aws_launch_template') {
    const devices = [
      ...asList(b.root_block_device).map((d) => ['root_block_device', d] as const),
      ...asList(b.ebs_block_device).map((d) => ['ebs_block_device', d] as const),
      ...asList(b.block_device_mappings).flatMap((m) =>
        isObject(m)
          ? asList(m.ebs).map((d) => [`block_device_mappings ${String(m.device_name ?? '')}`, d] as const)
          : [],
      ),
    ];
    devices.forEach(([where, device], i) => {
      if (isObject(device) && truth(device.encrypted) === false) {
        report(ctx, block, 'IAC-EBS-ENCRYPTION', `${where.trim()} is not encrypted.`, { key: [where, i] });
      }
    });
  } else if (t === 'aws_db_instance') {
    if (truth(b.publicly_accessible) === true)
      report(ctx, block, 'IAC-RDS-PUBLIC', 'publicly_accessible is true.');
    if (
      b.replicate_source_db === undefined &&
      b.snapshot_identifier === undefined &&
      truth(b.storage_encrypted) === false
    ) {
      report(ctx, block, 'IAC-RDS-ENCRYPTION', 'storage_encrypted is not true.');
    }
  } else if (t === 'aws_rds_cluster') {
    if (
      b.engine_mode !== 'serverless' &&
      b.snapshot_identifier === undefined &&
      truth(b.storage_encrypted) === false
    ) {
      report(ctx, block, 'IAC-RDS-ENCRYPTION', 'storage_encrypted is not true.');
    }
  } else if (t === 'aws_rds_cluster_instance') {
    if (truth(b.publicly_accessible) === true)
      report(ctx, block, 'IAC-RDS-PUBLIC', 'publicly_accessible is true.');
  } else if (t === 'aws_dynamodb_table') {
    const sse = asList(b.server_side_encryption).find(isObject);
    if (!sse || truth(sse.enabled) === false) {
      report(
        ctx,
        block,
        'IAC-DYNAMODB-ENCRYPTION',
        'server_side_encryption is not enabled: the key is AWS-owned.',
      );
    }
  } else if (t === 'aws_sqs_queue') {
    if (
      b.kms_master_key_id === undefined &&
      b.sqs_managed_sse_enabled !== undefined &&
      truth(b.sqs_managed_sse_enabled) === false
    ) {
      report(
        ctx,
        block,
        'IAC-SQS-ENCRYPTION',
        'sqs_managed_sse_enabled is false and there is no KMS key: messages are stored in clear.',
        {
          severity: 'high',
        },
      );
    }
  } else if (t === 'aws_sns_topic') {
    if (b.kms_master_key_id === undefined) report(ctx, block, 'IAC-SNS-ENCRYPTION', 'No kms_master_key_id.');
  } else if (t === 'aws_efs_file_system') {
    if (truth(b.encrypted) === false) report(ctx, block, 'IAC-EFS-ENCRYPTION', 'encrypted is not true.');
  } else if (t === 'aws_cloudtrail') {
    if (b.enable_logging !== undefined && truth(b.enable_logging) === false) {
      report(ctx, block, 'IAC-CLOUDTRAIL-LOGGING', 'enable_logging is false: the trail records nothing.', {
        severity: 'high',
        key: ['enable_logging'],
      });
    }
    if (truth(b.enable_log_file_validation) === false) {
      report(ctx, block, 'IAC-CLOUDTRAIL-LOGGING', 'enable_log_file_validation is not true.', {
        key: ['validation'],
      });
    }
    if (truth(b.is_multi_region_trail) === false) {
      report(ctx, block, 'IAC-CLOUDTRAIL-LOGGING', 'is_multi_region_trail is not true.', {
        severity: 'low',
        key: ['multiRegion'],
      });
    }
  } else if (t === 'aws_lb' || t === 'aws_alb') {
    const kind = b.load_balancer_type ?? 'application';
    const logs = asList(b.access_logs).find(isObject);
    if (kind === 'application' && (!logs || truth(logs.enabled) !== true)) {
      report(ctx, block, 'IAC-ALB-LOGGING', 'access_logs is not enabled.');
    }
  } else if (t === 'aws_elb') {
    const logs = asList(b.access_logs).find(isObject);
    if (!logs || (logs.enabled !== undefined && truth(logs.enabled) === false)) {
      report(ctx, block, 'IAC-ALB-LOGGING', 'access_logs is not enabled.');
    }
  } else if (t === 'aws_api_gateway_stage' || t === 'aws_apigatewayv2_stage') {
    if (asList(b.access_log_settings).length === 0)
      report(ctx, block, 'IAC-API-LOGGING', 'No access_log_settings.');
  }
  if (TAGGABLE.has(t) && !ctx.defaultTags && b.tags === undefined)
    report(ctx, block, 'IAC-MISSING-TAGS', 'No tags.');
  checkLiteralSecrets(ctx, block, b, '');
}

function checkVariable(ctx: Context, block: Block): void {
  if (!isSecretName(block.name)) return;
  const fallback = block.body.default;
  if (typeof fallback !== 'string' || fallback === '') return;
  const lowered = placeholderReason(fallback);
  report(
    ctx,
    block,
    'IAC-HARDCODED-SECRET',
    `The variable has a literal default (${fallback.length} chars)${lowered ? ', a placeholder' : ''}.`,
    {
      ...(lowered ? { severity: 'info' as const } : {}),
      evidence: { sensitive: truth(block.body.sensitive) === true, ...(lowered ? { lowered } : {}) },
    },
  );
}

export interface TerraformFile {
  file: SourceFile;
  parsed?: Json;
  error?: string;
}

/** Parses each file with HashiCorp's HCL parser (WASM, loaded only when Terraform is in the input). */
export async function parseTerraform(files: readonly SourceFile[]): Promise<TerraformFile[]> {
  if (files.length === 0) return [];
  const { parse } = await import('@cdktf/hcl2json');
  const results: TerraformFile[] = [];
  for (const file of files) {
    if (file.path.endsWith('.json')) {
      try {
        const parsed: unknown = JSON.parse(file.content);
        results.push(isObject(parsed) ? { file, parsed } : { file, error: 'not a JSON object' });
      } catch (error) {
        results.push({ file, error: error instanceof Error ? error.message : String(error) });
      }
      continue;
    }
    try {
      results.push({ file, parsed: (await parse(file.path, file.content)) as Json });
    } catch (error) {
      // A syntax error names file, line and the problem (never the source text); anything else is the engine failing.
      const message = error instanceof Error ? error.message : String(error);
      if (!message.startsWith('parse config')) {
        throw new AgentExecutionError('The Terraform parser (@cdktf/hcl2json) failed', { cause: error });
      }
      results.push({ file, error: message.split('\n')[0] ?? 'syntax error' });
    }
  }
  return results;
}

export function scanTerraform(files: readonly TerraformFile[]): Finding[] {
  const ctx: Context = { findings: [], blocks: [], defaultTags: false };
  for (const { file, parsed, error } of files) {
    if (error !== undefined || parsed === undefined) {
      ctx.findings.push(
        ruleFinding(rule('IAC-PARSE-ERROR'), {
          message: `${file.path} does not parse as Terraform: ${error ?? 'empty'}`,
          resource: { kind: 'File', name: file.path, file: file.path },
        }),
      );
      continue;
    }
    ctx.blocks.push(...blocksOf(file, parsed));
    const providers = isObject(parsed.provider) ? asList(parsed.provider.aws) : [];
    if (providers.some((p) => isObject(p) && p.default_tags !== undefined)) ctx.defaultTags = true;
  }
  for (const block of ctx.blocks) {
    if (block.section === 'resource') checkResource(ctx, block);
    else if (block.section === 'variable') checkVariable(ctx, block);
    else if (block.type === 'aws_iam_policy_document') {
      const statements = documentStatements(block.body);
      const resourcePolicy = statements.some((s) => s.principals.length > 0);
      checkStatements(ctx, block, statements, !resourcePolicy);
    }
  }
  return ctx.findings;
}
