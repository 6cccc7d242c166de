/**
 * Trace analyses: the critical path (PERF006) and N+1 call patterns (PERF005).
 *
 * Critical path, as Jaeger computes it: children are first clipped to their
 * parent (a child that starts after its parent ended is async follow-up work
 * and dropped). Walking back from the end of a span, the child that finishes
 * last at or before the cursor is on the path; the gap between its end and
 * the cursor is the parent's own time; the walk descends into that child and
 * continues from the child's start. A child that overlaps the chosen one
 * (ends after it started) ran concurrently and did not delay the parent.
 */
import type { Span, Trace } from './spans.js';
import { round } from './statistics.js';

export interface PathEntry {
  spanId: string;
  name: string;
  service?: string;
  durationMs: number;
  onPathMs: number;
  sharePercent: number;
}

export interface TraceShape {
  root: Span;
  durationMs: number;
  children: Map<string, Span[]>;
}

interface Window {
  span: Span;
  start: number;
  end: number;
}

interface Segment {
  span: Span;
  start: number;
  end: number;
}

/** Deeper than this, the rest of a branch counts as its ancestor's own time (a guard, not a real limit). */
const MAX_DEPTH = 2000;

/** Root (the span without a parent in the trace that ends last) and the children of every span. */
export function shapeOf(trace: Trace): TraceShape | undefined {
  const ids = new Set(trace.spans.map((s) => s.spanId));
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  for (const span of trace.spans) {
    if (span.parentId === undefined || !ids.has(span.parentId) || span.parentId === span.spanId) {
      roots.push(span);
      continue;
    }
    const list = children.get(span.parentId) ?? [];
    list.push(span);
    children.set(span.parentId, list);
  }
  const root = roots.sort((a, b) => b.endMs - a.endMs || a.startMs - b.startMs)[0];
  if (root === undefined) return undefined;
  return { root, durationMs: root.endMs - root.startMs, children };
}

export function criticalPath(shape: TraceShape): PathEntry[] {
  const segments: Segment[] = [];
  const visited = new Set<string>();
  const walk = (window: Window, depth: number) => {
    visited.add(window.span.spanId);
    let cursor = window.end;
    const kids =
      depth >= MAX_DEPTH
        ? []
        : (shape.children.get(window.span.spanId) ?? [])
            .filter((child) => !visited.has(child.spanId))
            .map((child) => ({
              span: child,
              start: Math.max(child.startMs, window.start),
              end: Math.min(child.endMs, window.end),
            }))
            .filter((child) => child.end > child.start)
            .sort((a, b) => b.end - a.end || a.start - b.start || (a.span.spanId < b.span.spanId ? -1 : 1));
    for (const kid of kids) {
      if (kid.end > cursor || kid.start >= cursor) continue;
      if (cursor > kid.end) segments.push({ span: window.span, start: kid.end, end: cursor });
      walk(kid, depth + 1);
      cursor = kid.start;
    }
    if (cursor > window.start) segments.push({ span: window.span, start: window.start, end: cursor });
  };
  walk({ span: shape.root, start: shape.root.startMs, end: shape.root.endMs }, 0);

  const bySpan = new Map<string, { span: Span; first: number; onPathMs: number }>();
  for (const segment of segments) {
    const entry = bySpan.get(segment.span.spanId) ?? {
      span: segment.span,
      first: segment.start,
      onPathMs: 0,
    };
    entry.first = Math.min(entry.first, segment.start);
    entry.onPathMs += segment.end - segment.start;
    bySpan.set(segment.span.spanId, entry);
  }
  return [...bySpan.values()]
    .sort((a, b) => a.first - b.first)
    .map(({ span, onPathMs }) => ({
      spanId: span.spanId,
      name: span.name,
      ...(span.service === undefined ? {} : { service: span.service }),
      durationMs: round(span.endMs - span.startMs, 3),
      onPathMs: round(onPathMs, 3),
      sharePercent: shape.durationMs > 0 ? round((onPathMs / shape.durationMs) * 100, 1) : 0,
    }));
}

/** A SQL statement without literals, comments, parameter styles or IN-list lengths, lower-cased. */
export function sqlFingerprint(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\$\d+/g, '?')
    .replace(/\b\d+(?:\.\d+)?\b/g, '?')
    .replace(/\(\s*\?(?:\s*,\s*\?)*\s*\)/g, '(?)')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** A URL path with ids (numbers, UUIDs, long hex or mixed tokens) replaced by {id}. */
export function routeOfPath(path: string): string {
  return path
    .split('?')[0]
    ?.split('/')
    .map((part) =>
      /^\d+$/.test(part) ||
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(part) ||
      /^[0-9a-f]{12,}$/i.test(part) ||
      (part.length >= 10 && /\d/.test(part) && /^[\w-]+$/.test(part))
        ? '{id}'
        : part,
    )
    .join('/') as string;
}

