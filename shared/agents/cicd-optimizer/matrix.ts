/**
 * How many jobs a `strategy.matrix` starts, by GitHub's rules: the product of
 * the axes, less the combinations an `exclude` entry matches, plus each
 * `include` entry that cannot extend any existing combination without
 * overwriting one of its axis values (those become combinations of their own).
 * A matrix built by an expression (`${{ fromJSON(…) }}`) has no size to read.
 */
import { isJson, type Json } from './pipelines.js';

export interface MatrixSize {
  combinations: number;
  axes: { name: string; values: number }[];
  excluded: number;
  included: number;
}

/** Above this many combinations the product is counted, not enumerated. */
const ENUMERATION_LIMIT = 10_000;

type Combination = Readonly<Record<string, unknown>>;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function matches(combination: Combination, entry: Json): boolean {
  return Object.entries(entry).every(
    ([key, value]) => !(key in combination) || same(combination[key], value),
  );
}

export function matrixSize(matrix: Json): MatrixSize | undefined {
  const axes = Object.entries(matrix).filter(([key]) => key !== 'include' && key !== 'exclude');
  if (axes.some(([, values]) => !Array.isArray(values))) return undefined;
  const lists = axes.map(([name, values]) => [name, values as unknown[]] as const);
  const product = lists.reduce((n, [, values]) => n * values.length, lists.length === 0 ? 0 : 1);
  const excludes = Array.isArray(matrix.exclude) ? matrix.exclude.filter(isJson) : [];
  const includes = Array.isArray(matrix.include) ? matrix.include.filter(isJson) : [];
  const summary = lists.map(([name, values]) => ({ name, values: values.length }));
  if (product > ENUMERATION_LIMIT) {
    return {
      combinations: product - excludes.length + includes.length,
      axes: summary,
      excluded: excludes.length,
      included: includes.length,
    };
  }
  let combinations: Combination[] = lists.length === 0 ? [] : [{}];
  for (const [name, values] of lists) {
    combinations = combinations.flatMap((c) => values.map((value) => ({ ...c, [name]: value })));
  }
  const kept = combinations.filter(
    (c) => !excludes.some((entry) => Object.entries(entry).every(([key, value]) => same(c[key], value))),
  );
  const axisNames = new Set(lists.map(([name]) => name));
  const added = includes.filter((entry) => {
    const axisPart = Object.fromEntries(Object.entries(entry).filter(([key]) => axisNames.has(key)));
    return !kept.some((c) => matches(c, axisPart)) || kept.length === 0;
  }).length;
  return {
    combinations: kept.length + added,
    axes: summary,
    excluded: combinations.length - kept.length,
    included: added,
  };
}
