/**
 * Grouping accuracy (Zhu et al., "Tools and Benchmarks for Automated Log
 * Parsing", ICSE-SEIP 2019), computed as logpai's evaluator does: a line
 * counts as parsed correctly when the set of lines sharing its predicted
 * group is exactly the set of lines sharing its true group. Lines whose true
 * event id is empty are left out, from both sides.
 */
import { ValidationError } from '../../core/errors.js';

export function groupingAccuracy(truth: readonly string[], predicted: readonly string[]): number {
  if (truth.length !== predicted.length) {
    throw new ValidationError(
      `Grouping accuracy needs one prediction per line: ${truth.length} truths, ${predicted.length} predictions`,
    );
  }
  const truthSize = new Map<string, number>();
  /** Per predicted group: its size and the single true group it has seen so far, or null once mixed. */
  const groups = new Map<string, { size: number; truth: string | null }>();
  let total = 0;
  truth.forEach((trueId, i) => {
    if (trueId === '') return;
    total++;
    truthSize.set(trueId, (truthSize.get(trueId) ?? 0) + 1);
    const predictedId = predicted[i] ?? '';
    const group = groups.get(predictedId);
    if (!group) groups.set(predictedId, { size: 1, truth: trueId });
    else {
      group.size++;
      if (group.truth !== trueId) group.truth = null;
    }
  });
  if (total === 0) return 0;
  let correct = 0;
  for (const group of groups.values()) {
    if (group.truth !== null && truthSize.get(group.truth) === group.size) correct += group.size;
  }
  return correct / total;
}
