/**
 * The size cap on a stored result (AIOPS_MAX_RESULT_BYTES), applied to every
 * agent's result on every runtime: an input that makes an agent report tens
 * of thousands of findings (clone pairs, one per repeated line) must not store
 * tens of megabytes per execution. Findings are what grows; the rest of a
 * result (summary, metrics, templates) is bounded by the agents themselves.
 * The most severe findings are kept, in the agent's order, and one `info`
 * finding says how many were dropped, so a reader knows the list is partial.
 */
import { type AgentResult, type Finding, fingerprint, SEVERITIES } from '../agents/contract.js';
import { ResultTooLargeError } from '../core/errors.js';

export const RESULT_TRUNCATED_RULE = 'AIOPS-RESULT-TRUNCATED';

/** Bytes of a value as stored: its JSON in UTF-8. */
function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

function truncationFinding(agent: string, dropped: number, total: number, maxBytes: number): Finding {
  return {
    ruleId: RESULT_TRUNCATED_RULE,
    severity: 'info',
    title: 'Result truncated',
    message:
      `${dropped} of ${total} findings were left out to keep the result under ${maxBytes} bytes ` +
      '(AIOPS_MAX_RESULT_BYTES); the most severe were kept. Narrow the input or raise the limit to see them all.',
    resource: { kind: 'Agent', name: agent },
    fingerprint: fingerprint(RESULT_TRUNCATED_RULE, agent),
  };
}

/**
 * The result as it may be stored: unchanged when its JSON fits in `maxBytes`, else with findings left out
 * (least severe first). Throws ResultTooLargeError when even no findings at all would not fit.
 */
export function capResultSize(agent: string, result: AgentResult, maxBytes: number): AgentResult {
  if (jsonBytes(result) <= maxBytes) return result;
  const total = result.findings.length;
  // The notice's own size, with the widest counts it can show.
  const base = jsonBytes({ ...result, findings: [truncationFinding(agent, total, total, maxBytes)] });
  if (base > maxBytes) {
    throw new ResultTooLargeError(
      `Agent ${agent} returned a result of more than ${maxBytes} bytes (AIOPS_MAX_RESULT_BYTES) even without its findings`,
      { details: { agent, maxBytes } },
    );
  }
  const rank = (f: Finding) => SEVERITIES.indexOf(f.severity);
  // Most severe first; within a severity, the agent's own order (sort is stable).
  const order = result.findings.map((f, index) => ({ f, index })).sort((a, b) => rank(a.f) - rank(b.f));
  const kept = new Set<number>();
  let budget = maxBytes - base;
  for (const { f, index } of order) {
    const cost = jsonBytes(f) + 1; // and its comma
    if (cost > budget) break;
    budget -= cost;
    kept.add(index);
  }
  const findings = result.findings.filter((_, index) => kept.has(index));
  findings.push(truncationFinding(agent, total - findings.length, total, maxBytes));
  return { ...result, findings };
}
