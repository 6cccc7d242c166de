import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Command } from 'commander';
import { UsageError } from '../../../../bin/cli.js';
import { registerMetrics } from '../../../../bin/commands/metrics.js';

const CSV = [
  'timestamp,value',
  ...Array.from(
    { length: 50 },
    (_, i) =>
      `2024-01-01 ${String(Math.floor(i / 12)).padStart(2, '0')}:${String((i % 12) * 5).padStart(2, '0')}:00,${i % 7}`,
  ),
].join('\r\n');

async function aiops(...args: string[]): Promise<void> {
  const program = new Command('aiops').exitOverride();
  registerMetrics(program);
  await program.parseAsync(['node', 'aiops', 'metrics', 'detect', ...args]);
}

describe('aiops metrics detect', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aiops-metrics-'));
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  it('scores one CSV file into timestamp,value,anomaly_score for every row', async () => {
    // Prepare
    await writeFile(join(dir, 'cpu.csv'), CSV);

    // Act
    await aiops('--input', join(dir, 'cpu.csv'), '--output', join(dir, 'out', 'cpu.csv'));

    // Assess
    const lines = (await readFile(join(dir, 'out', 'cpu.csv'), 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('timestamp,value,anomaly_score');
    expect(lines).toHaveLength(51);
    expect(lines[1]).toMatch(/^2024-01-01 00:00:00,0,0(\.\d+)?$/);
  });

  it('mirrors a folder tree of CSV files', async () => {
    // Prepare
    await mkdir(join(dir, 'in', 'web'), { recursive: true });
    await writeFile(join(dir, 'in', 'a.csv'), CSV);
    await writeFile(join(dir, 'in', 'web', 'b.csv'), CSV);
    await writeFile(join(dir, 'in', 'notes.txt'), 'not a series');

    // Act
    await aiops('--input-dir', join(dir, 'in'), '--output-dir', join(dir, 'out'));

    // Assess
    const b = await readFile(join(dir, 'out', 'web', 'b.csv'), 'utf8');
    expect(b.split('\n')[0]).toBe('timestamp,value,anomaly_score');
    expect(await readFile(join(dir, 'out', 'a.csv'), 'utf8')).toBe(b);
    await expect(readFile(join(dir, 'out', 'notes.txt'), 'utf8')).rejects.toThrow();
  });

  it.each([
    [[], /either --input/],
    [['--input', 'a.csv', '--input-dir', 'd'], /either --input/],
    [['--input-dir', 'd'], /needs --output-dir/],
    [['--input', 'missing.csv'], /Cannot read/],
  ])('rejects %j as a usage error', async (args, message) => {
    // Act
    const run = aiops(...args.map((a) => (a.includes('.') ? join(dir, a) : a)));

    // Assess
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
  });
});
