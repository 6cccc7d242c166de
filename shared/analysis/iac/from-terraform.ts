/**
 * Terraform → the cloud resource model (./model.ts). Checks that span
 * resources look across every Terraform file of the input, like a module: a
 * bucket's ACL, public access block, encryption and logging may be separate
 * resources that name it. Policies written with `jsonencode({…})` are read
 * by ./hcl.ts, heredoc JSON with JSON.parse, `aws_iam_policy_document` data
 * sources from their blocks. Provider defaults are applied where they differ
 * from CloudFormation's (enable_logging, access_logs.enabled,
 * sqs_managed_sse_enabled).
 */
import { DATA_BUILDERS, providerOf } from './from-terraform-data.js';
import { readHclValue } from './hcl.js';
import type {
  BlockDevice,
  CloudResource,
  IngressRule,
  Located,
  PolicyDocument,
  PolicyUse,
  ResourceKind,
} from './model.js';
import { networkAspects } from './network-terraform.js';
import { deliversLogs, policyStatements, type Statement } from './policy.js';
import type { TerraformBlock, TerraformFile } from './terraform.js';
import { asList, isObject, type Json, truth } from './values.js';

type Build = (b: TerraformBlock, ctx: Context) => Partial<CloudResource>;

interface Context {
  blocks: readonly TerraformBlock[];
  defaultTags: boolean;
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

const BLOCK_SETTINGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function located(b: TerraformBlock, path: (string | number)[], fallback?: unknown): Located<unknown> {
  let value: unknown = b.body;
  for (const key of path)
    value = Array.isArray(value) ? value[key as number] : isObject(value) ? value[key] : undefined;
  const line = value === undefined ? undefined : b.lineOf(path);
  return { value: value === undefined ? fallback : value, ...(line === undefined ? {} : { line }) };
}

/** Whether an expression refers to a resource (`${aws_s3_bucket.logs.id}`), or is the same literal name. */
function references(value: unknown, target: TerraformBlock): boolean {
  if (typeof value !== 'string') return false;
  if (target.body.bucket !== undefined && value === target.body.bucket) return true;
  return new RegExp(`\\b${escapeRegExp(target.type)}\\.${escapeRegExp(target.name)}\\b`).test(value);
}

function companions(ctx: Context, type: string, bucket: TerraformBlock): TerraformBlock[] {
  return ctx.blocks.filter(
    (b) => b.section === 'resource' && b.type === type && references(b.body.bucket, bucket),
  );
}

/**
 * Whether other resources deliver logs to the bucket: they name it as a log
 * target, or its ACL is log-delivery-write, or its policy lets a log
 * delivery service write — as ./from-cloudformation.ts reads a template.
 */
function receivesLogs(ctx: Context, bucket: TerraformBlock): boolean {
  const acls = [bucket.body.acl, ...companions(ctx, 'aws_s3_bucket_acl', bucket).map((c) => c.body.acl)];
  if (acls.includes('log-delivery-write')) return true;
  if (companions(ctx, 'aws_s3_bucket_policy', bucket).some((p) => deliversLogs(policyValue(p.body.policy))))
    return true;
  return ctx.blocks.some((b) => {
    if (b === bucket) return false;
    const targets = [
      b.body.target_bucket,
      ...asList(b.body.logging).map((l) => (isObject(l) ? l.target_bucket : undefined)),
      ...asList(b.body.access_logs).map((l) => (isObject(l) ? l.bucket : undefined)),
      b.type === 'aws_cloudtrail' ? b.body.s3_bucket_name : undefined,
    ];
    return targets.some((t) => references(t, bucket));
  });
}

function placeOf(b: TerraformBlock) {
  return {
    id: `${b.type}.${b.name}`,
    name: b.name,
    type: b.type,
    file: b.file,
    ...(b.line === undefined ? {} : { line: b.line }),
  };
}

const bucket: Build = (b, ctx) => {
  const acls: Located<string>[] = [
    ...(typeof b.body.acl === 'string' ? [{ value: b.body.acl, ...lineOf(b, ['acl']) }] : []),
    ...companions(ctx, 'aws_s3_bucket_acl', b).flatMap((c) =>
      typeof c.body.acl === 'string' ? [{ value: c.body.acl }] : [],
    ),
  ];
  const [pab] = companions(ctx, 'aws_s3_bucket_public_access_block', b);
  return {
    kind: 'bucket',
    bucket: {
      acls,
      ...(pab === undefined
        ? {}
        : {
            publicAccessBlock: {
              off: BLOCK_SETTINGS.filter((s) => truth(pab.body[s]) === false),
              at: placeOf(pab),
            },
          }),
      encrypted:
        b.body.server_side_encryption_configuration !== undefined ||
        companions(ctx, 'aws_s3_bucket_server_side_encryption_configuration', b).length > 0,
      logged: b.body.logging !== undefined || companions(ctx, 'aws_s3_bucket_logging', b).length > 0,
      receivesLogs: receivesLogs(ctx, b),
    },
  };
};

function lineOf(b: TerraformBlock, path: (string | number)[]): { line?: number } {
  const line = b.lineOf(path);
  return line === undefined ? {} : { line };
}

/**
 * The switch of a nested block (`access_logs { enabled = … }`): off without
 * the block, else its `enabled` (`byDefault` when unset), at the block's line.
 */
function blockSwitch(b: TerraformBlock, name: string, byDefault?: unknown): Located<unknown> {
  const block = asList(b.body[name]).find(isObject);
  return block === undefined ? { value: false } : { value: block.enabled ?? byDefault, ...lineOf(b, [name]) };
}

/** A policy argument as a document: JSON text, `${jsonencode({...})}`, or unknown. */
function policyValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const encoded = /^\$\{\s*jsonencode\(([\s\S]*)\)\s*\}$/.exec(value.trim());
  if (encoded) return readHclValue(encoded[1] ?? '');
  return value.includes('${') && !value.trim().startsWith('{') ? undefined : value;
}

