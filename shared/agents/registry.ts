/**
 * The agent registry: metadata and input schemas only (../../docs/architecture.md, The
 * agent contract). An agent's code is imported on first use, so whatever
 * bundles this module (the API) carries no analysis engine. Import from each
 * agent only its meta.ts and schema.ts here, never index.ts or analyze.ts.
 */
import * as z from 'zod';
import {
  AgentExecutionError,
  AgentValidationError,
  AiopsError,
  ResourceNotFoundError,
} from '../core/errors.js';
import { fieldErrors } from '../core/validation.js';
import { metadata as anomalyDetector } from './anomaly-detector/meta.js';
import { anomalyInputSchema } from './anomaly-detector/schema.js';
import { metadata as codeReviewer } from './code-reviewer/meta.js';
import { codeReviewInputSchema } from './code-reviewer/schema.js';
import { metadata as configDriftDetector } from './config-drift-detector/meta.js';
import { configDriftInputSchema } from './config-drift-detector/schema.js';
import type { AgentContext, AgentDefinition, AgentMetadata, AgentResult } from './contract.js';
import { metadata as costOptimizer } from './cost-optimizer/meta.js';
import { costInputSchema } from './cost-optimizer/schema.js';
import { metadata as dbQueryAnalyzer } from './db-query-analyzer/meta.js';
import { dbQueryInputSchema } from './db-query-analyzer/schema.js';
import { metadata as disasterRecovery } from './disaster-recovery/meta.js';
import { drInputSchema } from './disaster-recovery/schema.js';
import { metadata as k8sOptimizer } from './k8s-optimizer/meta.js';
import { k8sOptimizerInputSchema } from './k8s-optimizer/schema.js';
import { metadata as logAnalyzer } from './log-analyzer/meta.js';
import { logAnalyzerInputSchema } from './log-analyzer/schema.js';
import { metadata as performanceAnalyzer } from './performance-analyzer/meta.js';
import { performanceInputSchema } from './performance-analyzer/schema.js';
import { metadata as securityScanner } from './security-scanner/meta.js';
import { securityInputSchema } from './security-scanner/schema.js';
import { metadata as testGenerator } from './test-generator/meta.js';
import { testGeneratorInputSchema } from './test-generator/schema.js';

export interface AgentEntry extends AgentMetadata {
  /** The same schema the agent's definition carries, available without loading its code. */
  readonly input: z.ZodType;
  load(): Promise<AgentDefinition>;
}

export type AgentInputJsonSchema = z.core.JSONSchema.BaseSchema;

/**
 * An agent's entry: metadata and input schema now, its code on first use.
 * Each row names its `import()` literally so that bundlers split it off.
 */
function agentEntry<I, O extends AgentResult>(
  metadata: AgentMetadata,
  input: z.ZodType,
  load: () => Promise<{ default: AgentDefinition<I, O> }>,
): AgentEntry {
  return { ...metadata, input, load: () => load().then((m) => m.default as AgentDefinition) };
}

const ENTRIES: readonly AgentEntry[] = [
  agentEntry(anomalyDetector, anomalyInputSchema, () => import('./anomaly-detector/index.js')),
  agentEntry(codeReviewer, codeReviewInputSchema, () => import('./code-reviewer/index.js')),
  agentEntry(configDriftDetector, configDriftInputSchema, () => import('./config-drift-detector/index.js')),
  agentEntry(costOptimizer, costInputSchema, () => import('./cost-optimizer/index.js')),
  agentEntry(disasterRecovery, drInputSchema, () => import('./disaster-recovery/index.js')),
  agentEntry(dbQueryAnalyzer, dbQueryInputSchema, () => import('./db-query-analyzer/index.js')),
  agentEntry(k8sOptimizer, k8sOptimizerInputSchema, () => import('./k8s-optimizer/index.js')),
  agentEntry(logAnalyzer, logAnalyzerInputSchema, () => import('./log-analyzer/index.js')),
  agentEntry(performanceAnalyzer, performanceInputSchema, () => import('./performance-analyzer/index.js')),
  agentEntry(securityScanner, securityInputSchema, () => import('./security-scanner/index.js')),
  agentEntry(testGenerator, testGeneratorInputSchema, () => import('./test-generator/index.js')),
];

const BY_NAME = new Map(ENTRIES.map((entry) => [entry.name, Object.freeze(entry)]));
const SORTED = [...BY_NAME.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
const jsonSchemas = new Map<string, AgentInputJsonSchema>();

export function listAgents(): AgentEntry[] {
  return [...SORTED];
}

export function getAgent(name: string): AgentEntry | undefined {
  return BY_NAME.get(name);
}

function requireAgent(name: string): AgentEntry {
  const entry = BY_NAME.get(name);
  if (entry === undefined) {
    throw new ResourceNotFoundError(`Unknown agent: ${name}`, { details: { agent: name } });
  }
  return entry;
}

export async function loadAgent(name: string): Promise<AgentDefinition> {
  const entry = requireAgent(name);
  try {
    return await entry.load();
  } catch (error) {
    throw new AgentExecutionError(`The code of agent ${name} could not be loaded`, {
      cause: error,
      details: { agent: name },
    });
  }
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
  const parsed = requireAgent(name).input.safeParse(input);
  if (parsed.success) return parsed.data;
  const errors = fieldErrors(parsed.error.issues, 'input');
  const count = errors.length === 1 ? '1 invalid field' : `${errors.length} invalid fields`;
  throw new AgentValidationError(`The input of agent ${name} has ${count}; see errors.`, errors, {
    details: { agent: name },
  });
}

/**
 * Validates the input, loads the agent and runs it, then checks the result
 * against the agent's output schema: a result that breaks it is a bug in the
 * agent, reported as AgentExecutionError and never passed on.
 */
export async function runAgent(name: string, input: unknown, context: AgentContext): Promise<AgentResult> {
  const parsed = validateAgentInput(name, input);
  const agent = await loadAgent(name);
  let result: AgentResult;
  try {
    result = await agent.analyze(parsed, context);
  } catch (error) {
    if (error instanceof AiopsError) throw error;
    throw new AgentExecutionError(`Agent ${name} failed`, { cause: error, details: { agent: name } });
  }
  const checked = agent.output.safeParse(result);
  if (!checked.success) {
    throw new AgentExecutionError(`Agent ${name} returned a result that breaks its output schema`, {
      cause: checked.error,
      details: {
        agent: name,
        version: agent.version,
        issues: checked.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.'),
          message: issue.message,
        })),
      },
    });
  }
  return checked.data;
}
