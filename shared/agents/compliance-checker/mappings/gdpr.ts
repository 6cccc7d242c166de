/**
 * GDPR Article 32 (security of processing): paragraph 1 points (a)–(d) and
 * paragraph 2, each read as a control.
 */
import type { Framework } from './framework.js';

export const GDPR: Framework = {
  id: 'gdpr',
  name: 'GDPR Article 32',
  version: 'Regulation (EU) 2016/679',
  controls: [
    { id: '32(1)(a)', title: 'Personal data is pseudonymised or encrypted' },
    { id: '32(1)(b)', title: 'Systems stay confidential, intact, available and resilient' },
    { id: '32(1)(c)', title: 'Access to data is restored in time after an incident' },
    { id: '32(1)(d)', title: 'Safeguards are tested and evaluated regularly' },
    { id: '32(2)', title: 'Risks of disclosure, loss and unauthorised access are weighed' },
  ],
  mappings: [
    {
      control: '32(1)(a)',
      check: 'encryption-at-rest',
      rationale: 'Stores of personal data without encryption.',
    },
    {
      control: '32(1)(a)',
      check: 'tls-in-transit',
      rationale: 'Personal data sent over plain HTTP or old TLS.',
    },
    {
      control: '32(1)(b)',
      check: 'iam-least-privilege',
      rationale: 'Wildcard grants weaken confidentiality.',
    },
    {
      control: '32(1)(b)',
      check: 'leaked-secrets',
      rationale: 'Leaked credentials open the data to anyone.',
    },
    { control: '32(1)(b)', check: 'multi-az', rationale: 'Single-AZ stores lack resilience.' },
    { control: '32(1)(c)', check: 'backups', rationale: 'Missing or stale backups cannot restore data.' },
    {
      control: '32(1)(c)',
      check: 'recovery-targets',
      rationale: 'Recovery objectives the setup cannot meet.',
    },
    { control: '32(1)(d)', check: 'restore-tests', rationale: 'Restores never tested.' },
    { control: '32(2)', check: 'storage-public', rationale: 'Public storage discloses data.' },
    { control: '32(2)', check: 'db-exposure', rationale: 'Databases reachable from the internet.' },
  ],
};
