/**
 * `aiops analyze <agent> [PATH…] [--input FILE.json]`: runs an agent in this
 * process, offline, with no server or database. A PATH may be a folder, walked
 * for the files the agent reads. Exit 1 when an unsuppressed finding is at or
 * above `--fail-on` (CI gates).
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  type CatalogEntry,
  catalogEntryOf,
  listCatalog,
  loadAgent,
  runCatalogAgent,
} from '../../shared/agents/catalog.js';
import {
  type AgentResult,
  type FileOption,
  type Finding,
  type ListOption,
  SEVERITIES,
  type Severity,
} from '../../shared/agents/contract.js';
import { toSarif } from '../../shared/agents/sarif.js';
import { EXIT, renderTable, UsageError } from '../cli.js';
import {
  DEFAULT_MAX_FILES,
  DEFAULT_MAX_WALKED_FILE_BYTES,
  displayPath,
  IGNORE_FILE,
  IGNORED_FOLDERS,
  type ReadOptions,
  readFiles,
  readStdin,
  STDIN_PATH,
  skippedLines,
} from './read-files.js';

const FORMATS = ['json', 'table', 'markdown', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

async function readJson(file: string, what: string): Promise<unknown> {
  const text =
    file === STDIN_PATH
      ? await readStdin()
      : await readFile(file, 'utf8').catch(() => {
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
  options: ReadOptions,
): Promise<Input> {
  if (inputFile !== undefined) {
    if (paths.length > 0) throw new UsageError('Give either PATH… or --input, not both');
    return { value: await readJson(inputFile, '--input'), anchor: displayPath(inputFile) };
  }
  if (paths.length === 0)
    throw new UsageError('Give the files to analyse (PATH…) or the JSON input (--input FILE.json)');
  const agent = await loadAgent(agentName);
  if (!agent.fromFiles) throw new UsageError(`${agentName} does not read files; pass --input FILE.json`);
  const read = await readFiles(paths, agent, options);
  // Nothing is skipped silently: every file not passed to the agent is named on stderr with its reason.
  for (const line of skippedLines(read, agent)) process.stderr.write(`${line}\n`);
  const first = read.files.find((file) => basename(file.path) !== IGNORE_FILE);
  const value = agent.reportsSkippedFiles
    ? agent.fromFiles(read.files, read.skipped)
    : agent.fromFiles(read.files);
  return { value, ...(first === undefined ? {} : { anchor: first.path }) };
}

/** Every agent's file options, one commander option per flag (agents may share a flag). */
function fileOptions(): Map<string, Option> {
  const byFlag = new Map<string, { option: FileOption; agents: string[] }>();
  for (const agent of listCatalog()) {
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

/** Every agent's list options (`--areas secrets,iac`), one commander option per flag. */
function listOptions(): Map<string, Option> {
  const byFlag = new Map<string, { option: ListOption; agents: string[] }>();
  for (const agent of listCatalog()) {
    for (const option of agent.listOptions ?? []) {
      const known = byFlag.get(option.flag);
      if (known) known.agents.push(agent.name);
      else byFlag.set(option.flag, { option, agents: [agent.name] });
    }
  }
  return new Map(
    [...byFlag].map(([flag, { option, agents }]) => [
      flag,
      new Option(
        `--${flag} <list>`,
        `${option.description}: comma-separated, of ${option.choices.join(', ')} (${agents.join(', ')})`,
      ),
    ]),
  );
}

/** Sets each given `--<flag> a,b` as its input field, a list of words; a flag of another agent is a usage error. */
function withListOptions(entry: CatalogEntry, input: unknown, given: ReadonlyMap<string, string>): unknown {
  if (given.size === 0) return input;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new UsageError(`The input of ${entry.name} is not an object; options cannot be added to it`);
  }
  const merged: Record<string, unknown> = { ...input };
  for (const [flag, list] of given) {
    const option = entry.listOptions?.find((o) => o.flag === flag);
    if (!option) throw new UsageError(`--${flag} is not an option of ${entry.name}`);
    const words = list.split(',').map((word) => word.trim());
    const unknown = words.filter((word) => !option.choices.includes(word));
    if (unknown.length > 0 || words.length === 0) {
      throw new UsageError(
        `--${flag} takes a comma-separated list of ${option.choices.join(', ')}; not: ${unknown.join(', ')}`,
      );
    }
    merged[option.field] = [...new Set(words)];
  }
  return merged;
}

/** Sets each given `--<flag> FILE.json` as its input field; a flag of another agent is a usage error. */
async function withFileOptions(
  entry: CatalogEntry,
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

async function sarif(entry: CatalogEntry, result: AgentResult, anchor: string | undefined): Promise<string> {
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
  maxFiles: number;
  maxFileBytes: number;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('a positive whole number');
  return n;
}

export function registerAnalyze(program: Command): void {
  const agentNames = listCatalog()
    .map((a) => a.name)
    .join(', ');
  const command = program
    .command('analyze')
    .description('run an agent on files, folders or a JSON input, offline, and print its findings')
    .argument('<agent>', `one of: ${agentNames}`)
    .argument(
      '[paths...]',
      `files or folders read as the agent's natural input (folders: recursively, without ${[...IGNORED_FOLDERS.keys()].join(', ')}, and without other dot-folders unless the agent reads them (security-scanner); files skipped for size, binary content or the file cap are listed on stderr; - is standard input)`,
    )
    .option('--input <file>', 'the JSON input, as POST /v1/executions takes it (`-`: standard input)')
    .addOption(
      new Option('--max-files <n>', 'files read from folders at most; the rest are listed as skipped')
        .argParser(positiveInteger)
        .default(DEFAULT_MAX_FILES),
    )
    .addOption(
      new Option('--max-file-bytes <n>', 'files in folders larger than this are listed as skipped')
        .argParser(positiveInteger)
        .default(DEFAULT_MAX_WALKED_FILE_BYTES),
    )
    .addOption(new Option('--format <format>', 'output format').choices([...FORMATS]).default('table'))
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when an unsuppressed finding is at or above this').choices([
        ...SEVERITIES,
      ]),
    );
  const extra = fileOptions();
  for (const option of extra.values()) command.addOption(option);
  const lists = listOptions();
  for (const option of lists.values()) command.addOption(option);
  command.action(
    async (agentName: string, paths: string[], options: AnalyzeOptions & Record<string, unknown>) => {
      const entry = catalogEntryOf(agentName);
      if (!entry) throw new UsageError(`Unknown agent "${agentName}"; known: ${agentNames}`);
      const given = new Map<string, string>();
      for (const [flag, option] of extra) {
        const value = options[option.attributeName()];
        if (typeof value === 'string') given.set(flag, value);
      }
      const input = await inputFrom(agentName, paths, options.input, {
        maxFiles: options.maxFiles,
        maxFileBytes: options.maxFileBytes,
      });
      const listed = new Map<string, string>();
      for (const [flag, option] of lists) {
        const value = options[option.attributeName()];
        if (typeof value === 'string') listed.set(flag, value);
      }
      const value = withListOptions(entry, await withFileOptions(entry, input.value, given), listed);
      const result = await runCatalogAgent(agentName, value, { traceId: randomUUID(), now: new Date() });
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