function document(
  statements: Statement[] | undefined,
  use: PolicyUse,
  where: { line?: number },
): PolicyDocument {
  return { statements, use, label: '', ...where, statementLines: (statements ?? []).map(() => where.line) };
}

const policy =
  (use: PolicyUse, kind: ResourceKind): Build =>
  (b) => ({
    kind,
    policies: [document(policyStatements(policyValue(b.body.policy)), use, lineOf(b, ['policy']))],
  });

const role: Build = (b) => ({
  kind: 'iam-principal',
  policies: asList(b.body.inline_policy).flatMap((inline, i) =>
    isObject(inline)
      ? [
          document(
            policyStatements(policyValue(inline.policy)),
            'identity',
            lineOf(b, ['inline_policy', i, 'policy']),
          ),
        ]
      : [],
  ),
});

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

const policyDocumentSource: Build = (b) => {
  const statements = documentStatements(b.body);
  const use = statements.some((s) => s.principals.length > 0) ? 'resource' : 'identity';
  return {
    kind: 'resource-policy',
    policies: [
      {
        statements,
        use,
        label: '',
        ...lineOf(b, []),
        statementLines: statements.map((s) => b.lineOf(['statement', s.index])),
      },
    ],
  };
};

const CIDR_ARGUMENTS = ['cidr_blocks', 'ipv6_cidr_blocks', 'cidr_ipv4', 'cidr_ipv6'];

function ingressRule(b: TerraformBlock, rule: Json, path: (string | number)[], index?: number): IngressRule {
  return {
    ...(index === undefined ? {} : { index }),
    cidrs: [
      ...asList(rule.cidr_blocks),
      ...asList(rule.ipv6_cidr_blocks),
      rule.cidr_ipv4,
      rule.cidr_ipv6,
    ].filter((c) => c !== undefined),
    protocol: rule.protocol ?? rule.ip_protocol,
    from: rule.from_port,
    to: rule.to_port,
    // A standalone rule resource points at its CIDR, an inline block at the block.
    ...lineOf(
      b,
      path.length > 0 ? path : [CIDR_ARGUMENTS.find((key) => rule[key] !== undefined) ?? 'cidr_blocks'],
    ),
  };
}

const securityGroup: Build = (b) => ({
  kind: 'security-group',
  ingress: asList(b.body.ingress).flatMap((r, i) =>
    isObject(r) ? [ingressRule(b, r, ['ingress', i], i)] : [],
  ),
});

