/**
 * disaster-recovery on CloudFormation templates shaped like public samples:
 * read replicas, Aurora, buckets, Neptune and ElastiCache, stores it does not
 * model, DeletionPolicy Snapshot and intrinsics nested in Fn::Sub.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { DrOutput } from '../../../shared/agents/disaster-recovery/schema.js';
import { unmodelledStateful } from '../../../shared/agents/disaster-recovery/systems.js';
import { runAgent } from '../../../shared/agents/registry.js';

const ROOT = 'test/fixtures/dr';
const context = { traceId: 'trace-dr-templates', now: new Date('2025-03-14T09:30:00Z') };

async function analyze(name: string): Promise<DrOutput> {
  const file = { path: `${ROOT}/${name}`, content: readFileSync(`${ROOT}/${name}`, 'utf8') };
  return (await runAgent('disaster-recovery', { files: [file] }, context)) as DrOutput;
}

const ruleIds = (result: DrOutput, name?: string) =>
  result.findings
    .filter((f) => name === undefined || f.resource?.name === name)
    .map((f) => f.ruleId)
    .sort();
const stepsOf = (result: DrOutput, id: string) =>
  result.scenarios.find((s) => s.id === id)?.steps.map((s) => s.action) ?? [];

describe('disaster-recovery on CloudFormation templates', () => {
  it('a read replica in the template is promoted when its single-AZ primary fails', async () => {
    // Act
    const result = await analyze('read-replica.yaml');

    // Assess
    const primary = result.systems.find((s) => s.name === 'CatalogDb');
    expect(result.systems.map((s) => s.name)).toEqual(['CatalogDb']);
    expect(primary?.byScenario['database-failure']).toEqual({ rtoMinutes: 10, rpoMinutes: 1 });
    expect(ruleIds(result)).not.toContain('DR005');
    const steps = stepsOf(result, 'database-failure').join('\n');
    expect(steps).toMatch(/Promote the read replica CatalogDbReplica of CatalogDb/);
    expect(steps).not.toMatch(/Restore CatalogDb/);
  });

  it('Aurora fails over to a reader in about 30 s; without one it waits for a new instance, never a restore', async () => {
    // Act
    const result = await analyze('aurora.yaml');

    // Assess
    const byName = Object.fromEntries(result.systems.map((s) => [s.name, s]));
    expect(byName.LedgerCluster?.byScenario['database-failure']).toEqual({ rtoMinutes: 1, rpoMinutes: 0 });
    expect(byName.NotesCluster?.byScenario['database-failure']).toEqual({ rtoMinutes: 10, rpoMinutes: 0 });
    expect(ruleIds(result, 'LedgerCluster')).toEqual([]);
    const single = result.findings.find((f) => f.resource?.name === 'NotesCluster' && f.ruleId === 'DR005');
    expect(single?.message).toMatch(/storage spans three Availability Zones/);
    expect(single?.message).not.toMatch(/restore/);
    expect(stepsOf(result, 'database-failure').join('\n')).toMatch(/promoted a reader of LedgerCluster/);
    // Corruption still needs a point-in-time restore; a region loss needs a global database or copies.
    expect(byName.LedgerCluster?.byScenario.ransomware).toEqual({ rtoMinutes: 90, rpoMinutes: 5 });
  });

  it('DR006 on a bucket names what can lose its objects, not a one-call delete', async () => {
    // Act
    const result = await analyze('buckets.yaml');

    // Assess
    const exports = result.findings.find((f) => f.resource?.name === 'ExportsBucket' && f.ruleId === 'DR006');
    expect(exports?.message).toMatch(/non-empty bucket cannot be deleted in one call/);
    expect(exports?.message).toMatch(/lifecycle rule expires objects after 30 days/);
    expect(exports?.message).toMatch(/no versioning/);
    expect(exports?.message).toMatch(/no Object Lock/);
    expect(exports?.message).not.toMatch(/can be deleted by one call/);
    expect(ruleIds(result, 'AuditArchive')).toEqual([]);
  });

  it('models Neptune and ElastiCache: a template of only those is not graded A', async () => {
    // Act
    const result = await analyze('graph-and-cache.yaml');

    // Assess
    expect(result.systems.map((s) => s.name).sort()).toEqual(['GraphCluster', 'SessionCache']);
    expect(result.grade).not.toBe('A');
    expect(ruleIds(result, 'SessionCache')).toEqual(['DR005', 'DR006', 'DR008']);
    expect(ruleIds(result, 'GraphCluster')).toEqual(['DR005', 'DR006', 'DR012']);
    expect(result.systems.find((s) => s.name === 'GraphCluster')?.byScenario['database-failure']).toEqual({
      rtoMinutes: 10,
      rpoMinutes: 0,
    });
  });

  it('a data store of a type it does not model lowers confidence and can never earn an A', async () => {
    // Act
    const result = await analyze('warehouse.yaml');

    // Assess
    expect(result.findings.map((f) => [f.ruleId, f.resource?.name, f.resource?.line])).toEqual([
      ['DR013', 'Warehouse', 4],
    ]);
    expect(result.grade).not.toBe('A');
    expect(result.score).toBeLessThan(90);
    expect(result.confidence).not.toBe('high');
    expect(result.summary).toMatch(/AWS::Redshift::Cluster/);
  });

  it('DR010 says a Snapshot policy snapshots and deletes, and reads FindInMap nested in Sub', async () => {
    // Act
    const result = await analyze('findinmap-sub.yaml');

    // Assess
    expect(ruleIds(result)).not.toContain('DR000');
    expect(ruleIds(result)).not.toContain('DR008');
    const replace = result.findings.find((f) => f.ruleId === 'DR010');
    expect(replace?.message).toMatch(/final snapshot/);
    expect(replace?.message).not.toMatch(/retained/);
  });
});

describe('disaster-recovery on tier-1 Aurora', () => {
  it('a region loss needs a global database or cross-region backup copies', async () => {
    // Prepare
    const content = readFileSync(`${ROOT}/aurora.yaml`, 'utf8');

    // Act
    const result = (await runAgent(
      'disaster-recovery',
      { files: [{ path: 'aurora.yaml', content }], defaults: { tier: 1 } },
      context,
    )) as DrOutput;

    // Assess
    const region = result.findings.find((f) => f.ruleId === 'DR003' && f.resource?.name === 'LedgerCluster');
    expect(region?.message).toMatch(/global database or copy its backups to another region/);
    expect(result.systems.find((s) => s.name === 'LedgerCluster')?.byScenario['region-outage']).toEqual({
      rtoMinutes: null,
      rpoMinutes: null,
    });
  });
});

describe('unmodelledStateful', () => {
  it('counts data stores it does not model, not network or catalog resources named like them', () => {
    const stateful = ['AWS::Redshift::Cluster', 'AWS::FSx::FileSystem', 'AWS::OpenSearchService::Domain'];
    const plumbing = [
      'AWS::EC2::RouteTable',
      'AWS::EC2::TransitGatewayRouteTable',
      'AWS::Glue::Table',
      'AWS::RDS::DBSubnetGroup',
    ];
    expect(stateful.map(unmodelledStateful)).toEqual([true, true, true]);
    expect(plumbing.map(unmodelledStateful)).toEqual([false, false, false, false]);
  });
});
