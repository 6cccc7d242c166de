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

  it('rejects a header without timestamp and value columns', () => {
    // Act
    const parse = () => parseSeriesCsv('time,metric\n1,2\n', 'cpu.csv');

    // Assess
    expect(parse).toThrow(ValidationError);
    expect(parse).toThrow(/cpu\.csv.*"timestamp" and "value"/);
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
