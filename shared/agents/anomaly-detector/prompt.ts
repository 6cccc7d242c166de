/**
 * LLM enrichment of an anomaly detection: the model explains the anomalies
 * and the threshold projection and proposes what to check and change. It
 * sees the deterministic result (anomalies, prediction, findings), masked by
 * the platform before it leaves.
 */
import type { Enrichment, EnrichmentContext } from '../contract.js';
import { askForEnrichment, openFindingLines, promptSection, systemPrompt } from '../scan/prompt.js';
import type { AnomalyInput, AnomalyOutput } from './schema.js';

export const SYSTEM_PROMPT = systemPrompt(
  [
    'You are a site reliability engineer reading the result of an anomaly detection on one metric.',
    'Explain in a few sentences what the anomalies and the projection suggest (spike, level shift, trend, saturation) and the likely causes.',
    'Then propose concrete steps to confirm the cause and to remediate, most urgent first, each tied to a finding ruleId when it addresses one.',
  ],
  '<HOST_1> or <RESOURCE_2>',
);

const MAX_ANOMALIES = 30;
const MAX_FINDINGS = 30;

export function buildPrompt(result: AnomalyOutput): string {
  const anomalies = [...result.anomalies]
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_ANOMALIES)
    .map(
      (a) =>
        `- ${a.time} value ${a.value} (expected ${a.expected.low}…${a.expected.high}), score ${a.score.toFixed(2)}, ${a.severity}`,
    );
  return [
    `Metric: ${result.metric ?? 'unnamed'}`,
    `Summary: ${result.summary}`,
    `Points: ${result.metrics.points}, missing: ${result.metrics.missing}`,
    result.prediction === undefined
      ? 'Threshold projection: none requested'
      : `Threshold projection: ${JSON.stringify(result.prediction)}`,
    ...promptSection('Findings:', openFindingLines(result.findings, MAX_FINDINGS)),
    ...promptSection('Strongest anomalies:', anomalies),
  ].join('\n');
}

export async function enrichAnomalies(
  _input: AnomalyInput,
  result: AnomalyOutput,
  context: EnrichmentContext,
): Promise<Enrichment> {
  return askForEnrichment(context, {
    system: SYSTEM_PROMPT,
    prompt: buildPrompt(result),
    // The metric name often carries a service or instance name.
    knownIdentifiers: result.metric === null ? [] : [result.metric],
  });
}
