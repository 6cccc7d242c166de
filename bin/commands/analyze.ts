/**
 * `aiops analyze <agent> [PATH…] [--input FILE.json]`: runs an agent in this
 * process, offline, with no server or database. Exit 1 when a finding is at or
 * above `--fail-on` (CI gates).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import {
  type AgentResult,
  type Finding,
  SEVERITIES,
  type Severity,
  type SourceFile,
} from '../../shared/agents/contract.js';
import { getAgent, listAgents, loadAgent, runAgent } from '../../shared/agents/registry.js';
import { newTraceId } from '../../shared/core/observability.js';
import { EXIT, renderTable, UsageError } from '../cli.js';

const MAX_FILE_BYTES = 10 * 1024 * 1024;

async function readFiles(paths: readonly string[]): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new UsageError(`No such file or folder: ${path}`);
    if (info.isDirectory()) {
      const entries = (await readdir(path, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name))
        .sort();
      files.push(...(await readFiles(entries)));
      continue;
    }
    if (info.size > MAX_FILE_BYTES) throw new UsageError(`${path} is larger than ${MAX_FILE_BYTES} bytes`);
    files.push({ path, content: await readFile(path, 'utf8') });
  }
  return files;
}

async function inputFrom(
  agentName: string,
  paths: readonly string[],
  inputFile: string | undefined,
): Promise<unknown> {
  if (inputFile !== undefined) {
    if (paths.length > 0) throw new UsageError('Give either PATH… or --input, not both');
    const text = await readFile(inputFile, 'utf8').catch(() => {
      throw new UsageError(`Cannot read ${inputFile}`);
    });
    try {
      return JSON.parse(text);
    } catch {
      throw new UsageError(`${inputFile} is not valid JSON`);
    }
  }
  if (paths.length === 0)
    throw new UsageError('Give the files to analyse (PATH…) or the JSON input (--input FILE.json)');
  const agent = await loadAgent(agentName);
  if (!agent.fromFiles) throw new UsageError(`${agentName} does not read files; pass --input FILE.json`);
  return agent.fromFiles(await readFiles(paths));
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

function table(result: AgentResult): string {
  const rows = visible(result.findings).map((f) => [f.severity, f.ruleId, where(f), f.message]);
  return `${result.summary}\n\n${rows.length === 0 ? 'No findings.' : renderTable(['severity', 'rule', 'where', 'message'], rows)}`;
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
  ].join('\n');
}

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('run an agent on files or a JSON input, offline, and print its findings')
    .argument(
      '<agent>',
      `one of: ${listAgents()
        .map((a) => a.name)
        .join(', ')}`,
    )
    .argument('[paths...]', "files or folders read as the agent's natural input")
    .option('--input <file>', 'the JSON input, as POST /v1/executions takes it')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['json', 'table', 'markdown'])
        .default('table'),
    )
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this').choices([
        ...SEVERITIES,
      ]),
    )
    .action(
      async (
        agentName: string,
        paths: string[],
        options: { input?: string; format: 'json' | 'table' | 'markdown'; failOn?: Severity },
      ) => {
        if (!getAgent(agentName)) {
          throw new UsageError(
            `Unknown agent "${agentName}"; known: ${listAgents()
              .map((a) => a.name)
              .join(', ')}`,
          );
        }
        const input = await inputFrom(agentName, paths, options.input);
        const result = await runAgent(agentName, input, { traceId: newTraceId(), now: new Date() });
        const out =
          options.format === 'json'
            ? JSON.stringify(result, null, 2)
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
