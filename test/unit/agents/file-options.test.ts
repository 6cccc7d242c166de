import { describe, expect, it } from '@jest/globals';
import { inputJsonSchema, listAgents, loadAgent } from '../../../shared/agents/registry.js';

/** Options `aiops analyze` defines itself; an agent's file option must not shadow them. */
const CLI_OPTIONS = ['input', 'format', 'fail-on', 'help'];

describe.each(listAgents().map((agent) => [agent.name]))('%s file options', (name) => {
  it('are declared in its metadata, where the CLI reads them without loading the agent', async () => {
    // Prepare
    const entry = listAgents().find((a) => a.name === name);

    // Act
    const definition = await loadAgent(name);

    // Assess: the same list on the registry entry (meta.ts) as on the definition.
    expect(entry?.fileOptions).toEqual(definition.fileOptions);
  });

  it('name lower-case flags of their own and fields of the input', () => {
    // Prepare
    const options = listAgents().find((a) => a.name === name)?.fileOptions ?? [];
    const properties = Object.keys(inputJsonSchema(name).properties ?? {});

    // Assess
    for (const option of options) {
      expect(option.flag).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(CLI_OPTIONS).not.toContain(option.flag);
      expect(properties).toContain(option.field);
      expect(option.description.length).toBeGreaterThan(0);
    }
  });
});
