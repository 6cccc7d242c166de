/**
 * The network, compute, cluster and container rules, written once against
 * the model's aspects (./model-network.ts) whatever the provider: a plain
 * HTTP listener, addresses handed out to the internet, managed Kubernetes
 * control planes (EKS, AKS, GKE), container registries, search domains and
 * App Service sites. ./checks.ts runs them with every other IaC rule.
 */
import type { CloudResource, IacSeverity, Located } from './model.js';
import type { ClusterAspect } from './model-network.js';
import { truth } from './values.js';

export type NetworkRuleId =
  | 'IAC-LB-HTTP-LISTENER'
  | 'IAC-LB-TLS-POLICY'
  | 'IAC-SUBNET-PUBLIC-IP'
  | 'IAC-INSTANCE-PUBLIC-IP'
  | 'IAC-CLUSTER-LOGGING'
  | 'IAC-CLUSTER-SECRETS-ENCRYPTION'
  | 'IAC-CLUSTER-PUBLIC-ENDPOINT'
  | 'IAC-CLUSTER-LEGACY-AUTH'
  | 'IAC-CLUSTER-RBAC'
  | 'IAC-CLUSTER-NETWORK-POLICY'
  | 'IAC-REGISTRY-MUTABLE-TAGS'
  | 'IAC-REGISTRY-SCAN-ON-PUSH'
  | 'IAC-SEARCH-ENCRYPTION'
  | 'IAC-SEARCH-HTTPS'
  | 'IAC-WEBAPP-HTTPS'
  | 'IAC-WEBAPP-TLS';

/** How a check reports (./checks.ts passes its own reporter). */
export type NetworkReport = (
  ruleId: NetworkRuleId,
  attribute: string,
  message: string,
  extra?: {
    line?: number;
    severity?: IacSeverity;
    evidence?: Record<string, unknown>;
    key?: (string | number | undefined)[];
  },
) => void;

const at = (line: number | undefined) => (line === undefined ? {} : { line });

/** ELB security policies whose minimum is TLS 1.2 or 1.3; any other ELBSecurityPolicy allows TLS 1.0 or 1.1. */
const MODERN_ELB_POLICY = /TLS13|TLS-1-2|FS-1-2/;

function checkListeners(r: CloudResource, report: NetworkReport): void {
  for (const listener of r.listeners ?? []) {
    const policy = listener.tlsPolicy?.value;
    if (
      typeof policy === 'string' &&
      policy.startsWith('ELBSecurityPolicy') &&
      !MODERN_ELB_POLICY.test(policy)
    )
      report('IAC-LB-TLS-POLICY', 'tlsPolicy', `The security policy ${policy} allows TLS older than 1.2.`, {
        ...at(listener.tlsPolicy?.line),
        evidence: { policy },
      });
    if (listener.protocol.value !== 'HTTP' || listener.redirects) continue;
    const which =
      listener.label === undefined
        ? 'The listener'
        : `${listener.label[0]?.toUpperCase()}${listener.label.slice(1)}`;
    report('IAC-LB-HTTP-LISTENER', 'protocol', `${which} serves plain HTTP and does not redirect to HTTPS.`, {
      ...at(listener.protocol.line),
      evidence: { protocol: 'HTTP' },
      key: [listener.label],
    });
  }
}

function checkAddresses(r: CloudResource, report: NetworkReport): void {
  for (const address of r.publicAddress ?? []) {
    const ruleId = address.subnet ? 'IAC-SUBNET-PUBLIC-IP' : 'IAC-INSTANCE-PUBLIC-IP';
    const message = address.subnet
      ? `${address.setting} is on: every instance launched in the subnet gets a public IP address.`
      : `${address.setting}: the machine gets a public IP address reachable from the internet.`;
    report(ruleId, address.setting, message, {
      ...at(address.assigned.line),
      evidence: { setting: address.setting },
      key: [address.setting, address.assigned.line],
    });
  }
}

function checkClusterAccess(c: ClusterAspect, report: NetworkReport): void {
  if (c.publicEndpoint)
    report(
      'IAC-CLUSTER-PUBLIC-ENDPOINT',
      'publicEndpoint',
      `${c.service} API server: ${c.publicEndpoint.value}.`,
      {
        ...at(c.publicEndpoint.line),
        evidence: { service: c.service },
      },
    );
  for (const legacy of c.legacyAuth)
    report('IAC-CLUSTER-LEGACY-AUTH', 'legacyAuth', `${c.service}: ${legacy.value}.`, {
      ...at(legacy.line),
      ...(legacy.severity === undefined ? {} : { severity: legacy.severity }),
      evidence: { service: c.service },
      key: [legacy.value],
    });
  if (c.rbacDisabled)
    report('IAC-CLUSTER-RBAC', 'rbac', `${c.service}: Kubernetes RBAC is disabled.`, at(c.rbacDisabled.line));
  if (c.networkPolicyOff)
    report(
      'IAC-CLUSTER-NETWORK-POLICY',
      'networkPolicy',
      `${c.service}: ${c.networkPolicyOff.value}; every pod can reach every other pod.`,
      at(c.networkPolicyOff.line),
    );
}

