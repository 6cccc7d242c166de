/**
 * Writing the CSV the template results need (RFC 4180): the CLI writes
 * `LineId,EventId,EventTemplate` rows whose templates hold commas and quotes.
 * Reading CSV (Loghub's structured files, these results) is the documents
 * reader's (../documents/csv.ts).
 */

/** One field, quoted when it holds a comma, a quote, a line break or edge spaces. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: readonly (string | number)[]): string {
  return values.map(csvField).join(',');
}
