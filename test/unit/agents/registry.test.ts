import { readFileSync } from 'node:fs';
import { describe, expect, it, jest } from '@jest/globals';
import { catalogEntryOf, listCatalog, runCatalogAgent } from '../../../shared/agents/catalog.js';
import { configDriftInputSchema } from '../../../shared/agents/config-drift-detector/schema.js';
import type { AgentContext } from '../../../shared/agents/contract.js';
import {
  getAgent,
  inputJsonSchema,
  listAgents,
  loadAgent,
  runAgent,
  validateAgentInput,
} from '../../../shared/agents/registry.js';
import { AgentValidationError, ResourceNotFoundError } from '../../../shared/core/errors.js';

const AGENT = 'config-drift-detector';

const context: AgentContext = {
  traceId: '1-67a2f3c4-9b8e7d6c5b4a39281706f5e4',
  now: new Date('2025-03-14T09:30:00Z'),
};

const STAGING = 'replicaCount: 2\nimage:\n  tag: "1.14.2"\ndatabase:\n  password: staging-Pa55\n';
const PRODUCTION = 'replicaCount: 6\nimage:\n  tag: "1.15.0"\ndatabase:\n  password: prod-Pa55-2025\n';

describe('agent registry', () => {
  describe('metadata', () => {
    it('lists the agents sorted by name, each with its metadata and input schema', () => {
      // Prepare: the registry as shipped.

      // Act
      const agents = listAgents();

      // Assess
      const names = agents.map((a) => a.name);
      expect(names).toEqual([...names].sort());
      expect(new Set(names).size).toBe(names.length);
      expect(agents.find((a) => a.name === AGENT)).toMatchObject({
        name: AGENT,
        version: '1.0.0',
        lane: 'agents',
        resources: { memoryMb: 512, timeoutSec: 30 },
        input: configDriftInputSchema,
      });
    });

    it('hands out copies of the list, so a caller cannot change the registry', () => {
      // Prepare
      const first = listAgents();

      // Act
      first.length = 0;

      // Assess
      expect(listAgents().length).toBeGreaterThan(0);
    });

    it.each([
      ['a known name', AGENT, true],
      ['an unknown name', 'log-analyser', false],
      ['a name in another case', 'Config-Drift-Detector', false],
    ])('getAgent finds %s: %s', (_case, name, found) => {
      // Prepare: the registry as shipped.

      // Act
      const entry = getAgent(name);

      // Assess
      expect(entry !== undefined).toBe(found);
    });

    it.each([
      ['registry.ts', /\/schema\.js$/, ['./contract.js', './catalog.js']],
      ['catalog.ts', /\/meta\.js$/, ['./contract.js']],
    ])("keeps agent code out of %s: it imports only each agent's %s statically", (module, allowed, own) => {
      // Prepare
      const source = readFileSync(new URL(`../../../shared/agents/${module}`, import.meta.url), 'utf8');

      // Act
      const staticImports = [...source.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);

      // Assess
      const agentImports = staticImports.filter((path) => path?.startsWith('./') && !own.includes(path));
      expect(agentImports.length).toBeGreaterThan(0);
      expect(agentImports.filter((path) => !allowed.test(path ?? ''))).toEqual([]);
    });

    it('lists the same agents, with the same metadata, in the catalog as in the registry', () => {
      // Act
      const catalog = listCatalog().map(({ load: _load, ...metadata }) => metadata);
      const registry = listAgents().map(({ load: _load, input: _input, ...metadata }) => metadata);

      // Assess
      expect(catalog).toEqual(registry);
      expect(catalogEntryOf('log-analyser')).toBeUndefined();
    });
  });

  describe('loadAgent', () => {
    it('loads the definition, with the same metadata and input schema as the entry', async () => {
      // Prepare
      const entry = getAgent(AGENT);

      // Act
      const definition = await loadAgent(AGENT);

      // Assess
      expect(definition.input).toBe(entry?.input);
      expect(typeof definition.analyze).toBe('function');
      const { name, version, description, lane, resources } = definition;
      expect({ name, version, description, lane, resources }).toEqual({
        name: entry?.name,
        version: entry?.version,
        description: entry?.description,
        lane: entry?.lane,
        resources: entry?.resources,
      });
    });

    it('rejects an unknown name with ResourceNotFoundError', async () => {
      // Prepare
      const name = 'kubernetes-analyzer';

      // Act
      const loading = loadAgent(name);

      // Assess
      await expect(loading).rejects.toBeInstanceOf(ResourceNotFoundError);
      await expect(loading).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND', status: 404 });
    });
  });

  describe('inputJsonSchema', () => {
    it('describes the input a caller sends: baseline and target as object or text, optional file names and criticalKeys', () => {
      // Prepare: the registry as shipped.

      // Act
      const schema = inputJsonSchema(AGENT);

      // Assess
      expect(schema).toMatchObject({
        type: 'object',
        required: ['baseline', 'target'],
        additionalProperties: false,
        properties: {
          baseline: { anyOf: [{ type: 'string' }, { type: 'object' }] },
          target: { anyOf: [{ type: 'string' }, { type: 'object' }] },
          baselinePath: { type: 'string' },
          targetPath: { type: 'string' },
          criticalKeys: { type: 'array', items: { type: 'string' } },
        },
      });
      expect(Object.keys(schema.properties ?? {})).toEqual([
        'baseline',
        'target',
        'baselinePath',
        'targetPath',
        'criticalKeys',
      ]);
    });

    it('computes the schema once', () => {
      // Prepare
      const first = inputJsonSchema(AGENT);

      // Act
      const second = inputJsonSchema(AGENT);

      // Assess
      expect(second).toBe(first);
    });

    it('rejects an unknown name with ResourceNotFoundError', () => {
      // Prepare
      const name = 'no-such-agent';

      // Act
      const act = () => inputJsonSchema(name);

      // Assess
      expect(act).toThrow(ResourceNotFoundError);
    });
  });

  describe('validateAgentInput', () => {
    it('returns the checked input: config text stays text (the analysis reads it with lines), as plain JSON', () => {
      // Prepare
      const input = { baseline: STAGING, target: { replicaCount: 2 } };

      // Act
      const parsed = validateAgentInput(AGENT, input);

      // Assess
      expect(parsed).toEqual({ baseline: STAGING, target: { replicaCount: 2 } });
      expect(JSON.parse(JSON.stringify(parsed))).toEqual(parsed);
    });

    it('reports one field error per problem, each path under input.', () => {
      // Prepare
      const input = { baseline: 'server:\n  port: 80\n bad: indent\n', criticalKeys: 'password' };

      // Act
      let thrown: unknown;
      try {
        validateAgentInput(AGENT, input);
      } catch (error) {
        thrown = error;
      }

      // Assess
      expect(thrown).toBeInstanceOf(AgentValidationError);
      const error = thrown as AgentValidationError;
      expect(error.status).toBe(400);
      expect(error.message).toBe(
        'The input of agent config-drift-detector has 3 invalid fields; see errors.',
      );
      expect(error.errors.map((e) => e.path)).toEqual([
        'input.baseline',
        'input.target',
        'input.criticalKeys',
      ]);
      expect(error.errors[0]?.message).toMatch(
        /^baseline is not valid JSON or YAML: .* at line 3, column 1$/,
      );
    });

    it('rejects input that is not an object at all at input', () => {
      // Prepare
      const input = 'replicaCount: 2';

      // Act
      const act = () => validateAgentInput(AGENT, input);

      // Assess
      expect(act).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ path: 'input' })] }));
    });

    it('rejects an unknown agent with ResourceNotFoundError', () => {
      // Prepare
      const name = 'sql-optimiser';

      // Act
      const act = () => validateAgentInput(name, {});

      // Assess
      expect(act).toThrow(ResourceNotFoundError);
    });
  });

  describe('runAgent', () => {
    it('validates, loads and runs the agent, returning a result that passed its output schema', async () => {
      // Prepare
      const input = { baseline: STAGING, target: PRODUCTION };

      // Act
      const result = await runAgent(AGENT, input, context);

      // Assess
      expect(result.findings.map((f) => [f.severity, f.ruleId, f.resource?.name])).toEqual([
        ['critical', 'DRIFT003', 'database.password'],
        ['high', 'DRIFT005', 'replicaCount'],
        ['low', 'DRIFT003', 'image.tag'],
      ]);
      expect(result.metrics).toEqual({ missing: 0, extra: 0, changed: 3, critical: 1 });
      expect(JSON.stringify(result)).not.toMatch(/Pa55/);
    });

    it('rejects invalid input before running anything', async () => {
      // Prepare
      const input = { baseline: STAGING };

      // Act
      const running = runAgent(AGENT, input, context);

      // Assess
      await expect(running).rejects.toBeInstanceOf(AgentValidationError);
      await expect(running).rejects.toMatchObject({ errors: [{ path: 'input.target' }] });
    });

    it('rejects an unknown agent with ResourceNotFoundError', async () => {
      // Prepare
      const name = 'chaos-monkey';

      // Act
      const running = runAgent(name, {}, context);

      // Assess
      await expect(running).rejects.toBeInstanceOf(ResourceNotFoundError);
    });
  });

  describe('runCatalogAgent (one agent, validated with the schema its definition carries)', () => {
    it('runs the agent as runAgent does', async () => {
      // Prepare
      const input = { baseline: STAGING, target: PRODUCTION };

      // Act
      const fromCatalog = await runCatalogAgent(AGENT, input, context);
      const fromRegistry = await runAgent(AGENT, input, context);

      // Assess
      expect(fromCatalog).toEqual(fromRegistry);
    });

    it('reports invalid input as runAgent does: AgentValidationError with a field error per problem', async () => {
      // Prepare
      const input = { baseline: STAGING };

      // Act
      const running = runCatalogAgent(AGENT, input, context);

      // Assess
      await expect(running).rejects.toBeInstanceOf(AgentValidationError);
      await expect(running).rejects.toMatchObject({
        message: 'The input of agent config-drift-detector has 1 invalid field; see errors.',
        errors: [{ path: 'input.target' }],
      });
    });

    it('rejects an unknown agent with ResourceNotFoundError', async () => {
      // Act
      const running = runCatalogAgent('chaos-monkey', {}, context);

      // Assess
      await expect(running).rejects.toBeInstanceOf(ResourceNotFoundError);
    });
  });

  describe('runAgent with a misbehaving agent', () => {
    const agentModule = '../../../shared/agents/config-drift-detector/index.js';
    let misbehave: () => unknown = () => undefined;

    /** A fresh registry whose agent analyze calls `misbehave`; error classes come from the same module graph. */
    async function isolatedRegistry() {
      jest.resetModules();
      const real = await import(agentModule);
      jest.unstable_mockModule(agentModule, () => ({
        default: { ...real.default, analyze: () => misbehave() },
      }));
      const registry = await import('../../../shared/agents/registry.js');
      const errors = await import('../../../shared/core/errors.js');
      return { registry, errors };
    }

    it('turns a result that breaks the output schema into AgentExecutionError', async () => {
      // Prepare
      const { registry, errors } = await isolatedRegistry();
      misbehave = () => ({ summary: 'ok', findings: 'none' });

      // Act
      const running = registry.runAgent(AGENT, { baseline: {}, target: {} }, context);

      // Assess
      await expect(running).rejects.toBeInstanceOf(errors.AgentExecutionError);
      await expect(running).rejects.toMatchObject({
        code: 'AGENT_EXECUTION_FAILED',
        details: {
          agent: AGENT,
          issues: expect.arrayContaining([expect.objectContaining({ path: 'findings' })]),
        },
      });
    });

    it('wraps an unexpected crash in AgentExecutionError, keeping the cause', async () => {
      // Prepare
      const { registry, errors } = await isolatedRegistry();
      const crash = new TypeError("Cannot read properties of undefined (reading 'port')");
      misbehave = () => {
        throw crash;
      };

      // Act
      const running = registry.runAgent(AGENT, { baseline: {}, target: {} }, context);

      // Assess
      await expect(running).rejects.toBeInstanceOf(errors.AgentExecutionError);
      await expect(running).rejects.toMatchObject({ cause: crash });
    });

    it("passes the project's own errors through unchanged", async () => {
      // Prepare
      const { registry, errors } = await isolatedRegistry();
      const refusal = new errors.TokenLimitError('input too large to analyse');
      misbehave = () => {
        throw refusal;
      };

      // Act
      const running = registry.runAgent(AGENT, { baseline: {}, target: {} }, context);

      // Assess
      await expect(running).rejects.toBe(refusal);
    });
  });
});
