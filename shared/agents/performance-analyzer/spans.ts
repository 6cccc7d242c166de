/**
 * OTLP/JSON and X-Ray traces read into one span model: ids, parent, name,
 * service, start and end in milliseconds, and the attributes that say which
 * resource a span calls (SQL statement, downstream route, RPC method, AWS
 * operation).
 */
import type { OtlpDocument, OtlpKeyValue, OtlpResourceSpans, XrayDocument } from './schema.js';

export type Attributes = Record<string, string | number | boolean>;

export type SpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

export interface Span {
  traceId: string;
  spanId: string;
  parentId?: string;
  name: string;
  service?: string;
  kind?: SpanKind;
  startMs: number;
  endMs: number;
  attributes: Attributes;
}

export interface Trace {
  traceId: string;
  source: 'otlp' | 'xray';
  file?: string;
  spans: Span[];
}

/** A problem with part of a document (e.g. an X-Ray segment that is not JSON). */
export interface TraceProblem {
  message: string;
}

function attributeValue(kv: OtlpKeyValue): string | number | boolean | undefined {
  const v = kv.value;
  if (v === undefined) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  return undefined;
}

function attributesOf(list: readonly OtlpKeyValue[] | undefined): Attributes {
  const out: Attributes = {};
  for (const kv of list ?? []) {
    const value = attributeValue(kv);
    if (value !== undefined) out[kv.key] = value;
  }
  return out;
}

/** Nanoseconds since the epoch (string or number) as milliseconds, to the microsecond. */
function nanosToMs(value: string | number): number {
  const nanos = typeof value === 'number' ? BigInt(Math.trunc(value)) : BigInt(value);
  return Number(nanos / 1000n) / 1000;
}

const OTLP_KINDS: readonly (SpanKind | undefined)[] = [
  undefined,
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];

/** SpanKind as the enum number (OTLP/JSON) or its name (`SPAN_KIND_CLIENT`, some exporters). */
function kindOf(kind: string | number | undefined): SpanKind | undefined {
  if (typeof kind === 'number') return OTLP_KINDS[kind];
  const name = kind?.toLowerCase().replace(/^span_kind_/, '');
  return OTLP_KINDS.find((k) => k === name);
}

/** An all-zero or empty parent id means "no parent" in OTLP. */
function parentOf(id: string | undefined): string | undefined {
  return id === undefined || id === '' || /^0+$/.test(id) ? undefined : id;
}

export function otlpTraces(document: OtlpDocument, file?: string): Trace[] {
  const groups = (
    'resourceSpans' in document ? document.resourceSpans : document.batches
  ) as readonly OtlpResourceSpans[];
  const byTrace = new Map<string, Span[]>();
  for (const group of groups) {
    const resource = attributesOf(group.resource?.attributes);
    const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : undefined;
    for (const scope of [...(group.scopeSpans ?? []), ...(group.instrumentationLibrarySpans ?? [])]) {
      for (const raw of scope.spans ?? []) {
        const parentId = parentOf(raw.parentSpanId);
        const kind = kindOf(raw.kind);
        const span: Span = {
          traceId: raw.traceId,
          spanId: raw.spanId,
          ...(parentId === undefined ? {} : { parentId }),
          name: raw.name,
          ...(service === undefined ? {} : { service }),
          ...(kind === undefined ? {} : { kind }),
          startMs: nanosToMs(raw.startTimeUnixNano),
          endMs: Math.max(nanosToMs(raw.startTimeUnixNano), nanosToMs(raw.endTimeUnixNano)),
          attributes: attributesOf(raw.attributes),
        };
        const list = byTrace.get(span.traceId) ?? [];
        list.push(span);
        byTrace.set(span.traceId, list);
      }
    }
  }
  return [...byTrace.entries()].map(([traceId, spans]) => ({
    traceId,
    source: 'otlp' as const,
    ...(file === undefined ? {} : { file }),
    spans,
  }));
}

