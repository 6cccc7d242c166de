/**
 * No function over 80 lines in shared/agents (#15): an agent's analysis reads
 * as named steps, each short enough to review at once.
 */
import { describe, expect, it } from '@jest/globals';
import { functionLengths } from '../helpers/function-length.js';

const root = new URL('../..', import.meta.url).pathname;
const LIMIT = 80;

describe('function length', () => {
  it(`keeps every function in shared/agents at ${LIMIT} lines or fewer`, () => {
    const lengths = functionLengths(`${root}shared/agents`, root);
    const over = lengths
      .filter((f) => f.lines > LIMIT)
      .map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`);
    expect(over).toEqual([]);
  });

  it('measures a function from its first line to its last', () => {
    const lengths = functionLengths(`${root}test/helpers`, root);
    const measured = lengths.find((f) => f.name === 'functionLengths');
    expect(measured?.lines).toBeGreaterThan(10);
    expect(measured?.file).toBe('test/helpers/function-length.ts');
  });
});
