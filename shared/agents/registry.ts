/**
 * The agent registry: metadata and input schemas only (../../docs/architecture.md, The
 * agent contract). An agent's code is imported on first use (./catalog.ts), so
 * whatever bundles this module (the API) carries no analysis engine. Import from
 * each agent only its schema.ts here, never index.ts or analyze.ts. What runs a
 * single agent without the others' schemas (the CLI) uses ./catalog.ts.
 */
import * as z from 'zod';
import { anomalyInputSchema } from './anomaly-detector/schema.js';
import {
  analyzeChecked,
  type CatalogEntry,
  listCatalog,
  loadAgent,
  parseAgentInput,
  requireCatalogEntry,
} from './catalog.js';
import { cicdInputSchema } from './cicd-optimizer/schema.js';
import { codeReviewInputSchema } from './code-reviewer/schema.js';
import { complianceInputSchema } from './compliance-checker/schema.js';
import { configDriftInputSchema } from './config-drift-detector/schema.js';
import type { AgentContext, AgentResult } from './contract.js';
import { costInputSchema } from './cost-optimizer/schema.js';
import { dbQueryInputSchema } from './db-query-analyzer/schema.js';
import { dependencyInputSchema } from './dependency-analyzer/schema.js';
import { drInputSchema } from './disaster-recovery/schema.js';
import { k8sOptimizerInputSchema } from './k8s-optimizer/schema.js';
import { logAnalyzerInputSchema } from './log-analyzer/schema.js';
import { performanceInputSchema } from './performance-analyzer/schema.js';
import { releaseInputSchema } from './release-manager/schema.js';
import { securityInputSchema } from './security-scanner/schema.js';
import { slaInputSchema } from './sla-monitor/schema.js';
import { testGeneratorInputSchema } from './test-generator/schema.js';

export { loadAgent };

export interface AgentEntry extends CatalogEntry {
  /** The same schema the agent's definition carries, available without loading its code. */
  readonly input: z.ZodType;
}

export type AgentInputJsonSchema = z.core.JSONSchema.BaseSchema;

/** Each agent's input schema, by name: every catalog entry has one (`withInput` fails at load otherwise). */
const INPUTS: Readonly<Record<string, z.ZodType>> = {
  'anomaly-detector': anomalyInputSchema,
  'cicd-optimizer': cicdInputSchema,
  'code-reviewer': codeReviewInputSchema,
  'compliance-checker': complianceInputSchema,
  'config-drift-detector': configDriftInputSchema,
  'cost-optimizer': costInputSchema,
  'disaster-recovery': drInputSchema,
  'db-query-analyzer': dbQueryInputSchema,
  'dependency-analyzer': dependencyInputSchema,
  'k8s-optimizer': k8sOptimizerInputSchema,
  'log-analyzer': logAnalyzerInputSchema,
  'performance-analyzer': performanceInputSchema,
  'release-manager': releaseInputSchema,
  'security-scanner': securityInputSchema,
  'sla-monitor': slaInputSchema,
  'test-generator': testGeneratorInputSchema,
};

function withInput(entry: CatalogEntry): AgentEntry {
  const input = INPUTS[entry.name];
  if (input === undefined) throw new Error(`The registry has no input schema for agent ${entry.name}`);
  return Object.freeze({ ...entry, input });
}

const SORTED: readonly AgentEntry[] = listCatalog().map(withInput);
const BY_NAME = new Map(SORTED.map((entry) => [entry.name, entry]));
const jsonSchemas = new Map<string, AgentInputJsonSchema>();

export function listAgents(): AgentEntry[] {
  return [...SORTED];
}

export function getAgent(name: string): AgentEntry | undefined {
  return BY_NAME.get(name);
}

function requireAgent(name: string): AgentEntry {
  requireCatalogEntry(name);
  return BY_NAME.get(name) as AgentEntry;
}

/** The JSON Schema of what a caller sends (before transforms), computed once per agent. */
export function inputJsonSchema(name: string): AgentInputJsonSchema {
  const cached = jsonSchemas.get(name);
  if (cached !== undefined) return cached;
  const schema = z.toJSONSchema(requireAgent(name).input, { io: 'input' });
  jsonSchemas.set(name, schema);
  return schema;
}

/** Parses an agent input, or throws AgentValidationError with one field error per problem (`input.<path>`). */
export function validateAgentInput(name: string, input: unknown): unknown {
  return parseAgentInput(name, requireAgent(name).input, input);
}

/**
 * Validates the input, loads the agent and runs it, then checks the result
 * against the agent's output schema: a result that breaks it is a bug in the
 * agent, reported as AgentExecutionError and never passed on.
 */
export async function runAgent(name: string, input: unknown, context: AgentContext): Promise<AgentResult> {
  const parsed = validateAgentInput(name, input);
  return analyzeChecked(await loadAgent(name), parsed, context);
}