function devices(b: TerraformBlock): BlockDevice[] {
  const list = (key: string) =>
    asList(b.body[key]).map((d, i) => ({ name: key, device: d, path: [key, i] as (string | number)[] }));
  const mapped = asList(b.body.block_device_mappings).flatMap((m, i) =>
    isObject(m)
      ? asList(m.ebs).map((d, j) => ({
          name: `block_device_mappings ${String(m.device_name ?? '')}`.trim(),
          device: d,
          path: ['block_device_mappings', i, 'ebs', j] as (string | number)[],
        }))
      : [],
  );
  return [...list('root_block_device'), ...list('ebs_block_device'), ...mapped].flatMap(
    ({ name, device, path }) =>
      isObject(device) ? [{ name, encrypted: device.encrypted, ...lineOf(b, path) }] : [],
  );
}

const database =
  (kind: 'database' | 'database-cluster', inherits: (body: Json) => boolean): Build =>
  (b) => ({
    kind,
    database: {
      publiclyAccessible: located(b, ['publicly_accessible']),
      storageEncrypted: located(b, ['storage_encrypted']),
      inheritsEncryption: inherits(b.body),
    },
  });

const loadBalancer =
  (enabledByDefault: boolean): Build =>
  (b) => {
    const kind = b.body.load_balancer_type ?? 'application';
    if (kind !== 'application') return { kind: 'load-balancer' };
    return {
      kind: 'load-balancer',
      loadBalancer: { accessLogs: blockSwitch(b, 'access_logs', enabledByDefault) },
    };
  };

const RESOURCE_POLICY = policy('resource', 'resource-policy');
const IDENTITY_POLICY = policy('identity', 'iam-policy');

const BUILDERS: Readonly<Record<string, Build>> = {
  aws_s3_bucket: bucket,
  aws_s3_bucket_policy: policy('bucket', 'bucket-policy'),
  // Read through the bucket it names (its public access block aspect).
  aws_s3_bucket_public_access_block: () => ({ kind: 'public-access-block' }),
  aws_iam_policy: IDENTITY_POLICY,
  aws_iam_role_policy: IDENTITY_POLICY,
  aws_iam_user_policy: IDENTITY_POLICY,
  aws_iam_group_policy: IDENTITY_POLICY,
  aws_sqs_queue_policy: RESOURCE_POLICY,
  aws_sns_topic_policy: RESOURCE_POLICY,
  aws_secretsmanager_secret_policy: RESOURCE_POLICY,
  aws_ecr_repository_policy: RESOURCE_POLICY,
  aws_kms_key: policy('resource', 'key'),
  aws_iam_role: role,
  aws_lambda_permission: (b) => {
    const p = b.body;
    const open =
      p.principal === '*' &&
      p.source_arn === undefined &&
      p.source_account === undefined &&
      p.principal_org_id === undefined;
    return {
      kind: 'function-permission',
      ...(open
        ? {
            publicInvoke: {
              action: String(p.action ?? 'the function'),
              url: p.function_url_auth_type === 'NONE',
              ...lineOf(b, ['principal']),
            },
          }
        : {}),
    };
  },
  aws_security_group: securityGroup,
  aws_security_group_rule: (b) => ({
    kind: 'security-group-rule',
    ...(b.body.type === 'ingress' ? { ingress: [ingressRule(b, b.body, [])] } : {}),
  }),
  aws_vpc_security_group_ingress_rule: (b) => ({
    kind: 'security-group-rule',
    ingress: [ingressRule(b, b.body, [])],
  }),
  aws_ebs_volume: (b) => ({
    kind: 'volume',
    volume: { encrypted: located(b, ['encrypted']), fromSnapshot: b.body.snapshot_id !== undefined },
  }),
  aws_instance: (b) => ({ kind: 'instance', devices: devices(b) }),
  aws_launch_template: (b) => ({ kind: 'instance', devices: devices(b) }),
  aws_db_instance: database(
    'database',
    (p) => p.replicate_source_db !== undefined || p.snapshot_identifier !== undefined,
  ),
  aws_rds_cluster: database(
    'database-cluster',
    (p) => p.engine_mode === 'serverless' || p.snapshot_identifier !== undefined,
  ),
  // A cluster member: its storage is the cluster's.
  aws_rds_cluster_instance: database('database', () => true),
  aws_dynamodb_table: (b) => ({
    kind: 'table',
    table: { sseEnabled: blockSwitch(b, 'server_side_encryption') },
  }),
  // The provider leaves sqs_managed_sse_enabled to AWS, which encrypts new queues by default.
  aws_sqs_queue: (b) => ({
    kind: 'queue',
    queue: {
      kmsKey: b.body.kms_master_key_id !== undefined,
      managedSse: located(b, ['sqs_managed_sse_enabled'], true),
    },
  }),
  aws_sns_topic: (b) => ({ kind: 'topic', topic: { kmsKey: b.body.kms_master_key_id !== undefined } }),
  aws_efs_file_system: (b) => ({ kind: 'file-system', fileSystem: { encrypted: located(b, ['encrypted']) } }),
  aws_cloudtrail: (b) => ({
    kind: 'trail',
    trail: {
      logging: located(b, ['enable_logging'], true),
      validation: located(b, ['enable_log_file_validation']),
      multiRegion: located(b, ['is_multi_region_trail']),
    },
  }),
  aws_lb: loadBalancer(false),
  aws_alb: loadBalancer(false),
  aws_elb: (b) => ({
    kind: 'load-balancer',
    loadBalancer: { accessLogs: blockSwitch(b, 'access_logs', true) },
  }),
  aws_api_gateway_stage: (b) => ({
    kind: 'api-stage',
    apiStage: { accessLogs: asList(b.body.access_log_settings).length > 0 },
  }),
  aws_apigatewayv2_stage: (b) => ({
    kind: 'api-stage',
    apiStage: { accessLogs: asList(b.body.access_log_settings).length > 0 },
  }),
  aws_lambda_function: () => ({ kind: 'function' }),
};

