import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Command } from 'commander';
import { UsageError } from '../../../../bin/cli.js';
import { registerMetrics } from '../../../../bin/commands/metrics.js';
import {
  detectAnomalies,
  formatScoredCsv,
  parseSeriesCsv,
} from '../../../../shared/analysis/timeseries/index.js';
import { ValidationError } from '../../../../shared/core/errors.js';

/** What the command wrote when it read the whole text with the CSV reader. */
function scoredWhole(text: string): string {
  const series = parseSeriesCsv(text);
  return formatScoredCsv(series, detectAnomalies({ values: series.values, times: series.times }).scores);
}

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

  it.each([
    ['CRLF line ends, no end on the last line', CSV],
    [
      'LF line ends, blank lines, gaps and a byte-order mark',
      `\uFEFF${CSV.replaceAll('\r\n', '\n').replace(',3\n', ',\n\n')}\n\n`,
    ],
    ['extra columns in any order', CSV.replaceAll(/^(.*),(.*)$/gm, '$2,host-a,$1').replaceAll('\r', '')],
    [
      'quoted fields, one holding a line break (read whole)',
      `${CSV.replace('timestamp,value', 'timestamp,value,note')},"a\nb"\r\n"2024-01-01 05:00:00","7"\r\n`,
    ],
  ])('scores what reading the whole text scores: %s', async (_, text) => {
    // Prepare
    await writeFile(join(dir, 'in.csv'), text);

    // Act
    await aiops('--input', join(dir, 'in.csv'), '--output', join(dir, 'out.csv'));

    // Assess
    const written = await readFile(join(dir, 'out.csv'), 'utf8');
    expect(written).toBe(scoredWhole(text));
    expect(written.split('\n').length).toBeGreaterThan(50);
  });

  it('scores the column --value-column names', async () => {
    // Prepare: the series as the p99 column of a latency export, beside a p50 column
    const [, ...rows] = CSV.trimEnd().split('\n');
    const latency = ['Time,p50,p99', ...rows.map((row) => row.replace(',', ',1,'))].join('\n');
    await writeFile(join(dir, 'latency.csv'), `${latency}\n`);

    // Act
    await aiops(
      '--input',
      join(dir, 'latency.csv'),
      '--value-column',
      'p99',
      '--output',
      join(dir, 'out.csv'),
    );

    // Assess: the same scores as the plain series, its timestamp text and value echoed
    const expected = scoredWhole(CSV).split('\n');
    const written = (await readFile(join(dir, 'out.csv'), 'utf8')).split('\n');
    expect(written.slice(1)).toEqual(expected.slice(1));
  });

  it('names the line of a short row of a streamed file, blank lines counted', async () => {
    // Prepare
    await writeFile(
      join(dir, 'short.csv'),
      'timestamp,value\n\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00\n',
    );

    // Act
    const run = aiops('--input', join(dir, 'short.csv'));

    // Assess
    await expect(run).rejects.toThrow(ValidationError);
    await expect(run).rejects.toThrow(
      expect.objectContaining({
        errors: [{ path: `${join(dir, 'short.csv')}:4`, message: 'too few columns' }],
      }),
    );
  });
});
