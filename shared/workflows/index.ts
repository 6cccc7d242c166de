/**
 * The Amazon States Language definitions (../../docs/architecture.md, Workflows): the one
 * source of truth that CDK deploys to Step Functions and that
 * aws-local-stepfunctions runs in process. JSONPath only, inline Map only.
 *
 * Imported as JSON modules, so tsx, jest, esbuild bundles and the CDK app all
 * carry the same files without reading the disk at run time.
 */
import batchAnalysis from './batch-analysis.asl.json' with { type: 'json' };
import chainAnalysis from './chain-analysis.asl.json' with { type: 'json' };
import incidentTriage from './incident-triage.asl.json' with { type: 'json' };

export const WORKFLOW_NAMES = ['chain-analysis', 'incident-triage', 'batch-analysis'] as const;
export type WorkflowName = (typeof WORKFLOW_NAMES)[number];

/** A state machine definition as JSON (the subset of ASL the code inspects is typed). */
export interface AslDefinition {
  Comment?: string;
  StartAt: string;
  States: Record<string, AslState>;
}

export interface AslState {
  Type: string;
  Resource?: string;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Branches?: AslDefinition[];
  ItemProcessor?: AslDefinition;
  [field: string]: unknown;
}

/**
 * The `${...}` placeholders of the definitions, filled by CDK's
 * `definitionSubstitutions` on AWS and by `renderDefinition` locally.
 */
export const SUBSTITUTIONS = ['WorkflowTaskFunctionArn'] as const;
export type Substitutions = Record<(typeof SUBSTITUTIONS)[number], string>;

/**
 * Errors a task throws when another attempt may succeed; the definitions retry
 * them (and Lambda's own transient errors) with backoff, and catch everything.
 */
export const RETRYABLE_TASK_ERROR = 'Aiops.Retryable';
/** Attempts of one task, the first included: the retrier's MaxAttempts + 1 (a test holds them equal). */
export const TASK_MAX_ATTEMPTS = 4;

const DEFINITIONS: Readonly<Record<WorkflowName, AslDefinition>> = {
  'chain-analysis': chainAnalysis as unknown as AslDefinition,
  'incident-triage': incidentTriage as unknown as AslDefinition,
  'batch-analysis': batchAnalysis as unknown as AslDefinition,
};

export function isWorkflowName(name: string): name is WorkflowName {
  return (WORKFLOW_NAMES as readonly string[]).includes(name);
}

/** The definition as stored, placeholders in place (for CDK, which substitutes them itself). */
export function workflowDefinition(name: WorkflowName): AslDefinition {
  return structuredClone(DEFINITIONS[name]);
}

/** The definition with every placeholder replaced, as Step Functions would hold it after deployment. */
export function renderDefinition(name: WorkflowName, substitutions: Substitutions): AslDefinition {
  const text = JSON.stringify(DEFINITIONS[name]).replace(/\$\{(\w+)\}/g, (whole, key: string) =>
    key in substitutions ? substitutions[key as keyof Substitutions] : whole,
  );
  return JSON.parse(text) as AslDefinition;
}

/** Every state of a definition, nested ones (Parallel branches, Map processors) included. */
export function allStates(definition: AslDefinition): [string, AslState][] {
  return Object.entries(definition.States).flatMap(([name, state]) => [
    [name, state] as [string, AslState],
    ...(state.Branches ?? []).flatMap(allStates),
    ...(state.ItemProcessor ? allStates(state.ItemProcessor) : []),
  ]);
}

/** Names of every Task state, nested ones included: each is mapped to the task handler when run locally. */
export function taskStateNames(definition: AslDefinition): string[] {
  return allStates(definition)
    .filter(([, state]) => state.Type === 'Task')
    .map(([name]) => name);
}
