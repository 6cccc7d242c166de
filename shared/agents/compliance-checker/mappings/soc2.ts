/**
 * SOC 2 Trust Services Criteria (2017, points of focus revised 2022): the
 * common criteria on logical access (CC6), system operations (CC7) and change
 * management (CC8). Criteria are broad, so each takes several checks, and it
 * is assessed only when every one of them ran on its kind of input.
 */
import type { Framework } from './framework.js';

export const SOC2: Framework = {
  id: 'soc2',
  name: 'SOC 2 Trust Services Criteria',
  version: '2017 (rev. 2022)',
  controls: [
    { id: 'CC6.1', title: 'Logical access controls protect information assets' },
    { id: 'CC6.3', title: 'Access is granted by role, with least privilege' },
    { id: 'CC6.6', title: 'Access from outside the system boundary is restricted' },
    { id: 'CC6.7', title: 'Data in transit is protected' },
    { id: 'CC6.8', title: 'Unauthorised or malicious software is prevented or detected' },
    { id: 'CC7.1', title: 'Vulnerabilities and configuration weaknesses are detected' },
    { id: 'CC7.2', title: 'Components are monitored for anomalies' },
    { id: 'CC7.5', title: 'Recovery from incidents is planned and possible' },
    { id: 'CC8.1', title: 'Changes are authorised, tested and applied safely' },
  ],
  mappings: [
    {
      control: 'CC6.1',
      check: 'encryption-at-rest',
      rationale: 'Encryption at rest is an access safeguard.',
    },
    {
      control: 'CC6.1',
      check: 'leaked-secrets',
      rationale: 'A credential in the repository bypasses access control.',
    },
    {
      control: 'CC6.1',
      check: 'storage-public',
      rationale: 'Public storage removes access control entirely.',
    },
    {
      control: 'CC6.3',
      check: 'iam-least-privilege',
      rationale: 'Wildcard IAM actions or resources defeat least privilege.',
    },
    { control: 'CC6.3', check: 'k8s-rbac', rationale: 'Kubernetes RBAC grants beyond need.' },
    { control: 'CC6.6', check: 'admin-ports', rationale: 'Admin ports open to the internet.' },
    { control: 'CC6.6', check: 'db-exposure', rationale: 'Databases reachable from the internet.' },
    {
      control: 'CC6.6',
      check: 'k8s-exposure',
      rationale: 'Pods without network policy, host ports, public Services.',
    },
    {
      control: 'CC6.7',
      check: 'tls-in-transit',
      rationale: 'Plain HTTP listeners and old TLS in templates.',
    },
    { control: 'CC6.7', check: 'code-tls', rationale: 'Code that turns certificate checks off.' },
    {
      control: 'CC6.8',
      check: 'image-supply-chain',
      rationale: 'Unpinned bases and remote scripts piped to a shell.',
    },
    {
      control: 'CC6.8',
      check: 'image-tls',
      rationale: 'A build step that skips TLS checks can pull tampered code.',
    },
    {
      control: 'CC6.8',
      check: 'k8s-image-pinning',
      rationale: 'Mutable image tags let unreviewed code run.',
    },
    {
      control: 'CC7.1',
      check: 'vulnerable-dependencies',
      rationale: 'Locked packages with published advisories.',
    },
    { control: 'CC7.1', check: 'image-registry', rationale: 'Registries that do not scan images on push.' },
    {
      control: 'CC7.2',
      check: 'audit-logging',
      rationale: 'Trails, access logs and audit logs switched off.',
    },
    { control: 'CC7.5', check: 'backups', rationale: 'Missing, stale or empty backups.' },
    { control: 'CC7.5', check: 'recovery-targets', rationale: 'RTO or RPO targets the setup cannot meet.' },
    { control: 'CC8.1', check: 'risky-migrations', rationale: 'Schema changes that lock or lose data.' },
    { control: 'CC8.1', check: 'untested-change', rationale: 'Source changed with no test changed.' },
  ],
};
