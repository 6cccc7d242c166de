/**
 * The data rules on deliberately vulnerable fixtures, one per cloud:
 * Azure and Google Cloud (with an Alibaba Cloud bucket) Terraform, and an
 * AWS data tier written twice, in Terraform and in CloudFormation, which
 * must give the same findings. Every finding points at the attribute that
 * is wrong, or at the resource when the problem is an attribute left out
 * (the provider's default).
 */
import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../../shared/agents/contract.js';
import { analyzeSecurity } from '../../../shared/agents/security-scanner/analyze.js';
import { securityInputSchema } from '../../../shared/agents/security-scanner/schema.js';
import { fixture } from '../../helpers/fixtures.js';

const NOW = new Date('2025-06-01T12:00:00Z');

async function scan(path: string): Promise<Finding[]> {
  const files = [{ path: `infra/${path}`, content: fixture(`security/${path}`) }];
  return (await analyzeSecurity(securityInputSchema.parse({ files }), { traceId: 'test', now: NOW }))
    .findings;
}

type Row = readonly [string, string | undefined, number | undefined, string];

const sorted = (list: readonly Row[]) => [...list].sort((a, b) => a.join('|').localeCompare(b.join('|')));

/** rule id, resource name, line, severity — without the informational tag findings. */
const rows = (findings: Finding[]) =>
  sorted(
    findings
      .filter((f) => f.ruleId !== 'IAC-MISSING-TAGS')
      .map((f): Row => [f.ruleId, f.resource?.name, f.resource?.line, f.severity]),
  );