export interface CallResource {
  /** What the calls have in common (the grouping key). */
  key: string;
  /** How a finding names it: the SQL fingerprint, `GET host/route`, `DynamoDB.GetItem users`. */
  label: string;
  type: 'db' | 'http' | 'rpc';
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Which resource a span calls, from OpenTelemetry semantic conventions (X-Ray fields are mapped to them). */
export function callResource(span: Span): CallResource | undefined {
  const a = span.attributes;
  if (span.kind === 'server') return undefined;
  const statement = str(a['db.statement']) ?? str(a['db.query.text']);
  if (statement !== undefined) {
    const fingerprint = sqlFingerprint(statement);
    const system = str(a['db.system']) ?? str(a['db.system.name']) ?? 'db';
    const database = str(a['db.name']) ?? str(a['db.namespace']) ?? '';
    return { key: `db|${system}|${database}|${fingerprint}`, label: fingerprint, type: 'db' };
  }
  const outbound = span.kind === 'client' || span.kind === 'producer';
  const rpcMethod = str(a['rpc.method']);
  if (rpcMethod !== undefined && outbound) {
    const service = str(a['rpc.service']) ?? span.name.split('.')[0] ?? '';
    const target = str(a['aws.resource']) ?? '';
    const label = `${service}.${rpcMethod}${target === '' ? '' : ` ${target}`}`;
    return { key: `rpc|${label}`, label, type: 'rpc' };
  }
  const urlText = str(a['url.full']) ?? str(a['http.url']);
  const httpMethod = (str(a['http.request.method']) ?? str(a['http.method']))?.toUpperCase();
  if (!outbound && urlText === undefined) return undefined;
  let host = str(a['server.address']) ?? str(a['net.peer.name']) ?? '';
  let route = str(a['url.template']) ?? str(a['http.route']);
  if (urlText !== undefined) {
    try {
      const url = new URL(urlText);
      if (host === '') host = url.host;
      route ??= routeOfPath(url.pathname);
    } catch {
      route ??= routeOfPath(urlText);
    }
  }
  if (route === undefined || httpMethod === undefined) return undefined;
  const label = `${httpMethod} ${host}${route}`;
  return { key: `http|${label}`, label, type: 'http' };
}

export interface RepeatedCalls {
  parent: Span;
  resource: CallResource;
  calls: number;
  /** Σ of the calls' durations. */
  totalMs: number;
  /** Wall time the calls cover together (overlaps counted once). */
  wallMs: number;
  /** The most calls that ran at once (1: strictly one after another). */
  maxConcurrent: number;
}

function coverage(spans: readonly Span[]): { wallMs: number; maxConcurrent: number } {
  const sorted = [...spans].sort((a, b) => a.startMs - b.startMs);
  let wallMs = 0;
  let runEnd = Number.NEGATIVE_INFINITY;
  for (const span of sorted) {
    if (span.startMs >= runEnd) {
      wallMs += span.endMs - span.startMs;
      runEnd = span.endMs;
    } else if (span.endMs > runEnd) {
      wallMs += span.endMs - runEnd;
      runEnd = span.endMs;
    }
  }
  const events = sorted.flatMap((s) => [
    { at: s.startMs, delta: 1 },
    { at: s.endMs, delta: -1 },
  ]);
  // Ends before starts at the same instant: back-to-back calls are sequential.
  events.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let open = 0;
  let maxConcurrent = 0;
  for (const event of events) {
    open += event.delta;
    maxConcurrent = Math.max(maxConcurrent, open);
  }
  return { wallMs, maxConcurrent };
}

/** Sibling spans calling one resource, `min` times or more under the same parent. */
export function repeatedCalls(trace: Trace, shape: TraceShape, min: number): RepeatedCalls[] {
  const byId = new Map(trace.spans.map((s) => [s.spanId, s]));
  const found: RepeatedCalls[] = [];
  for (const [parentId, kids] of shape.children) {
    const parent = byId.get(parentId);
    if (parent === undefined || kids.length < min) continue;
    const groups = new Map<string, { resource: CallResource; spans: Span[] }>();
    for (const kid of kids) {
      const resource = callResource(kid);
      if (resource === undefined) continue;
      const group = groups.get(resource.key) ?? { resource, spans: [] };
      group.spans.push(kid);
      groups.set(resource.key, group);
    }
    for (const { resource, spans } of groups.values()) {
      if (spans.length < min) continue;
      found.push({
        parent,
        resource,
        calls: spans.length,
        totalMs: round(
          spans.reduce((sum, s) => sum + (s.endMs - s.startMs), 0),
          3,
        ),
        ...coverage(spans),
      });
    }
  }
  return found;
}
