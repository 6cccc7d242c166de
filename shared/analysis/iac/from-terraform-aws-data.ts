/**
 * Terraform `aws_*` resources → the data aspects (./data-model.ts): the
 * encryption at rest and in transit of Neptune, DocumentDB, Redshift,
 * ElastiCache and Kinesis, RDS backup retention, KMS key rotation. The
 * provider's defaults apply when an argument is not written
 * (storage_encrypted, at_rest_encryption_enabled,
 * transit_encryption_enabled and enable_key_rotation are false;
 * encryption_type is NONE); ./from-cloudformation-data.ts reads the same
 * from a template.
 */
import { type DataBuild, setting } from './terraform-located.js';

/** `byDefault`: what an unwritten argument means (Redshift encrypts new clusters since 2025: unknown). */
const encryptedCluster =
  (argument: string, byDefault: boolean | undefined = false): DataBuild =>
  (b) =>
    b.body.snapshot_identifier !== undefined || b.body.global_cluster_identifier !== undefined
      ? { kind: 'database-cluster' }
      : { kind: 'database-cluster', encryption: { atRest: setting(b, [argument], byDefault) } };

export const AWS_DATA: Readonly<Record<string, DataBuild>> = {
  aws_neptune_cluster: encryptedCluster('storage_encrypted'),
  aws_docdb_cluster: encryptedCluster('storage_encrypted'),
  aws_redshift_cluster: encryptedCluster('encrypted', undefined),
  aws_elasticache_replication_group: (b) => ({
    kind: 'database-cluster',
    encryption: {
      atRest: setting(b, ['at_rest_encryption_enabled'], false),
      inTransit: setting(b, ['transit_encryption_enabled'], false),
    },
  }),
  aws_kinesis_stream: (b) => {
    const type = setting(b, ['encryption_type'], 'NONE');
    return {
      kind: 'queue',
      encryption: {
        atRest: { ...type, value: typeof type.value === 'string' ? type.value === 'KMS' : type.value },
      },
    };
  },
  // A read replica keeps no backups of its own.
  aws_db_instance: (b) =>
    b.body.replicate_source_db === undefined
      ? { dataStore: { backups: setting(b, ['backup_retention_period']) } }
      : {},
  // Asymmetric and HMAC keys cannot rotate automatically.
  aws_kms_key: (b) => {
    const spec = b.body.customer_master_key_spec ?? b.body.key_spec ?? 'SYMMETRIC_DEFAULT';
    return spec === 'SYMMETRIC_DEFAULT'
      ? { cryptoKey: { rotation: setting(b, ['enable_key_rotation'], false) } }
      : {};
  },
};
