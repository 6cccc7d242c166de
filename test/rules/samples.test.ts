/**
 * Every rule's samples, gitleaks style: each bad sample must give an open
 * finding of the rule (at the sample's line when it names one), each good
 * sample none. The samples live with the rules (defineRules in
 * shared/agents/scan/catalog.ts), so a rule cannot be added without them, and
 * run through the whole agent as a user's input would.
 */
import { describe, expect, it } from '@jest/globals';
import type { AgentResult } from '../../shared/agents/contract.js';
import { listAgents, loadAgent, runAgent } from '../../shared/agents/registry.js';
import type { RuleSample } from '../../shared/agents/scan/catalog.js';

// db-query-analyzer's samples and fixtures start its embedded name-check database.

const agents = await Promise.all(listAgents().map((entry) => loadAgent(entry.name)));
const catalogs = agents.flatMap((agent) =>
  agent.rules === undefined ? [] : [{ agent, catalog: agent.rules }],
);

async function run(agentName: string, sample: RuleSample): Promise<AgentResult> {
  const agent = agents.find((a) => a.name === agentName);
  if (agent === undefined) throw new Error(`no agent ${agentName}`);
  let input: unknown;
  if ('input' in sample) input = sample.input;
  else {
    const files = 'files' in sample ? sample.files : [{ path: sample.path, content: sample.content }];
    if (agent.fromFiles === undefined)
      throw new Error(`${agentName} reads no files; give the sample as input`);
    input = agent.fromFiles(files, []);
  }
  return runAgent(agentName, input, { traceId: 'rule-samples', now: new Date('2026-06-01T12:00:00Z') });
}

const cases = catalogs.flatMap(({ agent, catalog }) =>
  catalog.rules.flatMap((rule) => [
    ...rule.samples.bad.map((sample, i) => [agent.name, rule.id, 'bad', i, sample] as const),
    ...rule.samples.good.map((sample, i) => [agent.name, rule.id, 'good', i, sample] as const),
  ]),
);

describe('rule samples', () => {
  it('every agent declares its rules, each with a bad and a good sample', () => {
    expect(agents.filter((agent) => agent.rules === undefined).map((agent) => agent.name)).toEqual([]);
    for (const { catalog } of catalogs) {
      for (const rule of catalog.rules) {
        expect([rule.id, rule.samples.bad.length > 0, rule.samples.good.length > 0]).toEqual([
          rule.id,
          true,
          true,
        ]);
      }
    }
  });

  it.each(cases)(
    '%s %s %s sample %d',
    async (agentName, ruleId, kind, _index, sample) => {
      const result = await run(agentName, sample);
      const hits = result.findings.filter((f) => f.ruleId === ruleId && !f.suppressed);
      if (kind === 'good') {
        expect(hits.map((f) => f.message)).toEqual([]);
        return;
      }
      expect(hits.length).toBeGreaterThan(0);
      if (sample.line !== undefined) expect(hits.map((f) => f.resource?.line)).toContain(sample.line);
    },
    60_000,
  );
});
