/** The CLI as a user runs it: a real process, real exit codes, stdout for results only. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { migrations } from '../../shared/db/migrator.js';
import { aiops } from '../helpers/cli.js';

// Several commands run one after another in real processes: a loaded machine takes its time.
jest.setTimeout(120_000);

describe('aiops CLI', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'aiops-cli-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each([
    [{ DATABASE_URL: 'not-a-url' }, 'DATABASE_URL'],
    [
      {
        AURORA_CLUSTER_ARN: 'arn:aws:rds:eu-west-1:1:cluster:x',
        AURORA_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:s',
      },
      'AURORA_CLUSTER_ARN',
    ],
  ])(
    'refuses to start with %j: one clear message naming %s, exit 2, no stack trace',
    async (env, variable) => {
      // Act
      const result = await aiops(['serve'], env);

      // Assess
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^aiops: Invalid configuration:\n/);
      expect(result.stderr).toContain(`- ${variable}: `);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    },
  );

  it('migrates the embedded database up, reports status as JSON, and down again', async () => {
    // Prepare
    const env = { AIOPS_DATA_DIR: dataDir };

    // Act
    const up = await aiops(['migrate', 'up', '--format', 'json'], env);
    const status = await aiops(['migrate', 'status', '--format', 'json'], env);
    const down = await aiops(['migrate', 'down'], env);

    // Assess
    const names = Object.keys(migrations);
    const last = names.at(-1) ?? '';
    expect(up.code).toBe(0);
    expect(JSON.parse(up.stdout)).toEqual(
      names.map((name) => ({ name, direction: 'Up', status: 'Success' })),
    );
    expect(up.stderr).toContain(`embedded PostgreSQL in ${dataDir}/data`);
    expect(JSON.parse(status.stdout)).toEqual(names.map((name) => ({ name, appliedAt: expect.any(String) })));
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(new RegExp(`${last}\\s+down\\s+Success`));
  });

  it.each([
    [['migrate', 'up', '--format', 'xml'], /argument 'xml' is invalid/],
    [['migrate', 'down', '--to', 'nope'], /Unknown migration "nope"/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('treats %j as a usage error (exit 2)', async (args, message) => {
    // Act
    const result = await aiops(args, { AIOPS_DATA_DIR: dataDir });

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  describe('analyze', () => {
    let baseline: string;
    let target: string;
    let input: string;

    beforeAll(async () => {
      baseline = join(dataDir, 'values.yaml');
      target = join(dataDir, 'values-prod.json');
      input = join(dataDir, 'input.json');
      await writeFile(baseline, 'replicas: 3\ndatabase:\n  password: hunter2-old\n  pool: 10\n');
      await writeFile(
        target,
        JSON.stringify({ replicas: 12, database: { password: 'hunter2-new', pool: 10 }, debug: true }),
      );
      await writeFile(input, JSON.stringify({ baseline: { a: 1 }, target: { a: 1 } }));
    });

    it('reads two config files and prints the findings as JSON, secrets redacted', async () => {
      // Act
      const result = await aiops(['analyze', 'config-drift-detector', baseline, target, '--format', 'json']);

      // Assess
      expect(result.code).toBe(0);
      const parsed = JSON.parse(result.stdout) as {
        findings: { ruleId: string; resource: { name: string } }[];
      };
      expect(parsed.findings.map((f) => [f.ruleId, f.resource.name])).toEqual([
        ['DRIFT003', 'database.password'],
        ['DRIFT005', 'replicas'],
        ['DRIFT002', 'debug'],
      ]);
      expect(result.stdout).not.toContain('hunter2');
    });

    it('exits 1 with --fail-on when a finding reaches the threshold, 0 when none does', async () => {
      const failing = await aiops([
        'analyze',
        'config-drift-detector',
        baseline,
        target,
        '--fail-on',
        'critical',
      ]);
      const clean = await aiops([
        'analyze',
        'config-drift-detector',
        '--input',
        input,
        '--fail-on',
        'info',
        '--format',
        'markdown',
      ]);
      expect(failing.code).toBe(1);
      expect(failing.stdout).toMatch(/critical\s+DRIFT003\s+database\.password/);
      expect(clean.code).toBe(0);
      expect(clean.stdout).toContain('No findings.');
    });

    it('runs log-analyzer on a log file and fails the gate on its high findings', async () => {
      const result = await aiops([
        'analyze',
        'log-analyzer',
        'test/fixtures/logs/shop-incident.log',
        '--fail-on',
        'high',
      ]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/high\s+LOG005\s+c\.e\.shop\.PaymentClient\/Connection to <\*> refused/);
    });

    it('runs anomaly-detector on a metric CSV, and metrics detect scores every row', async () => {
      const analyzed = await aiops([
        'analyze',
        'anomaly-detector',
        'test/fixtures/metrics/api-cpu.csv',
        '--format',
        'json',
      ]);
      const scored = await aiops(['metrics', 'detect', '--input', 'test/fixtures/metrics/api-cpu.csv']);
      expect(analyzed.code).toBe(0);
      expect(JSON.parse(analyzed.stdout).anomalies.map((a: { time: string }) => a.time)).toContain(
        '2025-12-03T01:40:00.000Z',
      );
      const rows = scored.stdout.trim().split('\n');
      expect(rows[0]).toBe('timestamp,value,anomaly_score');
      expect(rows).toHaveLength(925);
    });

    it('logs templates writes LineId,EventId,EventTemplate for every line', async () => {
      const out = join(dataDir, 'templates.csv');
      const result = await aiops([
        'logs',
        'templates',
        '--log-format',
        '<Date> <Time> <Pid> <Level> <Component>: <Content>',
        '--input',
        'test/fixtures/logs/hdfs.log',
        '--output',
        out,
      ]);
      const rows = (await readFile(out, 'utf8')).trim().split('\n');
      expect(result.code).toBe(0);
      expect(rows[0]).toBe('LineId,EventId,EventTemplate');
      expect(rows).toHaveLength(14);
      expect(rows[1]).toMatch(/^1,[0-9a-f]{8},PacketResponder <\*> for block <\*> terminating$/);
    });

    it.each([
      [['analyze', 'config-drift-detector'], /Give the files/],
      [['analyze', 'no-such-agent', 'x'], /Unknown agent/],
      [['analyze', 'config-drift-detector', '/no/such/file', '/no/such/other'], /No such file/],
    ])('treats %j as a usage error', async (args, message) => {
      const result = await aiops(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    });
  });

  it('prints help with exit 0', async () => {
    const result = await aiops(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('migrate');
  });

  it("prints the package's version with --version, and the runtime with `version`", async () => {
    const { version } = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    const short = await aiops(['--version']);
    const long = await aiops(['version']);
    expect(short).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(long.code).toBe(0);
    expect(long.stdout).toBe(
      `aiops ${version} (Node.js ${process.version}, ${process.platform}-${process.arch})\n`,
    );
  });
});
