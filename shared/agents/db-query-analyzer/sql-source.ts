/**
 * SQL text → statements, with PostgreSQL's own parser (libpg_query, WASM).
 * A file is parsed whole; when that fails, it is cut at the top-level
 * semicolons the scanner finds (a `$$` body is one token, so its semicolons
 * stay inside) and each piece is parsed alone, so one bad statement costs a
 * SQL000 finding, not the file. psql meta-commands (`\connect`, `\set`) and
 * the data of `COPY … FROM stdin` in pg_dump files are blanked first, keeping
 * every byte offset. libpg_query's locations are byte offsets into the parsed
 * text; a line map turns them into the 1-based lines findings carry.
 */

import { fingerprintSync, normalizeSync, parseSync, scanSync } from 'libpg-query';
import { LineIndex } from '../../analysis/source/files.js';
import { type Fields, nodeOf } from './ast.js';

/** Statements whose rules are query rules (SQL001–SQL012) and whose names the name check resolves. */
export const QUERY_TYPES: ReadonlySet<string> = new Set([
  'SelectStmt',
  'InsertStmt',
  'UpdateStmt',
  'DeleteStmt',
  'MergeStmt',
]);

/** Statements that make the schema. */
export const DDL_TYPES: ReadonlySet<string> = new Set([
  'CreateStmt',
  'IndexStmt',
  'AlterTableStmt',
  'ViewStmt',
  'CreateTableAsStmt',
  'CreateEnumStmt',
  'CreateDomainStmt',
  'CompositeTypeStmt',
  'DefineStmt',
  'CreateSchemaStmt',
  'CreateSeqStmt',
  'AlterSeqStmt',
  'AlterEnumStmt',
  'CreateFunctionStmt',
  'CreateExtensionStmt',
  'RenameStmt',
  'DropStmt',
]);

export type StatementSource = 'sql' | 'statistics';

export interface Statement {
  /** Undefined for statistics given as JSON in the input (no file). */
  file?: string;
  source: StatementSource;
  /** The node type: 'SelectStmt', 'CreateStmt', …; an EXPLAIN is read as the statement it explains. */
  type: string;
  body: Fields;
  /** The statement as written (an EXPLAIN's included). */
  text: string;
  /** The query text the name check reports positions in: `text`, or what an EXPLAIN explains. */
  checkText?: string;
  /** Where `text` starts, in the byte offsets the tree's locations count (from the text the parser saw). */
  offset?: number;
  line: number;
  endLine: number;
  /** The line of a location inside this statement's tree (undefined: the first line). */
  lineOf(location: number | undefined): number;
}

export interface ParseProblem {
  file?: string;
  source: StatementSource;
  line: number;
  message: string;
  /** The statement text (or its start) that failed. */
  text: string;
  /** A template file (Go text/template, Jinja): how many of its statements did not parse; `line` is the first. */
  templateStatements?: number;
}

/** Byte offset → 1-based line, for one text (libpg_query reports byte offsets). */
export function lineMap(text: string): (byte: number) => number {
  const index = new LineIndex(text, 'utf8');
  return (byte) => index.lineOf(byte);
}

/** Where the SQL starts on a PostgreSQL server log line (log_statement, log_min_duration_statement, an error's STATEMENT). */
const LOG_STATEMENT =
  /^(.*?\b(?:LOG:\s+(?:duration: [\d.]+ ms\s+)?(?:statement|execute [^:]*):\s|STATEMENT:\s+))/;

/**
 * A PostgreSQL server log as SQL with the same byte offsets: each statement
 * line keeps its SQL, its prefix (timestamp, pid, `LOG:  statement: `) is
 * blanked with a `;` first, which ends the statement before it; indented
 * continuation lines stay; every other line is blanked.
 */
