import type { Severity } from '../contract.js';

export interface LogRule {
  id: string;
  severity: Severity;
  title: string;
  description: string;
  remediation: string;
}

export const RULES = {
  errors: {
    id: 'LOG001',
    severity: 'high',
    title: 'Error template',
    description:
      'Lines at ERROR or FATAL level (or with error words where the level is unknown) sharing one template.',
    remediation:
      'Read the evidence lines and the first occurrence; fix the cause or lower the level if the event is expected.',
  },
  warnings: {
    id: 'LOG002',
    severity: 'low',
    title: 'Warning template',
    description: 'Lines at WARN level sharing one template.',
    remediation: 'Check whether the warning precedes errors; silence it at the source if it is noise.',
  },
  burst: {
    id: 'LOG003',
    severity: 'high',
    title: 'Burst',
    description: "A template's rate in one time bucket jumped far above its usual rate in the other buckets.",
    remediation:
      'Correlate the burst window with deploys, traffic and dependencies; the root-cause candidates list what started just before.',
  },
  newTemplate: {
    id: 'LOG004',
    severity: 'medium',
    title: 'Template new against the baseline',
    description: 'A template that does not occur in the baseline of normal operation.',
    remediation:
      'Decide whether the new event is expected (a new release) or a symptom; add it to the baseline once understood.',
  },
  rootCause: {
    id: 'LOG005',
    severity: 'high',
    title: 'Root-cause candidate',
    description: 'The earliest new or error template seen shortly before a burst began.',
    remediation:
      'Start the investigation here: the candidate appeared before the burst and may have caused it.',
  },
} as const satisfies Record<string, LogRule>;
