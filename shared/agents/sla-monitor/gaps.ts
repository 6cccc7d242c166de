/**
 * Holes in an SLO's data: the resolution of the series (the median interval
 * between its timestamps), the intervals in the SLO window longer than two
 * steps, and data that ends well before the run. A window with a hole is
 * measured on fewer events than it spans, so the agent says where the holes
 * are instead of letting them pass as good minutes.
 */

export interface Gap {
  /** The last timestamp before the hole and the first after it. */
  from: number;
  to: number;
}

/** The median interval between consecutive timestamps, in minutes; 1 with fewer than two. */
export function resolutionMinutes(times: readonly number[]): number {
  const diffs: number[] = [];
  for (let i = 1; i < times.length; i += 1) diffs.push(((times[i] ?? 0) - (times[i - 1] ?? 0)) / 60_000);
  if (diffs.length === 0) return 1;
  diffs.sort((a, b) => a - b);
  return diffs[Math.floor(diffs.length / 2)] ?? 1;
}

/** Intervals longer than two steps between timestamps after `since`. */
export function findGaps(times: readonly number[], stepMinutes: number, since: number): Gap[] {
  const gaps: Gap[] = [];
  const limit = 2 * stepMinutes * 60_000;
  for (let i = 1; i < times.length; i += 1) {
    const from = times[i - 1] ?? 0;
    const to = times[i] ?? 0;
    if (to > since && to - from > limit) gaps.push({ from, to });
  }
  return gaps;
}

/** Minutes the data ends before `now`, when that is more than two steps and 15 minutes; else undefined. */
export function staleMinutes(end: number, now: number, stepMinutes: number): number | undefined {
  const behind = (now - end) / 60_000;
  return behind > Math.max(2 * stepMinutes, 15) ? behind : undefined;
}
