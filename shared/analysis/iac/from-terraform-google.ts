/**
 * Terraform `google_*` resources → the data aspects (./data-model.ts):
 * Cloud Storage buckets with their IAM members, bindings and ACLs, Cloud SQL
 * instances, KMS crypto keys, project / folder / organisation audit
 * configs. A bucket with `public_access_prevention = "enforced"` cannot be
 * made public, so its grants are not reported.
 */
import type { PublicGrant } from './data-model.js';
import type { TerraformBlock } from './terraform.js';
import { type DataBuild, lineAt, names, setting, valueAt } from './terraform-located.js';
import { asList, isObject, truth } from './values.js';

const PUBLIC_MEMBERS: Readonly<Record<string, boolean>> = { allUsers: true, allAuthenticatedUsers: false };
const PUBLIC_ACLS: Readonly<Record<string, { anonymous: boolean; write: boolean }>> = {
  publicRead: { anonymous: true, write: false },
  publicReadWrite: { anonymous: true, write: true },
  authenticatedRead: { anonymous: false, write: false },
};

/** Whether the bucket a grant names enforces public access prevention. */
function preventsPublicAccess(blocks: readonly TerraformBlock[], bucketName: unknown): boolean {
  return blocks.some(
    (b) =>
      b.type === 'google_storage_bucket' &&
      names(bucketName, b) &&
      b.body.public_access_prevention === 'enforced',
  );
}

function memberGrants(members: readonly unknown[], role: unknown, line: { line?: number }): PublicGrant[] {
  const write = /admin|creator|writer|owner|editor/i.test(String(role ?? ''));
  return members.flatMap((m) => {
    const anonymous = typeof m === 'string' ? PUBLIC_MEMBERS[m] : undefined;
    return anonymous === undefined
      ? []
      : [{ what: `${String(m)} as ${String(role)}`, anonymous, write, ...line }];
  });
}

const iamMember: DataBuild = (b, blocks) => {
  if (preventsPublicAccess(blocks, b.body.bucket))
    return { kind: 'bucket-policy', storage: { publicGrants: [] } };
  const single = b.body.member !== undefined;
  const members = single ? [b.body.member] : asList(b.body.members);
  return {
    kind: 'bucket-policy',
    storage: { publicGrants: memberGrants(members, b.body.role, lineAt(b, [single ? 'member' : 'members'])) },
  };
};

/** ACLs: a predefined ACL, or role entities ('READER:allUsers'). */
const acl: DataBuild = (b, blocks) => {
  if (preventsPublicAccess(blocks, b.body.bucket))
    return { kind: 'bucket-policy', storage: { publicGrants: [] } };
  const predefined =
    typeof b.body.predefined_acl === 'string' ? PUBLIC_ACLS[b.body.predefined_acl] : undefined;
  const grants: PublicGrant[] = predefined
    ? [
        {
          what: `predefined_acl = "${String(b.body.predefined_acl)}"`,
          ...predefined,
          ...lineAt(b, ['predefined_acl']),
        },
      ]
    : [];
  for (const [i, entity] of asList(b.body.role_entity).entries()) {
    const [role, who] = String(entity).split(':');
    const anonymous = who === undefined ? undefined : PUBLIC_MEMBERS[who];
    if (anonymous !== undefined)
      grants.push({
        what: String(entity),
        anonymous,
        write: role === 'WRITER' || role === 'OWNER',
        ...lineAt(b, ['role_entity', i]),
      });
  }
  return { kind: 'bucket-policy', storage: { publicGrants: grants } };
};

const bucket: DataBuild = (b) => ({
  kind: 'bucket',
  storage: {
    publicGrants: [],
    uniformAccess: setting(b, ['uniform_bucket_level_access'], false),
    logged: { value: asList(b.body.logging).some(isObject), ...lineAt(b, ['logging']) },
  },
});

const LOG_FLAGS = [
  'log_connections',
  'log_disconnections',
  'log_checkpoints',
  'log_lock_waits',
  'cloudsql.enable_pgaudit',
];

function sqlFlags(b: TerraformBlock) {
  const flags = asList(valueAt(b.body, ['settings', 0, 'database_flags']));
  return flags.flatMap((flag, i) =>
    isObject(flag) && LOG_FLAGS.includes(String(flag.name)) && String(flag.value).toLowerCase() === 'off'
      ? [
          {
            value: `${String(flag.name)} is off`,
            ...lineAt(b, ['settings', 0, 'database_flags', i, 'value']),
          },
        ]
      : [],
  );
}

