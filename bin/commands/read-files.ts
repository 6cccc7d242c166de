/**
 * How `aiops analyze` reads PATH… into an agent's files. A folder is walked
 * recursively, except the folders on a default ignore list (version control,
 * dependencies, caches); an agent that reads configuration (the security
 * scanner: `readsDotFolders`) also walks .github, .docker, .ssh, .aws and the
 * other dot-folders. Nothing is left out silently:
 * every file not passed to the agent (over the size cap, binary, beyond the
 * file cap, of a type the agent does not read) and every ignored folder is
 * returned with its reason, for the result and for stderr.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { AgentDefinition, SkippedFile, SourceFile } from '../../shared/agents/contract.js';
import { UsageError } from '../cli.js';

/** A file named on the command line is read up to this size. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Files found in a folder above this size are skipped (bundles, dumps, vendored blobs); `--max-file-bytes`. */
export const DEFAULT_MAX_WALKED_FILE_BYTES = 1024 * 1024;
/** Files read from folders in one run; `--max-files`. */
export const DEFAULT_MAX_FILES = 5000;

/** The commands that stream a file of any size, for the agents whose input they cover. */
const STREAMING_COMMANDS: Readonly<Record<string, string>> = {
  'log-analyzer': '`aiops logs templates --input FILE`',
  'anomaly-detector': '`aiops metrics detect --input FILE`',
};
export const IGNORE_FILE = '.aiopsignore';

/** Folders never walked, and why: nothing in them is the repository's own configuration or code. */
export const IGNORED_FOLDERS: ReadonlyMap<string, string> = new Map([
  ['.git', 'version control'],
  ['.hg', 'version control'],
  ['.svn', 'version control'],
  ['node_modules', 'installed dependencies'],
  ['bower_components', 'installed dependencies'],
  ['vendor', 'vendored dependencies'],
  ['.venv', 'a Python virtual environment'],
  ['venv', 'a Python virtual environment'],
  ['__pycache__', 'compiled Python'],
  ['.tox', 'test environments'],
  ['.terraform', 'downloaded Terraform providers and modules'],
  ['.gradle', 'build cache'],
  ['.cache', 'caches'],
  ['.mypy_cache', 'caches'],
  ['.pytest_cache', 'caches'],
]);

export interface ReadOptions {
  maxFiles: number;
  maxFileBytes: number;
}

export interface ReadResult {
  files: SourceFile[];
  skipped: SkippedFile[];
  /** How many of `skipped` are of a type the agent does not read (not listed on stderr unless the agent reports them). */
  otherTypes: number;
}

/** Relative to the current directory, with forward slashes: how findings and globs name files. */
export function displayPath(path: string): string {
  return relative(process.cwd(), resolve(path)).split(sep).join('/');
}

const UTF16LE_BOM = [0xff, 0xfe];
const UTF16BE_BOM = [0xfe, 0xff];

/** The text of a file: UTF-8, or UTF-16 with a byte order mark (Windows editors, PowerShell); undefined when binary. */
export function decodeText(bytes: Buffer): string | undefined {
  if (bytes[0] === UTF16LE_BOM[0] && bytes[1] === UTF16LE_BOM[1]) {
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  }
  if (bytes[0] === UTF16BE_BOM[0] && bytes[1] === UTF16BE_BOM[1]) {
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  }
  if (bytes.includes(0)) return undefined;
  return bytes.toString('utf8');
}

interface WalkedFile {
  path: string;
  /** `displayPath(path)`, built from the folder's once rather than resolved per file. */
  shown: string;
}

interface Walked {
  files: WalkedFile[];
  ignored: SkippedFile[];
}

/** Skipped entries that are not the agent's kind of input (not listed on stderr unless the agent reports them). */
function notTheAgents(reason: string): boolean {
  return reason.startsWith('a file type ') || reason.startsWith('a dot-folder ');
}

