/**
 * The common parts of an agent's enrichment prompt (its prompt.ts): the
 * closing instructions every system prompt ends with (masked identifiers,
 * the reply format of enrichmentSchema), the open findings as lines, and a
 * titled section that says "none" rather than leaving the model guessing.
 * The agent keeps its role, what to explain and its own material.
 */
import type { Finding } from '../finding.js';

/** The last lines of a system prompt: keep masked values, reply in the enrichment shape. */
export function replyInstructions(maskedExamples: string): string[] {
  return [
    `Values such as ${maskedExamples} are masked identifiers: keep them exactly as written.`,
    'Reply with one JSON object only: {"explanation": string, "remediations": [{"title": string, "ruleId"?: string, "steps": string[]}]}.',
  ];
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
