/**
 * SLO definitions as the agent works with them: the spec as written, where it
 * was written (file and line of each field), and what could be read from it
 * — the target in percent, the window in minutes, the parsed selectors — with
 * every defect found before any data is looked at: an ill-formed definition
 * (SLO008) or one that cannot be met or alerted on (SLO009).
 */
import type { Locator, Path } from '../../analysis/documents/structured.js';
import type { Severity } from '../contract.js';
import { parseDuration } from './durations.js';
import { PAGE_FAST, PAGE_SLOW, TICKET_SLOW } from './policy.js';
import { type SloSpec, sloSpecSchema } from './schema.js';
import { parseSelector, type Selector } from './selector.js';

export type Role = 'good' | 'bad' | 'total' | 'histogram';

export interface Defect {
  rule: 'SLO008' | 'SLO009';
  /** The field the defect is in, under the SLO (`['target']`, `['sli', 'good']`). */
  field: Path;
  message: string;
  severity?: Severity;
  /** The SLO cannot be evaluated or alerted on (every SLO008, a 100 % target). */
  blocking?: boolean;
}

export interface Slo {
  spec: SloSpec;
  name: string;
  service: string | null;
  kind: 'availability' | 'latency';
  file?: string;
  lineOf(field: Path): number | undefined;
  /** Percent, when it reads as one. */
  target?: number;
  windowText: string;
  windowMinutes?: number;
  selectors: Partial<Record<Role, Selector>>;
  thresholdMs?: number;
  sources: string[];
  defects: Defect[];
}

/** `99.9`, `"99.9"` or `"99.9%"` → 99.9. */
function readTarget(target: number | string): number | undefined {
  const n = typeof target === 'number' ? target : Number(target.trim().replace(/%$/, ''));
  return Number.isFinite(n) ? n : undefined;
}

function targetDefects(target: number | undefined, written: number | string): Defect[] {
  const field = ['target'];
  if (target === undefined)
    return [{ rule: 'SLO008', field, message: `target "${written}" is not a number` }];
  if (target <= 0 || target > 100) {
    return [{ rule: 'SLO008', field, message: `target ${target} is not a percentage in (0, 100]` }];
  }
  if (target <= 1) {
    return [
      {
        rule: 'SLO008',
        field,
        message: `target ${target} reads as ${target} % good events; a fraction like 0.999 is written 99.9`,
      },
    ];
  }
  if (target === 100) {
    return [
      {
        rule: 'SLO009',
        field,
        blocking: true,
        message:
          'target 100 % leaves no error budget: one failed event breaks the SLO and every burn rate is infinite',
      },
    ];
  }
  return alertabilityDefects(1 - target / 100);
}

/** Burn-rate alerts that can never fire: the error ratio they wait for is above 100 %. */
function alertabilityDefects(budget: number): Defect[] {
  return [PAGE_FAST, PAGE_SLOW]
    .filter((alert) => alert.burnRate * budget >= 1)
    .map((alert) => ({
      rule: 'SLO009' as const,
      field: ['target'],
      message: `the ${alert.name} alert waits for an error ratio of ${(alert.burnRate * budget * 100).toFixed(0)} % (${alert.burnRate}× the ${(budget * 100).toFixed(2)} % budget): it can never fire`,
      severity: 'medium' as const,
    }));
}

function windowDefects(windowText: string, minutes: number | undefined): Defect[] {
  const field = ['window'];
  if (minutes === undefined) {
    return [{ rule: 'SLO008', field, message: `window "${windowText}" is not a duration like 30d or 28d` }];
  }
  if (minutes < TICKET_SLOW.longMinutes) {
    return [
      {
        rule: 'SLO009',
        field,
        message: `window ${windowText} is shorter than the ${TICKET_SLOW.longWindow} window of the slow ticket alert: burn rates over it say little about this budget`,
        severity: 'medium',
      },
    ];
  }
  return [];
}

const SELECTOR_ROLES: readonly Role[] = ['good', 'bad', 'total', 'histogram'];

function readSelectors(spec: SloSpec, defects: Defect[]): Partial<Record<Role, Selector>> {
  const selectors: Partial<Record<Role, Selector>> = {};
  for (const role of SELECTOR_ROLES) {
    const text = spec.sli[role];
    if (typeof text !== 'string') continue;
    const parsed = parseSelector(text);
    if ('error' in parsed) {
      defects.push({
        rule: 'SLO008',
        field: ['sli', role],
        message: `sli.${role} "${text}": ${parsed.error}`,
      });
    } else selectors[role] = parsed;
  }
  return selectors;
}

