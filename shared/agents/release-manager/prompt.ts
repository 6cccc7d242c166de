/**
 * LLM enrichment of a release assessment: the model explains the risk, the
 * strategy and the canary verdict in plain words and proposes what to do
 * before the deploy (or the rollback). It sees the deterministic result only
 * — reasons, strategy, per-metric statistics, findings — masked by the
 * platform before it leaves; it adds no finding and changes no number.
 */
import type { Enrichment, EnrichmentContext } from '../contract.js';
import { askForEnrichment, openFindingLines, promptSection, systemPrompt } from '../scan/prompt.js';
import type { ReleaseInput, ReleaseOutput } from './schema.js';

export const SYSTEM_PROMPT = systemPrompt(
  [
    'You are a release manager reading the deterministic assessment of one release: its risk reasons, the rollout strategy and, when given, the canary judgement against the baseline.',
    'Explain in a few sentences why the release is a go, a hold or a no-go, naming the reasons that weigh most; do not change any number or verdict.',
    'Then propose concrete steps before or during the rollout (or for the rollback), most important first, each tied to a finding ruleId when it addresses one.',
  ],
  '<SERVICE_1> or <HOST_2>',
);

const MAX_FINDINGS = 30;
const MAX_METRICS = 30;

export function buildPrompt(result: ReleaseOutput): string {
  const reasons = result.risk.reasons
    .filter((r) => r.points > 0)
    .map((r) => `- ${r.factor}: ${r.points}/${r.max} — ${r.evidence.join('; ')}`);
  const metrics = (result.canary?.metrics ?? [])
    .slice(0, MAX_METRICS)
    .map(
      (m) =>
        `- ${m.name} (${m.criticality}, ${m.direction} is better): ${m.classification}${m.failed ? ', FAILED' : ''} — ${m.reason}`,
    );
  return [
    `Summary: ${result.summary}`,
    `Decision: ${result.decision}`,
    `Strategy: ${result.strategy.kind}; steps ${result.strategy.steps.map((s) => `${s.percent}% (${s.bakeMinutes} min)`).join(' → ') || 'none'}`,
    ...promptSection(
      'Strategy reasons:',
      result.strategy.reasons.map((r) => `- ${r}`),
    ),
    ...promptSection(`Risk ${result.risk.score}/100 (${result.risk.level}), reasons with points:`, reasons),
    ...promptSection(
      result.canary === undefined
        ? 'Canary: none given'
        : `Canary: ${result.canary.verdict} (score ${result.canary.score ?? 'n/a'}, pass at ${result.canary.passScore})`,
      metrics,
    ),
    ...promptSection('Findings:', openFindingLines(result.findings, MAX_FINDINGS)),
  ].join('\n');
}

export async function enrichRelease(
  _input: ReleaseInput,
  result: ReleaseOutput,
  context: EnrichmentContext,
): Promise<Enrichment> {
  return askForEnrichment(context, {
    system: SYSTEM_PROMPT,
    prompt: buildPrompt(result),
    // Metric names carry service names (checkout_p99_latency_ms).
    knownIdentifiers: (result.canary?.metrics ?? []).map((m) => m.name),
  });
}
