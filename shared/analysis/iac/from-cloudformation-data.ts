/**
 * CloudFormation resources → the data aspects (./data-model.ts), the same
 * concepts ./from-terraform-aws-data.ts reads from Terraform: Neptune,
 * DocumentDB, Redshift, ElastiCache and Kinesis encryption, RDS backup
 * retention, KMS key rotation. CloudFormation's defaults apply when a
 * property is not written (StorageEncrypted,
 * AtRestEncryptionEnabled, TransitEncryptionEnabled and EnableKeyRotation
 * are false; a stream without StreamEncryption is not encrypted).
 */
import type { CloudResource, Located } from './model.js';
import type { TemplateResource } from './template.js';

/** A property's literal value (a parameter default behind a Ref), else the value itself (unknown). */
export type Literal = (value: unknown) => unknown;

type Build = (r: TemplateResource, literal: Literal) => Partial<CloudResource>;

function property(r: TemplateResource, literal: Literal, key: string, fallback?: unknown): Located<unknown> {
  const written = r.properties[key];
  if (written === undefined) return { value: fallback };
  const line = r.lineOf(['Properties', key]);
  return { value: literal(written), ...(line === undefined ? {} : { line }) };
}

/** `byDefault`: what an unwritten property means (Redshift encrypts new clusters since 2025: unknown). */
const encryptedCluster =
  (key: string, byDefault: boolean | undefined = false): Build =>
  (r, literal) =>
    r.properties.SnapshotIdentifier !== undefined || r.properties.RestoreType !== undefined
      ? {}
      : { encryption: { atRest: property(r, literal, key, byDefault) } };

export const CLOUDFORMATION_DATA: Readonly<Record<string, Build>> = {
  'AWS::Neptune::DBCluster': encryptedCluster('StorageEncrypted'),
  'AWS::DocDB::DBCluster': encryptedCluster('StorageEncrypted'),
  'AWS::Redshift::Cluster': encryptedCluster('Encrypted', undefined),
  'AWS::ElastiCache::ReplicationGroup': (r, literal) => ({
    encryption: {
      atRest: property(r, literal, 'AtRestEncryptionEnabled', false),
      inTransit: property(r, literal, 'TransitEncryptionEnabled', false),
    },
  }),
  'AWS::Kinesis::Stream': (r) => {
    const line = r.lineOf(['Properties', 'StreamEncryption']);
    return {
      encryption: {
        atRest: {
          value: r.properties.StreamEncryption !== undefined,
          ...(line === undefined ? {} : { line }),
        },
      },
    };
  },
  'AWS::RDS::DBInstance': (r, literal) =>
    r.properties.SourceDBInstanceIdentifier === undefined
      ? { dataStore: { backups: property(r, literal, 'BackupRetentionPeriod') } }
      : {},
  'AWS::KMS::Key': (r, literal) => {
    const spec = literal(r.properties.KeySpec ?? 'SYMMETRIC_DEFAULT');
    return spec === 'SYMMETRIC_DEFAULT'
      ? { cryptoKey: { rotation: property(r, literal, 'EnableKeyRotation', false) } }
      : {};
  },
};
