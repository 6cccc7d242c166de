/**
 * The code-reviewer's words: strengths (what the code or change does well, by
 * the same measures the rules use), one recommendation per rule with open
 * findings, and the review as a pull-request comment.
 */
import type { Finding } from '../contract.js';
import { SEVERITIES } from '../contract.js';
import { describeCounts, plural } from '../scan/run.js';
import type { ItemReview } from './review.js';
import { CODE_RULES, type CodeRuleId, type Thresholds } from './rules.js';
import type { CodeReviewOutput } from './schema.js';

export function strengthsOf(
  results: readonly ItemReview[],
  open: readonly Finding[],
  thresholds: Thresholds,
): string[] {
  const has = (id: CodeRuleId) => open.some((f) => f.ruleId === id);
  const functions = results.flatMap((r) => r.functions);
  const strengths: string[] = [];
  if (functions.length > 0) {
    const most = Math.max(...functions.map((f) => f.complexity));
    const deepest = Math.max(...functions.map((f) => f.nesting));
    const longest = Math.max(...functions.map((f) => f.endLine - f.line + 1));
    if (!has('CR001'))
      strengths.push(
        `All ${plural(functions.length, 'function')} reviewed stay within complexity ${thresholds.complexity} (highest ${most}).`,
      );
    if (!has('CR002')) strengths.push(`Functions are short: the longest spans ${longest} lines.`);
    if (!has('CR003'))
      strengths.push(`Nesting stays shallow: at most ${deepest} level${deepest === 1 ? '' : 's'}.`);
  }
  const diff = results.some((r) => r.diffMode);
  const testsChanged = results.reduce((n, r) => n + r.testsChanged, 0);
  if (diff && testsChanged > 0)
    strengths.push(`Tests change with the code (${plural(testsChanged, 'test file')}).`);
  const removed = results.reduce((n, r) => n + r.todosRemoved, 0);
  if (diff && !has('CR009')) strengths.push('Adds no TODO or FIXME.');
  if (removed > 0) strengths.push(`Removes ${plural(removed, 'TODO/FIXME comment')}.`);
  const clean = (
    [
      ['CR004', 'secrets'],
      ['CR005', 'leftover debugging'],
      ['CR006', 'swallowed errors'],
      ['CR007', 'dynamic code execution'],
      ['CR008', 'SQL built from strings'],
      ['CR011', 'duplicated blocks'],
    ] as const
  )
    .filter(([id]) => !has(id))
    .map(([, text]) => text);
  if (clean.length > 0) strengths.push(`No ${clean.join(', ')}.`);
  return strengths;
}

export function recommendationsOf(open: readonly Finding[]): string[] {
  const byRule = new Map<string, Finding[]>();
  for (const f of open) {
    // Appended in place: copying the list per finding was quadratic in the findings of one rule.
    const list = byRule.get(f.ruleId);
    if (list === undefined) byRule.set(f.ruleId, [f]);
    else list.push(f);
  }
  return [...byRule.entries()]
    .sort(
      ([, a], [, b]) =>
        SEVERITIES.indexOf(a[0]?.severity ?? 'info') - SEVERITIES.indexOf(b[0]?.severity ?? 'info'),
    )
    .filter(([, list]) => list.some((f) => f.severity !== 'info'))
    .map(([id, list]) => {
      const r = CODE_RULES.byId[id];
      return `${id} ${r?.title ?? id} (${list.length}): ${r?.remediation ?? ''}`.trim();
    });
}

const MAX_MARKDOWN_ROWS = 50;

export function markdownOf(
  output: Pick<
    CodeReviewOutput,
    'summary' | 'score' | 'findings' | 'strengths' | 'recommendations' | 'files' | 'items'
  >,
): string {
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const open = output.findings.filter((f) => !f.suppressed);
  const where = (f: Finding) =>
    `${f.resource?.namespace ? `${f.resource.namespace}: ` : ''}${f.resource?.file ?? ''}${f.resource?.line ? `:${f.resource.line}` : ''}`;
  const rows = open
    .slice(0, MAX_MARKDOWN_ROWS)
    .map((f) => `| ${f.severity} | ${f.ruleId} | \`${cell(where(f))}\` | ${cell(f.message)} |`);
  const lines = [`## Code review: ${output.score}/100`, '', output.summary, ''];
  if (output.strengths.length > 0)
    lines.push('**Strengths**', '', ...output.strengths.map((s) => `- ${s}`), '');
  if (rows.length > 0) {
    lines.push('**Findings**', '', '| severity | rule | where | message |', '|---|---|---|---|', ...rows);
    if (open.length > rows.length)
      lines.push('', `…and ${open.length - rows.length} more (see the JSON or SARIF result).`);
    lines.push('');
  } else lines.push('No open findings.', '');
  if (output.recommendations.length > 0)
    lines.push('**Recommendations**', '', ...output.recommendations.map((r) => `- ${r}`), '');
  if (output.items !== undefined) {
    lines.push('| item | score | files | findings |', '|---|---|---|---|');
    for (const i of output.items)
      lines.push(`| ${cell(i.name)} | ${i.score} | ${i.files} | ${describeCounts(i.findingCounts)} |`);
    lines.push('');
  }
  const reviewed = output.files;
  if (reviewed.length > 1) {
    lines.push('<details><summary>Per file</summary>', '', '| file | score | findings |', '|---|---|---|');
    for (const f of reviewed)
      lines.push(
        `| \`${cell(`${f.item ? `${f.item}: ` : ''}${f.path}`)}\` | ${f.score} | ${describeCounts(f.findingCounts)} |`,
      );
    lines.push('', '</details>', '');
  }
  const suppressed = output.findings.length - open.length;
  if (suppressed > 0) lines.push(`_${plural(suppressed, 'finding')} suppressed with a reason._`);
  return lines.join('\n').trimEnd();
}
