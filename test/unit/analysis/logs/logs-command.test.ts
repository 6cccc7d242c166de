import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Command } from 'commander';
import { UsageError } from '../../../../bin/cli.js';
import { registerLogs } from '../../../../bin/commands/logs.js';
import { readCsvObjects } from '../../../../shared/analysis/documents/csv.js';
import { csvRow } from '../../../../shared/analysis/logs/csv.js';
import { compileLogFormat, contentOf } from '../../../../shared/analysis/logs/format.js';
import { createMiner } from '../../../../shared/analysis/logs/miner.js';
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
const USERS = ['root', 'cyrus', 'news', 'test', 'guest', 'admin', 'webmaster', 'oracle'];

/**
 * Linux lines whose templates settle late: the user of `session opened` only
 * shows it is a variable after the fourth name, so the lines before were
 * learned under templates that were merged away afterwards.
 */
function linuxSample(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const time = `Jun 15 04:${String(10 + (i % 50)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
    const user = USERS[Math.floor(i / 7) % USERS.length] ?? 'root';
    const pid = 21_000 + i * 13;
    switch (i % 5) {
      case 0:
        return `${time} combo su(pam_unix)[${pid}]: session opened for user ${user} by (uid=0)`;
      case 1:
        return `${time} combo su(pam_unix)[${pid}]: session closed for user ${user}`;
      case 2:
        return `${time} combo sshd(pam_unix)[${pid}]: check pass; user unknown`;
      case 3:
        return `${time} combo ftpd[${pid}]: connection from 211.${i % 250}.${(i * 7) % 250}.1 () at Sat Jun 15 04:06:18 2005`;
      default:
        return LINUX[i % LINUX.length] ?? '';
    }
  });
}

/**
 * The output of the command as it was made before it kept each line's
 * template: learn every line, then read the file again and match each line
 * against the final templates (learning the ones the miner forgot).
 */
async function twoPassCsv(path: string, format: string, maxTemplates = 10_000): Promise<string> {
  const compiled = compileLogFormat(format);
  const lines: string[] = [];
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    lines.push(line);
  }
  const miner = createMiner({ maxTemplates });
  for (const line of lines) miner.add(contentOf(compiled, line));
  const rows = [csvRow(['LineId', 'EventId', 'EventTemplate'])];
  lines.forEach((line, i) => {
    const content = contentOf(compiled, line);
    const { template } = miner.match(content) ?? miner.add(content);
    const id = createHash('sha256').update(template).digest('hex').slice(0, 8);
    rows.push(csvRow([i + 1, id, template]));
  });
  return `${rows.join('\n')}\n`;
}

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

  it.each([
    ['LF line ends', '\n', '\n', 10_000],
    ['CRLF line ends and no end on the last line', '\r\n', '', 10_000],
    ['lone CR line ends', '\r', '\r', 10_000],
    ['a template cap it overflows (lines matched again)', '\n', '\n', 3],
  ])('writes what learning then matching every line again writes: %s', async (_, eol, last, maxTemplates) => {
    // With room for every template, the first lines end with the template the later ones settled.
    const settled = maxTemplates > 3 ? '1,00469e94,session opened for user <*> by (uid=<*>)\n' : '1,';
    // Prepare
    const path = join(dir, `sample-${maxTemplates}-${JSON.stringify(eol)}.log`);
    await writeFile(path, `${linuxSample(400).join(eol)}${last}`);
    const output = join(dir, 'sample.csv');

    // Act
    await run([
      'logs',
      'templates',
      '--log-format',
      FORMAT,
      '--input',
      path,
      '--output',
      output,
      '--max-templates',
      String(maxTemplates),
    ]);

    // Assess
    const written = await readFile(output, 'utf8');
    expect(written).toBe(await twoPassCsv(path, FORMAT, maxTemplates));
    expect(written.split('\n')).toHaveLength(402);
    expect(written).toContain(`\n${settled}`);
    expect(stderr.join('')).toContain('400 lines, ');
  });

  it('writes only the header for an empty file', async () => {
    // Prepare
    const empty = join(dir, 'empty.log');
    await writeFile(empty, '');
    const output = join(dir, 'empty.csv');

    // Act
    await run(['logs', 'templates', '--log-format', FORMAT, '--input', empty, '--output', output]);

    // Assess
    expect(await readFile(output, 'utf8')).toBe('LineId,EventId,EventTemplate\n');
    expect(stderr.join('')).toContain('0 lines, 0 templates');
  });

  it('reports lines and lines per second on stderr with --progress, and nothing without it', async () => {
    // Prepare
    const output = join(dir, 'progress.csv');
    const args = ['logs', 'templates', '--log-format', FORMAT, '--input', input, '--output', output];

    // Act
    await run(args);
    const quiet = stderr.join('');
    stderr.length = 0;
    await run([...args, '--progress']);

    // Assess
    expect(quiet).not.toContain('lines/s');
    expect(stderr.join('')).toMatch(/^logs templates: 7 lines in \d+\.\d s, [\d,]+ lines\/s\n/m);
  });
});
