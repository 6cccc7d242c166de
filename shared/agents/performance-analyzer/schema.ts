/**
 * Input and output of performance-analyzer. Inputs arrive as files (path and
 * text, as `aiops analyze` reads them: OTLP/JSON and X-Ray trace `.json`,
 * `.cpuprofile`, endpoint statistics `.json`, `.aiopsignore`), told apart by
 * their shape, or inline: `endpoints`, `traces`, `profiles`, `baseline`, `slos`.
 * The same zod schemas check the inline values and the parsed files.
 */
import * as z from 'zod';
import { agentResultSchema } from '../contract.js';
import { filesField } from '../scan/files.js';
import { ignoreInputSchema } from '../suppressions.js';

/** The CLI reads files up to 10 MiB named on the command line; the API body is capped at 10 MB. */
const MAX_CONTENT_CHARS = 10_000_000;

const ms = z.number().nonnegative().max(86_400_000);
const route = z.string().trim().min(1).max(2000);
const method = z
  .string()
  .trim()
  .min(1)
  .max(16)
  .transform((m) => m.toUpperCase());

export const endpointStatSchema = z
  .object({
    method: method.describe('HTTP method (GET, POST, …).'),
    route: route.describe('Route template (`/v1/items/{id}`), as the router names it.'),
    count: z.number().int().nonnegative().optional().describe('Requests in the window (default: samples).'),
    windowSeconds: z.number().positive().max(31_536_000).optional(),
    p50Ms: ms.optional(),
    p95Ms: ms.optional(),
    p99Ms: ms.optional(),
    errors: z.number().int().nonnegative().optional().describe('Failed requests (5xx, and 4xx you count).'),
    meanResponseBytes: z.number().nonnegative().optional(),
    maxResponseBytes: z.number().nonnegative().optional(),
    cacheHeaders: z
      .array(z.string().max(1000))
      .max(100)
      .optional()
      .describe('Caching headers seen on its responses (`Cache-Control: max-age=60`, `ETag`, …).'),
    cacheable: z
      .boolean()
      .optional()
      .describe('false: its answers must never be reused (PERF002 does not apply).'),
    samplesMs: z
      .array(ms)
      .max(1_000_000)
      .optional()
      .describe('Current latency samples, tested against the baseline (PERF008).'),
  })
  .refine((e) => e.errors === undefined || e.count === undefined || e.errors <= e.count, {
    message: 'errors must not exceed count',
    path: ['errors'],
  });
export type EndpointStat = z.output<typeof endpointStatSchema>;

export const latencySamplesSchema = z.object({
  method: method.optional(),
  route,
  samplesMs: z.array(ms).min(1).max(1_000_000),
});
export type LatencySamples = z.output<typeof latencySamplesSchema>;

export const baselineSchema = z
  .union([
    z.array(latencySamplesSchema).max(50_000),
    z.object({ endpoints: z.array(latencySamplesSchema).max(50_000) }),
  ])
  .transform((value) => (Array.isArray(value) ? value : value.endpoints));

const routeSloSchema = z.object({
  method: method.optional(),
  route,
  p99Ms: ms.optional(),
  errorRatePercent: z.number().min(0).max(100).optional(),
});

export const slosSchema = z.object({
  p99Ms: ms.optional().describe('p99 SLO of every endpoint without its own (default 1000).'),
  errorRatePercent: z.number().min(0).max(100).optional().describe('Default 1.'),
  routes: z.array(routeSloSchema).max(10_000).optional(),
});
export type Slos = z.output<typeof slosSchema>;

/** OTLP/JSON: an AnyValue; nested arrays and maps are read as text. */
const anyValueSchema = z.looseObject({
  stringValue: z.string().optional(),
  intValue: z.union([z.string(), z.number()]).optional(),
  doubleValue: z.number().optional(),
  boolValue: z.boolean().optional(),
});
const keyValueSchema = z.object({ key: z.string(), value: anyValueSchema.optional() });
const unixNano = z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()]);

