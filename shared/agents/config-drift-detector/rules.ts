/**
 * The drift rules as one catalog (shared/agents/scan/catalog.ts): adding a
 * rule is adding a row with its samples, a baseline and a target file each.
 * A finding on a critical key (keys.ts) takes the rule's `criticalSeverity`
 * (DRIFT_KINDS) instead of its `severity`. Findings point at the target
 * file and the line of the key there (or of its deepest ancestor the target
 * still has, for a missing key).
 *
 * Score policy `deduction` (shared/agents/scan/score.ts): max(0, 100 − Σ
 * weight(severity)) over the findings (SEVERITY_WEIGHTS); 100 means no
 * drift, four findings on critical keys or ten high ones bring it to 0.
 */
import type { Severity } from '../contract.js';
import { defineRules, type RuleSample } from '../scan/catalog.js';
import type { SeverityWeights } from '../scan/score.js';

/** A baseline / target pair as `aiops analyze config-drift-detector BASELINE TARGET` reads it. */
function pair(baseline: string, target: string, line?: number): RuleSample {
  return {
    files: [
      { path: 'config/baseline.yaml', content: baseline },
      { path: 'config/target.yaml', content: target },
    ],
    ...(line === undefined ? {} : { line }),
  };
}

export const DRIFT_RULES = defineRules('config-drift-detector', [
  {
    id: 'DRIFT001',
    severity: 'medium',
    category: 'configuration',
    title: 'Key missing in target',
    description:
      'The baseline sets this key and the target does not, so the target falls back to a default or fails ' +
      'at start-up. A key set to null is present; only an absent key is missing. A missing section is ' +
      'reported once, at its top.',
    remediation: 'Add the key to the target, or remove it from the baseline if it is no longer needed.',
    samples: {
      bad: [pair('server:\n  port: 8080\n  timeoutMs: 3000\n', 'server:\n  port: 8080\n', 1)],
      good: [pair('server:\n  timeoutMs: 3000\n', 'server:\n  timeoutMs: null\n')],
    },
  },
  {
    id: 'DRIFT002',
    severity: 'low',
    category: 'configuration',
    title: 'Extra key in target',
    description:
      'The target sets a key the baseline does not know: an override made by hand, or a setting not yet ' +
      'promoted to the baseline. An extra section is reported once, at its top.',
    remediation: 'Promote the key to the baseline if it is intended, otherwise remove it from the target.',
    samples: {
      bad: [pair('logging:\n  level: info\n', 'logging:\n  level: info\n  debugSql: true\n', 3)],
      good: [pair('logging:\n  level: info\n', 'logging:\n  level: info\n')],
    },
  },
  {
    id: 'DRIFT003',
    severity: 'low',
    category: 'configuration',
    title: 'Value changed',
    description: 'The key has a different value in the target (null counts as a value).',
    remediation:
      'Confirm the difference is intended for this environment, or align the target with the baseline.',
    samples: {
      bad: [pair('logging:\n  level: info\n', 'logging:\n  level: debug\n', 2)],
      good: [pair('logging:\n  level: info\n', '# same settings\nlogging:\n  level: info\n')],
    },
  },
  {
    id: 'DRIFT004',
    severity: 'medium',
    category: 'configuration',
    title: 'Value type changed',
    description:
      'The key holds a different type in the target (for example the string "5" instead of the number 5, ' +
      'or a list instead of a map), which the application may fail to read.',
    remediation: 'Use the same type as the baseline; quote or unquote the YAML value as needed.',
    samples: {
      bad: [pair('pool:\n  size: 5\n', 'pool:\n  size: "five"\n', 2)],
      good: [pair('pool:\n  size: 5\n', 'pool:\n  size: 6\n')],
    },
  },
  {
    id: 'DRIFT005',
    severity: 'high',
    category: 'configuration',
    title: 'Numeric value changed by more than 50%',
    description:
      'A number differs from the baseline by more than half of the baseline value (any change from 0 ' +
      'counts): pool sizes, replicas, timeouts and limits changed this much alter capacity or behaviour.',
    remediation:
      'Check the new value against capacity and load; align it with the baseline if it was not deliberate.',
    samples: {
      bad: [pair('pool:\n  max: 40\n', 'pool:\n  max: 400\n', 2)],
      good: [pair('pool:\n  max: 40\n', 'pool:\n  max: 50\n')],
    },
  },
  {
    id: 'DRIFT006',
    severity: 'low',
    category: 'configuration',
    title: 'List reordered',
    description:
      'The list holds the same items in another order. Lists are otherwise compared item by item, by ' +
      'index, so an inserted item shows as changes to the items after it.',
    remediation: 'Keep the baseline order where order matters (filters, middleware, search paths).',
    samples: {
      bad: [pair('filters:\n  - cors\n  - gzip\n', 'filters:\n  - gzip\n  - cors\n', 1)],
      good: [pair('filters:\n  - cors\n  - gzip\n', 'filters: [cors, gzip]\n')],
    },
  },
  {
    id: 'DRIFT007',
    severity: 'medium',
    category: 'configuration',
    title: 'Nested values differ beyond the comparison depth',
    description:
      'The values differ somewhere below the deepest level compared key by key, so the exact keys are not listed.',
    remediation: 'Compare this section on its own, or flatten the configuration.',
    samples: {
      bad: [
        {
          ...pair(nested(70, 'blue'), nested(70, 'green'), 1),
          why: 'Two configurations 70 levels deep that differ only at the bottom.',
        },
      ],
      good: [pair(nested(70, 'blue'), nested(70, 'blue'))],
    },
  },
]);

/** One line of YAML: a map `depth` levels deep with `leaf` at the bottom (DRIFT007's samples). */
function nested(depth: number, leaf: string): string {
  return `${'level: {'.repeat(depth)}leaf: ${leaf}${'}'.repeat(depth)}\n`;
}

export type DriftRuleId = (typeof DRIFT_RULES.rules)[number]['id'];

/** How a finding of the rule counts in the metrics. */
export type DriftKind = 'missing' | 'extra' | 'changed';

/** What each rule counts as, and its severity on a critical key. */
export const DRIFT_KINDS = {
  DRIFT001: { kind: 'missing', criticalSeverity: 'critical' },
  DRIFT002: { kind: 'extra', criticalSeverity: 'high' },
  DRIFT003: { kind: 'changed', criticalSeverity: 'critical' },
  DRIFT004: { kind: 'changed', criticalSeverity: 'critical' },
  DRIFT005: { kind: 'changed', criticalSeverity: 'critical' },
  DRIFT006: { kind: 'changed', criticalSeverity: 'medium' },
  DRIFT007: { kind: 'changed', criticalSeverity: 'high' },
} as const satisfies Record<DriftRuleId, { kind: DriftKind; criticalSeverity: Severity }>;

/** A relative change above this fraction of the baseline value is DRIFT005. */
export const LARGE_NUMERIC_CHANGE = 0.5;

/** Objects and lists nested deeper than this are compared as a whole (DRIFT007). */
export const MAX_DEPTH = 64;

/** The `deduction` weights (see the module comment). */
export const SEVERITY_WEIGHTS: SeverityWeights = {
  critical: 25,
  high: 10,
  medium: 5,
  low: 2,
  info: 0,
};
