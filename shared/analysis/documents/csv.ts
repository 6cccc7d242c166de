/**
 * The one CSV reader (RFC 4180) every engine uses: csv-parse does the
 * parsing — quoted fields with commas, doubled quotes and line breaks, a
 * byte-order mark — and each record keeps the line it starts on, so a
 * finding about a row of a Cost and Usage Report or a statistics export
 * points at that row. Line ends are normalised first (CRLF, CR → LF): files
 * exported on Windows mix them, and csv-parse counts lines by the first one
 * it sees. Blank lines are skipped; rows may have any number of fields; a
 * stray quote inside an unquoted field is kept as text, as spreadsheets write it.
 */
import { CsvError, parse } from 'csv-parse/sync';

export interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  /** The records read, up to the first malformed one. */
  records: CsvRecord[];
  /** Why the reading stopped early (an unclosed quote), and where. */
  error?: { message: string; line?: number };
}

function newlines(cells: readonly string[]): number {
  let count = 0;
  for (const cell of cells) for (let i = cell.indexOf('\n'); i >= 0; i = cell.indexOf('\n', i + 1)) count++;
  return count;
}

/** Every record of a CSV text with its starting line. */
export function readCsv(text: string): CsvTable {
  const records: CsvRecord[] = [];
  try {
    parse(text.replace(/\r\n?/g, '\n'), {
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (cells: string[], context) => {
        // `lines` is the line the record ends on; quoted line breaks moved it down.
        records.push({ line: context.lines - newlines(cells), cells });
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    const message = (error.message.split(':')[0] ?? error.code).trim();
    return { records, error: { message, ...(line === undefined ? {} : { line }) } };
  }
  return { records };
}

/** The records after the header, as objects keyed by the header's names ('' for missing cells). */
export function readCsvObjects(text: string): { line: number; fields: Record<string, string> }[] {
  const [header, ...rows] = readCsv(text).records;
  if (header === undefined) return [];
  return rows.map((row) => ({
    line: row.line,
    fields: Object.fromEntries(header.cells.map((name, i) => [name, row.cells[i] ?? ''])),
  }));
}
