/**
 * The sla-monitor rules as one catalog (../scan/catalog.ts), with the inputs
 * each is shown on (./samples.ts). The alert rules are the multiwindow,
 * multi-burn-rate alerts of the Google SRE workbook, chapter 5 "Alerting on
 * SLOs". Score policy: `survival` with the shared weights.
 */
import { defineRules } from '../scan/catalog.js';
import type { ScorePolicyName } from '../scan/score.js';
import { SAMPLES } from './samples.js';

export const SCORE_POLICY: ScorePolicyName = 'survival';

const WORKBOOK = 'https://sre.google/workbook/alerting-on-slos/';

export const SLA_RULES = defineRules('sla-monitor', [
  {
    id: 'SLO000',
    severity: 'medium',
    category: 'correctness',
    title: 'Input not read',
    description:
      'A file that does not parse, or that is neither SLO definitions nor metric series the agent reads ' +
      '(Prometheus range query, CloudWatch GetMetricData, timestamp,good,total CSV): nothing in it was measured.',
    remediation: 'Fix the file at the reported line, or export the series in one of the formats read.',
    samples: SAMPLES.SLO000,
  },
  {
    id: 'SLO001',
    severity: 'critical',
    category: 'reliability',
    title: 'Fast error-budget burn (page)',
    description:
      'The burn rate over the last hour and the last 5 minutes both exceed 14.4: at that pace 2 % of a ' +
      '30-day budget goes in an hour and all of it in about two days. The workbook pages on it.',
    remediation:
      'Page the on-call: find what changed (deploy, dependency, traffic) and roll back or fail over.',
    docs: WORKBOOK,
    references: ['Sloth page alert', 'Pyrra critical alert'],
    samples: SAMPLES.SLO001,
  },
  {
    id: 'SLO002',
    severity: 'high',
    category: 'reliability',
    title: 'Sustained error-budget burn (page)',
    description:
      'The burn rate over 6 hours and over 30 minutes both exceed 6: 5 % of a 30-day budget per 6 hours, all ' +
      'of it in five days. The workbook pages on it.',
    remediation:
      'Page the on-call: the service has been failing for hours; mitigate before the budget is gone.',
    docs: WORKBOOK,
    samples: SAMPLES.SLO002,
  },
  {
    id: 'SLO003',
    severity: 'medium',
    category: 'reliability',
    title: 'Slow error-budget burn (ticket)',
    description:
      'The burn rate over 1 day and 2 hours exceeds 3, or over 3 days and 6 hours exceeds 1: the budget will ' +
      'not last the window. The workbook opens a ticket.',
    remediation:
      'Open a ticket: find the steady source of errors (a bad dependency, a retry storm, a slow query).',
    docs: WORKBOOK,
    samples: SAMPLES.SLO003,
  },
  {
    id: 'SLO004',
    severity: 'critical',
    category: 'reliability',
    title: 'Error budget exhausted',
    description:
      'The events in the window have spent the whole error budget: the SLO is missed for this window.',
    remediation: 'Apply the error-budget policy: freeze risky changes and spend the time on reliability.',
    samples: SAMPLES.SLO004,
  },
  {
    id: 'SLO005',
    severity: 'medium',
    category: 'reliability',
    title: 'Error budget mostly spent',
    description: 'Less than a quarter of the error budget is left for the rest of the window.',
    remediation: 'Slow down risky releases and fix the largest sources of errors before the budget runs out.',
    samples: SAMPLES.SLO005,
  },
  {
    id: 'SLO006',
    severity: 'low',
    category: 'observability',
    title: 'Gap in the SLO data',
    description:
      'An interval of more than two steps without data in the SLO window (medium from an hour), or data that ' +
      'ends well before the run: the SLI and burn rates are computed without it.',
    remediation:
      'Find why the metric stopped (scrape target down, exporter restarts, retention) and alert on absent data.',
    samples: SAMPLES.SLO006,
  },
  {
    id: 'SLO007',
    severity: 'high',
    category: 'observability',
    title: 'SLO without data',
    description:
      'The SLO’s selectors matched no series, or the series hold no events in its window: its status is ' +
      'no-data, never ok.',
    remediation:
      'Check the selectors against the metric names and labels, and give the metric files that hold them.',
    samples: SAMPLES.SLO007,
  },
  {
    id: 'SLO008',
    severity: 'high',
    category: 'correctness',
    title: 'Ill-formed SLO definition',
    description:
      'A target that is not a percentage (or a fraction like 0.999 where 99.9 was meant), a window that is not a ' +
      'duration, a selector that does not parse, an SLI without its counts, a latency threshold between histogram ' +
      'buckets, or two SLOs of one name: it cannot be evaluated or alerted on.',
    remediation: 'Fix the field at the reported line.',
    samples: SAMPLES.SLO008,
  },
  {
    id: 'SLO009',
    severity: 'high',
    category: 'reliability',
    title: 'Unachievable or unalertable SLO',
    description:
      'A target of 100 % (no budget at all), a budget smaller than one event at the traffic seen, burn-rate ' +
      'alerts that can never fire because they wait for more than 100 % errors (a target under 93.06 % for the ' +
      '14.4× page), or a window shorter than the 3-day alert window.',
    remediation:
      'Choose a target and window the service can meet and the alerts can measure (for low traffic, a longer window).',
    docs: WORKBOOK,
    samples: SAMPLES.SLO009,
  },
  {
    id: 'SLO010',
    severity: 'low',
    category: 'correctness',
    title: 'Metric series read by no SLO',
    description:
      'Series in the metric files that no SLO selects (or a CSV no SLO names as its source): they were read ' +
      'and not measured, often a selector that does not match what was exported.',
    remediation:
      'Add the SLO these series belong to, fix its selectors, or leave the series out of the export.',
    samples: SAMPLES.SLO010,
  },
  {
    id: 'SLO011',
    severity: 'medium',
    category: 'correctness',
    title: 'Impossible counts',
    description:
      'Steps where good events exceed the total or a count is negative: the series are not the good and total of ' +
      'the same events (different label sets, misaligned timestamps). Those steps are left out.',
    remediation: 'Export good and total with the same labels and step, or fix the selectors.',
    samples: SAMPLES.SLO011,
  },
] as const);

export type SlaRuleId = (typeof SLA_RULES.rules)[number]['id'];
