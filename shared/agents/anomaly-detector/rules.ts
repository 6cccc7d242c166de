/**
 * The anomaly-detector's rules as one catalog (shared/agents/scan/catalog.ts):
 * anomalous values, and with a threshold its projected or past crossing, each
 * with a series it fires on and one it does not. The score follows the
 * `anomaly-count` policy (shared/agents/scan/score.ts).
 */
import { defineRules } from '../scan/catalog.js';
import type { ScorePolicyName } from '../scan/score.js';

export const SCORE_POLICY: ScorePolicyName = 'anomaly-count';
/** Points each anomaly costs. */
export const ANOMALY_PENALTY = 5;
/** Points a threshold already crossed costs, or one projected to be. */
export const CROSSED_PENALTY = 50;
export const CROSSING_PENALTY = 20;

const MINUTE = 60_000;
const START = Date.UTC(2026, 4, 30, 8, 0);

/** CPU around 20 % once a minute for five hours (the detector scores from its 240th point), with `spike` at row `at`. */
function cpuCsv(spike?: { at: number; value: number }): string {
  const rows = Array.from({ length: 300 }, (_, i) => {
    const time = new Date(START + i * MINUTE).toISOString().replace('T', ' ').slice(0, 19);
    const value = i === spike?.at ? spike.value : 20 + ((i * 7) % 5) * 0.8;
    return `${time},${value}`;
  });
  return ['timestamp,value', ...rows].join('\n');
}

/** Disk usage rising `perHour` points an hour for a day, hourly, oldest first. */
function diskPoints(perHour: number) {
  return Array.from({ length: 24 }, (_, h) => ({
    timestamp: new Date(START + h * 60 * MINUTE).toISOString(),
    value: 60 + perHour * h + ((h * 7) % 5) * 0.1,
  }));
}

export const ANOMALY_RULES = defineRules('anomaly-detector', [
  {
    id: 'ANOM001',
    severity: 'medium',
    category: 'reliability',
    title: 'Anomalous value',
    description:
      'A point the online detector finds surprising given what came before it (spike, level shift, broken ' +
      'daily cycle) at the input’s sensitivity; high from a tail probability of 1e-12, medium from 1e-6, ' +
      'else low. The expected range is the same time on earlier days, else the recent points.',
    remediation:
      'Correlate the time with deploys, traffic and dependency incidents; check the metric against its usual range.',
    samples: {
      bad: [
        {
          path: 'cpu.csv',
          content: cpuCsv({ at: 290, value: 97.5 }),
          why: 'a spike to 97.5 % at 12:50',
          line: 292,
        },
      ],
      good: [{ path: 'cpu.csv', content: cpuCsv(), why: 'the same series without the spike' }],
    },
  },
  {
    id: 'ANOM002',
    severity: 'high',
    category: 'reliability',
    title: 'Threshold crossing projected',
    description:
      'Given a threshold, the robust (Theil–Sen) trend of the last points reaches it after the last point: ' +
      'high within a day, medium within a week, low later.',
    remediation: 'Act before the projected time: add capacity, clean up, or fix what drives the trend.',
    samples: {
      bad: [
        {
          input: { points: diskPoints(1), metric: 'disk_used_percent', threshold: { value: 90 } },
          why: 'rising a point an hour from 60 %: 90 % in about 7 hours',
        },
      ],
      good: [
        {
          input: { points: diskPoints(-0.5), metric: 'disk_used_percent', threshold: { value: 90 } },
          why: 'falling half a point an hour after a clean-up',
        },
      ],
    },
  },
  {
    id: 'ANOM003',
    severity: 'critical',
    category: 'reliability',
    title: 'Threshold already crossed',
    description: 'Given a threshold, the last point of the series is already past it.',
    remediation: 'The metric is past its threshold at the last point: treat as an incident.',
    samples: {
      bad: [{ input: { points: diskPoints(1), metric: 'disk_used_percent', threshold: { value: 80 } } }],
      good: [{ input: { points: diskPoints(1), metric: 'disk_used_percent', threshold: { value: 95 } } }],
    },
  },
] as const);

export type AnomalyRuleId = (typeof ANOMALY_RULES.rules)[number]['id'];
