import { describe, expect, it } from '@jest/globals';
import {
  formatScoredCsv,
  parseSeriesCsv,
  parseTimestamp,
} from '../../../../shared/analysis/timeseries/index.js';
import { ValidationError } from '../../../../shared/core/errors.js';

describe('parseSeriesCsv', () => {
  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('reads %s line ends, keeps the text and marks missing values NaN', (_name, eol) => {
    // Prepare
    const text = [
      'timestamp,value',
      '2014-04-01 00:00:00,20.5',
      '2014-04-01 00:05:00,',
      '2014-04-01 00:10:00,nan',
      '',
    ].join(eol);

    // Act
    const series = parseSeriesCsv(text);

    // Assess
    expect(series.timestamps).toEqual(['2014-04-01 00:00:00', '2014-04-01 00:05:00', '2014-04-01 00:10:00']);
    expect(series.times[1]).toBe(Date.UTC(2014, 3, 1, 0, 5));
    expect(series.values).toEqual([20.5, Number.NaN, Number.NaN]);
    expect(series.valueTexts).toEqual(['20.5', '', 'nan']);
  });

  it('finds the columns by name, whatever their order, behind a byte-order mark', () => {
    // Act
    const series = parseSeriesCsv('\uFEFFvalue,"timestamp",label\n3,"2020-01-01T00:00:00Z",0\n');

    // Assess
    expect(series.values).toEqual([3]);
    expect(series.times).toEqual([Date.UTC(2020, 0, 1)]);
  });

  it('reads a CloudWatch console export: any time column, and the only other column as the values', () => {
    const series = parseSeriesCsv(
      'Timestamp,CPUUtilization\n2026-12-01 10:00:00,12.5\n2026-12-01 10:05:00,14\n',
    );
    expect(series.values).toEqual([12.5, 14]);
    expect(series.times).toEqual([Date.UTC(2026, 11, 1, 10), Date.UTC(2026, 11, 1, 10, 5)]);
    expect(parseSeriesCsv('event_time,requests\n2026-12-01T10:00:00Z,7\n').values).toEqual([7]);
    expect(parseSeriesCsv('Date,count\n2026-12-01,3\n').times).toEqual([Date.UTC(2026, 11, 1)]);
  });

  it('takes the value column asked for among several, and names the choices when none is', () => {
    const csv = 'time,p50,p99\n2026-12-01T10:00:00Z,120,900\n';
    expect(parseSeriesCsv(csv, 'latency.csv', { valueColumn: 'P99' }).values).toEqual([900]);
    expect(() => parseSeriesCsv(csv, 'latency.csv')).toThrow(
      'latency.csv: the header names no "value" column; pick one of p50, p99 with --value-column',
    );
    expect(() => parseSeriesCsv(csv, 'latency.csv', { valueColumn: 'p95' })).toThrow(
      'latency.csv: the header has no column "p95"',
    );
  });

  it('rejects a header without a time column', () => {
    // Act
    const parse = () => parseSeriesCsv('host,metric\n1,2\n', 'cpu.csv');

    // Assess
    expect(parse).toThrow(ValidationError);
    expect(parse).toThrow(/cpu\.csv: the header names no time column/);
  });

  it('rejects rows with too few columns, naming the line', () => {
    // Act
    const parse = () => parseSeriesCsv('timestamp,value\n2020-01-01 00:00:00\n', 'cpu.csv');

    // Assess
    expect(parse).toThrow(
      expect.objectContaining({ errors: [{ path: 'cpu.csv:2', message: 'too few columns' }] }),
    );
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2014-04-10 07:15:00.000000', Date.UTC(2014, 3, 10, 7, 15)],
    ['2014-04-10T07:15:00+02:00', Date.UTC(2014, 3, 10, 5, 15)],
    ['2014-04-10', Date.UTC(2014, 3, 10)],
    ['1397114100', Date.UTC(2014, 3, 10, 7, 15)],
    ['1397114100000', Date.UTC(2014, 3, 10, 7, 15)],
    ['not a time', Number.NaN],
  ])('reads %s', (text, expected) => {
    expect(parseTimestamp(text)).toBe(expected);
  });
});

describe('formatScoredCsv', () => {
  it('echoes every row with its score, quoting cells that need it', () => {
    // Prepare
    const series = { timestamps: ['2020-01-01 00:00:00', '1 Jan, 2020'], valueTexts: ['1.0', ''] };

    // Act
    const csv = formatScoredCsv(series, [0.123456789, Number.NaN]);

    // Assess
    expect(csv).toBe('timestamp,value,anomaly_score\n2020-01-01 00:00:00,1.0,0.123457\n"1 Jan, 2020",,0\n');
  });
});
