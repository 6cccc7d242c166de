/** Every framework the compliance checker reports on, in report order. */
import { CIS_AWS } from './cis-aws.js';
import { CIS_KUBERNETES } from './cis-kubernetes.js';
import type { Framework } from './framework.js';
import { GDPR } from './gdpr.js';
import { HIPAA } from './hipaa.js';
import { ISO_27001 } from './iso27001.js';
import { PCI_DSS } from './pci-dss.js';
import { SOC2 } from './soc2.js';

export type { Control, ControlMapping, Framework } from './framework.js';

export const FRAMEWORKS: readonly Framework[] = [
  CIS_AWS,
  CIS_KUBERNETES,
  SOC2,
  PCI_DSS,
  HIPAA,
  ISO_27001,
  GDPR,
];

export const FRAMEWORK_IDS = [
  'cis-aws',
  'cis-kubernetes',
  'soc2',
  'pci-dss',
  'hipaa',
  'iso27001',
  'gdpr',
] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];
