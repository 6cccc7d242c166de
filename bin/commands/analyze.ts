/**
 * `aiops analyze <agent> [PATH…] [--input FILE.json]`: runs an agent in this
 * process, offline, with no server or database. A PATH may be a folder, walked
 * for the files the agent reads. Exit 1 when an unsuppressed finding is at or
 * above `--fail-on` (CI gates).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { type Command, Option } from 'commander';
import {
  type AgentDefinition,
  type AgentResult,
  type FileOption,
  type Finding,
  SEVERITIES,
  type Severity,
  type SourceFile,
} from '../../shared/agents/contract.js';
import { type AgentEntry, getAgent, listAgents, loadAgent, runAgent } from '../../shared/agents/registry.js';
import { toSarif } from '../../shared/agents/sarif.js';
import { newTraceId } from '../../shared/core/observability.js';
import { EXIT, renderTable, UsageError } from '../cli.js';

/** A file named on the command line is read up to this size. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Files found in a folder above this size are skipped (bundles, dumps, vendored blobs). */
const MAX_WALKED_FILE_BYTES = 1024 * 1024;
const IGNORE_FILE = '.aiopsignore';
/** Folders never walked; other dot-folders are skipped too. */
const SKIPPED_FOLDERS = new Set(['node_modules']);

const FORMATS = ['json', 'table', 'markdown', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

/** Relative to the current directory, with forward slashes: how findings and globs name files. */
function displayPath(path: string): string {
  return relative(process.cwd(), resolve(path)).split(sep).join('/');
}

/** Every file under `dir`, depth first in name order, skipping dot-folders and node_modules. */
async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && !SKIPPED_FOLDERS.has(entry.name)) files.push(...(await walk(path)));
    } else if (entry.isFile()) {
      files.push(path);
    }
  }
  return files;
}

/** A folder's text files the agent accepts (plus `.aiopsignore` files for agents that filter). */
async function readFolder(dir: string, agent: AgentDefinition): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for (const path of await walk(dir)) {
    const shown = displayPath(path);
    const wanted =
      basename(path) === IGNORE_FILE ? agent.accepts !== undefined : (agent.accepts?.(shown) ?? true);
    if (!wanted || (await stat(path)).size > MAX_WALKED_FILE_BYTES) continue;
    const bytes = await readFile(path);
    if (bytes.includes(0)) continue; // binary
    files.push({ path: shown, content: bytes.toString('utf8') });
  }
  return files;
}

/**
 * The files behind PATH…: named files as they are, folders walked. An agent
 * that filters by `accepts` also gets the `.aiopsignore` of the current
 * directory (the repository root in CI) when there is one.
 */
async function readFiles(paths: readonly string[], agent: AgentDefinition): Promise<SourceFile[]> {
  const byPath = new Map<string, SourceFile>();
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new UsageError(`No such file or folder: ${path}`);
    if (info.isDirectory()) {
      const found = await readFolder(path, agent);
      if (!found.some((file) => basename(file.path) !== IGNORE_FILE)) {
        throw new UsageError(`${path} holds no file that ${agent.name} reads`);
      }
      for (const file of found) byPath.set(file.path, file);
      continue;
    }
    if (info.size > MAX_FILE_BYTES) throw new UsageError(`${path} is larger than ${MAX_FILE_BYTES} bytes`);
    byPath.set(displayPath(path), { path: displayPath(path), content: await readFile(path, 'utf8') });
  }
  if (agent.accepts !== undefined && !byPath.has(IGNORE_FILE)) {
    const root = await readFile(IGNORE_FILE, 'utf8').catch(() => undefined);
    if (root !== undefined) byPath.set(IGNORE_FILE, { path: IGNORE_FILE, content: root });
  }
  return [...byPath.values()];
}

