/**
 * What each disaster-recovery rule is shown on (test/rules runs them, the
 * rules reference prints them): a small inventory or template with the gap,
 * and the same system without it. The samples run at 2026-06-01T12:00Z.
 */
import type { RuleSamples } from '../scan/catalog.js';

/** A tier-2 database that meets its targets: Multi-AZ, point-in-time recovery, tested, protected. */
const HEALTHY = {
  name: 'orders-db',
  type: 'rds',
  tier: 2,
  multiAz: true,
  deletionProtection: true,
  backups: {
    last: '2026-06-01T06:00:00Z',
    pitr: true,
    tested: true,
    crossRegionCopy: true,
    retentionDays: 14,
  },
};

type System = typeof HEALTHY | Record<string, unknown>;

function systems(...list: System[]) {
  return { input: { systems: list } };
}

function withBackups(backups: Record<string, unknown>, rest: Record<string, unknown> = {}): System {
  return { ...HEALTHY, ...rest, backups: { ...HEALTHY.backups, ...backups } };
}

const template = (policies: string) => ({
  path: 'template.yaml',
  content: [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  Orders:',
    '    Type: AWS::RDS::DBInstance',
    policies,
    '    Properties:',
    '      Engine: postgres',
    '      MultiAZ: true',
    '      DeletionProtection: true',
    '      BackupRetentionPeriod: 14',
    '',
  ].join('\n'),
});

export const SAMPLES = {
  DR000: {
    bad: [{ path: 'systems.yaml', content: 'systems:\n  - name: [orders\n' }],
    good: [{ path: 'systems.yaml', content: `systems:\n  - ${JSON.stringify(HEALTHY)}\n` }],
  },
  DR001: {
    bad: [systems(withBackups({ last: '2026-05-20T00:00:00Z' }))],
    good: [systems(HEALTHY)],
  },
  DR002: {
    bad: [systems(withBackups({ tested: false }))],
    good: [systems(HEALTHY)],
  },
  DR003: {
    bad: [systems(withBackups({ crossRegionCopy: false }, { tier: 1 }))],
    good: [systems(withBackups({}, { tier: 1 }))],
  },
  DR004: {
    bad: [systems(withBackups({ pitr: false, frequency: 'daily' }))],
    good: [systems(withBackups({ pitr: false, frequency: '30m' }))],
  },
  DR005: {
    bad: [systems({ ...HEALTHY, multiAz: false })],
    good: [systems(HEALTHY)],
  },
  DR006: {
    bad: [systems({ ...HEALTHY, deletionProtection: false })],
    good: [systems(HEALTHY)],
  },
  DR007: {
    bad: [systems({ name: 'invoices', type: 's3', versioning: false })],
    good: [systems({ name: 'invoices', type: 's3', versioning: true })],
  },
  DR008: {
    bad: [systems({ name: 'orders-db', type: 'rds', multiAz: true, deletionProtection: true })],
    good: [systems(HEALTHY)],
  },
  DR009: {
    bad: [systems(withBackups({ empty: true }))],
    good: [systems(HEALTHY)],
  },
  DR010: {
    bad: [{ ...template('    DeletionPolicy: Snapshot'), why: 'UpdateReplacePolicy defaults to Delete' }],
    good: [template('    DeletionPolicy: Snapshot\n    UpdateReplacePolicy: Snapshot')],
  },
  DR011: {
    bad: [systems({ ...HEALTHY, rtoMinutes: 10 })],
    good: [systems({ ...HEALTHY, rtoMinutes: 120 })],
  },
  DR012: {
    bad: [systems(withBackups({ retentionDays: 3 }))],
    good: [systems(HEALTHY)],
  },
  DR013: {
    bad: [
      {
        path: 'warehouse.yaml',
        content: [
          'AWSTemplateFormatVersion: "2010-09-09"',
          'Resources:',
          '  Warehouse:',
          '    Type: AWS::Redshift::Cluster',
          '    Properties:',
          '      ClusterType: multi-node',
          '      NodeType: ra3.xlplus',
          '      NumberOfNodes: 2',
          '',
        ].join('\n'),
        line: 3,
      },
    ],
    good: [template('    DeletionPolicy: Snapshot\n    UpdateReplacePolicy: Snapshot')],
  },
} satisfies Record<string, RuleSamples>;