function checkCluster(r: CloudResource, report: NetworkReport): void {
  const c = r.cluster;
  if (c === undefined) return;
  if (c.loggingOff)
    report('IAC-CLUSTER-LOGGING', 'logging', `${c.service} control plane: ${c.loggingOff.value}.`, {
      ...at(c.loggingOff.line),
      evidence: { service: c.service },
    });
  const encryption = c.secretsEncryption;
  if (encryption && truth(encryption.value) === false)
    report(
      'IAC-CLUSTER-SECRETS-ENCRYPTION',
      'secretsEncryption',
      `${c.service}: Kubernetes secrets are not envelope-encrypted with a customer-managed key.`,
      at(encryption.line),
    );
  checkClusterAccess(c, report);
}

function reportOff(
  report: NetworkReport,
  setting: Located<unknown>,
  ruleId: NetworkRuleId,
  attribute: string,
  message: string,
  severity?: IacSeverity,
): void {
  if (truth(setting.value) === false)
    report(ruleId, attribute, message, {
      ...at(setting.line),
      ...(severity === undefined ? {} : { severity }),
      key: [attribute],
    });
}

function checkRegistry(r: CloudResource, report: NetworkReport): void {
  const registry = r.registry;
  if (registry === undefined) return;
  const mutability = registry.tagMutability;
  if (typeof mutability.value === 'string' && mutability.value.toUpperCase() === 'MUTABLE')
    report(
      'IAC-REGISTRY-MUTABLE-TAGS',
      'tagMutability',
      `Image tags are mutable${mutability.line === undefined ? ' (the default)' : ''}: a pushed tag can be replaced.`,
      at(mutability.line),
    );
  reportOff(
    report,
    registry.scanOnPush,
    'IAC-REGISTRY-SCAN-ON-PUSH',
    'scanOnPush',
    'Images are not scanned on push.',
  );
}

/** Outdated TLS policies of search domain endpoints (TLS 1.0 and 1.1 allowed). */
const OLD_TLS_POLICY = /TLS-1-0|TLS-1-1/i;

function checkSearchDomain(r: CloudResource, report: NetworkReport): void {
  const domain = r.searchDomain;
  if (domain === undefined) return;
  reportOff(
    report,
    domain.encryptAtRest,
    'IAC-SEARCH-ENCRYPTION',
    'encryptAtRest',
    'Encryption at rest is off.',
  );
  reportOff(
    report,
    domain.nodeToNode,
    'IAC-SEARCH-ENCRYPTION',
    'nodeToNode',
    'Node-to-node encryption is off: traffic inside the cluster is plain text.',
    'medium',
  );
  reportOff(
    report,
    domain.enforceHttps,
    'IAC-SEARCH-HTTPS',
    'enforceHttps',
    'The endpoint does not enforce HTTPS.',
  );
  const policy = domain.tlsPolicy.value;
  if (typeof policy === 'string' && OLD_TLS_POLICY.test(policy))
    report(
      'IAC-SEARCH-HTTPS',
      'tlsPolicy',
      `The endpoint's TLS policy ${policy} allows TLS older than 1.2.`,
      {
        ...at(domain.tlsPolicy.line),
        severity: 'medium',
        key: ['tlsPolicy'],
      },
    );
}

function checkWebApp(r: CloudResource, report: NetworkReport): void {
  const app = r.webApp;
  if (app === undefined) return;
  reportOff(
    report,
    app.httpsOnly,
    'IAC-WEBAPP-HTTPS',
    'httpsOnly',
    'https_only is not true: the site answers plain HTTP.',
  );
  const tls = app.minTls.value;
  const version = typeof tls === 'string' || typeof tls === 'number' ? Number(tls) : Number.NaN;
  if (!Number.isNaN(version) && version < 1.2)
    report(
      'IAC-WEBAPP-TLS',
      'minTls',
      `The minimum TLS version is ${String(tls)}; 1.2 is the oldest safe one.`,
      {
        ...at(app.minTls.line),
        evidence: { minTls: String(tls) },
      },
    );
}

/** Every network, compute, cluster and container violation of one resource. */
export function checkNetworkResource(r: CloudResource, report: NetworkReport): void {
  checkListeners(r, report);
  checkAddresses(r, report);
  checkCluster(r, report);
  checkRegistry(r, report);
  checkSearchDomain(r, report);
  checkWebApp(r, report);
}
