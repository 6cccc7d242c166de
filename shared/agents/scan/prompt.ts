/**
 * The common parts of an agent's enrichment (its prompt.ts): the closing
 * instructions every system prompt ends with (masked identifiers, the reply
 * format of enrichmentSchema), the open findings as lines, a titled section
 * that says "none" rather than leaving the model guessing, and the ask. The
 * agent keeps its role, what to explain and its own material.
 */
import {
  type Enrichment,
  type EnrichmentContext,
  type EnrichmentPrompt,
  enrichmentSchema,
} from '../contract.js';
import type { Finding } from '../finding.js';

/**
 * A system prompt: the agent's instructions (role, what to explain, what to
 * propose), then the common ones: keep masked values such as
 * `maskedExamples` as written, reply in the enrichment shape.
 */
export function systemPrompt(instructions: readonly string[], maskedExamples: string): string {
  return [
    ...instructions,
    `Values such as ${maskedExamples} are masked identifiers: keep them exactly as written.`,
    'Reply with one JSON object only: {"explanation": string, "remediations": [{"title": string, "ruleId"?: string, "steps": string[]}]}.',
  ].join('\n');
}

/** Asks the model through the platform's gateway for an explanation and remediations (enrichmentSchema). */
export function askForEnrichment(context: EnrichmentContext, prompt: EnrichmentPrompt): Promise<Enrichment> {
  return context.ask(prompt, enrichmentSchema);
}

/** The first `max` open findings, one line each: `- [high] LOG001: Error template — message`. */
export function openFindingLines(findings: readonly Finding[], max: number): string[] {
  return findings
    .filter((f) => !f.suppressed)
    .slice(0, max)
    .map((f) => `- [${f.severity}] ${f.ruleId}: ${f.title} — ${f.message}`);
}

/** A title line and its items, `- none` when there are none. */
export function promptSection(title: string, items: readonly string[]): string[] {
  return [title, ...(items.length > 0 ? items : ['- none'])];
}
