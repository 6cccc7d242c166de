/**
 * CIS Amazon Web Services Foundations Benchmark v3.0: the controls that an
 * infrastructure template can show (IAM policies, storage, logging, network).
 * Account-level settings (root MFA, password policy, Config recorders) cannot
 * be seen in a repository and are left out rather than listed as never assessed.
 */
import type { Framework } from './framework.js';

export const CIS_AWS: Framework = {
  id: 'cis-aws',
  name: 'CIS AWS Foundations Benchmark',
  version: '3.0',
  controls: [
    { id: '1.16', title: 'No IAM policy grants full administrative rights (*:*)' },
    { id: '2.1.1', title: 'S3 bucket policies refuse plain HTTP requests' },
    { id: '2.1.4', title: 'S3 Block Public Access is on' },
    { id: '2.2.1', title: 'EBS volumes are encrypted' },
    { id: '2.3.1', title: 'RDS storage is encrypted' },
    { id: '2.3.3', title: 'RDS instances are not publicly reachable' },
    { id: '2.4.1', title: 'EFS file systems are encrypted' },
    { id: '3.1', title: 'CloudTrail records every region' },
    { id: '3.4', title: 'Access logging on the bucket holding trail logs' },
    { id: '3.6', title: 'Customer-managed keys rotate automatically' },
    { id: '5.2', title: 'No security group opens admin ports to 0.0.0.0/0' },
    { id: '5.3', title: 'No security group opens admin ports to ::/0' },
  ],
  mappings: [
    { control: '1.16', check: 'iam-admin', rationale: 'A policy allowing every action is full admin.' },
    {
      control: '2.1.4',
      check: 's3-public',
      rationale: 'Public bucket ACLs or policies and a missing access block are what 2.1.4 closes.',
    },
    { control: '2.2.1', check: 'ebs-encryption', rationale: 'The template declares the volume unencrypted.' },
    { control: '2.3.1', check: 'rds-encryption', rationale: 'The template leaves StorageEncrypted off.' },
    {
      control: '2.3.3',
      check: 'rds-public',
      rationale: 'PubliclyAccessible: true is the setting 2.3.3 forbids.',
    },
    {
      control: '2.4.1',
      check: 'efs-encryption',
      rationale: 'The file system is declared without encryption.',
    },
    {
      control: '3.1',
      check: 'cloudtrail',
      rationale: 'The rule flags trails that are single-region, not logging or without validation.',
    },
    { control: '3.4', check: 's3-access-logs', rationale: 'Buckets without server access logging.' },
    { control: '3.6', check: 'kms-rotation', rationale: 'Keys declared without EnableKeyRotation.' },
    {
      control: '5.2',
      check: 'admin-ports-v4',
      rationale: 'Ingress from 0.0.0.0/0 to SSH, RDP or database ports.',
    },
    {
      control: '5.3',
      check: 'admin-ports-v6',
      rationale: 'Ingress from ::/0 to SSH, RDP or database ports.',
    },
  ],
};