/**
 * Every file under `dir`, depth first in name order, and the ignored folders met on the way.
 * Synchronous, as the reads below: a CLI run has nothing else to do meanwhile, and a thread-pool
 * round trip per folder and per file is most of the time a tree of small files takes.
 */
function walk(
  dir: string,
  shownDir: string,
  agent: AgentDefinition,
  into: Walked = { files: [], ignored: [] },
): Walked {
  const entries = readdirSync(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const shown = shownDir === '' ? entry.name : `${shownDir}/${entry.name}`;
    if (entry.isDirectory()) {
      const why = IGNORED_FOLDERS.get(entry.name);
      if (why === undefined && entry.name.startsWith('.') && !agent.readsDotFolders) {
        into.ignored.push({ path: `${shown}/`, reason: `a dot-folder ${agent.name} does not read` });
      } else if (why === undefined) walk(path, shown, agent, into);
      else
        into.ignored.push({ path: `${shown}/`, reason: `folder not walked: ${why} (default ignore list)` });
    } else if (entry.isFile()) {
      into.files.push({ path, shown });
    }
  }
  return into;
}

/** An open file's whole content, `size` bytes as fstat gave them (fewer if it shrank meanwhile). */
function readOpen(fd: number, size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  while (at < size) {
    const n = readSync(fd, bytes, at, size - at, null);
    if (n === 0) break;
    at += n;
  }
  return at === size ? bytes : bytes.subarray(0, at);
}

/**
 * A walked file's size and, when `wanted(size)` says so, its bytes: one open, one fstat and
 * one read, instead of a stat and then a readFile that opens and stats again.
 */
function readIf(path: string, wanted: (size: number) => boolean): { size: number; bytes?: Buffer } {
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    return wanted(size) ? { size, bytes: readOpen(fd, size) } : { size };
  } finally {
    closeSync(fd);
  }
}

function sizeText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/** A folder's text files the agent accepts (plus `.aiopsignore` files for agents that filter), and what was skipped. */
function readFolder(
  dir: string,
  agent: AgentDefinition,
  options: ReadOptions,
  read: { count: number },
): ReadResult {
  const result: ReadResult = { files: [], skipped: [], otherTypes: 0 };
  const walked = walk(dir, displayPath(dir), agent);
  result.skipped.push(...walked.ignored);
  result.otherTypes += walked.ignored.filter((s) => notTheAgents(s.reason)).length;
  for (const { path, shown } of walked.files) {
    const isIgnoreFile = basename(path) === IGNORE_FILE;
    const wanted = isIgnoreFile ? agent.accepts !== undefined : (agent.accepts?.(shown) ?? true);
    if (!wanted) {
      if (!isIgnoreFile) {
        result.skipped.push({ path: shown, reason: `a file type ${agent.name} does not read` });
        result.otherTypes += 1;
      }
      continue;
    }
    const capped = !isIgnoreFile && read.count >= options.maxFiles;
    const { size, bytes } = readIf(path, (n) => n <= options.maxFileBytes && !capped);
    if (size > options.maxFileBytes) {
      result.skipped.push({
        path: shown,
        reason: `larger than ${sizeText(options.maxFileBytes)} (${size} bytes; raise with --max-file-bytes)`,
      });
      continue;
    }
    if (bytes === undefined) {
      result.skipped.push({
        path: shown,
        reason: `beyond the file cap of ${options.maxFiles} (raise with --max-files)`,
      });
      continue;
    }
    const text = decodeText(bytes);
    if (text === undefined) {
      result.skipped.push({ path: shown, reason: 'binary (NUL bytes, no UTF-16 byte order mark)' });
      continue;
    }
    if (!isIgnoreFile) read.count += 1;
    result.files.push({ path: shown, content: text });
  }
  return result;
}

/**
 * The files behind PATH…: named files as they are, folders walked. An agent
 * that filters by `accepts` also gets the `.aiopsignore` of the current
 * directory (the repository root in CI) when there is one.
 */
