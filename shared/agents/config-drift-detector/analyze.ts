/**
 * Walks baseline and target side by side and reports each difference once, at
 * the highest path where it starts. The walk is iterative (an explicit stack),
 * so deep configs cannot overflow the call stack; containers nested deeper than
 * MAX_DEPTH are compared as a whole. The only recursion left is bounded:
 * previews (PREVIEW_DEPTH) and the canonical forms of list items (MAX_DEPTH).
 * Findings point at the target file and the line of their key there, and are
 * sorted by the scan engine's one comparator (severity, file, line, rule),
 * or, when the target was given as an object and has no lines, by severity,
 * path and rule, so the output does not depend on key order;
 * the score is the `deduction` policy (rules.ts).
 *
 * Secret values never leave: a string or number is replaced by `[redacted]` in
 * messages and evidence when its key is critical or secret-like (keys.ts) or
 * when either side looks like a credential. Booleans and null are shown, as
 * they cannot carry a credential and are what an operator needs to see
 * (`auth.enabled: true → false`).
 */
import type { Locator } from '../../analysis/documents/structured.js';
import { AgentValidationError } from '../../core/errors.js';
import { type Finding, SEVERITIES, type Severity } from '../contract.js';
import { compareFindings, plural } from '../scan/run.js';
import { deductionScore } from '../scan/score.js';
import {
  childKeyPath,
  childPath,
  compileKeyPatterns,
  DEFAULT_CRITICAL_KEYS,
  holdsUrlCredentials,
  isSecretKey,
  type KeyMatcher,
  looksLikeCredential,
  SECURITY_TOGGLE_KEYS,
} from './keys.js';
import {
  DRIFT_KINDS,
  DRIFT_RULES,
  type DriftRuleId,
  LARGE_NUMERIC_CHANGE,
  MAX_DEPTH,
  SEVERITY_WEIGHTS,
} from './rules.js';
import { type ConfigDriftInput, type ConfigDriftOutput, type ConfigSource, readConfig } from './schema.js';

const REDACTED = '[redacted]';
const MAX_STRING = 120;
const MAX_INLINE = 60;
const PREVIEW_DEPTH = 3;
const PREVIEW_NODES = 40;
/** Lists larger than this (in nodes) skip the reorder check and are compared by index only. */
const REORDER_CHECK_NODES = 10_000;

type Kind = 'null' | 'boolean' | 'number' | 'string' | 'list' | 'map';
type ConfigMap = Record<string, unknown>;

/** Where a value sits, and what its ancestors make it. */
interface Place {
  path: string;
  /** The place this one is a key or item of, and which (for the line in the target). */
  parent?: Place;
  key?: string | number;
  keyPath: string;
  depth: number;
  critical: boolean;
  secret: boolean;
  /** Under a key whose change weakens a connection's protection (keys.ts SECURITY_TOGGLE_KEYS). */
  toggle: boolean;
}

interface Pair {
  place: Place;
  baseline: unknown;
  target: unknown;
}

interface Drift {
  rule: DriftRuleId;
  place: Place;
  critical: boolean;
  toggle: boolean;
  message: string;
  evidence: Record<string, unknown>;
}

function kindOf(value: unknown): Kind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  switch (typeof value) {
    case 'object':
      return 'map';
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'string';
  }
}

function isMap(value: unknown): value is ConfigMap {
  return kindOf(value) === 'map';
}

/** Keys set to undefined are absent: that is how JSON sees them. */
function keysOf(map: ConfigMap): string[] {
  return Object.keys(map).filter((key) => map[key] !== undefined);
}

function has(map: ConfigMap, key: string): boolean {
  return Object.hasOwn(map, key) && map[key] !== undefined;
}

function scalarsEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (kindOf(a) === 'number' && kindOf(b) === 'number') {
    const x = Number(a);
    const y = Number(b);
    return x === y || (Number.isNaN(x) && Number.isNaN(y));
  }
  return kindOf(a) === 'string' && kindOf(b) === 'string' && String(a) === String(b);
}

