/** The step runner's references: paths into the request and earlier steps, and errors that say where they stop. */
import { describe, expect, it } from '@jest/globals';
import { referenceProblems } from '../../../shared/app/workflows/catalog.js';
import { lookup, refsIn, resolveRefs, stepOf } from '../../../shared/app/workflows/refs.js';
import { ValidationError } from '../../../shared/core/errors.js';

const context = {
  request: { input: { series: [{ t: 1, v: 2 }], service: 'shop' } },
  steps: {
    logs: {
      result: {
        findings: [{ ruleId: 'LOG001' }, { ruleId: 'LOG003' }],
        templates: [
          { template: 'GET <*> 200', count: 5 },
          { template: 'Connection to <*> refused', count: 2 },
        ],
      },
      summary: '15 lines',
      executionId: 'e1',
    },
  },
};

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('resolveRefs', () => {
  it('replaces references to the request and to earlier steps, anywhere in the input', () => {
    // Act
    const input = resolveRefs(
      {
        points: { $ref: 'request.input.series' },
        context: {
          service: { $ref: 'request.input.service' },
          first: { $ref: 'steps.logs.result.findings[0].ruleId' },
        },
        list: [{ $ref: 'steps.logs.summary' }, 'literal', 3],
      },
      context,
    );

    // Assess
    expect(input).toEqual({
      points: [{ t: 1, v: 2 }],
      context: { service: 'shop', first: 'LOG001' },
      list: ['15 lines', 'literal', 3],
    });
  });

  it('maps [*] over an array, and reads .0 like [0]', () => {
    expect(lookup('steps.logs.result.templates[*].template', context)).toEqual([
      'GET <*> 200',
      'Connection to <*> refused',
    ]);
    expect(lookup('steps.logs.result.templates.1.count', context)).toBe(2);
  });

  it('leaves objects with $ref among other keys, and non-string $refs, as they are', () => {
    const value = { $ref: 'request.input', also: 1 };
    expect(resolveRefs({ a: value, b: { $ref: 7 } }, context)).toEqual({ a: value, b: { $ref: 7 } });
  });

  it.each([
    ['steps.logs.result.nope', '"nope" is not in steps.logs.result (keys findings, templates)'],
    ['steps.logs.result.findings[5]', 'steps.logs.result.findings has 2 item(s), no [5]'],
    ['request.input.service[0]', '[0] needs an array at request.input.service, which is a string'],
    ['request.input.service[*]', '[*] needs an array at request.input.service'],
    ['steps.metrics.result', '"metrics" is not in steps (keys logs)'],
    ['response.body', 'must start with `request` or `steps`'],
    ['request.input..x', 'cannot read "..x"'],
  ])('explains why %s names nothing, and where it sits', (path, message) => {
    // Act
    const error = errorOf(() =>
      resolveRefs({ target: { nested: { $ref: path } } }, context, 'steps[1].input'),
    );

    // Assess
    expect(error.message).toContain(message);
    expect(error.message).toContain(`"${path}"`);
    expect(error.errors[0]?.path).toBe('steps[1].input.target.nested');
  });
});

describe('what the runner reads before resolving', () => {
  it('lists every reference with where it sits', () => {
    expect(refsIn({ a: [{ $ref: 'request.x' }], b: { c: { $ref: 'steps.s.result' } } }, 'in')).toEqual([
      { path: 'request.x', where: 'in.a[0]' },
      { path: 'steps.s.result', where: 'in.b.c' },
    ]);
  });

  it('names the step a path reads and the field it reads of it', () => {
    expect(stepOf('steps.logs.result.findings')).toEqual({ step: 'logs', field: 'result' });
    expect(stepOf('request.input')).toBeUndefined();
    expect(errorOf(() => stepOf('steps.logs.output')).message).toContain('a step exposes result, summary');
    expect(errorOf(() => stepOf('steps[0]')).message).toContain('name a step');
  });

  it('refuses references to the same or a later step when the run is requested', () => {
    // Act
    const problems = referenceProblems([
      {
        name: 'a',
        position: 0,
        agent: 'x',
        input: { v: { $ref: 'steps.b.result' } },
        where: 'steps[0].input',
        agentWhere: '',
      },
      {
        name: 'b',
        position: 1,
        agent: 'x',
        input: { v: { $ref: 'steps.a.summary' }, w: { $ref: 'steps.b.result' } },
        where: 'steps[1].input',
        agentWhere: '',
      },
    ]);

    // Assess
    expect(problems).toEqual([
      { path: 'steps[0].input.v', message: '$ref "steps.b.result": "b" is not a step before "a"' },
      { path: 'steps[1].input.w', message: '$ref "steps.b.result": "b" is not a step before "b"' },
    ]);
  });
});
