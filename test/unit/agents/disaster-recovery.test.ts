import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import agent from '../../../shared/agents/disaster-recovery/index.js';
import { DR_RULES } from '../../../shared/agents/disaster-recovery/rules.js';
import type { DrOutput } from '../../../shared/agents/disaster-recovery/schema.js';
import { frequencyMinutes, scheduleMinutes } from '../../../shared/agents/disaster-recovery/systems.js';
import { runAgent } from '../../../shared/agents/registry.js';
import { synthesizeApp } from '../../infra/synth.js';

const ROOT = 'test/fixtures/dr';
const context = { traceId: 'trace-dr', now: new Date('2025-03-14T09:30:00Z') };

function file(name: string) {
  return { path: `${ROOT}/${name}`, content: readFileSync(`${ROOT}/${name}`, 'utf8') };
}

/** The line of the first line holding `snippet` at or after the line holding `after`. */
function line(name: string, snippet: string, after?: string): number {
  const lines = readFileSync(`${ROOT}/${name}`, 'utf8').split('\n');
  const start = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  const index = lines.findIndex((l, i) => i >= start && l.includes(snippet));
  if (index < 0) throw new Error(`"${snippet}" is not in ${name}`);
  return index + 1;
}

async function analyze(input: unknown): Promise<DrOutput> {
  return (await runAgent('disaster-recovery', input, context)) as DrOutput;
}

type Row = [string, string | undefined, number | undefined, string];
const rowsOf = (result: DrOutput, name: string): Row[] =>
  result.findings
    .filter((f) => f.resource?.file === `${ROOT}/${name}`)
    .map((f): Row => [f.ruleId, f.resource?.name, f.resource?.line, f.severity])
    .sort((a, b) => a[0].localeCompare(b[0]) || String(a[1]).localeCompare(String(b[1])));

