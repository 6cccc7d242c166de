import type { AgentMetadata } from '../contract.js';

export const metadata: AgentMetadata = {
  name: 'disaster-recovery',
  version: '1.0.0',
  description:
    'Assesses disaster-recovery readiness from a systems inventory (tiers, RTO / RPO targets, backups, ' +
    'replication, Multi-AZ, deletion protection) or CloudFormation templates (RDS / Aurora, DynamoDB, S3, EFS, ' +
    'EBS, AWS Backup plans): achievable RTO / RPO per system against its targets, gaps with file and line ' +
    '(stale, untested or missing backups, no cross-region copy, single-AZ, deletable stores, unversioned ' +
    'buckets), runbooks for database failure, region outage and ransomware, and a readiness grade.',
  lane: 'agents',
  resources: { memoryMb: 512, timeoutSec: 60 },
};
