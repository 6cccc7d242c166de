import { describe, expect, it } from '@jest/globals';
import { readCsv, readCsvObjects } from '../../../../shared/analysis/documents/csv.js';
import { csvField, csvRow } from '../../../../shared/analysis/logs/csv.js';

describe('csv', () => {
  it.each([
    [
      'plain text',
      'PacketResponder <*> for block <*> terminating',
      'PacketResponder <*> for block <*> terminating',
    ],
    [
      'a comma',
      'Block <*> stored as bytes in memory (estimated size <*>, free <*>)',
      '"Block <*> stored as bytes in memory (estimated size <*>, free <*>)"',
    ],
    ['a quote', 'service "sshd" stopped', '"service ""sshd"" stopped"'],
    ['edge spaces', ' padded ', '" padded "'],
    ['a number', 42, '42'],
  ])('quotes a field with %s only when needed', (_case, value, expected) => {
    // Act
    const field = csvField(value);

    // Assess
    expect(field).toBe(expected);
  });

  it('reads back what it writes, with CRLF line ends and line breaks inside quotes', () => {
    // Prepare
    const rows = [
      ['LineId', 'EventId', 'EventTemplate'],
      ['1', 'dc2c74b7', 'Changing view acls to: <*>'],
      ['2', '5d5de21c', 'Times: total = <*>, boot = <*>, init = <*>, finish = <*>'],
      ['3', 'e1', 'said "hi"\nand left'],
    ];
    const text = `${rows.map(csvRow).join('\r\n')}\r\n`;

    // Act
    const parsed = readCsv(text).records.map((r) => r.cells);
    const records = readCsvObjects(text).map((r) => r.fields);

    // Assess
    expect(parsed).toEqual(rows);
    expect(records[1]).toEqual({ LineId: '2', EventId: '5d5de21c', EventTemplate: rows[2]?.[2] });
    expect(readCsvObjects('')).toEqual([]);
  });
});