export function sqlFromServerLog(content: string): string {
  const blank = (text: string) => text.replace(/[^\r]/gu, (c) => ' '.repeat(Buffer.byteLength(c)));
  let inStatement = false;
  return content
    .split('\n')
    .map((line) => {
      const prefix = LOG_STATEMENT.exec(line)?.[1];
      if (prefix !== undefined) {
        inStatement = true;
        return `;${blank(prefix).slice(1)}${line.slice(prefix.length)}`;
      }
      if (inStatement && /^[\t ]/.test(line)) return line;
      inStatement = false;
      return blank(line);
    })
    .join('\n');
}

/** psql meta-commands and COPY data, blanked byte for byte (newlines kept). */
export function blankNonSql(content: string): string {
  const lines = content.split('\n');
  let inCopyData = false;
  const blank = (line: string) => line.replace(/[^\r]/gu, (c) => ' '.repeat(Buffer.byteLength(c)));
  return lines
    .map((line) => {
      if (inCopyData) {
        if (/^\\\.\s*$/.test(line)) inCopyData = false;
        return blank(line);
      }
      if (/^\s*COPY\b[\s\S]*\bFROM\s+stdin\b/i.test(line)) {
        inCopyData = true;
        return line;
      }
      return /^\s*\\/.test(line) ? blank(line) : line;
    })
    .join('\n');
}