describe('disaster-recovery', () => {
  it('finds the gaps of a systems inventory, relative to the run time, with lines', async () => {
    // Act
    const result = await analyze({ files: [file('inventory.json')] });

    // Assess
    const f = 'inventory.json';
    expect(rowsOf(result, f)).toEqual([
      ['DR001', 'orders-db', line(f, '"last"', 'orders-db'), 'high'],
      ['DR002', 'orders-db', line(f, '"tested"', 'orders-db'), 'high'],
      ['DR003', 'orders-db', line(f, '"backups"', 'orders-db'), 'high'],
      ['DR004', 'orders-db', line(f, '"frequency"', 'orders-db'), 'high'],
      ['DR005', 'orders-db', line(f, '"multiAz"', 'orders-db'), 'high'],
      ['DR006', 'orders-db', line(f, '"deletionProtection"', 'orders-db'), 'high'],
      ['DR007', 'media', line(f, '"versioning"', 'media'), 'medium'],
      ['DR009', 'reports-db', line(f, '"backups"', 'reports-db'), 'high'],
      ['DR011', 'orders-db', line(f, '"rtoMinutes"', 'orders-db'), 'high'],
    ]);
    const systems = Object.fromEntries(result.systems.map((s) => [s.name, s]));
    // payments-db: PITR (5 min), restore 30 + 20 GB × 0.6 = 42 min, cross-region replica promoted in 15.
    expect(systems['payments-db']).toMatchObject({
      achievable: { rtoMinutes: 42, rpoMinutes: 5 },
      meetsRto: true,
      meetsRpo: true,
      score: 100,
    });
    expect(systems['payments-db']?.byScenario['region-outage']).toEqual({ rtoMinutes: 15, rpoMinutes: 1 });
    // orders-db: no copy outside its region, so tier 1's region-outage scenario is unbounded.
    expect(systems['orders-db']).toMatchObject({
      achievable: { rtoMinutes: null, rpoMinutes: null },
      meetsRto: false,
    });
    expect(systems.sessions).toMatchObject({ tier: 3, meetsRto: true, meetsRpo: true, findings: 0 });
    expect(systems.checkout).toMatchObject({ achievable: { rtoMinutes: 30, rpoMinutes: 0 }, findings: 0 });
  });

  it('a stale backup is judged against the context clock, not the wall clock', async () => {
    // Prepare
    const systems = [
      {
        name: 'db',
        type: 'rds',
        multiAz: true,
        deletionProtection: true,
        backups: { last: '2025-03-12T10:00:00Z', frequency: 'hourly', tested: true },
      },
    ];

    // Act
    const fresh = await runAgent(
      'disaster-recovery',
      { systems },
      { traceId: 't', now: new Date('2025-03-14T09:00:00Z') },
    );
    const stale = await runAgent(
      'disaster-recovery',
      { systems },
      { traceId: 't', now: new Date('2025-03-14T11:00:00Z') },
    );

    // Assess
    expect(fresh.findings.map((f) => f.ruleId)).toEqual([]);
    expect(stale.findings.map((f) => f.ruleId)).toEqual(['DR001']);
  });

  it('reads a CloudFormation template with short-form intrinsics: gaps at their lines, Metadata suppressions', async () => {
    // Act
    const result = await analyze({ files: [file('template.yaml')] });

    // Assess
    const f = 'template.yaml';
    expect(rowsOf(result, f)).toEqual(
      [
        ['DR005', 'OrdersDb', line(f, 'MultiAZ: false'), 'medium'],
        ['DR005', 'SharedFs', line(f, 'AvailabilityZoneName'), 'medium'],
        ['DR006', 'SessionsTable', line(f, 'Properties:', 'SessionsTable'), 'medium'],
        ['DR007', 'LogsBucket', line(f, 'LogsBucket:'), 'medium'],
        ['DR007', 'UploadsBucket', line(f, 'Properties:', 'UploadsBucket'), 'medium'],
        ['DR008', 'SessionsTable', line(f, 'Properties:', 'SessionsTable'), 'high'],
        ['DR010', 'OrdersDb', line(f, 'OrdersDb:'), 'low'],
        ['DR012', 'OrdersDb', line(f, 'BackupRetentionPeriod'), 'medium'],
        ['DR004', 'SharedFs', line(f, 'Properties:', 'SharedFs'), 'high'],
      ].sort(
        (a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1])),
      ) as Row[],
    );
    const logs = result.findings.find((x) => x.resource?.name === 'LogsBucket');
    expect(logs).toMatchObject({ suppressed: true, suppressionSource: 'cloudformation' });
    expect(result.findings.filter((x) => x.resource?.name === 'GoodTable')).toEqual([]);
    expect(result.systems.find((s) => s.name === 'GoodTable')).toMatchObject({
      achievable: { rtoMinutes: 90, rpoMinutes: 5 },
    });
  });

  it('builds ordered runbooks per scenario from the inventory, dependencies first', async () => {
    // Act
    const result = await analyze({ files: [file('inventory.json')] });

    // Assess
    const byId = Object.fromEntries(result.scenarios.map((s) => [s.id, s]));
    expect(Object.keys(byId).sort()).toEqual(['database-failure', 'ransomware', 'region-outage']);
    const region = byId['region-outage'];
    const order = region?.steps.map((s) => s.system).filter((s) => s !== undefined) ?? [];
    expect(order.indexOf('orders-db')).toBeLessThan(order.indexOf('checkout'));
    expect(order.indexOf('payments-db')).toBeLessThan(order.indexOf('checkout'));
    expect(region?.steps.map((s) => s.order)).toEqual(region?.steps.map((_, i) => i + 1));
    expect(region?.steps.find((s) => s.system === 'payments-db')?.action).toMatch(
      /Promote the cross-region replica/,
    );
    expect(region?.gaps).toContain('orders-db: no recovery path in this scenario');
    expect(region?.estimatedRtoMinutes).toBeNull();
    const failure = byId['database-failure'];
    expect(failure?.steps.find((s) => s.system === 'payments-db')?.action).toMatch(/failed over/);
    expect(failure?.steps.find((s) => s.system === 'orders-db')?.action).toMatch(/latest backup/);
    const ransomware = byId.ransomware;
    expect(ransomware?.steps[0]?.action).toMatch(/^Isolate/);
    expect(ransomware?.steps.find((s) => s.system === 'media')?.action).toMatch(/no versioning/);
  });

  it('grades a well-prepared estate A and a neglected one low', async () => {
    // Prepare
    const good = [
      {
        name: 'core-db',
        type: 'aurora',
        tier: 1,
        rtoMinutes: 60,
        rpoMinutes: 15,
        backups: {
          last: '2025-03-14T06:00:00Z',
          pitr: true,
          tested: '2025-03-01',
          crossRegionCopy: true,
          retentionDays: 35,
        },
        replication: { type: 'async', crossRegion: true, lagSeconds: 1 },
        multiAz: true,
        deletionProtection: true,
        dataSizeGb: 50,
      },
      { name: 'assets', type: 's3', tier: 2, versioning: true, replication: { crossRegion: true } },
    ];
    // A copy in another region alone takes a restore plus a stack in the recovery region: 60 + 60 min.
    const copyOnly = [{ ...good[0], replication: false }];
    const bad = [{ name: 'legacy-db', type: 'mysql', tier: 1, multiAz: false, deletionProtection: false }];

    // Act
    const a = await analyze({ systems: good });
    const f = await analyze({ systems: bad });
    const copied = await analyze({ systems: copyOnly });

    // Assess: restore 30 + 50 × 0.6 = 60 min; the replica covers a region outage in 15.
    expect(a.systems[0]?.achievable).toEqual({ rtoMinutes: 60, rpoMinutes: 5 });
    expect(a.findings).toEqual([]);
    expect(a.grade).toBe('A');
    expect(copied.findings.map((x) => x.ruleId)).toEqual(['DR011']);
    expect(f.grade).toBe('F');
    expect(f.findings.map((x) => [x.ruleId, x.severity])).toEqual(
      expect.arrayContaining([
        ['DR008', 'critical'],
        ['DR003', 'high'],
        ['DR005', 'high'],
        ['DR006', 'high'],
      ]),
    );
  });

  it('understands backup frequencies and schedule expressions', () => {
    expect([
      frequencyMinutes(4),
      frequencyMinutes('daily'),
      frequencyMinutes('PT15M'),
      frequencyMinutes('P1D'),
      frequencyMinutes('12h'),
      frequencyMinutes('soon'),
    ]).toEqual([240, 1440, 15, 1440, 720, undefined]);
    expect([
      scheduleMinutes('cron(0 5 * * ? *)'),
      scheduleMinutes('cron(0 * * * ? *)'),
      scheduleMinutes('cron(0 */4 * * ? *)'),
      scheduleMinutes('cron(0 5 ? * SUN *)'),
      scheduleMinutes('rate(12 hours)'),
    ]).toEqual([1440, 60, 240, 10080, 720]);
  });

  it("runs on the project's own synthesized CloudFormation and gives sensible output", async () => {
    // Prepare
    const { templates } = synthesizeApp();
    const files = Object.entries(templates).map(([name, template]) => ({
      path: `cdk.out/${name}.template.json`,
      content: JSON.stringify(template.toJSON(), null, 1),
    }));

    // Act
    const result = await analyze({ files });

    // Assess: the data stack's stores are assessed, every finding points at a line of its template.
    expect(result.systems.length).toBeGreaterThan(0);
    expect(result.systems.some((s) => s.type === 'AWS::RDS::DBCluster')).toBe(true);
    for (const finding of result.findings) {
      expect(finding.resource?.file).toMatch(/^cdk\.out\//);
      expect(finding.resource?.line).toBeGreaterThan(0);
    }
    expect(result.findings.some((x) => x.ruleId === 'DR000')).toBe(false);
    expect(result.scenarios).toHaveLength(3);
    expect(['A', 'B', 'C', 'D', 'F']).toContain(result.grade);
    process.stderr.write(
      `disaster-recovery on this project's CDK app: ${result.summary}\n${result.findings.map((x) => `  ${x.ruleId} ${x.severity} ${x.resource?.name}: ${x.message}`).join('\n')}\n`,
    );
    expect(agent.accepts?.('cdk.out/AiopsData.template.json')).toBe(true);
  }, 120_000);

  it('reads AWS Backup plans, Aurora clusters with readers, global tables, volumes and YAML inventories', async () => {
    // Prepare
    const template = JSON.stringify(
      {
        Resources: {
          Cluster: {
            Type: 'AWS::RDS::DBCluster',
            Properties: { DeletionProtection: true, BackupRetentionPeriod: 14, GlobalClusterIdentifier: 'g' },
            UpdateReplacePolicy: 'Snapshot',
          },
          Writer: { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'Cluster' } } },
          Reader: { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'Cluster' } } },
          Global: {
            Type: 'AWS::DynamoDB::GlobalTable',
            DeletionPolicy: 'Retain',
            UpdateReplacePolicy: 'Retain',
            Properties: {
              Replicas: [
                {
                  Region: 'us-east-1',
                  DeletionProtectionEnabled: true,
                  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
                },
                { Region: 'eu-west-1', DeletionProtectionEnabled: true },
              ],
            },
          },
          Data: {
            Type: 'AWS::EC2::Volume',
            DeletionPolicy: 'Snapshot',
            UpdateReplacePolicy: 'Snapshot',
            Properties: { Size: 100 },
          },
          Plan: {
            Type: 'AWS::Backup::BackupPlan',
            Properties: {
              BackupPlan: {
                BackupPlanRule: [
                  {
                    ScheduleExpression: 'cron(0 * * * ? *)',
                    Lifecycle: { DeleteAfterDays: 3 },
                    CopyActions: [{ DestinationBackupVaultArn: 'arn' }],
                  },
                ],
              },
            },
          },
          Selection: {
            Type: 'AWS::Backup::BackupSelection',
            Properties: {
              BackupPlanId: { Ref: 'Plan' },
              BackupSelection: { Resources: [{ 'Fn::Sub': `arn:aws:ec2:x:y:volume/\${Data}` }] },
            },
          },
        },
      },
      null,
      2,
    );
    const inventory =
      'systems:\n  - name: cache\n    type: redis\n    tier: critical\n    multiAz: true\n    deletionProtection: true\n    backups:\n      frequency: 1d\n      tested: true\n      crossRegionCopy: true\n  - name: broken\n    tier: 9\n';

    // Act
    const result = await analyze({
      files: [
        { path: 't.json', content: template },
        { path: 'systems.yaml', content: inventory },
        { path: 'x.txt', content: '' },
      ],
    });

    // Assess
    const systems = Object.fromEntries(result.systems.map((s) => [s.name, s]));
    expect(Object.keys(systems).sort()).toEqual(['Cluster', 'Data', 'Global', 'cache']);
    expect(systems.Cluster?.byScenario['database-failure']).toEqual({ rtoMinutes: 1, rpoMinutes: 0 });
    expect(systems.Data?.byScenario.ransomware).toEqual({ rtoMinutes: 90, rpoMinutes: 60 });
    expect(systems.cache).toMatchObject({ tier: 1 });
    expect(result.findings.map((f) => [f.ruleId, f.resource?.name]).sort()).toEqual([
      ['DR000', 'systems.yaml'],
      ['DR004', 'cache'],
      ['DR011', 'cache'],
      ['DR012', 'Data'],
    ]);
  });

  it('is documented in the README: a table row and every rule', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('| `disaster-recovery` |');
    expect(readme).toContain('### disaster-recovery');
    for (const { id } of DR_RULES.rules) expect(readme).toMatch(new RegExp(`\\| ${id} \\|`));
  });
});
