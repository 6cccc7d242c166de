/**
 * Seeded synthetic metric series for the anomaly-detector tests: the kinds of
 * series a detector tuned on CPU and latency metrics gets wrong — bursty
 * counts with daily and weekly cycles (events per five minutes), road-traffic
 * speed with rush-hour dips sampled at uneven intervals — with anomalies
 * injected at known rows. Every generator is deterministic for its seed.
 */

export const FIVE_MINUTES = 300_000;
export const ROWS_PER_DAY = 288;
/** A Monday, so weekdays and weekends fall where a reader expects. */
export const START = Date.UTC(2024, 0, 1);

export interface Series {
  values: number[];
  times: number[];
}

/** mulberry32: a small seeded generator of uniforms in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, 1) by Marsaglia and Tsang (shape < 1 boosted by U^(1/shape)). */
function gamma(shape: number, random: () => number): number {
  if (shape < 1) return gamma(shape + 1, random) * random() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = gaussian(random);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    if (Math.log(Math.max(random(), 1e-300)) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Poisson(mean): Knuth's product method below 30, a rounded normal above. */
export function poisson(mean: number, random: () => number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

/** Negative binomial as a gamma–Poisson mixture: mean `mean`, variance mean + mean²/dispersion. */
export function negativeBinomial(mean: number, dispersion: number, random: () => number): number {
  return poisson((mean * gamma(dispersion, random)) / dispersion, random);
}

const times = (rows: number, start = START) =>
  Array.from({ length: rows }, (_, i) => start + i * FIVE_MINUTES);

/** Expected activity at a time: a daytime hump, quieter nights, and weekends at 60%. */
export function dailyWeeklyShape(time: number): number {
  const date = new Date(time);
  const hour = date.getUTCHours() + date.getUTCMinutes() / 60;
  const day = 0.35 + 0.65 * Math.max(0, Math.sin((Math.PI * (hour - 6)) / 16)) ** 1.5;
  const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
  return day * (weekend ? 0.6 : 1);
}

/**
 * Events per five minutes (mentions, requests): negative-binomial counts around
 * a daily and weekly shape, plus the unlabelled bursts a bursty series normally
 * has: about twice a day a few rows are multiplied by a heavy-tailed factor
 * (Pareto, tail index 1.5: mostly under 3×, one in a hundred above 10×).
 */
export function burstyCounts(
  days: number,
  seed: number,
  {
    peakMean = 60,
    dispersion = 4,
    burstsPerDay = 2,
  }: { peakMean?: number; dispersion?: number; burstsPerDay?: number } = {},
): Series {
  const random = seededRandom(seed);
  const t = times(days * ROWS_PER_DAY);
  const values = t.map((time) => negativeBinomial(peakMean * dailyWeeklyShape(time), dispersion, random));
  for (let i = 0; i < values.length; i++) {
    if (random() >= burstsPerDay / ROWS_PER_DAY) continue;
    const height = 1 + 0.5 * Math.max(random(), 1e-9) ** (-1 / 1.5);
    const length = 1 + Math.floor(random() * 4);
    for (let k = i; k < Math.min(values.length, i + length); k++) {
      values[k] = Math.round((values[k] ?? 0) * height);
    }
  }
  return { values, times: t };
}

/**
 * Road speed in mph from a loop detector: free flow near 62, dips to about 35
 * in the weekday morning and evening rush hours, sensor noise, and rows at
 * uneven intervals (a few are late, and every so often some go missing).
 */
export function trafficSpeed(days: number, seed: number): Series {
  const random = seededRandom(seed);
  const values: number[] = [];
  const out: number[] = [];
  for (let time = START; time < START + days * 86_400_000; time += FIVE_MINUTES) {
    if (random() < 0.08) continue;
    const date = new Date(time);
    const hour = date.getUTCHours() + date.getUTCMinutes() / 60;
    const weekday = date.getUTCDay() !== 0 && date.getUTCDay() !== 6;
    const rush = weekday
      ? Math.exp(-(((hour - 8) / 0.9) ** 2)) + 0.8 * Math.exp(-(((hour - 17.5) / 1.1) ** 2))
      : 0;
    const jitter = Math.round(random() * 40_000);
    out.push(time + jitter);
    values.push(Math.round(62 - 27 * rush + 2.5 * gaussian(random)));
  }
  return { values, times: out };
}
