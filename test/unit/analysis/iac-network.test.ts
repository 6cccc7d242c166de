/**
 * Network, compute, cluster and container IaC rules across AWS, Azure, GCP
 * and Alicloud: every sample of their catalog, and the fixtures of each
 * provider with the exact rule and line of every finding.
 */
import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../../shared/agents/contract.js';
import { runAgent } from '../../../shared/agents/registry.js';
import { IAC_RULES } from '../../../shared/agents/security-scanner/rules/iac.js';
import { IAC_NETWORK_RULES } from '../../../shared/agents/security-scanner/rules/iac-network.js';
import { fixture } from '../../helpers/fixtures.js';

const NOW = new Date('2026-06-01T12:00:00Z');

async function scan(files: { path: string; content: string }[]): Promise<Finding[]> {
  const result = await runAgent('security-scanner', { files }, { traceId: 'iac-network', now: NOW });
  return result.findings;
}

const ADMIN_PORTS = IAC_RULES.rule('IAC-SG-ADMIN-PORT-OPEN');

describe('network, compute and cluster rule samples', () => {
  const rules = [...IAC_NETWORK_RULES.rules, ADMIN_PORTS];
  const cases = rules.flatMap((rule) => [
    ...rule.samples.bad.map((sample, i) => [rule.id, 'bad', i, sample] as const),
    ...rule.samples.good.map((sample, i) => [rule.id, 'good', i, sample] as const),
  ]);

  it('names checkov references and shows AWS rules in both languages', () => {
    for (const rule of rules) {
      expect([rule.id, (rule.references ?? []).length > 0]).toEqual([rule.id, true]);
      const aws = rule.samples.bad.some((s) => 'path' in s && s.path === 'template.yaml');
      const paths = rule.samples.good.map((s) => ('path' in s ? s.path : ''));
      if (aws)
        expect([rule.id, paths.includes('template.yaml'), paths.includes('main.tf')]).toEqual([
          rule.id,
          true,
          true,
        ]);
    }
  });

  it.each(cases)('%s %s sample %d', async (ruleId, kind, _index, sample) => {
    if (!('path' in sample)) throw new Error('IaC samples are files');
    const findings = await scan([{ path: sample.path, content: sample.content }]);
    const hits = findings.filter((f) => f.ruleId === ruleId && !f.suppressed);
    if (kind === 'good') expect(hits.map((f) => f.message)).toEqual([]);
    else {
      expect(hits.length).toBeGreaterThan(0);
      if (sample.line !== undefined) expect(hits.map((f) => f.resource?.line)).toContain(sample.line);
    }
  });
});

type Row = readonly [string, string | undefined, number | undefined, string];

const sorted = (list: readonly Row[]) => [...list].sort((a, b) => a.join('|').localeCompare(b.join('|')));

/** rule id, resource name, line, severity of every finding of one fixture file. */
async function rowsOf(name: string): Promise<Row[]> {
  const findings = await scan([{ path: `infra/${name}`, content: fixture(`iac/${name}`) }]);
  return sorted(findings.map((f): Row => [f.ruleId, f.resource?.name, f.resource?.line, f.severity]));
}

