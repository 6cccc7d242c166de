/**
 * What every engine needs to know about a file: its lines, where an offset
 * sits (1-based line and column), whether it is test material, which comment
 * markers it uses. Entropy and masking of secrets live in ../secrets.
 */
import { basename, extname } from 'node:path';

export interface Position {
  line: number;
  column: number;
}

/**
 * The one offset → line/column index (1-based). Offsets count UTF-16 code
 * units, as JavaScript strings do, or with `unit: 'utf8'` bytes, as parsers
 * compiled from C (libpg_query, tree-sitter) report them.
 */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(
    readonly text: string,
    readonly unit: 'utf16' | 'utf8' = 'utf16',
  ) {
    if (unit === 'utf8') {
      const bytes = Buffer.from(text, 'utf8');
      for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) this.#starts.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.#starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.#starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.#starts[low] ?? 0) + 1 };
  }

  /** The 1-based line of an offset. */
  lineOf(offset: number): number {
    return this.position(offset).line;
  }
}

/** The lines of a text, without their line ends. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

const TEST_PATH =
  /(?:^|[/\\])(?:tests?|__tests__|spec|specs|fixtures?|__fixtures__|testdata|test-data|mocks?|__mocks__|examples?|samples?)(?:[/\\]|$)|[._-](?:test|spec)\.[a-z0-9]+$|_test\.(?:go|py)$|(?:^|[/\\])test_[^/\\]+\.py$/i;

/** Files of tests, fixtures and examples: their secrets are usually fake and are reported lower. */
export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}

export type Language = 'javascript' | 'python' | 'go' | 'java';

const LANGUAGES: Readonly<Record<string, Language>> = {
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.ts': 'javascript',
  '.mts': 'javascript',
  '.cts': 'javascript',
  '.tsx': 'javascript',
  '.py': 'python',
  '.go': 'go',
  '.java': 'java',
  '.kt': 'java',
};

export function languageOf(path: string): Language | undefined {
  if (path.endsWith('.d.ts')) return undefined;
  return LANGUAGES[extname(path).toLowerCase()];
}

const SLASH_COMMENTS = ['//', '/*'] as const;
const HASH_COMMENTS = ['#'] as const;
const SLASH_EXTENSIONS = new Set([
  '.js',
  '.mjs',
  '.cjs',
  '.jsx',
  '.ts',
  '.mts',
  '.cts',
  '.tsx',
  '.go',
  '.java',
  '.kt',
  '.scala',
  '.c',
  '.h',
  '.cc',
  '.cpp',
  '.cs',
  '.rs',
  '.swift',
  '.php',
  '.gradle',
  '.json5',
  '.jsonc',
]);

/** Comment markers for inline allow comments; JSON has none (CloudFormation JSON uses Metadata). */
export function commentMarkers(path: string): readonly string[] {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return [];
  if (ext === '.tf' || ext === '.hcl' || ext === '.tfvars') return ['#', '//', '/*'];
  if (ext === '.sql') return ['--', '/*'];
  if (ext === '.xml' || ext === '.html' || ext === '.md') return ['<!--'];
  if (ext === '.ini' || ext === '.cfg') return ['#', ';'];
  if (SLASH_EXTENSIONS.has(ext)) return SLASH_COMMENTS;
  return HASH_COMMENTS;
}

export function isDockerfile(path: string): boolean {
  const name = basename(path).toLowerCase();
  return (
    name === 'dockerfile' ||
    name === 'containerfile' ||
    name.startsWith('dockerfile.') ||
    name.endsWith('.dockerfile') ||
    name.endsWith('.containerfile')
  );
}

/** The text before a line comment starts (outside quotes), for the given markers. */
export function codePart(line: string, markers: readonly string[]): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string;
    if (quote !== undefined) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'" || char === '`') {
      quote = char;
      continue;
    }
    for (const marker of markers) if (line.startsWith(marker, i)) return line.slice(0, i);
  }
  return line;
}