/** What `-` names: standard input, read whole (up to MAX_FILE_BYTES). */
export const STDIN_PATH = '-';

/** Standard input as text; a usage error when it is a terminal (nothing piped) or too large. */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('`-` reads standard input, but nothing is piped to it');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_FILE_BYTES) throw new UsageError(`standard input is larger than ${MAX_FILE_BYTES} bytes`);
    chunks.push(buffer);
  }
  const text = decodeText(Buffer.concat(chunks));
  if (text === undefined)
    throw new UsageError('standard input is binary (NUL bytes, no UTF-16 byte order mark)');
  return text;
}

export async function readFiles(
  paths: readonly string[],
  agent: AgentDefinition,
  options: ReadOptions,
): Promise<ReadResult> {
  if (paths.filter((path) => path === STDIN_PATH).length > 1) {
    throw new UsageError('`-` (standard input) can be given once');
  }
  const byPath = new Map<string, SourceFile>();
  const skipped: SkippedFile[] = [];
  let otherTypes = 0;
  const read = { count: 0 };
  for (const path of paths) {
    if (path === STDIN_PATH) {
      // Named `stdin` in findings; an agent that tells files apart by name reads it as an extensionless file.
      byPath.set('stdin', { path: 'stdin', content: await readStdin() });
      continue;
    }
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new UsageError(`No such file or folder: ${path}`);
    if (info.isDirectory()) {
      const found = readFolder(path, agent, options, read);
      if (!found.files.some((file) => basename(file.path) !== IGNORE_FILE)) {
        const why = found.skipped
          .filter((s) => !notTheAgents(s.reason))
          .slice(0, 3)
          .map((s) => `${s.path}: ${s.reason}`);
        throw new UsageError(
          `${path} holds no file that ${agent.name} reads${why.length === 0 ? '' : ` (skipped ${why.join('; ')})`}`,
        );
      }
      for (const file of found.files) byPath.set(file.path, file);
      skipped.push(...found.skipped);
      otherTypes += found.otherTypes;
      continue;
    }
    if (info.size > MAX_FILE_BYTES) {
      const streaming = STREAMING_COMMANDS[agent.name];
      throw new UsageError(
        `${path} is larger than ${MAX_FILE_BYTES} bytes (${(info.size / 1024 / 1024).toFixed(1)} MiB)` +
          (streaming === undefined ? '' : `; ${streaming} reads a file of any size in one streaming pass`),
      );
    }
    const text = decodeText(await readFile(path));
    if (text === undefined) throw new UsageError(`${path} is binary (NUL bytes, no UTF-16 byte order mark)`);
    byPath.set(displayPath(path), { path: displayPath(path), content: text });
  }
  if (agent.accepts !== undefined && !byPath.has(IGNORE_FILE)) {
    const root = await readFile(IGNORE_FILE, 'utf8').catch(() => undefined);
    if (root !== undefined) byPath.set(IGNORE_FILE, { path: IGNORE_FILE, content: root });
  }
  return { files: [...byPath.values()], skipped, otherTypes };
}

/** The stderr lines for what was skipped: every entry the result lists; other file types as one count otherwise. */
export function skippedLines(result: ReadResult, agent: AgentDefinition): string[] {
  const listed = agent.reportsSkippedFiles
    ? result.skipped
    : result.skipped.filter((s) => !notTheAgents(s.reason));
  const lines = listed.map((s) => `aiops: skipped ${s.path}: ${s.reason}`);
  if (!agent.reportsSkippedFiles && result.otherTypes > 0) {
    lines.push(
      `aiops: ${result.otherTypes} file(s) of types ${agent.name} does not read were not passed to it`,
    );
  }
  if (listed.length > 0) {
    lines.push(`aiops: ${listed.length} file(s) or folder(s) skipped, ${result.files.length} read`);
  }
  return lines;
}
