/**
 * The workflows the API starts: each one's request body (zod, also the OpenAPI
 * and GET /v1/workflows schema) and how a request becomes the agent steps its
 * state machine runs. The state machines themselves are in shared/workflows.
 */
import * as z from 'zod';
import { ValidationError } from '../../core/errors.js';
import type { WorkflowName } from '../../workflows/index.js';
import { refsIn, stepOf } from './refs.js';

/** Steps of one chain: each runs to completion before the next, within one Lambda timeout each. */
export const MAX_CHAIN_STEPS = 10;
/**
 * Items of one batch. Each item's small result passes through the Map state,
 * so the batch stays far below Step Functions' 256 KiB state limit.
 */
export const MAX_BATCH_ITEMS = 200;

const required = (what: string) => z.unknown().refine((v) => v !== undefined, `${what} is required`);
const agentName = z.string().min(1).max(100);
const stepName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be 1–63 lower-case letters, digits or -, starting with a letter');

export const chainAnalysisRequest = z
  .strictObject({
    input: z
      .unknown()
      .optional()
      .describe('Shared input the steps may reference, e.g. { "$ref": "request.input.series" }.'),
    steps: z
      .array(
        z.strictObject({
          name: stepName.describe('Names the step in references (steps.<name>…) and in the run.'),
          agent: agentName,
          input: required('input').describe(
            'The agent\'s input; any value may be { "$ref": "request.…" } or { "$ref": "steps.<earlier step>.result…" }.',
          ),
        }),
      )
      .min(1)
      .max(MAX_CHAIN_STEPS),
  })
  .superRefine((request, ctx) => {
    const seen = new Set<string>();
    request.steps.forEach((step, i) => {
      if (seen.has(step.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'name'],
          message: `"${step.name}" names two steps`,
        });
      }
      seen.add(step.name);
    });
  });

export const incidentTriageRequest = z.strictObject({
  logs: required('logs').describe('log-analyzer input: { lines } or { text }, or an object reference.'),
  metrics: required('metrics').describe(
    'anomaly-detector input: { points } or { cloudwatch }, with `metric`.',
  ),
  lookbackMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15)
    .describe('How long before an anomaly a log signal may start and still count as its cause.'),
});

export const batchAnalysisRequest = z.strictObject({
  agent: agentName,
  items: z.array(required('an item')).min(1).max(MAX_BATCH_ITEMS).describe('One agent input per item.'),
});

export type ChainAnalysisRequest = z.output<typeof chainAnalysisRequest>;
export type IncidentTriageRequest = z.output<typeof incidentTriageRequest>;
export type BatchAnalysisRequest = z.output<typeof batchAnalysisRequest>;

/** An agent step of a run, its input as requested (references not yet resolved). */
export interface AgentStep {
  name: string;
  position: number;
  agent: string;
  input: unknown;
  /** Where the input sits in the request, for error messages. */
  where: string;
  /** Where the agent's name sits in the request (or the workflow's own choice). */
  agentWhere: string;
}

export interface WorkflowEntry {
  name: WorkflowName;
  description: string;
  request: z.ZodType;
  /** The agent steps, in order; `Begin` answers how many (chain) or which (batch) run. */
  agentSteps(request: unknown): AgentStep[];
  /** A step of the run that is not an agent execution (correlation, aggregation). */
  finalStep?: (request: unknown) => { name: string; position: number };
}

export const WORKFLOWS: Readonly<Record<WorkflowName, WorkflowEntry>> = {
  'chain-analysis': {
    name: 'chain-analysis',
    description:
      "Runs agents one after another; a step's input may reference the request and earlier steps' results.",
    request: chainAnalysisRequest,
    agentSteps: (request) =>
      (request as ChainAnalysisRequest).steps.map((s, i) => ({
        name: s.name,
        position: i,
        agent: s.agent,
        input: s.input,
        where: `steps[${i}].input`,
        agentWhere: `steps[${i}].agent`,
      })),
  },
  'incident-triage': {
    name: 'incident-triage',
    description:
      'Analyses logs (log-analyzer) and a metric (anomaly-detector) in parallel, then ranks root-cause ' +
      'candidates by how their timing and evidence line up with the metric anomalies.',
    request: incidentTriageRequest,
    agentSteps: (request) => {
      const r = request as IncidentTriageRequest;
      return [
        {
          name: 'logs',
          position: 0,
          agent: 'log-analyzer',
          input: r.logs,
          where: 'logs',
          agentWhere: 'logs',
        },
        {
          name: 'metrics',
          position: 1,
          agent: 'anomaly-detector',
          input: r.metrics,
          where: 'metrics',
          agentWhere: 'metrics',
        },
      ];
    },
    finalStep: () => ({ name: 'correlate', position: 2 }),
  },
  'batch-analysis': {
    name: 'batch-analysis',
    description:
      'Runs one agent over many inputs, a few at a time, and sums the finding counts by severity; ' +
      "an item's failure is recorded and the batch goes on.",
    request: batchAnalysisRequest,
    agentSteps: (request) => {
      const r = request as BatchAnalysisRequest;
      return r.items.map((input, i) => ({
        name: itemStepName(i),
        position: i,
        agent: r.agent,
        input,
        where: `items[${i}]`,
        agentWhere: 'agent',
      }));
    },
    finalStep: (request) => ({ name: 'aggregate', position: (request as BatchAnalysisRequest).items.length }),
  },
};

export function itemStepName(index: number): string {
  return `item-${index}`;
}

/**
 * References a step may make: to the request and to earlier steps only. The
 * problems found, as field errors (a reference to a later step could never
 * resolve, so it is refused when the run is requested).
 */
export function referenceProblems(steps: readonly AgentStep[]): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const earlier = new Set<string>();
  for (const step of steps) {
    for (const ref of refsIn(step.input, step.where)) {
      try {
        const target = stepOf(ref.path, ref.where);
        if (target !== undefined && !earlier.has(target.step)) {
          problems.push({
            path: ref.where,
            message: `$ref "${ref.path}": "${target.step}" is not a step before "${step.name}"`,
          });
        }
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        problems.push(...error.errors);
      }
    }
    earlier.add(step.name);
  }
  return problems;
}

/** An input with no reference anywhere in it can be checked against the agent's schema when requested. */
export function hasRefs(input: unknown): boolean {
  return refsIn(input).length > 0;
}
