/**
 * PCI DSS v4.0: the requirements a repository can give evidence on (network
 * controls, secure configuration, stored-data protection, cryptography in
 * transit, secure software, access, authentication, logging).
 */
import type { Framework } from './framework.js';

export const PCI_DSS: Framework = {
  id: 'pci-dss',
  name: 'PCI DSS',
  version: '4.0',
  controls: [
    { id: '1.3.1', title: 'Inbound traffic to the cardholder environment is limited' },
    { id: '1.4.1', title: 'Untrusted networks are separated from trusted ones' },
    { id: '2.2.1', title: 'Systems follow hardening standards' },
    { id: '2.2.4', title: 'Only needed services and functions are enabled' },
    { id: '2.2.6', title: 'Security parameters prevent misuse' },
    { id: '3.5.1', title: 'Stored account data is unreadable' },
    { id: '3.7.4', title: 'Keys are changed at the end of their period' },
    { id: '4.2.1', title: 'Strong cryptography over public networks' },
    { id: '6.2.4', title: 'Code resists common attacks such as injection' },
    { id: '6.3.3', title: 'Known vulnerabilities are patched' },
    { id: '7.2.2', title: 'Access follows least privilege' },
    { id: '8.3.2', title: 'Authentication factors are protected by strong cryptography' },
    { id: '8.6.2', title: 'No passwords hard-coded in scripts, files or code' },
    { id: '10.2.1', title: 'Audit logs are enabled' },
  ],
  mappings: [
    { control: '1.3.1', check: 'admin-ports', rationale: 'Admin ports reachable from anywhere.' },
    { control: '1.3.1', check: 'k8s-network-policy', rationale: 'Pods accept traffic from every other pod.' },
    { control: '1.4.1', check: 'db-exposure', rationale: 'Data stores on the public network.' },
    { control: '1.4.1', check: 'public-addresses', rationale: 'Public IPs and endpoints by default.' },
    { control: '2.2.1', check: 'k8s-security-context', rationale: 'Container hardening settings missing.' },
    { control: '2.2.1', check: 'image-hardening', rationale: 'Images that run as root or open permissions.' },
    { control: '2.2.4', check: 'image-services', rationale: 'An SSH daemon exposed from an image.' },
    { control: '2.2.4', check: 'k8s-host-port', rationale: 'A host port opens a service on the node.' },
    {
      control: '2.2.6',
      check: 'k8s-privileged',
      rationale: 'Privileged mode removes every container boundary.',
    },
    { control: '2.2.6', check: 'k8s-capabilities', rationale: 'Extra capabilities enable misuse.' },
    { control: '3.5.1', check: 'encryption-at-rest', rationale: 'Data stores declared without encryption.' },
    { control: '3.7.4', check: 'key-lifecycle', rationale: 'Keys without rotation or expiry.' },
    { control: '4.2.1', check: 'tls-in-transit', rationale: 'Plain HTTP or TLS older than 1.2.' },
    { control: '4.2.1', check: 'code-tls', rationale: 'Certificate verification disabled in code.' },
    { control: '6.2.4', check: 'injection', rationale: 'Injection and unsafe deserialisation patterns.' },
    {
      control: '6.2.4',
      check: 'review-injection',
      rationale: 'eval and SQL built from strings (parsed code).',
    },
    { control: '6.3.3', check: 'vulnerable-dependencies', rationale: 'Dependencies with known advisories.' },
    { control: '7.2.2', check: 'iam-least-privilege', rationale: 'IAM wildcards grant beyond need.' },
    { control: '7.2.2', check: 'k8s-rbac', rationale: 'RBAC grants beyond need.' },
    {
      control: '8.3.2',
      check: 'weak-password-hash',
      rationale: 'Passwords hashed with a fast or broken hash.',
    },
    { control: '8.6.2', check: 'leaked-secrets', rationale: 'Credentials committed in files.' },
    { control: '8.6.2', check: 'template-secrets', rationale: 'Credentials in templates.' },
    { control: '8.6.2', check: 'image-secrets', rationale: 'Credentials baked into images.' },
    { control: '8.6.2', check: 'k8s-env-secrets', rationale: 'Credentials as literal env values.' },
    { control: '8.6.2', check: 'review-secrets', rationale: 'Credentials in source code.' },
    { control: '10.2.1', check: 'audit-logging', rationale: 'Audit and access logging switched off.' },
  ],
};