describe('fixtures: each provider, each finding at its attribute', () => {
  it('AWS Terraform: listeners, subnet, instance, ECR, EKS, Elasticsearch / OpenSearch, security group', async () => {
    expect(await rowsOf('aws-network.tf')).toEqual(
      sorted([
        ['IAC-SUBNET-PUBLIC-IP', 'public', 6, 'medium'],
        ['IAC-INSTANCE-PUBLIC-IP', 'web', 18, 'medium'],
        ['IAC-LB-HTTP-LISTENER', 'http', 25, 'high'],
        ['IAC-REGISTRY-MUTABLE-TAGS', 'shop', 60, 'medium'],
        ['IAC-REGISTRY-SCAN-ON-PUSH', 'shop', 60, 'medium'],
        ['IAC-CLUSTER-LOGGING', 'main', 73, 'medium'],
        ['IAC-CLUSTER-SECRETS-ENCRYPTION', 'main', 73, 'medium'],
        ['IAC-CLUSTER-PUBLIC-ENDPOINT', 'main', 77, 'high'],
        ['IAC-SEARCH-ENCRYPTION', 'logs', 101, 'medium'],
        ['IAC-SEARCH-ENCRYPTION', 'logs', 106, 'high'],
        ['IAC-SEARCH-HTTPS', 'logs', 111, 'medium'],
        ['IAC-SG-ADMIN-PORT-OPEN', 'bastion', 119, 'high'],
        ['IAC-LB-TLS-POLICY', 'legacy_tls', 131, 'medium'],
        // Outside a VPC, an access policy for Principal * is the internet's; inside one it is not reported.
        ['IAC-POLICY-PUBLIC-PRINCIPAL', 'public', 155, 'high'],
        // SSH remote access without source security groups: port 22 from anywhere.
        ['IAC-SG-ADMIN-PORT-OPEN', 'workers', 206, 'high'],
      ]),
    );
  });

  it('an EKS CloudFormation template: every problem found, the hardened cluster and the redirect quiet', async () => {
    expect(await rowsOf('aws-eks.yaml')).toEqual(
      sorted([
        ['IAC-SUBNET-PUBLIC-IP', 'PublicSubnet', 23, 'medium'],
        ['IAC-CLUSTER-LOGGING', 'Cluster', 31, 'medium'],
        ['IAC-CLUSTER-SECRETS-ENCRYPTION', 'Cluster', 31, 'medium'],
        ['IAC-CLUSTER-PUBLIC-ENDPOINT', 'Cluster', 38, 'high'],
        ['IAC-REGISTRY-MUTABLE-TAGS', 'Images', 59, 'medium'],
        ['IAC-REGISTRY-SCAN-ON-PUSH', 'Images', 59, 'medium'],
        ['IAC-LB-HTTP-LISTENER', 'WebListener', 69, 'high'],
        ['IAC-SEARCH-ENCRYPTION', 'Search', 92, 'medium'],
        ['IAC-SEARCH-HTTPS', 'Search', 96, 'high'],
        ['IAC-POLICY-PUBLIC-PRINCIPAL', 'Search', 100, 'high'],
        ['IAC-SG-ADMIN-PORT-OPEN', 'Nodes', 111, 'high'],
      ]),
    );
  });

  it('Azure: NSG rules from any source, a public NIC, App Service HTTPS and TLS, AKS access', async () => {
    expect(await rowsOf('azure-network.tf')).toEqual(
      sorted([
        ['IAC-SG-ADMIN-PORT-OPEN', 'web', 8, 'high'],
        ['IAC-SG-ADMIN-PORT-OPEN', 'everything', 53, 'critical'],
        ['IAC-INSTANCE-PUBLIC-IP', 'web', 82, 'medium'],
        ['IAC-WEBAPP-HTTPS', 'shop', 86, 'medium'],
        ['IAC-WEBAPP-TLS', 'shop', 93, 'medium'],
        ['IAC-CLUSTER-PUBLIC-ENDPOINT', 'main', 109, 'high'],
        ['IAC-CLUSTER-LEGACY-AUTH', 'main', 109, 'medium'],
        ['IAC-CLUSTER-NETWORK-POLICY', 'main', 109, 'low'],
        ['IAC-CLUSTER-RBAC', 'main', 114, 'high'],
      ]),
    );
  });

  it('GCP: firewalls (no source is every source, egress ignored), external IP, GKE legacy auth and access', async () => {
    expect(await rowsOf('gcp-network.tf')).toEqual(
      sorted([
        ['IAC-SG-ADMIN-PORT-OPEN', 'ssh', 7, 'high'],
        ['IAC-SG-ADMIN-PORT-OPEN', 'ssh', 7, 'high'],
        ['IAC-SG-ADMIN-PORT-OPEN', 'anything', 19, 'critical'],
        ['IAC-INSTANCE-PUBLIC-IP', 'web', 62, 'medium'],
        ['IAC-CLUSTER-PUBLIC-ENDPOINT', 'legacy', 66, 'high'],
        ['IAC-CLUSTER-SECRETS-ENCRYPTION', 'legacy', 66, 'medium'],
        ['IAC-CLUSTER-NETWORK-POLICY', 'legacy', 66, 'low'],
        ['IAC-CLUSTER-LEGACY-AUTH', 'legacy', 70, 'high'],
        ['IAC-CLUSTER-LOGGING', 'legacy', 71, 'medium'],
        ['IAC-CLUSTER-LEGACY-AUTH', 'legacy', 75, 'medium'],
        ['IAC-CLUSTER-LEGACY-AUTH', 'legacy', 80, 'medium'],
      ]),
    );
  });

  it('Alicloud: a rule open to the internet on RDP; HTTPS and an office range are fine', async () => {
    expect(await rowsOf('alicloud-network.tf')).toEqual([['IAC-SG-ADMIN-PORT-OPEN', 'rdp', 8, 'high']]);
  });

  it('reads .tf.json, where a nested block may be one object, with the lines of its arguments', async () => {
    const content = [
      '{',
      '  "resource": {',
      '    "aws_ecr_repository": {',
      '      "shop": {',
      '        "name": "shop",',
      '        "image_scanning_configuration": { "scan_on_push": false }',
      '      }',
      '    }',
      '  }',
      '}',
    ].join('\n');
    const findings = await scan([{ path: 'main.tf.json', content }]);
    expect(
      sorted(findings.map((f): Row => [f.ruleId, f.resource?.name, f.resource?.line, f.severity])),
    ).toEqual(
      sorted([
        ['IAC-REGISTRY-MUTABLE-TAGS', 'shop', 4, 'medium'],
        ['IAC-REGISTRY-SCAN-ON-PUSH', 'shop', 6, 'medium'],
      ]),
    );
  });

  it('explains what is open in provider terms', async () => {
    const findings = await scan([{ path: 'gcp.tf', content: fixture('iac/gcp-network.tf') }]);
    const messages = findings.filter((f) => f.ruleId === 'IAC-SG-ADMIN-PORT-OPEN').map((f) => f.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'google_compute_firewall.ssh: Ingress from 0.0.0.0/0 to 22 (SSH) (ingress rule 1).',
        'google_compute_firewall.anything: Ingress from 0.0.0.0/0 to every port (ingress rule 1).',
      ]),
    );
  });
});
