/**
 * Durations as SLOs and alerting rules write them (Prometheus style: `5m`,
 * `1h`, `28d`, `4w`, or combined `1h30m`), in minutes, and back. Alert
 * windows and SLO windows share this one reader so that `30d` in an SLO file
 * and `[30d]` in a generated rule mean the same span.
 */

const UNIT_MINUTES: Readonly<Record<string, number>> = {
  s: 1 / 60,
  m: 1,
  h: 60,
  d: 1440,
  w: 10_080,
};

const DURATION = /^(?:\d+[smhdw])+$/;

/** Minutes in `text`, or undefined when it is not a duration (`30d`, `1h30m`); 0 is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DURATION.test(trimmed)) return undefined;
  let minutes = 0;
  for (const [, count, unit] of trimmed.matchAll(/(\d+)([smhdw])/g)) {
    minutes += Number(count) * (UNIT_MINUTES[unit ?? ''] ?? 0);
  }
  return minutes > 0 ? minutes : undefined;
}

/** `30d`, `6h`, `5m`: the largest unit that divides the span (PromQL range syntax). */
export function formatDuration(minutes: number): string {
  for (const unit of ['w', 'd', 'h', 'm'] as const) {
    const size = UNIT_MINUTES[unit] ?? 1;
    if (minutes >= size && minutes % size === 0) return `${minutes / size}${unit}`;
  }
  return `${Math.round(minutes * 60)}s`;
}

/** "43.2 min", "2.0 h", "3.5 d": a span for a sentence. */
export function describeMinutes(minutes: number): string {
  if (minutes < 120) return `${Number(minutes.toFixed(1))} min`;
  if (minutes < 2 * 1440) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} d`;
}