function normaliseResource(b: TerraformBlock, ctx: Context): CloudResource {
  const aspects = BUILDERS[b.type]?.(b, ctx) ?? { kind: 'other' as const };
  const provider = providerOf(b.type);
  return {
    kind: 'other',
    ...DATA_BUILDERS[b.type]?.(b, ctx.blocks),
    ...aspects,
    ...networkAspects(b),
    ...placeOf(b),
    source: 'terraform',
    ...(provider === undefined ? {} : { provider }),
    properties: b.body,
    lineOf: b.lineOf,
    ...(TAGGABLE.has(b.type) ? { tagged: ctx.defaultTags || b.body.tags !== undefined } : {}),
  };
}

function normaliseVariable(b: TerraformBlock): CloudResource {
  const fallback = typeof b.body.default === 'string' && b.body.default !== '' ? b.body.default : undefined;
  return {
    kind: 'parameter',
    ...placeOf(b),
    id: `var.${b.name}`,
    source: 'terraform',
    properties: {},
    lineOf: b.lineOf,
    parameter: {
      ...(fallback === undefined ? {} : { fallback }),
      hidden: truth(b.body.sensitive) === true,
      textual: true,
      // A variable's value shows in plan output only when it is set; a missing `sensitive` alone is not reported.
      mustHide: false,
    },
  };
}

function normaliseDataSource(b: TerraformBlock, ctx: Context): CloudResource {
  const aspects =
    b.type === 'aws_iam_policy_document' ? policyDocumentSource(b, ctx) : { kind: 'other' as const };
  return {
    kind: 'other',
    ...aspects,
    ...placeOf(b),
    id: `data.${b.type}.${b.name}`,
    type: `data.${b.type}`,
    source: 'terraform',
    properties: {},
    lineOf: b.lineOf,
  };
}

/** Every block of the input's Terraform files as model resources (one module). */
export function fromTerraform(files: readonly TerraformFile[]): CloudResource[] {
  const ctx: Context = {
    blocks: files.flatMap((f) => f.blocks),
    defaultTags: files.some((f) => f.defaultTags),
  };
  return ctx.blocks.map((b) => {
    if (b.section === 'variable') return normaliseVariable(b);
    if (b.section === 'data') return normaliseDataSource(b, ctx);
    return normaliseResource(b, ctx);
  });
}
