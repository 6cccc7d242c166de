/**
 * Password hashes in text: every complete crypt/bcrypt/Argon2/phpass/LDAP
 * hash (./hashes.ts) wherever it stands — a shadow or htpasswd line, a seed
 * file, a dump — and, in SQL dumps, what the password column of a user table
 * holds: hex digests (MD5, SHA-1, SHA-256…) and plain-text passwords, from
 * `INSERT INTO t (cols) VALUES (…),(…);` (columns from the statement or from
 * the file's `CREATE TABLE`) and PostgreSQL's `COPY t (cols) FROM stdin;`
 * blocks.
 *
 * One pass each: the INSERT values are read by a character loop that resumes
 * where the statement ends, a COPY block line by line.
 */
import { looksLikeSecretValue } from '../../core/secret-values.js';
import { HASH_PATTERN, hashType } from './hashes.js';

export interface HashFound {
  start: number;
  value: string;
  /** A plain-text password in a password column, not a hash. */
  plain: boolean;
  table?: string;
  column?: string;
  /** How many were found on the match's line (the first one is reported). */
  count: number;
}

/** Every complete hash of a known format in the text. */
export function hashLines(content: string): HashFound[] {
  if (!content.includes('$') && !content.includes('{')) return [];
  return [...content.matchAll(HASH_PATTERN)].map((m) => ({
    start: m.index ?? 0,
    value: m[0],
    plain: false,
    count: 1,
  }));
}

const NAME = String.raw`(?:[\`"\[]?[\w$]+[\`"\]]?\.)?[\`"\[]?[\w$]+[\`"\]]?`;
const INSERT = new RegExp(
  String.raw`\bINSERT\s+(?:IGNORE\s+)?INTO\s+(${NAME})\s*(?:\(([^()]{1,5000})\))?\s*VALUES\s*`,
  'gi',
);
const CREATE = new RegExp(String.raw`\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(${NAME})\s*\(`, 'gi');
const COPY = new RegExp(
  String.raw`^COPY\s+(${NAME})\s*\(([^()]{1,5000})\)\s+FROM\s+stdin;?[ \t]*\r?$`,
  'gim',
);
const NOT_A_COLUMN = /^(?:primary|key|unique|constraint|index|foreign|check|fulltext|spatial|exclude)$/i;

/**
 * A column that holds a password, a secret or a token, or its hash
 * (`password`, `user_pass`, `passwd_hash`, `client_secret`, `secret_sha1`,
 * `api_token`), not facts about it.
 */
export function isPasswordColumn(column: string): boolean {
  return (
    /pass|pwd|hash|crypt|secret|token/i.test(column) &&
    !/hint|reset|change|expir|_at$|date|time|length|salt|algo|type|policy|question|version|count/i.test(
      column,
    )
  );
}

function bare(name: string): string {
  const last = name.split('.').pop() ?? name;
  return last.replace(/[`"[\]]/g, '').toLowerCase();
}

function columnList(text: string): string[] {
  return text.split(',').map((column) => bare(column.trim()));
}

/** `CREATE TABLE name (…)`: the column names in order, read to the closing parenthesis. */
function createdTables(content: string): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  if (!/create\s+table/i.test(content)) return tables;
  for (const m of content.matchAll(CREATE)) {
    const columns: string[] = [];
    let depth = 1;
    let part = '';
    for (let i = (m.index ?? 0) + m[0].length; i < content.length && depth > 0; i++) {
      const c = content[i] as string;
      if (c === '(') depth++;
      if (c === ')') depth--;
      if (depth === 0 || (depth === 1 && c === ',')) {
        const first = /^\s*([`"[]?[\w$]+[`"\]]?)/.exec(part)?.[1];
        if (first !== undefined && !NOT_A_COLUMN.test(bare(first))) columns.push(bare(first));
        part = '';
      } else if (depth >= 1) part += c;
    }
    tables.set(bare(m[1] as string), columns);
  }
  return tables;
}

/** What a password column's value is worth reporting as: a hex digest (or other hash), a plain password, nothing. */
function judge(value: string): { plain: boolean } | undefined {
  const type = hashType(value, true);
  // A hash of a known format is found wherever it stands (hashLines); here only what the column makes one.
  if (type !== undefined) return hashType(value) === undefined ? { plain: false } : undefined;
  return looksLikeSecretValue(value, true) ? { plain: true } : undefined;
}

/** Reads one INSERT's tuples from `from`; calls `take` with each string in column `column`; returns where the statement ends. */
function readTuples(
  content: string,
  from: number,
  column: number,
  take: (start: number, value: string) => void,
): number {
  let depth = 0;
  let field = 0;
  let i = from;
  for (; i < content.length; i++) {
    const c = content[i];
    if (c === "'" || c === '"') {
      const start = i + 1;
      for (i = start; i < content.length; i++) {
        const d = content[i];
        if (d === '\\') i++;
        else if (d === c) {
          if (content[i + 1] !== c) break;
          i++;
        }
      }
      if (depth === 1 && field === column)
        take(
          start,
          content.slice(start, i).replace(/\\(.)|''/g, (_q, e) => e ?? "'"),
        );
    } else if (c === '(') {
      depth++;
      if (depth === 1) field = 0;
    } else if (c === ')') depth--;
    else if (c === ',' && depth === 1) field++;
    else if (c === ';' && depth <= 0) break;
  }
  return i;
}

function insertHashes(content: string, found: HashFound[]): void {
  if (!/insert\s/i.test(content)) return;
  const tables = createdTables(content);
  const insert = new RegExp(INSERT.source, INSERT.flags);
  for (let m = insert.exec(content); m !== null; m = insert.exec(content)) {
    const table = bare(m[1] as string);
    const columns = m[2] === undefined ? tables.get(table) : columnList(m[2]);
    const index = columns?.findIndex(isPasswordColumn) ?? -1;
    if (index < 0 || columns === undefined) continue;
    const column = columns[index] as string;
    insert.lastIndex = readTuples(content, insert.lastIndex, index, (start, value) => {
      const judged = judge(value);
      if (judged !== undefined) found.push({ start, value, ...judged, table, column, count: 1 });
    });
  }
}

function copyHashes(content: string, found: HashFound[]): void {
  if (!content.includes('COPY ') && !content.includes('copy ')) return;
  for (const m of content.matchAll(COPY)) {
    const columns = columnList(m[2] as string);
    const index = columns.findIndex(isPasswordColumn);
    if (index < 0) continue;
    const table = bare(m[1] as string);
    let pos = (m.index ?? 0) + m[0].length + 1;
    while (pos < content.length) {
      const end = content.indexOf('\n', pos) < 0 ? content.length : content.indexOf('\n', pos);
      const line = content.slice(pos, end).replace(/\r$/, '');
      if (line === '\\.') break;
      const fields = line.split('\t');
      const value = fields[index];
      if (value !== undefined && value !== '\\N') {
        const start = pos + fields.slice(0, index).reduce((sum, f) => sum + f.length + 1, 0);
        const judged = judge(value);
        if (judged !== undefined)
          found.push({ start, value, ...judged, table, column: columns[index], count: 1 });
      }
      pos = end + 1;
    }
  }
}

/** Hex digests and plain passwords in the password column of SQL dumps (known hash formats come from hashLines). */
export function dumpHashes(_path: string, content: string): HashFound[] {
  const found: HashFound[] = [];
  insertHashes(content, found);
  copyHashes(content, found);
  return found;
}
