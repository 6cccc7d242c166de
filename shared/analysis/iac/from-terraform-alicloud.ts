/**
 * Terraform `alicloud_*` resources → the data aspects (./data-model.ts):
 * OSS buckets and their ACL resource, RDS instances' security IP lists and
 * KMS keys.
 */
import type { PublicGrant } from './data-model.js';
import type { TerraformBlock } from './terraform.js';
import { type DataBuild, lineAt } from './terraform-located.js';
import { asList, isObject } from './values.js';

function aclGrants(b: TerraformBlock): PublicGrant[] {
  const acl = b.body.acl;
  if (acl !== 'public-read' && acl !== 'public-read-write') return [];
  return [
    { what: `acl = "${acl}"`, anonymous: true, write: acl === 'public-read-write', ...lineAt(b, ['acl']) },
  ];
}

export const ALICLOUD_DATA: Readonly<Record<string, DataBuild>> = {
  alicloud_oss_bucket: (b) => ({
    kind: 'bucket',
    storage: {
      publicGrants: aclGrants(b),
      logged: { value: asList(b.body.logging).some(isObject), ...lineAt(b, ['logging']) },
    },
  }),
  alicloud_oss_bucket_acl: (b) => ({ kind: 'bucket-policy', storage: { publicGrants: aclGrants(b) } }),
  alicloud_db_instance: (b) => ({
    kind: 'database',
    dataStore: {
      allowed: asList(b.body.security_ips).map((cidr, i) => ({
        cidr,
        index: i,
        ...lineAt(b, ['security_ips']),
      })),
    },
  }),
  alicloud_kms_key: (b) => {
    const rotation = b.body.automatic_rotation;
    return {
      kind: 'key',
      cryptoKey: {
        rotation: {
          value:
            rotation === undefined
              ? false
              : rotation === 'Enabled'
                ? true
                : rotation === 'Disabled'
                  ? false
                  : rotation,
          ...lineAt(b, ['automatic_rotation']),
        },
      },
    };
  },
};
