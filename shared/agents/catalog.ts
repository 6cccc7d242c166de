/**
 * The agents' catalog: each agent's metadata, and its code on first use. The
 * lightest view of the agents: no input schema and no agent code is loaded, so
 * a command that runs one agent (`aiops analyze <agent>`) loads that agent
 * alone and validates with the schema its definition carries. ./registry.ts
 * adds every agent's input schema for what needs them all at once (the API,
 * input validation before an execution is queued). Import from each agent only
 * its meta.ts here, never its schema.ts, index.ts or analyze.ts.
 */
import {
  AgentExecutionError,
  AgentValidationError,
  AiopsError,
  ResourceNotFoundError,
} from '../core/errors.js';
import { fieldErrors } from '../core/validation.js';
import { metadata as anomalyDetector } from './anomaly-detector/meta.js';
import { metadata as cicdOptimizer } from './cicd-optimizer/meta.js';
import { metadata as codeReviewer } from './code-reviewer/meta.js';
import { metadata as complianceChecker } from './compliance-checker/meta.js';
import { metadata as configDriftDetector } from './config-drift-detector/meta.js';
import type {
  AgentContext,
  AgentDefinition,
  AgentMetadata,
  AgentResult,
  AgentRunner,
  FilesRun,
  SourceFile,
} from './contract.js';
import { metadata as costOptimizer } from './cost-optimizer/meta.js';
import { metadata as dbQueryAnalyzer } from './db-query-analyzer/meta.js';
import { metadata as dependencyAnalyzer } from './dependency-analyzer/meta.js';
import { metadata as disasterRecovery } from './disaster-recovery/meta.js';
import { metadata as k8sOptimizer } from './k8s-optimizer/meta.js';
import { metadata as logAnalyzer } from './log-analyzer/meta.js';
import { metadata as performanceAnalyzer } from './performance-analyzer/meta.js';
import { metadata as releaseManager } from './release-manager/meta.js';
import { metadata as securityScanner } from './security-scanner/meta.js';
import { metadata as slaMonitor } from './sla-monitor/meta.js';
import { metadata as testGenerator } from './test-generator/meta.js';

export interface CatalogEntry extends AgentMetadata {
  load(): Promise<AgentDefinition>;
}

/** An agent's metadata now, its code on first use. Each row names its `import()` literally so that bundlers split it off. */
function catalogEntry<I, O extends AgentResult>(
  metadata: AgentMetadata,
  load: () => Promise<{ default: AgentDefinition<I, O> }>,
): CatalogEntry {
  return { ...metadata, load: () => load().then((m) => m.default as AgentDefinition) };
}

const ENTRIES: readonly CatalogEntry[] = [
  catalogEntry(anomalyDetector, () => import('./anomaly-detector/index.js')),
  catalogEntry(cicdOptimizer, () => import('./cicd-optimizer/index.js')),
  catalogEntry(codeReviewer, () => import('./code-reviewer/index.js')),
  catalogEntry(complianceChecker, () => import('./compliance-checker/index.js')),
  catalogEntry(configDriftDetector, () => import('./config-drift-detector/index.js')),
  catalogEntry(costOptimizer, () => import('./cost-optimizer/index.js')),
  catalogEntry(disasterRecovery, () => import('./disaster-recovery/index.js')),
  catalogEntry(dbQueryAnalyzer, () => import('./db-query-analyzer/index.js')),
  catalogEntry(dependencyAnalyzer, () => import('./dependency-analyzer/index.js')),
  catalogEntry(k8sOptimizer, () => import('./k8s-optimizer/index.js')),
  catalogEntry(logAnalyzer, () => import('./log-analyzer/index.js')),
  catalogEntry(performanceAnalyzer, () => import('./performance-analyzer/index.js')),
  catalogEntry(releaseManager, () => import('./release-manager/index.js')),
  catalogEntry(securityScanner, () => import('./security-scanner/index.js')),
  catalogEntry(slaMonitor, () => import('./sla-monitor/index.js')),
  catalogEntry(testGenerator, () => import('./test-generator/index.js')),
];

const BY_NAME = new Map(ENTRIES.map((entry) => [entry.name, Object.freeze(entry)]));
const SORTED = [...BY_NAME.values()].sort((a, b) => (a.name < b.name ? -1 : 1));

/** Every agent's catalog entry, by name. */
export function listCatalog(): CatalogEntry[] {
  return [...SORTED];
}

export function catalogEntryOf(name: string): CatalogEntry | undefined {
  return BY_NAME.get(name);
}

export function requireCatalogEntry(name: string): CatalogEntry {
  const entry = BY_NAME.get(name);
  if (entry === undefined) {
    throw new ResourceNotFoundError(`Unknown agent: ${name}`, { details: { agent: name } });
  }
  return entry;
}

export async function loadAgent(name: string): Promise<AgentDefinition> {
  const entry = requireCatalogEntry(name);
  try {
    return await entry.load();
  } catch (error) {
    throw new AgentExecutionError(`The code of agent ${name} could not be loaded`, {
      cause: error,
      details: { agent: name },
    });
  }
}

/** Parses an agent input with `schema`, or throws AgentValidationError with one field error per problem (`input.<path>`). */
export function parseAgentInput(name: string, schema: AgentDefinition['input'], input: unknown): unknown {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const errors = fieldErrors(parsed.error.issues, 'input');
  const count = errors.length === 1 ? '1 invalid field' : `${errors.length} invalid fields`;
  throw new AgentValidationError(`The input of agent ${name} has ${count}; see errors.`, errors, {
    details: { agent: name },
  });
}

/**
 * Runs an agent on a validated input, then checks the result against the
 * agent's output schema: a result that breaks it is a bug in the agent,
 * reported as AgentExecutionError and never passed on.
 */
export async function analyzeChecked(
  agent: AgentDefinition,
  parsed: unknown,
  context: AgentContext,
): Promise<AgentResult> {
  const name = agent.name;
  let result: AgentResult;
  try {
    result = await agent.analyze(parsed, { agents: filesRunner(context), ...context });
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

/** Loads an agent, validates the input with the schema its definition carries, runs it and checks its result. */
export async function runCatalogAgent(
  name: string,
  input: unknown,
  context: AgentContext,
): Promise<AgentResult> {
  const agent = await loadAgent(name);
  return analyzeChecked(agent, parseAgentInput(name, agent.input, input), context);
}

const IGNORE_FILE = /(?:^|\/)\.aiopsignore$/;

/**
 * The catalog as an AgentRunner (contract.ts): what a composing agent gets in
 * its context to run another agent on files, the way `aiops analyze` feeds it
 * (its `accepts`, then its `fromFiles`), validated and checked like any run.
 */
function filesRunner(context: AgentContext): AgentRunner {
  return {
    async runOnFiles(name: string, files: readonly SourceFile[]): Promise<FilesRun | undefined> {
      const agent = await loadAgent(name);
      if (agent.fromFiles === undefined) return undefined;
      const accepts = agent.accepts ?? (() => true);
      const read = files.filter((file) => IGNORE_FILE.test(file.path) || accepts(file.path));
      if (read.every((file) => IGNORE_FILE.test(file.path))) return undefined;
      const input = agent.reportsSkippedFiles ? agent.fromFiles(read, []) : agent.fromFiles(read);
      const result = await analyzeChecked(agent, parseAgentInput(name, agent.input, input), context);
      return { result, files: read.map((file) => file.path) };
    },
  };
}
