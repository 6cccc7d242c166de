/**
 * `aiops analyze` on folders, in SARIF, with suppressions: a real process run
 * from a project folder, as CI runs it.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type * as Sarif from 'sarif';
import { aiops as runCli } from '../helpers/cli.js';
import { sarifSchemaErrors } from '../helpers/sarif.js';

const root = new URL('../..', import.meta.url).pathname;
const INCIDENT_LOG = join(root, 'test/fixtures/logs/shop-incident.log');

/** Runs the CLI with `cwd` as the current directory (the repository being scanned). */
async function put(dir: string, path: string, content: string | Buffer): Promise<void> {
  await mkdir(join(dir, path, '..'), { recursive: true });
  await writeFile(join(dir, path), content);
}

function aiops(cwd: string, args: string[]) {
  return runCli(args, {}, { cwd });
}

describe('aiops analyze on folders and in SARIF', () => {
  let repo: string;

  beforeAll(async () => {
    // Prepare: a repository with logs in nested folders and everything a walk must skip.
    repo = await mkdtemp(join(tmpdir(), 'aiops-analyze-'));
    await mkdir(join(repo, 'services/shop/logs'), { recursive: true });
    await copyFile(INCIDENT_LOG, join(repo, 'services/shop/logs/incident.log'));
    await put(
      repo,
      'services/shop/logs/extra.log',
      '2026-11-25 10:05:00,000 INFO  [main] c.e.shop.App: started\n',
    );
    for (const skipped of ['.git/logs/HEAD.log', 'node_modules/pkg/debug.log', 'services/.cache/old.log']) {
      await put(repo, skipped, '2026-11-25 09:00:00,000 ERROR [main] c.e.Skipped: must not be read\n');
    }
    await put(repo, 'services/shop/logs/core.dump', Buffer.from([0x45, 0x52, 0x00, 0x01, 0x0a]));
    await put(
      repo,
      'services/shop/logs/huge.log',
      `${'2026-11-25 09:00:00,000 ERROR [main] c.e.Huge: x\n'.repeat(25_000)}`,
    );
    await put(repo, 'config/base.yaml', 'replicas: 3\ndatabase:\n  pool: 10\n');
    await put(repo, 'config/prod.yaml', 'replicas: 3\ndatabase:\n  pool: 40\n');
    await put(repo, 'config/.aiopsignore', 'DRIFT005 *.yaml pool sized per environment\n');
    await put(repo, 'drift-input.json', JSON.stringify({ baseline: { tls: true }, target: { tls: false } }));
    await put(repo, 'empty/.keep/bin.dat', 'x');
  });

  afterAll(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('walks a folder recursively, skipping .git, node_modules, dot-folders, binary and files over 1 MiB', async () => {
    // Act
    const result = await aiops(repo, ['analyze', 'log-analyzer', 'services', '--format', 'json']);

    // Assess
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { summary: string; findings: { message: string }[] };
    // 15 lines of the incident log (extra.log comes first by name) + 1 of extra.log; nothing else.
    expect(parsed.summary).toMatch(/^16 lines,/);
    expect(result.stdout).not.toContain('must not be read');
    expect(result.stdout).not.toContain('c.e.Huge');
  });

  it('writes SARIF that validates against the SARIF 2.1.0 schema, with paths relative to the current directory', async () => {
    // Act
    const result = await aiops(join(repo, 'services'), [
      'analyze',
      'log-analyzer',
      'shop',
      '--format',
      'sarif',
      '--fail-on',
      'high',
    ]);

    // Assess: the gate still fails on high findings, and stdout is the SARIF log alone.
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    const [sarifRun] = log.runs;
    expect(sarifRun?.tool.driver.name).toBe('aiops-log-analyzer');
    const results = sarifRun?.results ?? [];
    expect(results.map((r) => r.ruleId)).toContain('LOG005');
    for (const r of results) {
      expect(sarifRun?.tool.driver.rules?.[r.ruleIndex ?? -1]?.id).toBe(r.ruleId);
      // log-analyzer findings name the file and line their template was first seen at.
      expect(r.locations?.[0]?.physicalLocation).toEqual({
        artifactLocation: { uri: 'shop/logs/incident.log', uriBaseId: '%SRCROOT%' },
        region: { startLine: expect.any(Number) },
      });
    }
  });

  it('gates a migration history in CI: SARIF of the MIG findings at their lines, exit 1 on high, 0 once fixed', async () => {
    // Arrange: golang-migrate steps; the second adds a NOT NULL column without a default (high).
    await put(repo, 'db/migrations/000001_orders.up.sql', 'CREATE TABLE orders (id bigint PRIMARY KEY);\n');
    await put(repo, 'db/migrations/000001_orders.down.sql', 'DROP TABLE orders;\n');
    const risky = "SET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN region text NOT NULL;\n";
    await put(repo, 'db/migrations/000002_region.up.sql', risky);
    const args = ['analyze', 'db-query-analyzer', 'db/migrations', '--format', 'sarif', '--fail-on', 'high'];

    // Act
    const gated = await aiops(repo, args);
    await put(repo, 'db/migrations/000002_region.up.sql', risky.replace('NOT NULL', "NOT NULL DEFAULT 'eu'"));
    const fixed = await aiops(repo, args);

    // Assess
    expect(gated.code).toBe(1);
    const log = JSON.parse(gated.stdout) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    const located = (log.runs[0]?.results ?? []).map(
      (r) =>
        `${r.ruleId} ${r.level} ${r.locations?.[0]?.physicalLocation?.artifactLocation?.uri}:${r.locations?.[0]?.physicalLocation?.region?.startLine}`,
    );
    expect(located).toContain('MIG001 error db/migrations/000002_region.up.sql:2');
    expect(fixed.code).toBe(0);
  });

  it('anchors file-less findings of a --input run at the input file', async () => {
    // Act
    const result = await aiops(repo, [
      'analyze',
      'config-drift-detector',
      '--input',
      'drift-input.json',
      '--format',
      'sarif',
    ]);

    // Assess
    expect(result.code).toBe(0);
    const log = JSON.parse(result.stdout) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    const results = log.runs[0]?.results ?? [];
    expect(results.length).toBeGreaterThan(0);
    expect(results.map((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri)).toEqual(
      results.map(() => 'drift-input.json'),
    );
  });

  it('passes no .aiopsignore to an agent that does not filter files (config-drift-detector reads exactly two)', async () => {
    // Act
    const result = await aiops(repo, ['analyze', 'config-drift-detector', 'config', '--format', 'json']);

    // Assess
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      findings: { ruleId: string; resource: { name: string } }[];
    };
    expect(parsed.findings.map((f) => [f.ruleId, f.resource.name])).toEqual([['DRIFT005', 'database.pool']]);
  });

  it.each([
    [['analyze', 'log-analyzer', 'empty'], /empty holds no file that log-analyzer reads/],
    [['analyze', 'log-analyzer', 'services', '--format', 'xml'], /argument 'xml' is invalid/],
    [['analyze', 'log-analyzer', 'services', '--input', 'drift-input.json'], /either PATH… or --input/],
  ])('treats %j as a usage error', async (args, message) => {
    // Act
    const result = await aiops(repo, args);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('reads `-` as standard input: a log to analyse, or the JSON input', async () => {
    // Act
    const log = await runCli(
      ['analyze', 'log-analyzer', '-', '--format', 'json'],
      {},
      {
        cwd: repo,
        stdin: '2026-12-07T10:00:00Z ERROR payment failed: upstream 502\n',
      },
    );
    const input = await runCli(
      ['analyze', 'config-drift-detector', '--input', '-', '--format', 'json'],
      {},
      {
        cwd: repo,
        stdin: JSON.stringify({ baseline: { replicas: 2 }, target: { replicas: 3 } }),
      },
    );

    // Assess
    expect(log.code).toBe(0);
    const findings = (
      JSON.parse(log.stdout) as { findings: { ruleId: string; resource: { file: string; line: number } }[] }
    ).findings;
    expect(findings.map((f) => [f.ruleId, f.resource.file, f.resource.line])).toEqual([
      ['LOG001', 'stdin', 1],
    ]);
    expect(input.code).toBe(0);
    expect(JSON.parse(input.stdout)).toMatchObject({ findings: [{ ruleId: 'DRIFT003' }] });
  });

  it('refuses a named log over 10 MiB with its size, pointing to the command that streams it', async () => {
    // Prepare: 11 MiB of log lines
    const line = '2026-12-07T10:00:00Z ERROR payment failed: upstream 502 from psp.internal\n';
    await put(repo, 'huge.log', line.repeat(Math.ceil((11 * 1024 * 1024) / line.length)));

    // Act
    const result = await aiops(repo, ['analyze', 'log-analyzer', 'huge.log']);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /huge\.log is larger than 10485760 bytes \(11\.0 MiB\); `aiops logs templates --input FILE` reads a file of any size in one streaming pass/,
    );
  });

  it("reads an agent's file option as JSON into its input field, and refuses it for other agents", async () => {
    // Prepare
    await put(
      repo,
      'manifests/job.yaml',
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: migrate\n          image: shop/migrate:1.4.2\n',
    );
    await put(repo, 'usage.json', '[]');
    await put(repo, 'usage-wrong.json', '"not a list"');
    await put(repo, 'usage-broken.json', '[{');

    // Act
    const help = await aiops(repo, ['analyze', '--help']);
    const ok = await aiops(repo, [
      'analyze',
      'k8s-optimizer',
      'manifests',
      '--usage',
      'usage.json',
      '--format',
      'json',
    ]);
    const wrong = await aiops(repo, ['analyze', 'k8s-optimizer', 'manifests', '--usage', 'usage-wrong.json']);
    const broken = await aiops(repo, [
      'analyze',
      'k8s-optimizer',
      'manifests',
      '--usage',
      'usage-broken.json',
    ]);
    const other = await aiops(repo, ['analyze', 'log-analyzer', 'services', '--usage', 'usage.json']);

    // Assess
    expect(help.stdout).toMatch(/--usage <file\.json>\s+\S[\s\S]*\(k8s-optimizer\)/);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toHaveProperty('findings');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('input.usage:');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('usage-broken.json (--usage) is not valid JSON');
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('--usage is not an option of log-analyzer');
  });
});

describe('aiops analyze with suppressions (k8s-optimizer)', () => {
  let repo: string;

  const manifest = (allow: boolean) =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      '  namespace: shop',
      '  annotations:',
      '    aiops.dev/ignore: "K8S011 the demo environment runs one replica"',
      'spec:',
      '  replicas: 1',
      '  selector:',
      '    matchLabels: { app: web }',
      '  template:',
      '    metadata:',
      '      labels: { app: web }',
      '    spec:',
      '      containers:',
      '        - name: web',
      allow ? '          # aiops:allow K8S006 rewritten to a digest by the release pipeline' : '',
      '          image: nginx:latest',
    ].join('\n');

  beforeAll(async () => {
    repo = await mkdtemp(join(tmpdir(), 'aiops-suppress-'));
    await put(repo, 'k8s/web.yaml', manifest(true));
    await put(repo, 'unsuppressed/web.yaml', manifest(false));
    await put(repo, '.aiopsignore', '# reviewed\nK8S004 k8s/*.yaml\n');
  });

  afterAll(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('keeps suppressed findings in JSON and SARIF, and leaves them out of the table and of --fail-on', async () => {
    // Act
    const json = await aiops(repo, ['analyze', 'k8s-optimizer', 'k8s', '--format', 'json']);
    const gate = await aiops(repo, ['analyze', 'k8s-optimizer', 'k8s', '--fail-on', 'high']);
    const ungated = await aiops(repo, ['analyze', 'k8s-optimizer', 'unsuppressed', '--fail-on', 'high']);
    const sarif = await aiops(repo, ['analyze', 'k8s-optimizer', 'k8s', '--format', 'sarif']);

    // Assess: the inline allow and the annotation apply, each at its place.
    type Row = {
      ruleId: string;
      severity: string;
      suppressed?: boolean;
      suppressionReason?: string;
      resource?: { file?: string; line?: number };
    };
    const findings = (JSON.parse(json.stdout) as { findings: Row[] }).findings;
    expect(findings.find((f) => f.ruleId === 'K8S006')).toMatchObject({
      severity: 'high',
      suppressed: true,
      suppressionReason: 'rewritten to a digest by the release pipeline',
      resource: { file: 'k8s/web.yaml', line: 19 },
    });
    expect(findings.find((f) => f.ruleId === 'K8S011')).toMatchObject({
      suppressed: true,
      suppressionReason: 'the demo environment runs one replica',
    });
    // The root .aiopsignore came along; its entry has no reason, so it is AIOPS000 and K8S004 stays open.
    expect(findings.find((f) => f.ruleId === 'AIOPS000')).toMatchObject({
      resource: { file: '.aiopsignore', line: 2 },
    });
    expect(findings.find((f) => f.ruleId === 'K8S004')?.suppressed).toBeUndefined();

    // The only high finding is suppressed: the gate passes, and fails without the allow.
    expect(findings.filter((f) => !f.suppressed && ['critical', 'high'].includes(f.severity))).toEqual([]);
    expect(gate.code).toBe(0);
    expect(gate.stdout).not.toMatch(/K8S006|K8S011/);
    expect(gate.stdout).toContain('2 suppressed findings are left out');
    expect(ungated.code).toBe(1);
    expect(ungated.stdout).toMatch(/high\s+K8S006\s+shop\/web \(unsuppressed\/web\.yaml:19\)/);

    const log = JSON.parse(sarif.stdout) as Sarif.Log;
    expect(sarifSchemaErrors(log)).toEqual([]);
    const result = log.runs[0]?.results?.find((r) => r.ruleId === 'K8S006');
    expect(result?.suppressions).toEqual([
      {
        kind: 'inSource',
        status: 'accepted',
        justification: 'rewritten to a digest by the release pipeline',
      },
    ]);
    expect(result?.locations?.[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'k8s/web.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 19 },
    });
    expect(result?.level).toBe('error');
  });
});
