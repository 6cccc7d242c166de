/**
 * HIPAA Security Rule (45 CFR Part 164, Subpart C): the administrative
 * (164.308), physical (164.310) and technical (164.312) safeguards that
 * configuration, code and backup data can show.
 */
import type { Framework } from './framework.js';

export const HIPAA: Framework = {
  id: 'hipaa',
  name: 'HIPAA Security Rule',
  version: '45 CFR 164 Subpart C',
  controls: [
    { id: '164.308(a)(1)(ii)(D)', title: 'System activity is reviewed' },
    { id: '164.308(a)(4)(ii)(B)', title: 'Access to ePHI is authorised' },
    { id: '164.308(a)(5)(ii)(B)', title: 'Protection from malicious software' },
    { id: '164.308(a)(7)(ii)(A)', title: 'Retrievable backups of ePHI exist' },
    { id: '164.308(a)(7)(ii)(B)', title: 'Data can be restored after a disaster' },
    { id: '164.308(a)(7)(ii)(D)', title: 'Contingency plans are tested' },
    { id: '164.310(d)(2)(iv)', title: 'An exact copy exists before equipment moves' },
    { id: '164.312(a)(1)', title: 'Technical access control' },
    { id: '164.312(a)(2)(iv)', title: 'ePHI is encrypted where appropriate' },
    { id: '164.312(b)', title: 'Activity in systems with ePHI is recorded' },
    { id: '164.312(c)(1)', title: 'ePHI is protected from improper change or loss' },
    { id: '164.312(d)', title: 'Users and entities are authenticated' },
    { id: '164.312(e)(1)', title: 'ePHI is protected in transmission' },
  ],
  mappings: [
    {
      control: '164.308(a)(1)(ii)(D)',
      check: 'audit-logging',
      rationale: 'Without logs there is no activity to review.',
    },
    {
      control: '164.308(a)(4)(ii)(B)',
      check: 'iam-least-privilege',
      rationale: 'Wildcard grants authorise everything.',
    },
    { control: '164.308(a)(4)(ii)(B)', check: 'k8s-rbac', rationale: 'Cluster roles authorise beyond need.' },
    {
      control: '164.308(a)(5)(ii)(B)',
      check: 'vulnerable-dependencies',
      rationale: 'Known-vulnerable packages.',
    },
    {
      control: '164.308(a)(5)(ii)(B)',
      check: 'image-supply-chain',
      rationale: 'Unverified code pulled into images.',
    },
    { control: '164.308(a)(7)(ii)(A)', check: 'backups', rationale: 'Missing, stale or empty backups.' },
    { control: '164.308(a)(7)(ii)(A)', check: 'db-backups', rationale: 'Automated database backups off.' },
    {
      control: '164.308(a)(7)(ii)(B)',
      check: 'recovery-targets',
      rationale: 'Recovery times the setup cannot meet.',
    },
    { control: '164.308(a)(7)(ii)(B)', check: 'cross-region-copy', rationale: 'No copy outside the region.' },
    { control: '164.308(a)(7)(ii)(D)', check: 'restore-tests', rationale: 'Backups never restore-tested.' },
    { control: '164.310(d)(2)(iv)', check: 'backups', rationale: 'A retrievable copy must exist.' },
    {
      control: '164.312(a)(1)',
      check: 'storage-public',
      rationale: 'Public storage bypasses access control.',
    },
    { control: '164.312(a)(1)', check: 'db-exposure', rationale: 'Databases reachable from the internet.' },
    {
      control: '164.312(a)(2)(iv)',
      check: 'encryption-at-rest',
      rationale: 'Stores declared without encryption.',
    },
    { control: '164.312(b)', check: 'audit-logging', rationale: 'Audit and access logs switched off.' },
    {
      control: '164.312(c)(1)',
      check: 'versioning',
      rationale: 'Unversioned buckets lose overwritten objects.',
    },
    {
      control: '164.312(c)(1)',
      check: 'deletion-protection',
      rationale: 'Stores a stack update can delete.',
    },
    { control: '164.312(c)(1)', check: 'unbounded-writes', rationale: 'UPDATE or DELETE on every row.' },
    { control: '164.312(d)', check: 'cluster-auth', rationale: 'Legacy auth or RBAC off on a cluster.' },
    { control: '164.312(d)', check: 'weak-password-hash', rationale: 'Passwords stored with a weak hash.' },
    { control: '164.312(e)(1)', check: 'tls-in-transit', rationale: 'Plain HTTP or old TLS.' },
    { control: '164.312(e)(1)', check: 'code-tls', rationale: 'Certificate checks disabled in code.' },
  ],
};