/** Structural equality without recursion, for containers below MAX_DEPTH. */
function deepEqual(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [x, y] = top;
    const kind = kindOf(x);
    if (kind !== kindOf(y)) return false;
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return false;
      for (const [i, item] of x.entries()) stack.push([item, y[i]]);
    } else if (isMap(x) && isMap(y)) {
      const keys = keysOf(x);
      if (keys.length !== keysOf(y).length || !keys.every((key) => has(y, key))) return false;
      for (const key of keys) stack.push([x[key], y[key]]);
    } else if (!scalarsEqual(x, y)) {
      return false;
    }
  }
  return true;
}

/** A canonical text per value (map keys sorted), or undefined when over budget or too deep. */
function canonical(value: unknown, depthLeft: number, budget: { nodes: number }): string | undefined {
  budget.nodes -= 1;
  if (budget.nodes < 0 || depthLeft < 0) return undefined;
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (const item of value) {
      const text = canonical(item, depthLeft - 1, budget);
      if (text === undefined) return undefined;
      items.push(text);
    }
    return `[${items.join(',')}]`;
  }
  if (isMap(value)) {
    const entries: string[] = [];
    for (const key of keysOf(value).sort()) {
      const text = canonical(value[key], depthLeft - 1, budget);
      if (text === undefined) return undefined;
      entries.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${entries.join(',')}}`;
  }
  switch (kindOf(value)) {
    case 'null':
      return 'null';
    case 'number':
      return `n${Number(value)}`;
    case 'boolean':
      return String(value);
    default:
      return JSON.stringify(String(value));
  }
}

/** True when both lists hold the same items, in a different order. */
function isReordered(baseline: unknown[], target: unknown[], depthLeft: number): boolean {
  if (baseline.length !== target.length || baseline.length < 2) return false;
  const budget = { nodes: REORDER_CHECK_NODES };
  const left: string[] = [];
  const right: string[] = [];
  for (let i = 0; i < baseline.length; i += 1) {
    const a = canonical(baseline[i], depthLeft, budget);
    const b = canonical(target[i], depthLeft, budget);
    if (a === undefined || b === undefined) return false;
    left.push(a);
    right.push(b);
  }
  if (left.every((text, i) => text === right[i])) return false;
  left.sort();
  right.sort();
  return left.every((text, i) => text === right[i]);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}

/** A scalar as evidence: JSON-safe, long strings cut. */
function shown(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return truncate(String(value), MAX_STRING);
}

function sizeOf(value: unknown): string {
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  const count = isMap(value) ? keysOf(value).length : 0;
  return `a map of ${count} key${count === 1 ? '' : 's'}`;
}

/** A value inside a message. */
function inline(value: unknown): string {
  const kind = kindOf(value);
  if (kind === 'list' || kind === 'map') return sizeOf(value);
  if (kind === 'string') return JSON.stringify(truncate(String(value), MAX_INLINE));
  return String(shown(value));
}

class DriftWalker {
  readonly drifts: Drift[] = [];
  readonly #critical: KeyMatcher;
  readonly #toggles = compileKeyPatterns(SECURITY_TOGGLE_KEYS);
  readonly #keyFlags = new Map<string, { critical: boolean; secret: boolean; toggle: boolean }>();

  constructor(criticalKeys: readonly string[]) {
    this.#critical = compileKeyPatterns(criticalKeys);
  }

  walk(baseline: ConfigMap, target: ConfigMap): void {
    const root: Place = { path: '', keyPath: '', depth: 0, critical: false, secret: false, toggle: false };
    const stack: Pair[] = [{ place: root, baseline, target }];
    for (let pair = stack.pop(); pair !== undefined; pair = stack.pop()) {
      this.#compare(pair, stack);
    }
  }

  #child(parent: Place, key: string | number): Place {
    const keyPath = childKeyPath(parent.keyPath, key);
    const place: Place = {
      path: childPath(parent.path, key),
      parent,
      key,
      keyPath,
      depth: parent.depth + 1,
      critical: parent.critical,
      secret: parent.secret,
      toggle: parent.toggle,
    };
    if (typeof key === 'string') {
      // Config files repeat the same key names many times over; match each name once.
      let flags = this.#keyFlags.get(key);
      if (flags === undefined) {
        flags = {
          critical: this.#critical.matchesKey(key),
          secret: isSecretKey(key),
          toggle: this.#toggles.matchesKey(key),
        };
        this.#keyFlags.set(key, flags);
      }
      place.critical ||= flags.critical || this.#critical.matchesPath(keyPath);
      place.secret ||= flags.secret;
      place.toggle ||= flags.toggle;
    }
    return place;
  }

  #compare({ place, baseline, target }: Pair, stack: Pair[]): void {
    const before = kindOf(baseline);
    const after = kindOf(target);
    const containers = (before === 'map' || before === 'list') && before === after;
    if (containers && place.depth >= MAX_DEPTH) {
      if (!deepEqual(baseline, target)) {
        this.#add('DRIFT007', place, this.#holdsCritical(place, baseline, target), {
          message: `${place.path} differs below depth ${MAX_DEPTH}; its nested keys were not compared one by one.`,
          evidence: { depth: place.depth },
        });
      }
      return;
    }
    if (Array.isArray(baseline) && Array.isArray(target)) {
      this.#compareLists(place, baseline, target, stack);
      return;
    }
    if (isMap(baseline) && isMap(target)) {
      this.#compareMaps(place, baseline, target, stack);
      return;
    }
    if (before === after && scalarsEqual(baseline, target)) return;
    if (before === 'number' && after === 'number') {
      this.#compareNumbers(place, Number(baseline), Number(target));
    } else if (before === after || before === 'null' || after === 'null') {
      this.#changed(place, baseline, target);
    } else {
      this.#typeChanged(place, baseline, target, before, after);
    }
  }

  #compareMaps(place: Place, baseline: ConfigMap, target: ConfigMap, stack: Pair[]): void {
    for (const key of keysOf(baseline)) {
      const child = this.#child(place, key);
      if (has(target, key)) stack.push({ place: child, baseline: baseline[key], target: target[key] });
      else this.#missing(child, baseline[key]);
    }
    for (const key of keysOf(target)) {
      if (!has(baseline, key)) this.#extra(this.#child(place, key), target[key]);
    }
  }

  #compareLists(place: Place, baseline: unknown[], target: unknown[], stack: Pair[]): void {
    if (isReordered(baseline, target, MAX_DEPTH - place.depth)) {
      this.#add('DRIFT006', place, this.#holdsCritical(place, baseline), {
        message: `${place.path} holds the same ${baseline.length} items in a different order.`,
        evidence: { baseline: this.#preview(baseline, place), target: this.#preview(target, place) },
      });
      return;
    }
    const length = Math.max(baseline.length, target.length);
    for (let i = 0; i < length; i += 1) {
      const child = this.#child(place, i);
      if (i < baseline.length && i < target.length) {
        stack.push({ place: child, baseline: baseline[i], target: target[i] });
      } else if (i < baseline.length) {
        this.#missing(child, baseline[i]);
      } else {
        this.#extra(child, target[i]);
      }
    }
  }

  #compareNumbers(place: Place, baseline: number, target: number): void {
    if (!Number.isFinite(baseline) || !Number.isFinite(target)) {
      this.#changed(place, baseline, target);
      return;
    }
    const relative =
      baseline === 0 ? Number.POSITIVE_INFINITY : Math.abs(target - baseline) / Math.abs(baseline);
    // Without the tolerance, 0.3 → 0.45 (exactly 50%) computes as 0.5000000000000001 and would count as over.
    if (relative <= LARGE_NUMERIC_CHANGE + 1e-9) {
      this.#changed(place, baseline, target);
      return;
    }
    if (this.#hides(place, baseline, target)) {
      this.#add('DRIFT005', place, place.critical, {
        message: `${place.path} changed by more than ${LARGE_NUMERIC_CHANGE * 100}% (values redacted).`,
        evidence: { baseline: REDACTED, target: REDACTED },
      });
      return;
    }
    const percent = baseline === 0 ? undefined : Math.round(((target - baseline) / Math.abs(baseline)) * 100);
    const change = percent === undefined ? 'from zero' : `${percent > 0 ? '+' : ''}${percent}%`;
    this.#add('DRIFT005', place, place.critical, {
      message: `${place.path} changed from ${baseline} to ${target} (${change}).`,
      evidence: percent === undefined ? { baseline, target } : { baseline, target, changePercent: percent },
    });
  }

  #changed(place: Place, baseline: unknown, target: unknown): void {
    const hidden = this.#hides(place, baseline, target);
    const message = hidden
      ? `${place.path} differs between baseline and target (values redacted).`
      : `${place.path} changed from ${inline(baseline)} to ${inline(target)}.`;
    // A URL whose password changed is a credential change, whatever its key is called.
    const critical =
      this.#holdsCritical(place, baseline, target) ||
      holdsUrlCredentials(baseline) ||
      holdsUrlCredentials(target);
    this.#add('DRIFT003', place, critical, {
      message,
      evidence: {
        baseline: this.#evidence(baseline, place, hidden),
        target: this.#evidence(target, place, hidden),
      },
    });
  }

  #typeChanged(place: Place, baseline: unknown, target: unknown, before: Kind, after: Kind): void {
    const hidden = this.#hides(place, baseline, target);
    const values = hidden ? ' (values redacted)' : `: ${inline(baseline)} → ${inline(target)}`;
    this.#add('DRIFT004', place, this.#holdsCritical(place, baseline, target), {
      message: `${place.path} changed type from ${before} to ${after}${values}.`,
      evidence: {
        baseline: this.#evidence(baseline, place, hidden),
        target: this.#evidence(target, place, hidden),
        baselineType: before,
        targetType: after,
      },
    });
  }

  #missing(place: Place, value: unknown): void {
    const section = kindOf(value) === 'map' || kindOf(value) === 'list' ? ` (${sizeOf(value)})` : '';
    this.#add('DRIFT001', place, this.#holdsCritical(place, value), {
      message: `${place.path}${section} is set in the baseline but missing in the target.`,
      evidence: { baseline: this.#evidence(value, place, this.#hides(place, value)) },
    });
  }

  #extra(place: Place, value: unknown): void {
    const section = kindOf(value) === 'map' || kindOf(value) === 'list' ? ` (${sizeOf(value)})` : '';
    this.#add('DRIFT002', place, this.#holdsCritical(place, value), {
      message: `${place.path}${section} is set in the target but not in the baseline.`,
      evidence: { target: this.#evidence(value, place, this.#hides(place, value)) },
    });
  }

  #add(rule: DriftRuleId, place: Place, critical: boolean, text: Pick<Drift, 'message' | 'evidence'>): void {
    this.drifts.push({ rule, place, critical, toggle: place.toggle, ...text });
  }

  /** Whether scalar values at this place must not be echoed. */
  #hides(place: Place, ...values: unknown[]): boolean {
    return place.critical || place.secret || values.some(looksLikeCredential);
  }

  /** Whether the place, or any key below it in one of the values, is critical. */
  #holdsCritical(place: Place, ...values: unknown[]): boolean {
    if (place.critical) return true;
    const stack: { place: Place; value: unknown }[] = values.map((value) => ({ place, value }));
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      if (top.place.critical) return true;
      const { value } = top;
      if (Array.isArray(value)) {
        for (const [i, item] of value.entries()) {
          stack.push({ place: this.#child(top.place, i), value: item });
        }
      } else if (isMap(value)) {
        for (const key of keysOf(value)) {
          stack.push({ place: this.#child(top.place, key), value: value[key] });
        }
      }
    }
    return false;
  }

  #evidence(value: unknown, place: Place, hidden: boolean): unknown {
    const kind = kindOf(value);
    if (kind === 'map' || kind === 'list') return this.#preview(value, place);
    if (hidden && (kind === 'string' || kind === 'number')) return REDACTED;
    return shown(value);
  }

  /** A small copy of a map or list for evidence: secret leaves redacted, depth and size capped. */
  #preview(value: unknown, place: Place, budget = { nodes: PREVIEW_NODES }, level = 0): unknown {
    const exhausted = level >= PREVIEW_DEPTH || budget.nodes <= 0;
    if (Array.isArray(value)) {
      if (exhausted) return `(${sizeOf(value)})`;
      const items: unknown[] = [];
      for (const [i, item] of value.entries()) {
        if (budget.nodes <= 0) {
          items.push(`… ${value.length - i} more`);
          break;
        }
        budget.nodes -= 1;
        items.push(this.#preview(item, this.#child(place, i), budget, level + 1));
      }
      return items;
    }
    if (isMap(value)) {
      if (exhausted) return `(${sizeOf(value)})`;
      const copy: ConfigMap = {};
      const keys = keysOf(value);
      for (const [i, key] of keys.entries()) {
        if (budget.nodes <= 0) {
          copy['…'] = `${keys.length - i} more`;
          break;
        }
        budget.nodes -= 1;
        copy[key] = this.#preview(value[key], this.#child(place, key), budget, level + 1);
      }
      return copy;
    }
    return this.#evidence(value, place, this.#hides(place, value));
  }
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function severityOf(drift: Drift): Severity {
  if (drift.critical) return DRIFT_KINDS[drift.rule].criticalSeverity;
  const severity = DRIFT_RULES.rule(drift.rule).severity;
  // A security toggle flipped, or its section dropped: at least high.
  const weakens = drift.toggle && DRIFT_KINDS[drift.rule].kind !== 'extra';
  return weakens && SEVERITIES.indexOf(severity) > SEVERITIES.indexOf('high') ? 'high' : severity;
}

/** The key path of a place as the document reader's path segments. */
function segmentsOf(place: Place): (string | number)[] {
  const segments: (string | number)[] = [];
  for (let at: Place | undefined = place; at?.key !== undefined; at = at.parent) segments.push(at.key);
  return segments.reverse();
}

interface Target {
  file?: string;
  lineOf?: Locator;
}

function findingOf(drift: Drift, severity: Severity, target: Target): Finding {
  const line = target.lineOf?.(segmentsOf(drift.place));
  return DRIFT_RULES.finding(drift.rule, {
    message: drift.message,
    severity,
    resource: {
      kind: 'config-key',
      name: drift.place.path,
      ...(target.file === undefined ? {} : { file: target.file }),
      ...(line === undefined ? {} : { line }),
    },
    evidence: drift.evidence,
  });
}

function metricsOf(drifts: readonly Drift[]): ConfigDriftOutput['metrics'] {
  const metrics = { missing: 0, extra: 0, changed: 0, critical: 0 };
  for (const drift of drifts) {
    metrics[DRIFT_KINDS[drift.rule].kind] += 1;
    if (drift.critical) metrics.critical += 1;
  }
  return metrics;
}

/** A config of the validated input (text parses: the schema checked it). */
function configOf(value: ConfigDriftInput['baseline'], label: 'baseline' | 'target'): ConfigSource {
  const read = readConfig(value, label);
  if ('error' in read) {
    throw new AgentValidationError(read.error, [{ path: label, message: read.error }]);
  }
  return read;
}

export function analyzeConfigDrift(input: ConfigDriftInput): ConfigDriftOutput {
  const baseline = configOf(input.baseline, 'baseline');
  const target = configOf(input.target, 'target');
  const walker = new DriftWalker(input.criticalKeys ?? DEFAULT_CRITICAL_KEYS);
  walker.walk(baseline.config, target.config);
  const place: Target = {
    ...(input.targetPath === undefined ? {} : { file: input.targetPath }),
    ...(target.lineOf === undefined ? {} : { lineOf: target.lineOf }),
  };
  const findings = walker.drifts
    .map((drift) => ({ drift, severity: severityOf(drift) }))
    .sort(
      (a, b) =>
        SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
        compareText(a.drift.place.path, b.drift.place.path) ||
        compareText(a.drift.rule, b.drift.rule),
    )
    .map(({ drift, severity }) => findingOf(drift, severity, place));
  // With lines (a target given as text), the scan engine's order; without, the path is the place.
  if (place.lineOf !== undefined) findings.sort(compareFindings);
  const metrics = metricsOf(walker.drifts);
  const score = deductionScore(findings, SEVERITY_WEIGHTS);
  const summary =
    findings.length === 0
      ? 'No drift: the target matches the baseline.'
      : `${plural(findings.length, 'drifted key')}: ${metrics.missing} missing, ${metrics.extra} extra, ` +
        `${metrics.changed} changed; ${metrics.critical} on critical keys. Drift score ${score}/100.`;
  return { summary, score, findings, metrics };
}
