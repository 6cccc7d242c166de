/**
 * The rules reference (docs/rules/<agent>.md), generated from an agent's
 * catalog: every rule with its severity, why it matters, how to fix it and
 * the samples it is tested on, so the page can never disagree with the code.
 * `aiops rules docs` writes the pages; a test fails when one is stale.
 */
import { CREDENTIAL_SHAPES, patternSpans } from '../../core/secret-patterns.js';
import { maskSecret } from '../../core/secret-values.js';
import type { Catalog, RuleSample, RuleSpec } from './catalog.js';

export interface AgentDocsInput {
  name: string;
  description: string;
  catalog: Catalog;
}

const FENCE_LANGUAGES: Readonly<Record<string, string>> = {
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.json': 'json',
  '.tf': 'hcl',
  '.sql': 'sql',
  '.py': 'python',
  '.ts': 'ts',
  '.js': 'js',
  '.go': 'go',
  '.java': 'java',
  '.csv': 'csv',
  '.log': 'text',
  '.diff': 'diff',
};

function fenceLanguage(path: string): string {
  if (/(?:^|\/)Dockerfile[^/]*$/.test(path)) return 'dockerfile';
  const dot = path.lastIndexOf('.');
  return dot < 0 ? 'text' : (FENCE_LANGUAGES[path.slice(dot).toLowerCase()] ?? 'text');
}

/** A code block that no backtick run in the content can close early. */
function fenced(content: string, language: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${content.replace(/\n$/, '')}\n${fence}`;
}

/**
 * A sample with every credential shape of the table (shared/core/secret-patterns.ts)
 * shown masked (`ghp_…(40 chars)`): the pages are read and indexed everywhere, and a
 * token-shaped sample must not look like a leak to a scanner or a push protection.
 */
export function maskCredentials(content: string): string {
  const spans = CREDENTIAL_SHAPES.flatMap((kind) => [...patternSpans(kind, content)]).sort(
    (a, b) => a.start - b.start || b.end - a.end,
  );
  let shown = '';
  let at = 0;
  for (const { start, end } of spans) {
    if (start < at) continue;
    shown += content.slice(at, start) + maskSecret(content.slice(start, end));
    at = end;
  }
  return shown + content.slice(at);
}

function sampleBlocks(sample: RuleSample, show: (content: string) => string): string[] {
  const note = sample.why === undefined ? [] : [`_${sample.why}_`, ''];
  if ('input' in sample) return [...note, fenced(show(JSON.stringify(sample.input, null, 2)), 'json')];
  const files = 'files' in sample ? sample.files : [{ path: sample.path, content: sample.content }];
  return [
    ...note,
    ...files.flatMap((file) => [
      `\`${file.path}\``,
      '',
      fenced(show(file.content), fenceLanguage(file.path)),
      '',
    ]),
  ];
}

function samplesSection(
  title: string,
  samples: readonly RuleSample[],
  show: (content: string) => string,
): string[] {
  return samples.flatMap((sample, i) => [
    `**${title}${samples.length > 1 ? ` ${i + 1}` : ''}**${sample.line === undefined ? '' : ` (line ${sample.line})`}`,
    '',
    ...sampleBlocks(sample, show),
    '',
  ]);
}

function anchor(id: string): string {
  return id.toLowerCase();
}

function ruleSection(rule: RuleSpec): string[] {
  // Secret rules' samples are credentials by design: shown masked (the tests run them unmasked).
  const show = rule.category === 'secrets' ? maskCredentials : (content: string) => content;
  const facts = [
    `Severity: **${rule.severity}**`,
    `category: ${rule.category}`,
    ...(rule.precision === undefined ? [] : [`precision: ${rule.precision}`]),
    ...(rule.cwe === undefined || rule.cwe.length === 0 ? [] : [`${rule.cwe.join(', ')}`]),
  ];
  return [
    `## ${rule.id}`,
    '',
    `**${rule.title}** — ${facts.join(' · ')}`,
    '',
    `**Why.** ${rule.description}`,
    '',
    `**How to fix.** ${rule.remediation}`,
    '',
    ...(rule.docs === undefined ? [] : [`More: <${rule.docs}>`, '']),
    ...(rule.references === undefined || rule.references.length === 0
      ? []
      : [`**Same check elsewhere.** ${rule.references.join(', ')}`, '']),
    ...samplesSection('Reported', rule.samples.bad, show),
    ...samplesSection('Not reported', rule.samples.good, show),
  ];
}

/** The Markdown page of one agent's rules. */
export function rulesMarkdown(input: AgentDocsInput): string {
  const rows = input.catalog.rules.map(
    (rule) =>
      `| [${rule.id}](#${anchor(rule.id)}) | ${rule.severity} | ${rule.category} | ${rule.title.replaceAll('|', '\\|')} |`,
  );
  const lines = [
    `# ${input.name} rules`,
    '',
    `<!-- Generated from shared/agents/${input.name} by \`aiops rules docs\`; do not edit by hand. -->`,
    '',
    input.description,
    '',
    `${input.catalog.rules.length} rules. Each is tested on the samples shown (test/rules). Silence one finding with a ` +
      "reason: an inline `aiops:allow RULE reason` comment, an `.aiopsignore` line or the input's `ignore`.",
    '',
    '| Rule | Severity | Category | Title |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    ...input.catalog.rules.flatMap(ruleSection),
  ];
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** The index page: one line per agent. */
export function rulesIndexMarkdown(agents: readonly AgentDocsInput[]): string {
  const lines = [
    '# Rules reference',
    '',
    '<!-- Generated by `aiops rules docs`; do not edit by hand. -->',
    '',
    '| Agent | Rules | What it checks |',
    '| --- | --- | --- |',
    ...agents.map((a) => `| [${a.name}](${a.name}.md) | ${a.catalog.rules.length} | ${a.description} |`),
  ];
  return `${lines.join('\n')}\n`;
}