/** What the SLI needs: good or bad with total, or a histogram and a threshold for latency. */
function sliDefects(spec: SloSpec): Defect[] {
  const { sli } = spec;
  const field = ['sli'];
  const counts = sli.total !== undefined && (sli.good !== undefined) !== (sli.bad !== undefined);
  if (sli.good !== undefined && sli.bad !== undefined) {
    return [{ rule: 'SLO008', field, message: 'sli gives both good and bad: give one of them with total' }];
  }
  if (sli.kind === 'availability') {
    return counts
      ? []
      : [{ rule: 'SLO008', field, message: 'an availability SLI needs total and good (or bad)' }];
  }
  const defects: Defect[] = [];
  if (sli.thresholdMs === undefined || !(sli.thresholdMs > 0)) {
    defects.push({
      rule: 'SLO008',
      field: ['sli', 'thresholdMs'],
      message: 'a latency SLI needs thresholdMs > 0',
    });
  }
  if (sli.histogram === undefined && !counts) {
    defects.push({
      rule: 'SLO008',
      field,
      message:
        'a latency SLI needs a histogram, or good (or bad) and total counts of requests under the threshold',
    });
  }
  return defects;
}

/** One SLO from its validated spec and the locator of the item it came from. */
export function readSlo(spec: SloSpec, lineOf: Locator, file: string | undefined): Slo {
  const target = readTarget(spec.target);
  const windowText = spec.window ?? '30d';
  const windowMinutes = parseDuration(windowText);
  const defects = [
    ...targetDefects(target, spec.target),
    ...windowDefects(windowText, windowMinutes),
    ...sliDefects(spec),
  ];
  const selectors = readSelectors(spec, defects);
  const source = spec.source;
  return {
    spec,
    name: spec.name,
    service: spec.service ?? null,
    kind: spec.sli.kind,
    ...(file === undefined ? {} : { file }),
    lineOf,
    ...(target === undefined ? {} : { target }),
    windowText,
    ...(windowMinutes === undefined ? {} : { windowMinutes }),
    selectors,
    ...(spec.sli.thresholdMs === undefined ? {} : { thresholdMs: spec.sli.thresholdMs }),
    sources: source === undefined ? [] : Array.isArray(source) ? source : [source],
    defects,
  };
}

export interface ShapeProblem {
  file?: string;
  line?: number;
  message: string;
  name: string;
}

/** The SLO items of a document (`slos:`, a list, or one SLO), each validated; shape errors as problems. */
export function readSloItems(
  value: unknown,
  lineOf: Locator,
  file: string | undefined,
  problems: ShapeProblem[],
): Slo[] {
  return sloItems(value).flatMap(({ item, path: itemPath }, i) => {
    const at = (path: Path) => lineOf([...itemPath, ...path]);
    const parsed = sloSpecSchema.safeParse(item);
    if (parsed.success) return [readSlo(parsed.data, at, file)];
    const name =
      typeof (item as { name?: unknown })?.name === 'string'
        ? String((item as { name: string }).name)
        : `SLO ${i + 1}`;
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
      problems.push({
        ...(file === undefined ? {} : { file }),
        ...(at(path) === undefined ? {} : { line: at(path) }),
        message: `${name}: ${path.length > 0 ? `${path.join('.')}: ` : ''}${issue.message}`,
        name,
      });
    }
    return [];
  });
}

/** Whether a parsed document holds SLO definitions. */
export function isSloDocument(value: unknown): boolean {
  return sloItems(value).length > 0;
}

/** The items that are SLOs and the path of each in the document. */
function sloItems(value: unknown): { item: unknown; path: Path }[] {
  const isSlo = (v: unknown) => typeof v === 'object' && v !== null && 'sli' in v;
  const list = (items: unknown[], prefix: Path) => items.map((item, i) => ({ item, path: [...prefix, i] }));
  if (Array.isArray(value)) return value.some(isSlo) ? list(value, []) : [];
  if (typeof value === 'object' && value !== null && Array.isArray((value as { slos?: unknown }).slos)) {
    return list((value as { slos: unknown[] }).slos, ['slos']);
  }
  return isSlo(value) ? [{ item: value, path: [] }] : [];
}