/** `require_ssl` (deprecated) or `ssl_mode`; neither written lets clients connect in clear. */
function sqlTls(b: TerraformBlock) {
  const ip = ['settings', 0, 'ip_configuration', 0];
  const mode = setting(b, [...ip, 'ssl_mode']);
  if (mode.value !== undefined)
    return {
      ...mode,
      value: typeof mode.value === 'string' ? mode.value !== 'ALLOW_UNENCRYPTED_AND_ENCRYPTED' : mode.value,
    };
  const required = setting(b, [...ip, 'require_ssl'], false);
  return required.line === undefined ? { ...required, ...lineAt(b, ['settings']) } : required;
}

const sqlInstance: DataBuild = (b) => {
  const ip = ['settings', 0, 'ip_configuration', 0];
  const replica = b.body.master_instance_name !== undefined;
  const backups = setting(b, ['settings', 0, 'backup_configuration', 0, 'enabled'], false);
  const ipv4 = setting(b, [...ip, 'ipv4_enabled']);
  const networks = asList(valueAt(b.body, [...ip, 'authorized_networks']));
  return {
    kind: 'database',
    encryption: { inTransit: sqlTls(b) },
    dataStore: {
      ...(replica
        ? {}
        : { backups: backups.line === undefined ? { ...backups, ...lineAt(b, ['settings']) } : backups }),
      ...(truth(ipv4.value) === true ? { publicNetwork: ipv4 } : {}),
      allowed: networks.flatMap((n, i) =>
        isObject(n)
          ? [{ cidr: n.value, index: i, ...lineAt(b, [...ip, 'authorized_networks', i, 'value']) }]
          : [],
      ),
      auditOff: sqlFlags(b),
    },
  };
};

/** '7776000s' → 90 (days); anything else unknown. */
function days(period: unknown): unknown {
  const seconds = typeof period === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(period) : null;
  return seconds ? Number(seconds[1]) / 86_400 : period;
}

const cryptoKey: DataBuild = (b) => {
  const purpose = b.body.purpose ?? 'ENCRYPT_DECRYPT';
  if (purpose !== 'ENCRYPT_DECRYPT') return { kind: 'key' };
  const period = setting(b, ['rotation_period'], false);
  return {
    kind: 'key',
    cryptoKey: { rotation: { ...period, value: period.value === false ? false : days(period.value) } },
  };
};

const auditConfig: DataBuild = (b) => {
  const exempted = asList(b.body.audit_log_config).flatMap((c) =>
    isObject(c) ? asList(c.exempted_members).map(String) : [],
  );
  const first = asList(b.body.audit_log_config).findIndex(
    (c) => isObject(c) && c.exempted_members !== undefined,
  );
  return {
    kind: 'trail',
    auditLog: {
      exempted: {
        value: exempted,
        ...(first < 0 ? {} : lineAt(b, ['audit_log_config', first, 'exempted_members'])),
      },
    },
  };
};

/** BigQuery datasets: `access` blocks naming a public special group or IAM member. */
const dataset: DataBuild = (b) => ({
  kind: 'table',
  storage: {
    publicGrants: asList(b.body.access).flatMap((a, i) => {
      if (!isObject(a)) return [];
      const who = [a.special_group, a.iam_member].find((w) => typeof w === 'string' && w in PUBLIC_MEMBERS);
      return who === undefined
        ? []
        : memberGrants(
            [who],
            a.role ?? 'READER',
            lineAt(b, ['access', i, a.special_group === who ? 'special_group' : 'iam_member']),
          );
    }),
  },
});

export const GOOGLE_DATA: Readonly<Record<string, DataBuild>> = {
  google_bigquery_dataset: dataset,
  google_bigquery_dataset_iam_member: iamMember,
  google_bigquery_dataset_iam_binding: iamMember,
  google_bigquery_table_iam_member: iamMember,
  google_bigquery_table_iam_binding: iamMember,
  google_storage_bucket: bucket,
  google_storage_bucket_iam_member: iamMember,
  google_storage_bucket_iam_binding: iamMember,
  google_storage_bucket_acl: acl,
  google_storage_default_object_acl: acl,
  google_storage_object_acl: acl,
  google_storage_bucket_object: acl,
  google_sql_database_instance: sqlInstance,
  google_kms_crypto_key: cryptoKey,
  google_project_iam_audit_config: auditConfig,
  google_folder_iam_audit_config: auditConfig,
  google_organization_iam_audit_config: auditConfig,
};
