/**
 * The compliance mappings reviewed as data: every rule a check names exists
 * in its agent's catalog, every mapped control is in its framework's list,
 * no list is empty, titles and rationales are one short line, and no check
 * is left unmapped.
 */
import { describe, expect, it } from '@jest/globals';
import { catalogEntryOf, loadAgent } from '../../../shared/agents/catalog.js';
import { agentOfCheck, CHECKS, type CheckId } from '../../../shared/agents/compliance-checker/checks.js';
import { SOURCE_AGENTS } from '../../../shared/agents/compliance-checker/inputs.js';
import { FRAMEWORK_IDS, FRAMEWORKS } from '../../../shared/agents/compliance-checker/mappings/index.js';
import { metadata } from '../../../shared/agents/compliance-checker/meta.js';

const checkIds = Object.keys(CHECKS) as CheckId[];
const agentNames = [...new Set(checkIds.map(agentOfCheck))];
const catalogs = new Map(
  await Promise.all(agentNames.map(async (name) => [name, (await loadAgent(name)).rules] as const)),
);

describe('compliance mappings', () => {
  it.each(checkIds)('check %s names only rules of its agent', (id) => {
    // Prepare
    const catalog = catalogs.get(agentOfCheck(id));

    // Act
    const missing = CHECKS[id].rules.filter((rule: string) =>
      rule.endsWith('*')
        ? !catalog?.rules.some((r) => r.id.startsWith(rule.slice(0, -1)))
        : catalog?.has(rule) !== true,
    );

    // Assess
    expect(catalog).toBeDefined();
    expect(missing).toEqual([]);
  });

  it.each(FRAMEWORKS.map((f) => [f.id, f] as const))('%s maps only its own controls', (_id, framework) => {
    // Prepare
    const ids = framework.controls.map((c) => c.id);

    // Act
    const unknown = framework.mappings.filter((m) => !ids.includes(m.control)).map((m) => m.control);
    const unknownChecks = framework.mappings.filter((m) => !(m.check in CHECKS)).map((m) => m.check);

    // Assess
    expect(framework.controls.length).toBeGreaterThan(0);
    expect(framework.mappings.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    expect(unknown).toEqual([]);
    expect(unknownChecks).toEqual([]);
  });

  it('gives every control a short title and every mapping a one-line rationale', () => {
    // Act
    const titles = FRAMEWORKS.flatMap((f) => f.controls.map((c) => c.title));
    const rationales = FRAMEWORKS.flatMap((f) => f.mappings.map((m) => m.rationale));

    // Assess
    expect(titles.filter((t) => t.length === 0 || t.length > 80 || t.includes('\n'))).toEqual([]);
    expect(rationales.filter((r) => r.length === 0 || r.length > 120 || r.includes('\n'))).toEqual([]);
  });

  it('maps every check to at least one control, once per control', () => {
    // Act
    const used = new Set(FRAMEWORKS.flatMap((f) => f.mappings.map((m) => m.check)));
    const repeated = FRAMEWORKS.flatMap((f) =>
      f.mappings.filter(
        (m, i) => f.mappings.findIndex((o) => o.control === m.control && o.check === m.check) !== i,
      ),
    );

    // Assess
    expect(checkIds.filter((id) => !used.has(id))).toEqual([]);
    expect(repeated).toEqual([]);
  });

  it('lists the policy ids of exactly the frameworks it maps', () => {
    expect(FRAMEWORKS.map((f) => f.id)).toEqual([...FRAMEWORK_IDS]);
  });

  it('declares every source agent it runs as composed, so its Lambda bundle carries their code', () => {
    // Prepare
    const composed = SOURCE_AGENTS.map((name) => catalogEntryOf(name));

    // Assess
    expect(metadata.composes).toEqual([...SOURCE_AGENTS]);
    expect([...(metadata.nodeModules ?? [])].sort()).toEqual(
      [...new Set(composed.flatMap((entry) => entry?.nodeModules ?? []))].sort(),
    );
  });
});
