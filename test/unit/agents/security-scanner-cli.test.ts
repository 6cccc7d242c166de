/**
 * #18: `aiops analyze security-scanner DIR` scans configuration dot-folders,
 * decodes UTF-16 text, and names every file it does not scan, with the reason,
 * in the result (`skipped`, `metrics.filesSkipped`) and on stderr.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SecurityOutput } from '../../../shared/agents/security-scanner/schema.js';
import { aiops } from '../../helpers/cli.js';

const AWS_KEY = 'AKIAZ7Q3XN4RB2LMWK5D';
const PRIVATE_KEY = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  'QyNTUxOQAAACDk8rJm3Wq1a0nXfQ9yR2uV7tPzH4cK6sL1oB5eM8gZdAAAAJj1w2Xx9cNl',
  '-----END OPENSSH PRIVATE KEY-----',
  '',
].join('\n');

async function put(root: string, path: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
}

function utf16le(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

describe('#18 aiops analyze security-scanner on a folder', () => {
  let repo: string;

  beforeAll(async () => {
    // Prepare: a repository whose secrets hide where the old reader never looked.
    repo = await mkdtemp(join(tmpdir(), 'aiops-security-'));
    await put(
      repo,
      '.github/workflows/deploy.yml',
      `name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      AWS_ACCESS_KEY_ID: ${AWS_KEY}\n    steps:\n      - run: ./deploy.sh\n`,
    );
    await put(repo, '.ssh/id_ed25519', PRIVATE_KEY);
    await put(
      repo,
      'scripts/deploy.ps1',
      utf16le(`$env:AWS_ACCESS_KEY_ID = "${AWS_KEY}"\r\n.\\deploy.ps1\r\n`),
    );
    await put(
      repo,
      'src/app.js',
      "const region = process.env.AWS_REGION ?? 'eu-west-1';\nexport { region };\n",
    );
    await put(repo, 'node_modules/left-pad/index.js', `const key = '${AWS_KEY}';\n`);
    await put(repo, '.git/config', '[core]\n\trepositoryformatversion = 0\n');
    await put(repo, 'dumps/big.sql', `-- ${AWS_KEY}\n${'INSERT INTO t VALUES (1);\n'.repeat(50_000)}`);
    await put(repo, 'bin/tool', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]));
    await put(repo, 'docs/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });

  afterAll(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('#18 scans dot-folders and UTF-16 files, and lists every skipped file with its reason in the result and on stderr', async () => {
    // Act
    const { code, stdout, stderr } = await aiops(
      ['analyze', 'security-scanner', '.', '--format', 'json'],
      {},
      { cwd: repo },
    );

    // Assess
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as SecurityOutput;
    const files = new Set(result.findings.map((f) => f.resource?.file));
    expect(files).toEqual(new Set(['.github/workflows/deploy.yml', '.ssh/id_ed25519', 'scripts/deploy.ps1']));
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.path, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual([
      '.git/',
      'bin/tool',
      'docs/logo.png',
      'dumps/big.sql',
      'node_modules/',
    ]);
    expect(reasons['dumps/big.sql']).toMatch(/larger than 1 MiB/);
    expect(reasons['bin/tool']).toMatch(/binary/);
    expect(reasons['node_modules/']).toMatch(/default ignore list/);
    expect(reasons['docs/logo.png']).toMatch(/file type security-scanner does not read/);
    expect(result.metrics.filesSkipped).toBe(5);
    expect(result.summary).toContain('5 files skipped');
    for (const path of Object.keys(reasons)) expect(stderr).toContain(`skipped ${path}: `);
  }, 60_000);

  it('#18 reads at most --max-files files and lists the rest as skipped instead of refusing the scan', async () => {
    // Act
    const { code, stdout, stderr } = await aiops(
      ['analyze', 'security-scanner', '.', '--format', 'json', '--max-files', '2'],
      {},
      { cwd: repo },
    );

    // Assess: files are read in name order, so .github and .ssh are scanned and the rest are listed.
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as SecurityOutput;
    expect(result.metrics.files).toBe(2);
    const capped = result.skipped.filter((s) => /beyond the file cap of 2/.test(s.reason)).map((s) => s.path);
    expect(capped.sort()).toEqual(['bin/tool', 'scripts/deploy.ps1', 'src/app.js']);
    expect(stderr).toContain('skipped scripts/deploy.ps1: beyond the file cap of 2 (raise with --max-files)');
  }, 60_000);

  it('#16 --areas secrets runs the secret scan alone; an unknown area is a usage error naming the choices', async () => {
    // Arrange: a Dockerfile that runs as root, next to the secrets.
    await put(repo, 'Dockerfile', 'FROM node:24\nCOPY . .\nCMD ["node", "app.js"]\n');

    // Act
    const all = await aiops(['analyze', 'security-scanner', '.', '--format', 'json'], {}, { cwd: repo });
    const secrets = await aiops(
      ['analyze', 'security-scanner', '.', '--format', 'json', '--areas', 'secrets'],
      {},
      { cwd: repo },
    );
    const wrong = await aiops(
      ['analyze', 'security-scanner', '.', '--areas', 'secret,iac'],
      {},
      { cwd: repo },
    );

    // Assess
    const rules = (stdout: string) => (JSON.parse(stdout) as SecurityOutput).findings.map((f) => f.ruleId);
    expect(rules(all.stdout).some((id) => id.startsWith('DOCKER'))).toBe(true);
    expect(rules(secrets.stdout).length).toBeGreaterThan(0);
    expect(rules(secrets.stdout).every((id) => id.startsWith('SEC-'))).toBe(true);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain(
      '--areas takes a comma-separated list of secrets, dockerfile, iac, code, dependencies; not: secret',
    );
  }, 120_000);
});
