import type { Severity } from '../contract.js';

export const RULES = {
  anomaly: {
    id: 'ANOM001',
    severity: 'medium' as Severity,
    title: 'Anomalous value',
    remediation:
      'Correlate the time with deploys, traffic and dependency incidents; check the metric against its usual range.',
  },
  crossing: {
    id: 'ANOM002',
    severity: 'high' as Severity,
    title: 'Threshold crossing projected',
    remediation: 'Act before the projected time: add capacity, clean up, or fix what drives the trend.',
  },
  crossed: {
    id: 'ANOM003',
    severity: 'critical' as Severity,
    title: 'Threshold already crossed',
    remediation: 'The metric is past its threshold at the last point: treat as an incident.',
  },
} as const;
