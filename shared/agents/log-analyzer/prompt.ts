/**
 * LLM enrichment of a log analysis: the model explains what the templates,
 * bursts and new messages suggest and proposes remediation. It sees the
 * deterministic result (templates and findings, no raw log), masked by the
 * platform before it leaves.
 */
import type { Enrichment, EnrichmentContext } from '../contract.js';
import { askForEnrichment, openFindingLines, promptSection, systemPrompt } from '../scan/prompt.js';
import type { LogAnalyzerInput, LogAnalyzerOutput } from './schema.js';

export const SYSTEM_PROMPT = systemPrompt(
  [
    'You are a site reliability engineer reading the summary of a log analysis.',
    'Explain in a few sentences what most likely happened and why, citing the templates and findings given.',
    'Then propose concrete remediation steps, most urgent first, each tied to a finding ruleId when it addresses one.',
  ],
  '<HOST_1> or <IP_2>',
);

const MAX_TEMPLATES = 20;
const MAX_FINDINGS = 30;

export function buildPrompt(result: LogAnalyzerOutput): string {
  const templates = result.templates.slice(0, MAX_TEMPLATES).map(
    (t) =>
      `- ${t.count}× ${Object.entries(t.levels)
        .map(([level, n]) => `${level}:${n}`)
        .join(' ')}${t.isNew ? ' (new)' : ''} ${t.template}`,
  );
  return [
    `Summary: ${result.summary}`,
    `Metrics: ${JSON.stringify(result.metrics)}`,
    `Log format: ${result.format ?? 'unknown'}`,
    ...promptSection('Findings:', openFindingLines(result.findings, MAX_FINDINGS)),
    ...promptSection('Most frequent templates (<*> marks a variable part):', templates),
  ].join('\n');
}

/** The components named in the templates: resource names the masker must hide. */
function knownIdentifiers(result: LogAnalyzerOutput): string[] {
  return result.templates.flatMap((t) => (t.component === undefined ? [] : [t.component]));
}

export async function enrichLogs(
  _input: LogAnalyzerInput,
  result: LogAnalyzerOutput,
  context: EnrichmentContext,
): Promise<Enrichment> {
  return askForEnrichment(context, {
    system: SYSTEM_PROMPT,
    prompt: buildPrompt(result),
    knownIdentifiers: knownIdentifiers(result),
  });
}