const otlpSpanSchema = z.looseObject({
  traceId: z.string().min(1).max(100),
  spanId: z.string().min(1).max(100),
  parentSpanId: z.string().max(100).optional(),
  name: z.string().max(2000),
  kind: z.union([z.number().int(), z.string()]).optional(),
  startTimeUnixNano: unixNano,
  endTimeUnixNano: unixNano,
  attributes: z.array(keyValueSchema).optional(),
});
const otlpScopeSpansSchema = z.looseObject({ spans: z.array(otlpSpanSchema).optional() });
const otlpResourceSpansSchema = z.looseObject({
  resource: z.looseObject({ attributes: z.array(keyValueSchema).optional() }).optional(),
  scopeSpans: z.array(otlpScopeSpansSchema).optional(),
  /** OTLP before 0.19 (and some exporters still). */
  instrumentationLibrarySpans: z.array(otlpScopeSpansSchema).optional(),
});
/** OTLP/JSON ExportTraceServiceRequest; Grafana Tempo answers with `batches`. */
export const otlpDocumentSchema = z.union([
  z.looseObject({ resourceSpans: z.array(otlpResourceSpansSchema) }),
  z.looseObject({ batches: z.array(otlpResourceSpansSchema) }),
]);
export type OtlpDocument = z.output<typeof otlpDocumentSchema>;
export type OtlpResourceSpans = z.output<typeof otlpResourceSpansSchema>;
export type OtlpKeyValue = z.output<typeof keyValueSchema>;

/** `aws xray batch-get-traces` output: segment documents are JSON text. */
export const xrayDocumentSchema = z.looseObject({
  Traces: z.array(
    z.looseObject({
      Id: z.string().optional(),
      Segments: z.array(
        z.looseObject({ Id: z.string().optional(), Document: z.string().max(MAX_CONTENT_CHARS) }),
      ),
    }),
  ),
});
export type XrayDocument = z.output<typeof xrayDocumentSchema>;

export const traceDocumentSchema = z.union([otlpDocumentSchema, xrayDocumentSchema]);

const cpuProfileNodeSchema = z.looseObject({
  id: z.number().int(),
  callFrame: z.looseObject({
    functionName: z.string(),
    scriptId: z.union([z.string(), z.number()]).optional(),
    url: z.string(),
    lineNumber: z.number().int(),
    columnNumber: z.number().int().optional(),
  }),
  hitCount: z.number().int().nonnegative().optional(),
  children: z.array(z.number().int()).optional(),
});
/** A V8 CPU profile (`node --cpu-prof`, DevTools, the inspector's Profiler.stop). */
export const cpuProfileSchema = z.looseObject({
  nodes: z.array(cpuProfileNodeSchema).min(1),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number().int()).optional(),
  timeDeltas: z.array(z.number()).optional(),
});
export type CpuProfile = z.output<typeof cpuProfileSchema>;

/** A statistics file: the endpoints and, optionally, their window, SLOs and baseline. */
export const statisticsDocumentSchema = z.union([
  z.array(endpointStatSchema).max(50_000),
  z.looseObject({
    endpoints: z.array(endpointStatSchema).max(50_000),
    windowSeconds: z.number().positive().max(31_536_000).optional(),
    slos: slosSchema.optional(),
    baseline: baselineSchema.optional(),
  }),
]);

const thresholdsSchema = z.strictObject({
  minRequests: z.number().int().nonnegative().max(1_000_000_000).optional(),
  hotGetPerMinute: z.number().positive().max(1_000_000_000).optional(),
  largeResponseBytes: z.number().positive().max(1e12).optional(),
  nPlusOneMin: z.number().int().min(2).max(100_000).optional(),
  hotFunctionPercent: z.number().positive().max(100).optional(),
  regressionAlpha: z.number().positive().max(0.5).optional(),
  regressionMinEffect: z.number().min(0).max(1).optional(),
  minSamples: z.number().int().min(3).max(1_000_000).optional(),
});

