/**
 * The log-analyzer's rules as one catalog (shared/agents/scan/catalog.ts):
 * error and warning templates, bursts, templates new against a baseline and
 * root-cause candidates, each with a log it fires on and one it does not.
 * The score follows the `error-share` policy (shared/agents/scan/score.ts).
 */

import { defineRules } from '../scan/catalog.js';
import type { ScorePolicyName } from '../scan/score.js';

export const SCORE_POLICY: ScorePolicyName = 'error-share';
/** Points a burst costs on top of the error share. */
export const BURST_PENALTY = 10;

/** `count` lines `step` seconds apart from `start` (HH:MM:SS), in the shop's log format. */
function shopLines(start: string, count: number, step: number, message: (i: number) => string): string[] {
  const [h, m, s] = start.split(':').map(Number);
  const base = ((h ?? 0) * 60 + (m ?? 0)) * 60 + (s ?? 0);
  return Array.from({ length: count }, (_, i) => {
    const at = base + i * step;
    const time = [Math.floor(at / 3600), Math.floor(at / 60) % 60, at % 60]
      .map((n) => String(n).padStart(2, '0'))
      .join(':');
    return `2026-05-30 ${time},000 ${message(i)}`;
  });
}

const orders = (i: number) =>
  `INFO  [exec-${i % 4}] c.e.shop.OrderController: GET /api/orders/${1840 + i} 200 in 12 ms`;
const refused = 'ERROR [exec-9] c.e.shop.PaymentClient: Connection to payments.internal:8443 refused';

/** Orders once a minute, then six in the fourth minute: a burst of the GET template. */
const burstLog = (before: string[], after: string[] = []) =>
  [
    ...shopLines('10:00:00', 3, 60, orders),
    ...before,
    ...shopLines('10:03:10', 6, 5, orders),
    ...after,
    ...shopLines('10:05:00', 2, 60, orders),
  ].join('\n');

const quietLog = shopLines('10:00:00', 8, 60, orders).join('\n');

export const LOG_RULES = defineRules('log-analyzer', [
  {
    id: 'LOG001',
    severity: 'high',
    category: 'reliability',
    title: 'Error template',
    description:
      'Lines at ERROR or FATAL level (or with error words where the level is unknown) sharing one template. ' +
      'Critical when one of them is FATAL.',
    remediation:
      'Read the evidence lines and the first occurrence; fix the cause or lower the level if the event is expected.',
    samples: {
      bad: [
        {
          path: 'app.log',
          content: [...shopLines('10:00:00', 2, 30, orders), `2026-05-30 10:01:10,000 ${refused}`].join('\n'),
          line: 3,
        },
      ],
      good: [{ path: 'app.log', content: quietLog, why: 'only INFO lines' }],
    },
  },
  {
    id: 'LOG002',
    severity: 'low',
    category: 'reliability',
    title: 'Warning template',
    description: 'Lines at WARN level sharing one template.',
    remediation: 'Check whether the warning precedes errors; silence it at the source if it is noise.',
    samples: {
      bad: [
        {
          path: 'app.log',
          content: [
            ...shopLines('10:00:00', 2, 30, orders),
            '2026-05-30 10:01:10,000 WARN  [pool] com.zaxxer.hikari.pool.HikariPool: HikariPool-1 - Thread starvation or clock leap detected',
          ].join('\n'),
          line: 3,
        },
      ],
      good: [{ path: 'app.log', content: quietLog }],
    },
  },
  {
    id: 'LOG003',
    severity: 'high',
    category: 'reliability',
    title: 'Burst',
    description:
      "A template's rate in one time bucket jumped far above its usual rate in the other buckets (at least 5 " +
      'lines, and 4 times the median per bucket, over at least 3 buckets).',
    remediation:
      'Correlate the burst window with deploys, traffic and dependencies; the root-cause candidates list what started just before.',
    samples: {
      bad: [{ path: 'app.log', content: burstLog([]), why: 'six GETs in one minute against one a minute' }],
      good: [{ path: 'app.log', content: quietLog, why: 'the same template at a steady rate' }],
    },
  },
  {
    id: 'LOG004',
    severity: 'medium',
    category: 'reliability',
    title: 'Template new against the baseline',
    description:
      'A template that does not occur in the baseline of normal operation (the input’s `baseline.templates`); ' +
      'high when its lines are errors.',
    remediation:
      'Decide whether the new event is expected (a new release) or a symptom; add it to the baseline once understood.',
    samples: {
      bad: [
        {
          input: {
            lines: [
              '2026-05-30 10:00:00,000 INFO  [main] c.e.shop.App: Started in 4 s',
              '2026-05-30 10:00:05,000 INFO  [main] c.e.shop.Cache: Cache warmed with 120 entries',
            ],
            baseline: { templates: ['Started in <*>'] },
          },
          line: 2,
        },
      ],
      good: [
        {
          input: {
            lines: [
              '2026-05-30 10:00:00,000 INFO  [main] c.e.shop.App: Started in 4 s',
              '2026-05-30 11:00:00,000 INFO  [main] c.e.shop.App: Started in 6 s',
            ],
            baseline: { templates: ['Started in <*>'] },
          },
        },
      ],
    },
  },
  {
    id: 'LOG005',
    severity: 'high',
    category: 'reliability',
    title: 'Root-cause candidate',
    description:
      'The earliest new or error templates (up to three) first seen in the five buckets before a burst began.',
    remediation:
      'Start the investigation here: the candidate appeared before the burst and may have caused it.',
    samples: {
      bad: [{ path: 'app.log', content: burstLog([`2026-05-30 10:03:05,000 ${refused}`]), line: 4 }],
      good: [
        {
          path: 'app.log',
          content: burstLog([], [`2026-05-30 10:04:30,000 ${refused}`]),
          why: 'the error starts after the burst',
        },
      ],
    },
  },
] as const);

export type LogRuleId = (typeof LOG_RULES.rules)[number]['id'];