/** A tag that is control flow or a comment, not a value: `{{ if … }}`, `{{ end }}`, a Go comment tag, `{% … %}`, `{# … #}`. */
const TEMPLATE_CONTROL =
  /^\{(?:%|#|\{-?\s*(?:if|else|end|range|with|define|template|block|break|continue)\b|\{-?\s*\/\*)/;

function blankBytes(text: string): string {
  return text.replace(/[^\r\n]/gu, (c) => ' '.repeat(Buffer.byteLength(c)));
}

/**
 * An identifier of `bytes` bytes for one value tag, named after the tag's last
 * word (`{{ index .Options "Namespace" }}` → `namespace___…`), so findings
 * stay readable and the same tag always gives the same name.
 */
function placeholderName(tag: string, bytes: number): string {
  const word =
    tag
      .match(/[A-Za-z_][A-Za-z0-9_]*/g)
      ?.at(-1)
      ?.toLowerCase() ?? 't';
  return word.padEnd(bytes, '_').slice(0, bytes);
}

/**
 * A template's SQL with each tag replaced byte for byte (lines and offsets
 * kept): a value tag by an identifier (so `{{ .Schema }}.users` reads as a
 * qualified name), a control or comment tag by blanks. Undefined when the text
 * has no tag.
 */
export function untemplated(text: string): string | undefined {
  const parts: string[] = [];
  let at = 0;
  for (const tag of templateTags(text)) {
    parts.push(text.slice(at, tag.start));
    const body = text.slice(tag.start, tag.end);
    parts.push(
      TEMPLATE_CONTROL.test(body) || body.includes('\n')
        ? blankBytes(body)
        : placeholderName(body, Buffer.byteLength(body)),
    );
    at = tag.end;
  }
  if (parts.length === 0) return undefined;
  parts.push(text.slice(at));
  return parts.join('');
}

const TAG_ENDS: Readonly<Record<string, string>> = { '{{': '}}', '{%': '%}', '{#': '#}' };

/**
 * The template tags of a text, in order, in one pass: each opener's closer is
 * looked for once, and an opener that never closes is not looked for again
 * (a line of 100,000 braces costs one scan, not one per brace).
 */
function* templateTags(text: string): Generator<{ start: number; end: number }> {
  const unclosed = new Set<string>();
  let from = 0;
  for (;;) {
    const start = text.indexOf('{', from);
    if (start < 0 || start + 1 >= text.length) return;
    const opener = text.slice(start, start + 2);
    const closer = TAG_ENDS[opener];
    if (closer === undefined || unclosed.has(opener)) {
      from = start + 1;
      continue;
    }
    const close = text.indexOf(closer, start + 2);
    if (close < 0) {
      unclosed.add(opener);
      from = start + 1;
      continue;
    }
    yield { start, end: close + 2 };
    from = close + 2;
  }
}

interface RawStatement {
  node: unknown;
  /** Byte range in the parsed text. */
  start: number;
  end: number;
  /** Byte offset of the text the parser saw (a piece, when the file was cut). */
  base: number;
}

interface RawError {
  offset: number;
  end: number;
  message: string;
}

function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/** libpg_query's cursor position (1-based, in characters) as a byte offset into `text`. */
function cursorByte(error: unknown, text: string): number {
  const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
  const cursor = details?.cursorPosition;
  if (typeof cursor !== 'number' || cursor <= 0) return 0;
  return Buffer.byteLength(text.slice(0, cursor - 1));
}

function statementsOf(text: string, bytes: Buffer, base: number): RawStatement[] {
  const result = parseSync(text);
  return (result.stmts ?? []).map((raw) => {
    const start = base + (raw.stmt_location ?? 0);
    const end = raw.stmt_len === undefined || raw.stmt_len === 0 ? base + bytes.length : start + raw.stmt_len;
    return { node: raw.stmt, start, end, base };
  });
}

/** Parses a text, cutting it at top-level semicolons when the whole does not parse. */
function parseText(text: string): { statements: RawStatement[]; errors: RawError[] } {
  const bytes = Buffer.from(text, 'utf8');
  try {
    return { statements: statementsOf(text, bytes, 0), errors: [] };
  } catch {
    // One statement is wrong: find which, below.
  }
  let cuts: number[];
  try {
    cuts = scanSync(text)
      .tokens.filter((token) => token.text === ';')
      .map((token) => token.end);
  } catch (error) {
    // The scanner itself failed (an unterminated quote or comment): nothing after it can be cut reliably.
    return { statements: [], errors: [{ offset: 0, end: bytes.length, message: errorMessage(error) }] };
  }
  const statements: RawStatement[] = [];
  const errors: RawError[] = [];
  let start = 0;
  for (const end of [...cuts, bytes.length]) {
    if (end <= start) continue;
    const piece = bytes.subarray(start, end).toString('utf8');
    try {
      statements.push(...statementsOf(piece, Buffer.from(piece, 'utf8'), start));
    } catch (error) {
      const leading = piece.length - piece.trimStart().length;
      errors.push({
        offset: start + Math.max(cursorByte(error, piece), Buffer.byteLength(piece.slice(0, leading))),
        end,
        message: errorMessage(error),
      });
    }
    start = end;
  }
  return { statements, errors };
}

/** The node type and body, an EXPLAIN read as the statement it explains. */
function unwrap(node: unknown): { type: string; body: Fields; explained: boolean } | undefined {
  const parsed = nodeOf(node);
  if (parsed === undefined) return undefined;
  const [type, body] = parsed;
  if (type === 'ExplainStmt') {
    const inner = nodeOf(body.query);
    if (inner !== undefined) return { type: inner[0], body: inner[1], explained: true };
  }
  return { type, body, explained: false };
}

/** `EXPLAIN (…) SELECT …` → `SELECT …`, for the name check (an EXPLAIN ANALYZE would run the query). */
function explainedText(text: string): string | undefined {
  const match = /^\s*EXPLAIN\b(?:\s*\([^)]*\)|\s+(?:ANALYZE|ANALYSE|VERBOSE)\b)*\s*/i.exec(text);
  return match ? text.slice(match[0].length) : undefined;
}

/** The statements and parse problems of one .sql file. */
export function parseSqlFile(
  file: string,
  content: string,
): { statements: Statement[]; problems: ParseProblem[] } {
  const sql = blankNonSql(content);
  const template = untemplated(sql);
  const text = template ?? sql;
  const bytes = Buffer.from(text, 'utf8');
  const lineAt = lineMap(text);
  const { statements, errors } = parseText(text);
  const slice = (start: number, end: number) => bytes.subarray(start, end).toString('utf8');
  const result: Statement[] = [];
  for (const raw of statements) {
    const unwrapped = unwrap(raw.node);
    if (unwrapped === undefined) continue;
    const statementText = slice(raw.start, raw.end).trimEnd();
    const line = lineAt(raw.start);
    const checkText = unwrapped.explained ? explainedText(statementText) : statementText;
    result.push({
      file,
      source: 'sql',
      type: unwrapped.type,
      body: unwrapped.body,
      text: statementText,
      ...(checkText === undefined ? {} : { checkText }),
      offset: raw.start - raw.base,
      line,
      endLine: lineAt(raw.start + Buffer.byteLength(statementText)),
      lineOf: (at) => (at === undefined ? line : lineAt(raw.base + at)),
    });
  }
  const problems: ParseProblem[] = errors.map((error) => ({
    file,
    source: 'sql' as const,
    line: lineAt(error.offset),
    message: error.message,
    text: slice(error.offset, error.end).trim().slice(0, 200),
  }));
  // A template's statements that still do not parse are its templating's doing, not syntax errors: one count.
  if (template !== undefined && problems[0] !== undefined)
    return { statements: result, problems: [{ ...problems[0], templateStatements: problems.length }] };
  return { statements: result, problems };
}

/**
 * The statements of one query text from statistics (a pg_stat_statements row).
 * `line` is where the row starts; a text spread over lines (a quoted CSV cell)
 * keeps its own line breaks, a JSON string does not.
 */
export function parseStatisticsQuery(
  query: string,
  place: { file?: string; line: number; multiline: boolean },
): { statements: Statement[]; problems: ParseProblem[] } {
  const lineAt = place.multiline ? lineMap(query) : () => 1;
  const at = (byte: number) => place.line + lineAt(byte) - 1;
  const file = place.file === undefined ? {} : { file: place.file };
  let raws: RawStatement[];
  try {
    raws = statementsOf(query, Buffer.from(query, 'utf8'), 0);
  } catch (error) {
    return {
      statements: [],
      problems: [
        {
          ...file,
          source: 'statistics',
          line: at(cursorByte(error, query)),
          message: errorMessage(error),
          text: query.slice(0, 200),
        },
      ],
    };
  }
  const bytes = Buffer.from(query, 'utf8');
  const statements: Statement[] = [];
  for (const raw of raws) {
    const unwrapped = unwrap(raw.node);
    if (unwrapped === undefined) continue;
    const text = bytes.subarray(raw.start, raw.end).toString('utf8').trimEnd();
    const line = at(raw.start);
    statements.push({
      ...file,
      source: 'statistics',
      type: unwrapped.type,
      body: unwrapped.body,
      text,
      ...(unwrapped.explained ? {} : { checkText: text }),
      offset: raw.start,
      line,
      endLine: at(raw.start + Buffer.byteLength(text)),
      lineOf: (loc) => (loc === undefined ? line : at(loc)),
    });
  }
  return { statements, problems: [] };
}

/** libpg_query's fingerprint: equal for statements that differ only in literals, whitespace and comments. */
export function queryFingerprint(text: string): string {
  try {
    return fingerprintSync(text);
  } catch {
    return `text:${normalizeWhitespace(text)}`;
  }
}

/** The statement with its literals replaced by $n: how it is shown (no data from the log leaves). */
export function normalizedText(text: string): string {
  try {
    return normalizeWhitespace(normalizeSync(text));
  } catch {
    return normalizeWhitespace(text);
  }
}

function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const LITERAL_TOKENS = new Set(['SCONST', 'ICONST', 'FCONST', 'BCONST', 'XCONST', 'USCONST']);

/** The literal values of a statement, joined: two runs with the same key used the same values. */
export function literalKey(text: string): string {
  try {
    return scanSync(text)
      .tokens.filter((token) => LITERAL_TOKENS.has(token.tokenName))
      .map((token) => token.text)
      .join('\u0000');
  } catch {
    return text;
  }
}
