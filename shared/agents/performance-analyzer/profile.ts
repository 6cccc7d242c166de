/**
 * Self and total time per function in V8 CPU profiles (PERF007). A sample's
 * duration is the interval to the next sample (`timeDeltas[i + 1]`, the last
 * one up to `endTime`), as Chrome DevTools measures it; a profile without
 * samples and timeDeltas falls back to hit counts × the mean interval.
 * Functions are aggregated by name, script URL, line and column over every
 * node (the same function reached through different callers) and profile;
 * total time counts a recursive function once per stack.
 */
import type { CpuProfile } from './schema.js';

export interface FunctionTime {
  functionName: string;
  url: string;
  /** 1-based (callFrame.lineNumber is 0-based); absent when V8 does not know it. */
  line?: number;
  column?: number;
  selfMs: number;
  totalMs: number;
}

export interface ProfileTimes {
  functions: FunctionTime[];
  /** Every sampled millisecond but `(idle)`. */
  busyMs: number;
  idleMs: number;
  samples: number;
}

/** V8's pseudo-frames that are not code to optimise. */
const NOT_CODE = new Set(['(root)', '(idle)', '(program)']);

export function isCode(functionName: string): boolean {
  return !NOT_CODE.has(functionName);
}

type ProfileNode = CpuProfile['nodes'][number];

function keyOf(node: ProfileNode): string {
  const f = node.callFrame;
  return JSON.stringify([f.functionName, f.url, f.lineNumber, f.columnNumber ?? -1]);
}

/** Microseconds of samples per node id. */
function selfMicros(profile: CpuProfile): { self: Map<number, number>; samples: number } {
  const self = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  if (
    samples !== undefined &&
    samples.length > 0 &&
    timeDeltas !== undefined &&
    timeDeltas.length === samples.length
  ) {
    let at = profile.startTime;
    const stamps = timeDeltas.map((delta) => {
      at += Math.max(0, delta);
      return at;
    });
    for (const [i, id] of samples.entries()) {
      const next =
        i + 1 < stamps.length ? (stamps[i + 1] as number) : Math.max(profile.endTime, stamps[i] as number);
      self.set(id, (self.get(id) ?? 0) + (next - (stamps[i] as number)));
    }
    return { self, samples: samples.length };
  }
  const hits = new Map<number, number>();
  if (samples !== undefined && samples.length > 0)
    for (const id of samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  else for (const node of profile.nodes) hits.set(node.id, node.hitCount ?? 0);
  const total = [...hits.values()].reduce((a, b) => a + b, 0);
  const interval = total > 0 ? Math.max(0, profile.endTime - profile.startTime) / total : 0;
  for (const [id, count] of hits) self.set(id, count * interval);
  return { self, samples: total };
}

export function profileTimes(profile: CpuProfile): ProfileTimes {
  const { self, samples } = selfMicros(profile);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const childIds = new Set(profile.nodes.flatMap((n) => n.children ?? []));
  const roots = profile.nodes.filter((n) => !childIds.has(n.id));

  const functions = new Map<string, FunctionTime>();
  const entryOf = (node: ProfileNode): FunctionTime => {
    const key = keyOf(node);
    let entry = functions.get(key);
    if (entry === undefined) {
      const f = node.callFrame;
      entry = {
        functionName: f.functionName === '' ? '(anonymous)' : f.functionName,
        url: f.url,
        ...(f.lineNumber >= 0 ? { line: f.lineNumber + 1 } : {}),
        ...(f.columnNumber !== undefined && f.columnNumber >= 0 ? { column: f.columnNumber + 1 } : {}),
        selfMs: 0,
        totalMs: 0,
      };
      functions.set(key, entry);
    }
    return entry;
  };

  // Inclusive time per node, children before parents (an explicit stack: profiles can be deep).
  const inclusive = new Map<number, number>();
  const order: ProfileNode[] = [];
  const seen = new Set<number>();
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop() as ProfileNode;
    if (seen.has(node.id)) continue;
    seen.add(node.id);
    order.push(node);
    for (const id of node.children ?? []) {
      const child = byId.get(id);
      if (child !== undefined) stack.push(child);
    }
  }
  for (const node of [...order].reverse()) {
    let sum = self.get(node.id) ?? 0;
    for (const id of node.children ?? []) sum += inclusive.get(id) ?? 0;
    inclusive.set(node.id, sum);
  }

  // Total per function: a node counts unless an ancestor is the same function (recursion).
  const walk: { node: ProfileNode; open: Set<string> }[] = roots.map((node) => ({
    node,
    open: new Set<string>(),
  }));
  const counted = new Set<number>();
  while (walk.length > 0) {
    const { node, open } = walk.pop() as { node: ProfileNode; open: Set<string> };
    if (counted.has(node.id)) continue;
    counted.add(node.id);
    const key = keyOf(node);
    const entry = entryOf(node);
    entry.selfMs += (self.get(node.id) ?? 0) / 1000;
    if (!open.has(key)) entry.totalMs += (inclusive.get(node.id) ?? 0) / 1000;
    const below = open.has(key) ? open : new Set([...open, key]);
    for (const id of node.children ?? []) {
      const child = byId.get(id);
      if (child !== undefined) walk.push({ node: child, open: below });
    }
  }

  let idleMs = 0;
  let allMs = 0;
  for (const entry of functions.values()) {
    allMs += entry.selfMs;
    if (entry.functionName === '(idle)') idleMs += entry.selfMs;
  }
  return { functions: [...functions.values()], busyMs: allMs - idleMs, idleMs, samples };
}
