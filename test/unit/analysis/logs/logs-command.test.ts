import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Command } from 'commander';
import { UsageError } from '../../../../bin/cli.js';
import { registerLogs } from '../../../../bin/commands/logs.js';
import { readCsvObjects } from '../../../../shared/analysis/documents/csv.js';
import { ValidationError } from '../../../../shared/core/errors.js';

const LINUX = [
  'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ',
  'Jun 14 15:16:02 combo sshd(pam_unix)[19937]: check pass; user unknown',
  'Jun 15 02:04:59 combo sshd(pam_unix)[20882]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=220-135-151-1.hinet-ip.hinet.net  user=root',
  'a line that does not match the format, with a comma',
  'Jun 15 04:06:18 combo su(pam_unix)[21416]: session opened for user cyrus by (uid=0)',
  'Jun 15 04:06:19 combo su(pam_unix)[21416]: session closed for user cyrus',
  'Jun 15 12:12:34 combo sshd(pam_unix)[23397]: check pass; user unknown',
];
const FORMAT = '<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>';

async function run(args: string[]): Promise<void> {
  const program = new Command('aiops').exitOverride();
  registerLogs(program);
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  await program.parseAsync(['node', 'aiops', ...args]);
}

describe('aiops logs templates', () => {
  let dir: string;
  let input: string;
  let stderr: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aiops-logs-'));
    input = join(dir, 'linux.log');
    await writeFile(input, `${LINUX.join('\r\n')}\r\n`);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    stderr = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr.push(String(chunk));
      return true;
    });
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('writes LineId, EventId and EventTemplate for every line, in input order', async () => {
    // Prepare
    const output = join(dir, 'templates.csv');

    // Act
    await run(['logs', 'templates', '--log-format', FORMAT, '--input', input, '--output', output]);

    // Assess
    const rows = readCsvObjects(await readFile(output, 'utf8')).map((r) => r.fields);
    expect(rows.map((r) => r.LineId)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(rows[1]?.EventTemplate).toBe('check pass; user unknown');
    expect(rows[6]?.EventId).toBe(rows[1]?.EventId);
    expect(rows[0]?.EventId).not.toBe(rows[1]?.EventId);
    expect(rows[0]?.EventId).toMatch(/^[0-9a-f]{8}$/);
    expect(rows[3]?.EventTemplate).toBe('a line that does not match the format, with a comma');
    expect(rows[4]?.EventTemplate).toBe('session opened for user cyrus by (uid=<*>)');
    expect(stderr.join('')).toContain('7 lines, ');
  });

  it('infers the header when no format is given, and writes to stdout', async () => {
    // Prepare
    const stdout: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout.push(String(chunk));
      return true;
    });

    // Act
    await run(['logs', 'templates', '--input', input]);

    // Assess
    const rows = readCsvObjects(stdout.join('')).map((r) => r.fields);
    expect(rows).toHaveLength(7);
    expect(rows[1]?.EventTemplate).toBe('check pass; user unknown');
    expect(stderr.join('')).toContain('Inferred log format: ');
  });

  it('rejects a format that cannot be matched safely, before reading anything', async () => {
    // Act
    const attempt = run(['logs', 'templates', '--log-format', '(?=x)<Content>', '--input', input]);

    // Assess
    await expect(attempt).rejects.toThrow(ValidationError);
  });

  it.each([
    [['--input', '/no/such/file.log'], /No such file/],
    [['--input', 'INPUT', '--output', '/no/such/dir/out.csv'], /Cannot write/],
  ])('reports %j as a usage error', async (args, message) => {
    // Act
    const attempt = run(['logs', 'templates', ...args.map((a) => (a === 'INPUT' ? input : a))]);

    // Assess
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(run(['logs', 'templates', ...args.map((a) => (a === 'INPUT' ? input : a))])).rejects.toThrow(
      message,
    );
  });
});
