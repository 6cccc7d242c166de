/** The ASL definitions: valid, JSONPath only, and every Task retried on retryable errors and caught. */

import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { TASK_ERRORS, TASK_NAMES } from '../../../shared/app/workflows/tasks.js';
import {
  allStates,
  RETRYABLE_TASK_ERROR,
  renderDefinition,
  SUBSTITUTIONS,
  TASK_MAX_ATTEMPTS,
  taskStateNames,
  WORKFLOW_NAMES,
  workflowDefinition,
} from '../../../shared/workflows/index.js';

/** asl-validator ships no types: its one function, as its README documents it. */
const aslValidator = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:aiops-prod-workflow-task';

describe.each(WORKFLOW_NAMES)('%s', (name) => {
  const definition = renderDefinition(name, { WorkflowTaskFunctionArn: ARN });
  const tasks = allStates(definition).filter(([, state]) => state.Type === 'Task');

  it('is valid Amazon States Language once its placeholders are filled', () => {
    // Act
    const { isValid, errorsText } = aslValidator(definition);

    // Assess
    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
  });

  it('uses JSONPath and inline maps only, and names only the known placeholders', () => {
    const text = JSON.stringify(workflowDefinition(name));
    expect(text).not.toMatch(/QueryLanguage|JSONata|"DISTRIBUTED"|ItemReader|\{%/);
    const placeholders = new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    expect([...placeholders]).toEqual([...SUBSTITUTIONS]);
    expect(JSON.stringify(definition)).not.toContain('${');
  });

  it('invokes the task function directly from every Task state, with a task the function knows', () => {
    expect(tasks.length).toBeGreaterThanOrEqual(4);
    for (const [, state] of tasks) {
      expect(state.Resource).toBe(ARN);
      const task = (state.Parameters as { task?: string }).task;
      expect(TASK_NAMES).toContain(task);
    }
    expect(taskStateNames(definition).sort()).toEqual(tasks.map(([n]) => n).sort());
  });

  it.each(tasks.map(([stateName, state]) => [stateName, state] as const))(
    'Task %s retries retryable errors with backoff and catches everything',
    (_stateName, state) => {
      // Assess: retries only what another attempt can fix; the task counts the same attempts.
      const [retrier] = state.Retry ?? [];
      expect(state.Retry).toHaveLength(1);
      expect(retrier?.ErrorEquals).toContain(RETRYABLE_TASK_ERROR);
      expect(retrier?.ErrorEquals).toContain('Lambda.TooManyRequestsException');
      expect(retrier?.ErrorEquals).not.toContain('States.ALL');
      expect(retrier?.ErrorEquals).not.toContain(TASK_ERRORS.stepFailed);
      expect((retrier?.MaxAttempts ?? 0) + 1).toBe(TASK_MAX_ATTEMPTS);
      expect(retrier).toMatchObject({ BackoffRate: 2, JitterStrategy: 'FULL' });
      expect(state.Catch?.map((c) => c.ErrorEquals)).toEqual([['States.ALL']]);
    },
  );

  it('ends every failure path in a Fail state through the task that records it', () => {
    const states = Object.fromEntries(allStates(definition));
    expect(states.RecordFailure?.Parameters).toMatchObject({ task: 'fail' });
    expect(states.RecordFailure?.Next).toBe('Failed');
    expect(states.Failed).toMatchObject({
      Type: 'Fail',
      ErrorPath: '$.failure.error',
      CausePath: '$.failure.cause',
    });
    expect(states.Complete?.Parameters).toMatchObject({ task: 'complete' });
    // Top-level Parallel and Map states hand their failures to the same recorder.
    for (const state of Object.values(definition.States).filter(
      (s) => s.Type === 'Parallel' || s.Type === 'Map',
    )) {
      expect(state.Catch?.[0]?.Next).toBe('RecordFailure');
    }
  });
});

it('caps the batch Map’s concurrency', () => {
  const map = workflowDefinition('batch-analysis').States.AnalyseItems;
  expect(map?.Type).toBe('Map');
  expect(map?.MaxConcurrency).toBe(5);
  expect(map?.ItemProcessor).toMatchObject({ ProcessorConfig: { Mode: 'INLINE' } });
});
