/**
 * Kubernetes resource quantities (k8s.io/apimachinery resource.Quantity):
 * `250m`, `0.5`, `2`, `128Mi`, `1G`, `1.5Gi`, `1e9`. CPU in cores, memory in
 * bytes; both go through the same parser, as in Kubernetes.
 */

const BINARY: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const DECIMAL: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** The value of a quantity (a number or a quantity string), or undefined when it is not one. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = QUANTITY.exec(value.trim());
  if (!match) return undefined;
  const [, digits = '', exponent, suffix = ''] = match;
  const base = Number(digits);
  if (exponent !== undefined) return base * 10 ** Number(exponent.slice(1));
  return base * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1);
}

export const MIB = 2 ** 20;
export const GIB = 2 ** 30;

/** Rounds up to whole millicores; the epsilon keeps 0.2 × 1.2 at 240m rather than 241m. */
export function ceilMillicores(cores: number): number {
  return Math.max(1, Math.ceil(cores * 1000 - 1e-6)) / 1000;
}

/** Rounds up to whole MiB. */
export function ceilMebibytes(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / MIB - 1e-6)) * MIB;
}

/** `0.25` → `250m`, `2` → `2`, `1.5` → `1500m`. */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Bytes in the largest binary unit that divides them exactly (`512Mi`, `2Gi`), else in whole MiB or bytes. */
export function formatMemory(bytes: number): string {
  for (const [unit, size] of [
    ['Ti', 2 ** 40],
    ['Gi', GIB],
    ['Mi', MIB],
    ['Ki', 2 ** 10],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return bytes >= MIB ? `${Math.round(bytes / MIB)}Mi` : String(Math.round(bytes));
}
