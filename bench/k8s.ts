/**
 * How many distinct checks k8s-optimizer has against the published check
 * lists of Polaris, kube-score and kube-linter (bench/k8s/checks.ts): a
 * table concept by concept (our rules / each tool's check ids), the rules
 * only we have, and the counts. Exits 1 when a concept two or more of them
 * check has no rule of ours, or when the data names a rule we do not have.
 *
 *   npm run bench:k8s [-- --markdown]
 */
import { parseArgs } from 'node:util';
import { K8S_RULES } from '../shared/agents/k8s-optimizer/rules.js';
import { CONCEPTS, type ConceptId, PEER_CHECKS, TOOLS, type Tool } from './k8s/checks.js';

const { values } = parseArgs({ options: { markdown: { type: 'boolean', default: false } } });

const ourIds = new Set(K8S_RULES.rules.map((rule) => rule.id));
const conceptIds = Object.keys(CONCEPTS) as ConceptId[];

function peerIds(concept: ConceptId, tool: Tool): string[] {
  return PEER_CHECKS.filter((c) => c.concept === concept && c.tool === tool).map((c) => c.id);
}

const rows = conceptIds
  .map((id) => {
    const concept = CONCEPTS[id];
    const theirs = Object.fromEntries(TOOLS.map((tool) => [tool, peerIds(id, tool)])) as Record<
      Tool,
      string[]
    >;
    const tools = TOOLS.filter((tool) => theirs[tool].length > 0).length;
    return { id, concept, theirs, tools };
  })
  .filter((row) => row.tools > 0);

const mapped = new Set<string>(rows.flatMap((row) => row.concept.ours));
const onlyOurs = K8S_RULES.rules.filter((rule) => !mapped.has(rule.id));
const unknown = rows.flatMap((row) => row.concept.ours.filter((id) => !ourIds.has(id)));
const missing = rows.filter((row) => row.tools >= 2 && row.concept.ours.length === 0);

const cell = (ids: readonly string[]) => (ids.length === 0 ? '—' : ids.join(', '));
const header = ['check', 'ours', ...TOOLS];
const table = [
  ...rows.map((row) => [
    row.concept.title,
    row.concept.ours.length === 0
      ? `— ${'note' in row.concept ? `(${row.concept.note})` : ''}`.trim()
      : row.concept.ours.join(', '),
    ...TOOLS.map((tool) => cell(row.theirs[tool])),
  ]),
  ...onlyOurs.map((rule) => [`${rule.title} (only ours)`, rule.id, '—', '—', '—']),
];

if (values.markdown) {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const line of table) console.log(`| ${line.join(' | ')} |`);
} else {
  const widths = header.map((h, i) =>
    Math.min(48, Math.max(h.length, ...table.map((r) => (r[i] ?? '').length))),
  );
  const format = (r: readonly string[]) =>
    r.map((c, i) => c.slice(0, widths[i]).padEnd(widths[i] ?? 0)).join('  ');
  console.log(format(header));
  for (const line of table) console.log(format(line));
}

const covered = (tool: Tool) =>
  rows.filter((row) => row.theirs[tool].length > 0 && row.concept.ours.length > 0).length;
const concepts = (tool: Tool) => rows.filter((row) => row.theirs[tool].length > 0).length;
console.log('');
console.log(`k8s-optimizer: ${ourIds.size} rules, ${onlyOurs.length} of them no peer has`);
for (const tool of TOOLS) {
  const count = PEER_CHECKS.filter((c) => c.tool === tool).length;
  console.log(`${tool}: ${count} checks over ${concepts(tool)} concepts, ${covered(tool)} of them ours too`);
}
const shared = rows.filter((row) => row.tools >= 2);
console.log(`concepts two or more peers check: ${shared.length}, ours: ${shared.length - missing.length}`);

if (unknown.length > 0)
  console.error(`bench/k8s/checks.ts names rules we do not have: ${unknown.join(', ')}`);
for (const row of missing)
  console.error(`missing: ${row.concept.title} (${TOOLS.flatMap((t) => row.theirs[t]).join(', ')})`);
if (unknown.length > 0 || missing.length > 0) process.exitCode = 1;