interface XraySubsegment {
  id?: unknown;
  name?: unknown;
  start_time?: unknown;
  end_time?: unknown;
  in_progress?: unknown;
  namespace?: unknown;
  parent_id?: unknown;
  trace_id?: unknown;
  origin?: unknown;
  http?: { request?: { method?: unknown; url?: unknown }; response?: { status?: unknown } };
  sql?: { sanitized_query?: unknown; url?: unknown; database_type?: unknown };
  aws?: Record<string, unknown>;
  subsegments?: unknown;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** X-Ray fields as OpenTelemetry semantic-convention attributes, so one resource key serves both. */
function xrayAttributes(doc: XraySubsegment): Attributes {
  const out: Attributes = {};
  const put = (key: string, value: unknown) => {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      out[key] = value;
  };
  put('xray.namespace', doc.namespace);
  put('xray.origin', doc.origin);
  put('http.request.method', doc.http?.request?.method);
  put('url.full', doc.http?.request?.url);
  put('http.response.status_code', doc.http?.response?.status);
  put('db.statement', doc.sql?.sanitized_query);
  put('db.system', doc.sql?.database_type);
  put('server.address', doc.sql?.url);
  if (doc.aws !== undefined) {
    put('rpc.method', doc.aws.operation);
    put(
      'aws.resource',
      doc.aws.table_name ?? doc.aws.queue_url ?? doc.aws.bucket_name ?? doc.aws.function_name,
    );
  }
  return out;
}

/**
 * Segments and their nested subsegments as spans. A segment names its parent
 * (a subsegment of the calling service) in `parent_id`; times are seconds.
 * An in-progress (sub)segment without an end time is left out.
 */
export function xrayTraces(
  document: XrayDocument,
  file?: string,
): { traces: Trace[]; problems: TraceProblem[] } {
  const traces: Trace[] = [];
  const problems: TraceProblem[] = [];
  for (const [index, raw] of document.Traces.entries()) {
    const spans: Span[] = [];
    let traceId = raw.Id;
    const visit = (
      doc: XraySubsegment,
      parentId: string | undefined,
      service: string | undefined,
      segment: boolean,
    ) => {
      const id = text(doc.id);
      const start = doc.start_time;
      const end = doc.end_time;
      if (id === undefined || typeof start !== 'number' || typeof end !== 'number') return;
      const name = text(doc.name) ?? id;
      // A segment is the service answering; remote and AWS subsegments are its calls out.
      const remote = doc.namespace === 'remote' || doc.namespace === 'aws';
      const kind: SpanKind = segment ? 'server' : remote ? 'client' : 'internal';
      spans.push({
        traceId: traceId ?? '',
        spanId: id,
        ...(parentId === undefined ? {} : { parentId }),
        name,
        ...(service === undefined ? {} : { service }),
        kind,
        startMs: start * 1000,
        endMs: Math.max(start, end) * 1000,
        attributes: xrayAttributes(doc),
      });
      if (Array.isArray(doc.subsegments)) {
        for (const child of doc.subsegments as XraySubsegment[]) visit(child, id, service, false);
      }
    };
    for (const segment of raw.Segments) {
      let doc: XraySubsegment;
      try {
        doc = JSON.parse(segment.Document) as XraySubsegment;
      } catch {
        problems.push({ message: `trace ${raw.Id ?? index + 1}: segment ${segment.Id ?? '?'} is not JSON` });
        continue;
      }
      if (doc === null || typeof doc !== 'object') continue;
      traceId ??= text(doc.trace_id);
      visit(doc, text(doc.parent_id), text(doc.name), true);
    }
    for (const span of spans) span.traceId = traceId ?? `xray-${index + 1}`;
    if (spans.length > 0) {
      traces.push({
        traceId: traceId ?? `xray-${index + 1}`,
        source: 'xray',
        ...(file === undefined ? {} : { file }),
        spans,
      });
    }
  }
  return { traces, problems };
}