export const performanceInputSchema = z
  .strictObject({
    files: filesField(
      'OTLP/JSON and X-Ray trace files, `.cpuprofile` files, endpoint statistics (`{ endpoints, windowSeconds?, ' +
        'slos?, baseline? }`) and `.aiopsignore` files, told apart by their shape.',
      MAX_CONTENT_CHARS,
    ),
    endpoints: z.array(endpointStatSchema).max(50_000).optional().describe('Endpoint statistics.'),
    windowSeconds: z
      .number()
      .positive()
      .max(31_536_000)
      .optional()
      .describe('The time the endpoint statistics cover (default 3600 s), for request rates.'),
    traces: z
      .array(traceDocumentSchema)
      .max(1000)
      .optional()
      .describe('OTLP/JSON documents (`resourceSpans`) or X-Ray BatchGetTraces output (`Traces`).'),
    profiles: z.array(cpuProfileSchema).max(100).optional().describe('V8 CPU profiles (.cpuprofile JSON).'),
    slos: slosSchema.optional(),
    baseline: baselineSchema
      .optional()
      .describe('Baseline latency samples per endpoint, tested against the endpoints’ samplesMs (PERF008).'),
    thresholds: thresholdsSchema.optional(),
    ignore: ignoreInputSchema,
  })
  .refine(
    (input) =>
      input.files !== undefined ||
      input.endpoints !== undefined ||
      input.traces !== undefined ||
      input.profiles !== undefined,
    { message: 'give files, endpoints, traces or profiles', path: ['files'] },
  );

export type PerformanceInput = z.output<typeof performanceInputSchema>;

const count = z.number().int().nonnegative();

const pathEntrySchema = z.object({
  spanId: z.string(),
  name: z.string(),
  service: z.string().optional(),
  durationMs: z.number().describe('The span’s own duration.'),
  onPathMs: z.number().describe('Time the span itself (not its children) spends on the critical path.'),
  sharePercent: z.number().describe('onPathMs ÷ the trace duration.'),
});

export const performanceOutputSchema = agentResultSchema.extend({
  score: z.number().int().min(0).max(100),
  metrics: z.object({
    endpoints: count,
    requests: count,
    traces: count,
    spans: count,
    profiles: count,
    profileSamples: count,
    endpointsTested: count.describe('Endpoints with baseline and current samples tested for a regression.'),
    parseErrors: count,
    suppressed: count,
  }),
  traces: z
    .array(
      z.object({
        traceId: z.string(),
        source: z.enum(['otlp', 'xray']),
        file: z.string().optional(),
        root: z.string(),
        durationMs: z.number(),
        spans: count,
        criticalPath: z.array(pathEntrySchema),
      }),
    )
    .describe('Every trace (up to 200, slowest first) with its critical path.'),
  hotFunctions: z
    .array(
      z.object({
        functionName: z.string(),
        url: z.string(),
        line: z.number().int().positive().optional(),
        selfMs: z.number(),
        selfPercent: z.number(),
        totalMs: z.number(),
        file: z.string().optional(),
      }),
    )
    .describe('Top functions by self time over every profile (up to 25).'),
  regressions: z.array(
    z.object({
      method: z.string().optional(),
      route: z.string(),
      baselineN: count,
      currentN: count,
      u: z.number(),
      z: z.number(),
      pValue: z.number(),
      adjustedPValue: z.number(),
      cliffsDelta: z.number(),
      baselineP50Ms: z.number(),
      currentP50Ms: z.number(),
      baselineP95Ms: z.number(),
      currentP95Ms: z.number(),
      regressed: z.boolean(),
    }),
  ),
});

export type PerformanceOutput = z.output<typeof performanceOutputSchema>;
