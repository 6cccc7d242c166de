import { describe, expect, it } from '@jest/globals';
import {
  compileLogFormat,
  contentOf,
  createMiner,
  groupingAccuracy,
} from '../../../../shared/analysis/logs/index.js';
import { ValidationError } from '../../../../shared/core/errors.js';
import { DATASETS, type Dataset, FORMATS, hasLoghub, rawLines, records, skipNote } from './loghub.js';

describe('groupingAccuracy', () => {
  it.each([
    ['a perfect grouping under other names', ['E1', 'E1', 'E2'], ['a', 'a', 'b'], 1],
    ['a true group split in two: both halves wrong', ['E1', 'E1', 'E2'], ['a', 'b', 'c'], 1 / 3],
    ['two true groups merged: all of them wrong', ['E1', 'E1', 'E2', 'E3'], ['a', 'a', 'a', 'b'], 1 / 4],
    ['lines without a true event left out', ['E1', '', 'E2', ''], ['a', 'a', 'b', 'b'], 1],
    ['no line with a true event', ['', ''], ['a', 'b'], 0],
  ])('scores %s', (_case, truth, predicted, expected) => {
    // Act
    const accuracy = groupingAccuracy(truth, predicted);

    // Assess
    expect(accuracy).toBeCloseTo(expected, 10);
  });

  it('needs one prediction per line', () => {
    // Act
    const attempt = () => groupingAccuracy(['E1', 'E2'], ['a']);

    // Assess
    expect(attempt).toThrow(ValidationError);
  });
});

const DRAIN: Record<Dataset, number> = {
  HDFS: 0.9975,
  Hadoop: 0.9475,
  Spark: 0.92,
  Zookeeper: 0.9665,
  BGL: 0.9625,
  Apache: 1,
  OpenSSH: 0.7875,
  Linux: 0.69,
};

(hasLoghub ? describe : describe.skip)(`on the shared Loghub samples${skipNote}`, () => {
  it.each(DATASETS)("reproduces the published grouping accuracy of Drain's output on %s", (dataset) => {
    // Prepare
    const truth = records(dataset, `${dataset}_2k.log_structured.csv`).map((r) => r.EventId ?? '');
    const drain = records(dataset, `../reference-results/Drain/${dataset}_2k.csv`).map(
      (r) => r.EventId ?? '',
    );

    // Act
    const accuracy = groupingAccuracy(truth, drain);

    // Assess
    expect(accuracy).toBeCloseTo(DRAIN[dataset], 4);
  });

  it.each(['Linux', 'Hadoop'] as const)(
    'mines %s end to end to a grouping accuracy of at least 0.98',
    (dataset) => {
      // Prepare
      const format = compileLogFormat(FORMATS[dataset]);
      const contents = rawLines(dataset).map((line) => contentOf(format, line));
      const truth = records(dataset, `${dataset}_2k.log_structured.csv`).map((r) => r.EventId ?? '');
      const miner = createMiner();

      // Act
      for (const content of contents) miner.add(content);
      const predicted = contents.map((content) => String(miner.match(content)?.templateId));

      // Assess
      expect(groupingAccuracy(truth, predicted)).toBeGreaterThanOrEqual(0.98);
    },
  );
});