async function readJson(file: string, what: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`Cannot read ${file} (${what})`);
  });
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${file} (${what}) is not valid JSON`);
  }
}

interface Input {
  value: unknown;
  /** Where findings without a file are shown in SARIF: the first file read. */
  anchor?: string;
}

async function inputFrom(
  agentName: string,
  paths: readonly string[],
  inputFile: string | undefined,
): Promise<Input> {
  if (inputFile !== undefined) {
    if (paths.length > 0) throw new UsageError('Give either PATH… or --input, not both');
    return { value: await readJson(inputFile, '--input'), anchor: displayPath(inputFile) };
  }
  if (paths.length === 0)
    throw new UsageError('Give the files to analyse (PATH…) or the JSON input (--input FILE.json)');
  const agent = await loadAgent(agentName);
  if (!agent.fromFiles) throw new UsageError(`${agentName} does not read files; pass --input FILE.json`);
  const files = await readFiles(paths, agent);
  const first = files.find((file) => basename(file.path) !== IGNORE_FILE);
  return { value: agent.fromFiles(files), ...(first === undefined ? {} : { anchor: first.path }) };
}

/** Every agent's file options, one commander option per flag (agents may share a flag). */
function fileOptions(): Map<string, Option> {
  const byFlag = new Map<string, { option: FileOption; agents: string[] }>();
  for (const agent of listAgents()) {
    for (const option of agent.fileOptions ?? []) {
      const known = byFlag.get(option.flag);
      if (known) known.agents.push(agent.name);
      else byFlag.set(option.flag, { option, agents: [agent.name] });
    }
  }
  return new Map(
    [...byFlag].map(([flag, { option, agents }]) => [
      flag,
      new Option(`--${flag} <file.json>`, `${option.description} (${agents.join(', ')})`),
    ]),
  );
}

/** Sets each given `--<flag> FILE.json` as its input field; a flag of another agent is a usage error. */
async function withFileOptions(
  entry: AgentEntry,
  input: unknown,
  given: ReadonlyMap<string, string>,
): Promise<unknown> {
  if (given.size === 0) return input;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new UsageError(`The input of ${entry.name} is not an object; file options cannot be added to it`);
  }
  const merged: Record<string, unknown> = { ...input };
  for (const [flag, file] of given) {
    const option = entry.fileOptions?.find((o) => o.flag === flag);
    if (!option) throw new UsageError(`--${flag} is not an option of ${entry.name}`);
    merged[option.field] = await readJson(file, `--${flag}`);
  }
  return merged;
}

const rank = (s: Severity) => SEVERITIES.length - SEVERITIES.indexOf(s);

function visible(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => !f.suppressed);
}

/** Where a finding is: `namespace/name` (a Kubernetes namespace, a log component), and `:line` when known. */
function where(f: Finding): string {
  const r = f.resource;
  if (!r) return '';
  return `${r.namespace ? `${r.namespace}/` : ''}${r.name}${r.file ? ` (${r.file}${r.line ? `:${r.line}` : ''})` : ''}`;
}

/** "2 suppressed findings are left out (see --format json)", or nothing. */
function suppressedNote(result: AgentResult): string[] {
  const n = result.findings.length - visible(result.findings).length;
  if (n === 0) return [];
  return ['', `${n} suppressed finding${n === 1 ? ' is' : 's are'} left out (see --format json or sarif).`];
}

function table(result: AgentResult): string {
  const rows = visible(result.findings).map((f) => [f.severity, f.ruleId, where(f), f.message]);
  return [
    result.summary,
    '',
    rows.length === 0 ? 'No findings.' : renderTable(['severity', 'rule', 'where', 'message'], rows),
    ...suppressedNote(result),
  ].join('\n');
}

function markdown(agent: string, result: AgentResult): string {
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const rows = visible(result.findings).map(
    (f) => `| ${f.severity} | ${f.ruleId} | ${cell(where(f))} | ${cell(f.message)} |`,
  );
  return [
    `## ${agent}`,
    '',
    result.summary,
    ...(result.score === undefined ? [] : ['', `Score: **${result.score}/100**`]),
    '',
    ...(rows.length === 0
      ? ['No findings.']
      : ['| severity | rule | where | message |', '|---|---|---|---|', ...rows]),
    ...suppressedNote(result),
  ].join('\n');
}

async function sarif(entry: AgentEntry, result: AgentResult, anchor: string | undefined): Promise<string> {
  const agent = await loadAgent(entry.name);
  const log = toSarif([
    {
      agent: { name: entry.name, version: entry.version, description: entry.description },
      ...(agent.rules === undefined ? {} : { rules: agent.rules }),
      result,
      ...(anchor === undefined ? {} : { anchor }),
    },
  ]);
  return JSON.stringify(log, null, 2);
}

interface AnalyzeOptions {
  input?: string;
  format: Format;
  failOn?: Severity;
}

export function registerAnalyze(program: Command): void {
  const agentNames = listAgents()
    .map((a) => a.name)
    .join(', ');
  const command = program
    .command('analyze')
    .description('run an agent on files, folders or a JSON input, offline, and print its findings')
    .argument('<agent>', `one of: ${agentNames}`)
    .argument(
      '[paths...]',
      "files or folders read as the agent's natural input (folders: recursively, without dot-folders, node_modules, binary files and files over 1 MiB)",
    )
    .option('--input <file>', 'the JSON input, as POST /v1/executions takes it')
    .addOption(new Option('--format <format>', 'output format').choices([...FORMATS]).default('table'))
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when an unsuppressed finding is at or above this').choices([
        ...SEVERITIES,
      ]),
    );
  const extra = fileOptions();
  for (const option of extra.values()) command.addOption(option);
  command.action(
    async (agentName: string, paths: string[], options: AnalyzeOptions & Record<string, unknown>) => {
      const entry = getAgent(agentName);
      if (!entry) throw new UsageError(`Unknown agent "${agentName}"; known: ${agentNames}`);
      const given = new Map<string, string>();
      for (const [flag, option] of extra) {
        const value = options[option.attributeName()];
        if (typeof value === 'string') given.set(flag, value);
      }
      const input = await inputFrom(agentName, paths, options.input);
      const value = await withFileOptions(entry, input.value, given);
      const result = await runAgent(agentName, value, { traceId: newTraceId(), now: new Date() });
      const out =
        options.format === 'json'
          ? JSON.stringify(result, null, 2)
          : options.format === 'sarif'
            ? await sarif(entry, result, input.anchor)
            : options.format === 'markdown'
              ? markdown(agentName, result)
              : table(result);
      process.stdout.write(`${out}\n`);
      const threshold = options.failOn;
      if (threshold && visible(result.findings).some((f) => rank(f.severity) >= rank(threshold))) {
        process.exitCode = EXIT.findings;
      }
    },
  );
}