describe('IaC data rules on the vulnerable fixtures', () => {
  it('Azure: public and open storage, plain HTTP, old TLS, open SQL firewall, auditing, encryption, Key Vault, activity log', async () => {
    // Act
    const findings = await scan('terraform/azure-data.tf');

    // Assess
    expect(rows(findings)).toEqual(
      sorted([
        ['IAC-AUDIT-LOG', 'activity', 106, 'low'],
        ['IAC-AUDIT-LOG', 'activity', 109, 'medium'],
        ['IAC-DB-AUDIT', 'orders', 135, 'medium'],
        ['IAC-DB-AUDIT', 'orders', 51, 'medium'],
        ['IAC-DB-OPEN-FIREWALL', 'azure_services', 44, 'medium'],
        ['IAC-DB-OPEN-FIREWALL', 'everyone', 38, 'critical'],
        ['IAC-DB-PUBLIC-NETWORK', 'catalog', 149, 'medium'],
        ['IAC-DB-PUBLIC-NETWORK', 'orders', 31, 'medium'],
        ['IAC-DB-TLS', 'catalog', 60, 'high'],
        ['IAC-DB-TLS', 'sessions', 71, 'high'],
        ['IAC-ENCRYPTION-AT-REST', 'orders', 141, 'high'],
        ['IAC-ENCRYPTION-AT-REST', 'scratch', 100, 'high'],
        ['IAC-KEY-EXPIRY', 'data', 84, 'low'],
        ['IAC-KEYVAULT-NETWORK', 'shop', 75, 'medium'],
        ['IAC-KEYVAULT-PURGE-PROTECTION', 'shop', 81, 'medium'],
        ['IAC-MIN-TLS', 'catalog', 61, 'medium'],
        ['IAC-MIN-TLS', 'exports', 9, 'medium'],
        ['IAC-MIN-TLS', 'orders', 30, 'medium'],
        ['IAC-MIN-TLS', 'sessions', 72, 'medium'],
        ['IAC-STORAGE-HTTPS', 'exports', 8, 'high'],
        ['IAC-STORAGE-LOGGING', 'telemetry', 125, 'low'],
        ['IAC-STORAGE-NETWORK', 'telemetry', 120, 'medium'],
        ['IAC-STORAGE-PUBLIC', 'exports', 10, 'high'],
        ['IAC-STORAGE-PUBLIC', 'invoices', 16, 'high'],
      ]),
    );
  });

  it('Google Cloud and Alibaba Cloud: public buckets and datasets, Cloud SQL, KMS rotation, audit exemptions, OSS', async () => {
    // Act
    const findings = await scan('terraform/gcp-data.tf');

    // Assess
    expect(rows(findings)).toEqual(
      sorted([
        ['IAC-AUDIT-LOG', 'shop', 80, 'medium'],
        ['IAC-DB-AUDIT', 'orders', 59, 'medium'],
        ['IAC-DB-BACKUP', 'orders', 47, 'medium'],
        ['IAC-DB-OPEN-FIREWALL', 'orders', 54, 'critical'],
        ['IAC-DB-PUBLIC-NETWORK', 'orders', 50, 'medium'],
        ['IAC-DB-TLS', 'orders', 51, 'high'],
        ['IAC-KMS-ROTATION', 'archive', 72, 'low'],
        ['IAC-KMS-ROTATION', 'data', 64, 'medium'],
        ['IAC-STORAGE-LOGGING', 'exports', 84, 'low'],
        ['IAC-STORAGE-LOGGING', 'reports', 2, 'low'],
        ['IAC-STORAGE-PUBLIC', 'exports', 86, 'critical'],
        ['IAC-STORAGE-PUBLIC', 'reports', 21, 'high'],
        ['IAC-STORAGE-PUBLIC', 'reports_public', 10, 'high'],
        ['IAC-STORAGE-PUBLIC', 'reports_writers', 16, 'critical'],
        ['IAC-STORAGE-PUBLIC', 'sales', 94, 'high'],
        ['IAC-STORAGE-UNIFORM-ACCESS', 'reports', 2, 'medium'],
      ]),
    );
    // The bucket that enforces public access prevention cannot be made public by its allUsers member.
    expect(findings.filter((f) => f.resource?.name === 'private_public')).toEqual([]);
  });

  it('AWS: encryption at rest and in transit, RDS backups and KMS rotation, the same in Terraform and CloudFormation', async () => {
    // Act
    const terraform = await scan('terraform/aws-data.tf');
    const cloudFormation = await scan('cloudformation/aws-data.yaml');

    // Assess
    expect(rows(terraform)).toEqual(
      sorted([
        ['IAC-DB-BACKUP', 'orders', 36, 'medium'],
        ['IAC-DB-TLS', 'sessions', 19, 'high'],
        ['IAC-ENCRYPTION-AT-REST', 'events', 28, 'high'],
        ['IAC-ENCRYPTION-AT-REST', 'graph', 5, 'high'],
        ['IAC-ENCRYPTION-AT-REST', 'profiles', 8, 'high'],
        ['IAC-ENCRYPTION-AT-REST', 'sessions', 22, 'high'],
        ['IAC-ENCRYPTION-AT-REST', 'warehouse', 16, 'high'],
        ['IAC-KMS-ROTATION', 'data', 42, 'medium'],
      ]),
    );
    expect(rows(cloudFormation)).toEqual(
      sorted([
        ['IAC-DB-BACKUP', 'Orders', 34, 'medium'],
        ['IAC-DB-TLS', 'Sessions', 19, 'high'],
        ['IAC-ENCRYPTION-AT-REST', 'Events', 26, 'high'],
        ['IAC-ENCRYPTION-AT-REST', 'Graph', 8, 'high'],
        ['IAC-ENCRYPTION-AT-REST', 'Profiles', 9, 'high'],
        ['IAC-ENCRYPTION-AT-REST', 'Sessions', 23, 'high'],
        ['IAC-ENCRYPTION-AT-REST', 'Warehouse', 18, 'high'],
        ['IAC-KMS-ROTATION', 'DataKey', 39, 'medium'],
      ]),
    );
    const rules = (findings: Finding[]) =>
      rows(findings)
        .map(([ruleId, , , severity]) => `${ruleId} ${severity}`)
        .sort();
    expect(rules(cloudFormation)).toEqual(rules(terraform));
  });
});
