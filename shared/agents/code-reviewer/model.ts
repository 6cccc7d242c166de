/**
 * What a language front-end (TypeScript compiler API, tree-sitter) extracts
 * from one file, language-neutral, so that the checks are written once.
 */
import type { TreeSitterLanguage } from '../../analysis/source/treesitter.js';
import type { ScriptLanguage } from '../../analysis/source/typescript.js';
import type { Severity } from '../contract.js';

/** The languages a front-end reads: the TypeScript compiler's two and tree-sitter's three. */
export type LanguageId = ScriptLanguage | TreeSitterLanguage;

export interface FunctionFact {
  /** Qualified where a class or receiver is known: `Cart.total`, `(*Server).Serve`. */
  name: string;
  line: number;
  endLine: number;
  /** McCabe: 1 + decision points of its own body (nested functions excluded). */
  complexity: number;
  /** Deepest nesting of control blocks, and the line where it is reached. */
  nesting: number;
  nestingLine: number;
}

/** A function's facts at its start: complexity 1 (its one path), no nesting yet. */
export function functionFact(name: string, line: number, endLine: number): FunctionFact {
  return { name, line, endLine, complexity: 1, nesting: 0, nestingLine: line };
}

/** A control block at `line` opens a level below `depth`: the function's deepest nesting follows; the block's children are at the returned depth. */
export function deepen(frame: FunctionFact, depth: number, line: number): number {
  if (depth + 1 > frame.nesting) {
    frame.nesting = depth + 1;
    frame.nestingLine = line;
  }
  return depth + 1;
}

/** A line-level problem the front-end recognised (CR005–CR008). */
export interface SiteFact {
  ruleId: 'CR005' | 'CR006' | 'CR007' | 'CR008';
  line: number;
  /** What was seen, short: `console.log`, `except: pass`, `eval`. */
  what: string;
  severity?: Severity;
  detail?: Record<string, unknown>;
}

export interface CommentFact {
  line: number;
  text: string;
}

export interface TokenFact {
  line: number;
  /** Literal values are replaced by `$LIT`. */
  text: string;
}

export interface FileModel {
  language: LanguageId;
  functions: FunctionFact[];
  sites: SiteFact[];
  comments: CommentFact[];
  tokens: TokenFact[];
  /** Syntax errors the parser recovered from (fragments of a diff have some). */
  syntaxErrors: number;
}

/** Callee names (the last member) that run SQL: drivers, ORMs' raw escapes, DB-API, database/sql, JDBC. */
export const QUERY_CALLS = new Set([
  'query',
  'queryRaw',
  'queryRawUnsafe',
  '$queryRawUnsafe',
  '$executeRawUnsafe',
  'execute',
  'executemany',
  'executescript',
  'exec',
  'executeQuery',
  'executeUpdate',
  'executeLargeUpdate',
  'addBatch',
  'prepare',
  'prepareStatement',
  'prepareCall',
  'createQuery',
  'createNativeQuery',
  'createSQLQuery',
  'raw',
  'unsafe',
  'Query',
  'QueryRow',
  'QueryContext',
  'QueryRowContext',
  'Exec',
  'ExecContext',
  'Prepare',
  'PrepareContext',
  'Select',
  'Get',
  'Raw',
  'read_sql',
  'read_sql_query',
  'run',
  'all',
  'get',
  'each',
  'queryForObject',
  'queryForList',
  'update',
]);

const SQL_STATEMENT =
  /\b(?:select\b[\s\S]*?\bfrom|insert\s+into|update\s+[\w."`[\]]+\s+set|delete\s+from|merge\s+into|replace\s+into|drop\s+(?:table|database|index)|truncate\s+table|alter\s+table|create\s+table)\b/i;
/** A clause fragment waiting for a value: `" WHERE id = "`, `" AND name = '"`, `" ORDER BY "`. */
const SQL_CLAUSE =
  /\b(?:where|and|or|having|on)\s+[\w."`[\]]+\s*(?:=|<>|!=|<=?|>=?|\blike|\bin)\s*[('"%]*\s*$|\border\s+by\s*$|\blimit\s*$|\bvalues\s*\(\s*['"]?\s*$/i;

/** Whether the literal parts of a built string read as SQL (a statement, or a clause awaiting a value). */
export function looksLikeSql(literalParts: readonly string[]): boolean {
  const joined = literalParts.join(' ');
  if (SQL_STATEMENT.test(joined)) return true;
  return literalParts.some((part) => SQL_CLAUSE.test(part));
}

export const DEBUG_CONSOLE = new Set(['log', 'debug', 'trace', 'dir', 'table', 'count', 'dirxml']);

/** Entry points and scripts print on purpose. */
export function isScriptPath(path: string): boolean {
  return (
    /(?:^|\/)(?:bin|scripts?|tools|cmd|examples?)\//.test(path) ||
    /(?:^|\/)(?:cli|__main__|manage|setup)\.[a-z]+$/.test(path)
  );
}

export const TODO_PATTERN = /\b(TODO|FIXME|HACK|XXX)\b/;
