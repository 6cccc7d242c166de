import { describe, expect, it } from '@jest/globals';
import { readCsv, readCsvObjects } from '../../../shared/analysis/documents/csv.js';
import { parseAllWithLines, parseWithLines, within } from '../../../shared/analysis/documents/structured.js';
import { LineIndex } from '../../../shared/analysis/source/files.js';

describe('documents reader (YAML and JSON with lines)', () => {
  it('answers the line of any path in nested YAML, the deepest part that exists', () => {
    // Prepare
    const text = [
      'spec:', //              1
      '  template:', //        2
      '    containers:', //    3
      '      - name: api', //  4
      '        image: nginx', // 5
      '      - name: side', // 6
      '        ports:', //      7
      '          - 8080', //    8
    ].join('\n');

    // Act
    const parsed = parseWithLines(text);

    // Assess
    if ('error' in parsed) throw new Error(parsed.error);
    expect(parsed.lineOf(['spec', 'template', 'containers', 0, 'image'])).toBe(5);
    expect(parsed.lineOf(['spec', 'template', 'containers', 1, 'ports', 0])).toBe(8);
    expect(parsed.lineOf(['spec', 'template', 'containers', 1, 'livenessProbe'])).toBe(6);
    expect(parsed.lineOf([])).toBe(1);
  });

  it('keeps each document of a stream with its own lines, and a broken one as a problem with its line', () => {
    // Prepare
    const text = ['a: 1', '---', 'b:', '  c: 2', '---', 'd: [1, 2', '---', 'e: 3'].join('\n');

    // Act
    const stream = parseAllWithLines(text);

    // Assess
    expect(stream.documents.map((d) => d.value)).toEqual([{ a: 1 }, { b: { c: 2 } }, { e: 3 }]);
    expect(stream.documents[1]?.lineOf(['b', 'c'])).toBe(4);
    expect(stream.documents[2]?.lineOf(['e'])).toBe(8);
    expect(stream.problems).toHaveLength(1);
    expect(stream.problems[0]?.line).toBeGreaterThanOrEqual(6);
  });

  it('locates paths in JSON and under a prefix, and follows aliases', () => {
    // Prepare
    const json = '{\n  "resources": [\n    {\n      "id": "i-1",\n      "type": "ec2"\n    }\n  ]\n}';
    const yaml = 'defaults: &d\n  size: 2\nuse: *d\n';

    // Act
    const parsedJson = parseWithLines(json);
    const parsedYaml = parseWithLines(yaml);

    // Assess
    if ('error' in parsedJson || 'error' in parsedYaml) throw new Error('does not parse');
    expect(within(parsedJson.lineOf, ['resources', 0])(['type'])).toBe(5);
    expect(parsedYaml.value).toEqual({ defaults: { size: 2 }, use: { size: 2 } });
    expect(parsedYaml.lineOf(['use', 'size'])).toBe(2);
  });

  it('refuses an alias bomb as a problem, never an exception', () => {
    // Prepare
    const rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      rows.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }

    // Act
    const stream = parseAllWithLines(rows.join('\n'));

    // Assess
    expect(stream.documents).toEqual([]);
    expect(stream.problems[0]?.message).toMatch(/alias/i);
  });
});

describe('documents reader (CSV with lines)', () => {
  it('keeps the line each record starts on when quoted fields hold line breaks', () => {
    // Prepare
    const text = '\uFEFFquery,calls\r\n"SELECT *\r\nFROM t\nWHERE a = 1",3\r\n\r\n"x, ""y""",4\nlast,5';

    // Act
    const table = readCsv(text);

    // Assess
    expect(table.error).toBeUndefined();
    expect(table.records).toEqual([
      { line: 1, cells: ['query', 'calls'] },
      { line: 2, cells: ['SELECT *\nFROM t\nWHERE a = 1', '3'] },
      { line: 6, cells: ['x, "y"', '4'] },
      { line: 7, cells: ['last', '5'] },
    ]);
    expect(readCsvObjects(text)[1]).toEqual({ line: 6, fields: { query: 'x, "y"', calls: '4' } });
  });

  it('reports an unclosed quote with its line and keeps the records before it', () => {
    // Act
    const table = readCsv('a,b\n1,2\n3,"open\n');

    // Assess
    expect(table.records.map((r) => r.line)).toEqual([1, 2]);
    expect(table.error?.message).toMatch(/quote/i);
    expect(table.error?.line).toBeGreaterThanOrEqual(3);
  });
});

describe('line index', () => {
  it('maps character and byte offsets to lines and columns', () => {
    // Prepare
    const text = 'é1\nab\ncd';

    // Act
    const chars = new LineIndex(text);
    const bytes = new LineIndex(text, 'utf8');

    // Assess
    expect(chars.position(4)).toEqual({ line: 2, column: 2 });
    expect(bytes.position(5)).toEqual({ line: 2, column: 2 });
    expect(bytes.lineOf(7)).toBe(3);
  });
});
