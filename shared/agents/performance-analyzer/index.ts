import { defineAgent } from '../contract.js';
import { filesAsInput } from '../scan/files.js';
import { analyzePerformance } from './analyze.js';
import { metadata } from './meta.js';
import { PERF_RULES } from './rules.js';
import { performanceInputSchema, performanceOutputSchema } from './schema.js';

/**
 * `.cpuprofile` files; JSON (and JSON Lines, as the OpenTelemetry Collector's
 * file exporter writes) only when the name says traces, spans, profiles or
 * statistics, since a folder holds many other JSON files.
 */
export function acceptsPerformanceInput(path: string): boolean {
  const name = path.replaceAll('\\', '/').split('/').at(-1)?.toLowerCase() ?? '';
  if (name.endsWith('.cpuprofile')) return true;
  return (
    /\.(json|jsonl|ndjson)$/.test(name) &&
    /(trace|span|otlp|otel|xray|x-ray|profile|stats|statistic|endpoint|latenc|perf|baseline|slo)/.test(name)
  );
}

export default defineAgent({
  ...metadata,
  input: performanceInputSchema,
  output: performanceOutputSchema,
  analyze: analyzePerformance,
  rules: PERF_RULES,
  accepts: acceptsPerformanceInput,
  /** Every file as is, told apart by shape in the analysis; `--baseline` and `--slos` (meta.ts) fill those fields. */
  fromFiles: filesAsInput,
});
