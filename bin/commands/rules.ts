/**
 * `aiops rules list [AGENT]` prints the rules an agent reports; `aiops rules
 * docs [--out DIR] [--check]` writes the rules reference (docs/rules/) from
 * the agents' catalogs, or with --check exits 1 when a page is stale.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { listCatalog, loadAgent } from '../../shared/agents/catalog.js';
import { type AgentDocsInput, rulesIndexMarkdown, rulesMarkdown } from '../../shared/agents/scan/docs.js';
import { EXIT, info, renderTable, UsageError } from '../cli.js';

export const RULES_DOCS_DIR = 'docs/rules';

/** Every agent that has a rule catalog, in the registry's order. */
export async function catalogs(): Promise<AgentDocsInput[]> {
  const agents = await Promise.all(listCatalog().map((entry) => loadAgent(entry.name)));
  return agents.flatMap((agent) =>
    agent.rules === undefined
      ? []
      : [{ name: agent.name, description: agent.description, catalog: agent.rules }],
  );
}

/** The pages of the rules reference: file name → Markdown. */
export async function rulesPages(): Promise<Map<string, string>> {
  const agents = await catalogs();
  return new Map([
    ['README.md', rulesIndexMarkdown(agents)],
    ...agents.map((agent) => [`${agent.name}.md`, rulesMarkdown(agent)] as const),
  ]);
}

async function stalePages(dir: string, pages: Map<string, string>): Promise<string[]> {
  const stale: string[] = [];
  for (const [file, content] of pages) {
    const current = await readFile(join(dir, file), 'utf8').catch(() => undefined);
    if (current !== content) stale.push(join(dir, file));
  }
  return stale;
}

export function registerRules(program: Command): void {
  const rules = program.command('rules').description("list an agent's rules or write the rules reference");

  rules
    .command('list')
    .argument('[agent]', 'only this agent')
    .description('print every rule: agent, id, severity, category and title')
    .action(async (agent: string | undefined) => {
      const all = await catalogs();
      const chosen = agent === undefined ? all : all.filter((a) => a.name === agent);
      if (chosen.length === 0) throw new UsageError(`No rule catalog for agent ${agent}`);
      const rows = chosen.flatMap((a) =>
        a.catalog.rules.map((r) => [a.name, r.id, r.severity, r.category, r.title]),
      );
      process.stdout.write(`${renderTable(['agent', 'rule', 'severity', 'category', 'title'], rows)}\n`);
    });

  rules
    .command('docs')
    .description('write docs/rules/<agent>.md from the rule catalogs')
    .option('--out <dir>', 'the folder to write', RULES_DOCS_DIR)
    .option('--check', 'write nothing; exit 1 when a page differs from the catalogs')
    .action(async (options: { out: string; check?: boolean }) => {
      const pages = await rulesPages();
      if (options.check) {
        const stale = await stalePages(options.out, pages);
        for (const file of stale) process.stderr.write(`stale: ${file} (run aiops rules docs)\n`);
        if (stale.length > 0) process.exitCode = EXIT.findings;
        return;
      }
      await mkdir(options.out, { recursive: true });
      for (const [file, content] of pages) await writeFile(join(options.out, file), content);
      info(`wrote ${pages.size} ${pages.size === 1 ? 'page' : 'pages'} to ${options.out}`);
    });
}
