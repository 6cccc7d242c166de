/**
 * The drift rules as data: adding a rule is adding a row. A finding on a
 * critical key (keys.ts) takes the rule's `criticalSeverity` instead of its
 * `severity`.
 */
import type { Severity } from '../contract.js';

export type DriftRuleId =
  | 'DRIFT001'
  | 'DRIFT002'
  | 'DRIFT003'
  | 'DRIFT004'
  | 'DRIFT005'
  | 'DRIFT006'
  | 'DRIFT007';

/** How a finding of the rule counts in the metrics. */
export type DriftKind = 'missing' | 'extra' | 'changed';

export interface DriftRule {
  id: DriftRuleId;
  kind: DriftKind;
  severity: Severity;
  criticalSeverity: Severity;
  title: string;
  description: string;
  remediation: string;
}

export const RULES = {
  DRIFT001: {
    id: 'DRIFT001',
    kind: 'missing',
    severity: 'medium',
    criticalSeverity: 'critical',
    title: 'Key missing in target',
    description:
      'The baseline sets this key and the target does not, so the target falls back to a default or fails ' +
      'at start-up. A key set to null is present; only an absent key is missing. A missing section is ' +
      'reported once, at its top.',
    remediation: 'Add the key to the target, or remove it from the baseline if it is no longer needed.',
  },
  DRIFT002: {
    id: 'DRIFT002',
    kind: 'extra',
    severity: 'low',
    criticalSeverity: 'high',
    title: 'Extra key in target',
    description:
      'The target sets a key the baseline does not know: an override made by hand, or a setting not yet ' +
      'promoted to the baseline. An extra section is reported once, at its top.',
    remediation: 'Promote the key to the baseline if it is intended, otherwise remove it from the target.',
  },
  DRIFT003: {
    id: 'DRIFT003',
    kind: 'changed',
    severity: 'low',
    criticalSeverity: 'critical',
    title: 'Value changed',
    description: 'The key has a different value in the target (null counts as a value).',
    remediation:
      'Confirm the difference is intended for this environment, or align the target with the baseline.',
  },
  DRIFT004: {
    id: 'DRIFT004',
    kind: 'changed',
    severity: 'medium',
    criticalSeverity: 'critical',
    title: 'Value type changed',
    description:
      'The key holds a different type in the target (for example the string "5" instead of the number 5, ' +
      'or a list instead of a map), which the application may fail to read.',
    remediation: 'Use the same type as the baseline; quote or unquote the YAML value as needed.',
  },
  DRIFT005: {
    id: 'DRIFT005',
    kind: 'changed',
    severity: 'high',
    criticalSeverity: 'critical',
    title: 'Numeric value changed by more than 50%',
    description:
      'A number differs from the baseline by more than half of the baseline value (any change from 0 ' +
      'counts): pool sizes, replicas, timeouts and limits changed this much alter capacity or behaviour.',
    remediation:
      'Check the new value against capacity and load; align it with the baseline if it was not deliberate.',
  },
  DRIFT006: {
    id: 'DRIFT006',
    kind: 'changed',
    severity: 'low',
    criticalSeverity: 'medium',
    title: 'List reordered',
    description:
      'The list holds the same items in another order. Lists are otherwise compared item by item, by ' +
      'index, so an inserted item shows as changes to the items after it.',
    remediation: 'Keep the baseline order where order matters (filters, middleware, search paths).',
  },
  DRIFT007: {
    id: 'DRIFT007',
    kind: 'changed',
    severity: 'medium',
    criticalSeverity: 'high',
    title: 'Nested values differ beyond the comparison depth',
    description:
      'The values differ somewhere below the deepest level compared key by key, so the exact keys are not listed.',
    remediation: 'Compare this section on its own, or flatten the configuration.',
  },
} as const satisfies Record<DriftRuleId, DriftRule>;

/** A relative change above this fraction of the baseline value is DRIFT005. */
export const LARGE_NUMERIC_CHANGE = 0.5;

/** Objects and lists nested deeper than this are compared as a whole (DRIFT007). */
export const MAX_DEPTH = 64;

/**
 * Score = max(0, 100 − Σ weight(severity) over the findings): 100 means no
 * drift; four findings on critical keys, or ten high ones, bring it to 0.
 */
export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = {
  critical: 25,
  high: 10,
  medium: 5,
  low: 2,
  info: 0,
};
