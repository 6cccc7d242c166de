/**
 * Terraform → the network, compute, cluster and container aspects
 * (./model-network.ts) for the AWS, Azure, GCP and Alicloud providers, and
 * their firewall rules as the model's ingress rules: an Azure network
 * security rule, a GCP firewall and an Alicloud security group rule open to
 * the internet are the same finding as an AWS security group. Provider
 * defaults are applied here (an ECR repository's tags are mutable unless
 * told otherwise, an EKS endpoint is public to 0.0.0.0/0, a GCP ingress
 * firewall without a source is open to every address).
 */
import { readHclValue } from './hcl.js';
import type { CloudResource, IngressRule, Located, PolicyDocument } from './model.js';
import type { ClusterAspect, ListenerAspect, PublicAddressAspect, Weighted } from './model-network.js';
import { policyStatements } from './policy.js';
import type { TerraformBlock } from './terraform.js';
import { asList, isObject, type Json, strings, truth } from './values.js';

type Aspects = Partial<CloudResource>;
type Build = (b: TerraformBlock) => Aspects;
type Path = (string | number)[];

/**
 * A path through the block's body as written: hcl2json lists every nested
 * block, a `.tf.json` file may write one as an object, so an index into
 * something that is not a list is dropped.
 */
function resolve(b: TerraformBlock, path: Path): { value: unknown; path: Path } {
  let value: unknown = b.body;
  const written: Path = [];
  for (const key of path) {
    if (typeof key === 'number' && !Array.isArray(value)) continue;
    value = Array.isArray(value) ? value[key as number] : isObject(value) ? value[key] : undefined;
    written.push(key);
  }
  return { value, path: written };
}

function lineAt(b: TerraformBlock, path: Path): { line?: number } {
  const line = b.lineOf(resolve(b, path).path);
  return line === undefined ? {} : { line };
}

/** The value at a path, or `fallback` (the provider default, with no line) when it is not written. */
function setting(b: TerraformBlock, path: Path, fallback?: unknown): Located<unknown> {
  const { value } = resolve(b, path);
  return value === undefined ? { value: fallback } : { value, ...lineAt(b, path) };
}

/** The first nested block of that name (hcl2json lists every block). */
function nested(body: Json, name: string): Json | undefined {
  return asList(body[name]).find(isObject);
}

// --- firewall rules as ingress ----------------------------------------------

/** '22', '1000-2000', '*' → bounds; '*' or nothing is every port. */
function portBounds(spec: unknown): { from: unknown; to: unknown } {
  if (spec === undefined || spec === '*') return { from: undefined, to: undefined };
  const text = String(spec);
  const [from, to] = text.includes('-') ? text.split('-') : [text, text];
  return { from, to };
}

function protocolOf(value: unknown): unknown {
  const p = typeof value === 'string' ? value.toLowerCase() : value;
  return p === '*' || p === 'asterisk' ? '-1' : p;
}

/** An Azure security rule (inline or standalone) as one ingress rule per destination port range. */
function azureRule(b: TerraformBlock, rule: Json, path: Path, index?: number): IngressRule[] {
  if (String(rule.direction ?? '').toLowerCase() !== 'inbound') return [];
  if (String(rule.access ?? '').toLowerCase() !== 'allow') return [];
  const sources = [rule.source_address_prefix, ...asList(rule.source_address_prefixes)].filter(
    (s) => s !== undefined,
  );
  const ranges = [rule.destination_port_range, ...asList(rule.destination_port_ranges)].filter(
    (r) => r !== undefined,
  );
  const line =
    path.length > 0
      ? lineAt(b, path)
      : lineAt(b, [
          rule.source_address_prefix === undefined ? 'source_address_prefixes' : 'source_address_prefix',
        ]);
  return (ranges.length === 0 ? ['*'] : ranges).map((range) => ({
    ...(index === undefined ? {} : { index }),
    cidrs: sources,
    protocol: protocolOf(rule.protocol),
    ...portBounds(range),
    ...line,
  }));
}

const azureGroup: Build = (b) => ({
  kind: 'security-group',
  ingress: asList(b.body.security_rule).flatMap((r, i) =>
    isObject(r) ? azureRule(b, r, ['security_rule', i], i) : [],
  ),
});

/** A GCP firewall: each allowed protocol and port range from its source ranges (none: every address). */
const gcpFirewall: Build = (b) => {
  const p = b.body;
  const ingress = String(p.direction ?? 'INGRESS').toUpperCase() === 'INGRESS';
  if (!ingress || truth(p.disabled) === true) return { kind: 'firewall' };
  const sourced = p.source_tags !== undefined || p.source_service_accounts !== undefined;
  const cidrs = p.source_ranges === undefined ? (sourced ? [] : ['0.0.0.0/0']) : asList(p.source_ranges);
  const rules = asList(p.allow).flatMap((allow, i) => {
    if (!isObject(allow)) return [];
    const ports = asList(allow.ports);
    return (ports.length === 0 ? ['*'] : ports).map((port) => ({
      index: i,
      cidrs,
      protocol: protocolOf(allow.protocol),
      ...portBounds(port),
      ...lineAt(b, ['allow', i]),
    }));
  });
  return { kind: 'firewall', ingress: rules };
};

/** An Alicloud security group rule: `port_range = "22/22"`, `-1/-1` for every port. */
const alicloudRule: Build = (b) => {
  const p = b.body;
  if (p.type !== 'ingress' || String(p.policy ?? 'accept').toLowerCase() !== 'accept')
    return { kind: 'security-group-rule' };
  const [from, to] = String(p.port_range ?? '-1/-1').split('/');
  return {
    kind: 'security-group-rule',
    ingress: [
      {
        cidrs: [p.cidr_ip].filter((c) => c !== undefined),
        protocol: p.ip_protocol,
        from,
        to,
        ...lineAt(b, ['cidr_ip']),
      },
    ],
  };
};

/** An EKS node group with SSH remote access and no source security groups: AWS opens port 22 to 0.0.0.0/0. */
const eksNodeGroup: Build = (b) => {
  const access = nested(b.body, 'remote_access');
  if (access === undefined || access.ec2_ssh_key === undefined) return {};
  if (asList(access.source_security_group_ids).length > 0) return {};
  return {
    ingress: [
      { cidrs: ['0.0.0.0/0'], protocol: 'tcp', from: 22, to: 22, ...lineAt(b, ['remote_access', 0]) },
    ],
  };
};

// --- load balancers, subnets, addresses -------------------------------------

/** An ALB/NLB listener: plain HTTP unless its default action redirects to HTTPS (or answers itself). */
const lbListener: Build = (b) => {
  const actions = asList(b.body.default_action).filter(isObject);
  const redirects = actions.some(
    (a) =>
      a.type === 'fixed-response' ||
      (a.type === 'redirect' && String(nested(a, 'redirect')?.protocol ?? '').toUpperCase() === 'HTTPS'),
  );
  const protocol = setting(b, ['protocol'], 'HTTP');
  const tlsPolicy = setting(b, ['ssl_policy']);
  return {
    kind: 'listener',
    listeners: [
      {
        protocol: { ...protocol, value: String(protocol.value).toUpperCase() },
        redirects,
        ...(tlsPolicy.value === undefined ? {} : { tlsPolicy }),
      },
    ],
  };
};

/** A classic ELB: each `listener` block's client-side protocol. */
const classicListeners: Build = (b) => ({
  listeners: asList(b.body.listener).flatMap((l, i): ListenerAspect[] =>
    isObject(l)
      ? [
          {
            protocol: { value: String(l.lb_protocol ?? '').toUpperCase(), ...lineAt(b, ['listener', i]) },
            redirects: false,
            label: `listener ${i + 1}`,
          },
        ]
      : [],
  ),
});

function address(b: TerraformBlock, path: Path, setting: string, subnet = false): PublicAddressAspect {
  return { assigned: { value: true, ...lineAt(b, path) }, setting, subnet };
}

const awsSubnet: Build = (b) => ({
  kind: 'subnet',
  publicAddress:
    truth(b.body.map_public_ip_on_launch) === true
      ? [address(b, ['map_public_ip_on_launch'], 'map_public_ip_on_launch', true)]
      : [],
});

/** aws_instance's `associate_public_ip_address`, a launch template's network interfaces'. */
const awsInstanceAddress: Build = (b) => {
  const direct =
    truth(b.body.associate_public_ip_address) === true
      ? [address(b, ['associate_public_ip_address'], 'associate_public_ip_address')]
      : [];
  const interfaces = asList(b.body.network_interfaces).flatMap((n, i) =>
    isObject(n) && truth(n.associate_public_ip_address) === true
      ? [address(b, ['network_interfaces', i, 'associate_public_ip_address'], 'associate_public_ip_address')]
      : [],
  );
  return { publicAddress: [...direct, ...interfaces] };
};

/** A GCP instance: every `access_config` of a network interface is an external address. */
const gcpInstanceAddress: Build = (b) => ({
  publicAddress: asList(b.body.network_interface).flatMap((n, i) =>
    isObject(n) && asList(n.access_config).length > 0
      ? [address(b, ['network_interface', i, 'access_config'], 'access_config')]
      : [],
  ),
});

/** An Azure NIC: an IP configuration with a public IP address attached. */
const azureNic: Build = (b) => ({
  kind: 'network-interface',
  publicAddress: asList(b.body.ip_configuration).flatMap((c, i) =>
    isObject(c) && c.public_ip_address_id !== undefined
      ? [address(b, ['ip_configuration', i, 'public_ip_address_id'], 'public_ip_address_id')]
      : [],
  ),
});

// --- registries, search domains, web apps -----------------------------------

const ecr: Build = (b) => ({
  kind: 'registry',
  registry: {
    tagMutability: setting(b, ['image_tag_mutability'], 'MUTABLE'),
    scanOnPush: setting(b, ['image_scanning_configuration', 0, 'scan_on_push'], false),
  },
});

/** A switch inside an optional block: false without the block, `inside` when the block leaves it out. */
function blockSetting(b: TerraformBlock, name: string, key: string, inside: unknown): Located<unknown> {
  const block = nested(b.body, name);
  if (block === undefined) return { value: false };
  return block[key] === undefined ? { value: inside, ...lineAt(b, [name, 0]) } : setting(b, [name, 0, key]);
}

/** A policy argument as a document: JSON text, `${jsonencode({...})}`, or unknown. */
function policyDocument(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const encoded = /^\$\{\s*jsonencode\(([\s\S]*)\)\s*\}$/.exec(value.trim());
  if (encoded) return readHclValue(encoded[1] ?? '');
  return value.includes('${') && !value.trim().startsWith('{') ? undefined : value;
}

/** The access policy of a domain outside a VPC: who may call its endpoint from the internet. */
function accessPolicy(b: TerraformBlock): PolicyDocument[] {
  const statements = policyStatements(policyDocument(b.body.access_policies));
  if (statements === undefined) return [];
  const where = lineAt(b, ['access_policies']);
  return [
    {
      statements,
      use: 'resource',
      label: 'Access policy: ',
      ...where,
      statementLines: statements.map(() => where.line),
    },
  ];
}

const searchDomain: Build = (b) => {
  const inVpc = nested(b.body, 'vpc_options') !== undefined;
  return {
    kind: 'search-domain',
    ...(inVpc ? {} : { policies: accessPolicy(b) }),
    searchDomain: {
      encryptAtRest: blockSetting(b, 'encrypt_at_rest', 'enabled', false),
      nodeToNode: blockSetting(b, 'node_to_node_encryption', 'enabled', false),
      enforceHttps: blockSetting(b, 'domain_endpoint_options', 'enforce_https', true),
      tlsPolicy: setting(b, ['domain_endpoint_options', 0, 'tls_security_policy']),
      inVpc,
    },
  };
};

const webApp: Build = (b) => {
  const site = nested(b.body, 'site_config');
  const tlsKey = site?.minimum_tls_version !== undefined ? 'minimum_tls_version' : 'min_tls_version';
  return {
    kind: 'web-app',
    webApp: {
      httpsOnly: setting(b, ['https_only'], false),
      minTls: site === undefined ? { value: undefined } : setting(b, ['site_config', 0, tlsKey]),
    },
  };
};

// --- clusters ---------------------------------------------------------------

/** EKS control-plane logs: none, or no audit log, is off; a computed list is unknown. */
function eksLogging(b: TerraformBlock): Located<string> | undefined {
  const logs = b.body.enabled_cluster_log_types;
  if (logs === undefined) return { value: 'enabled_cluster_log_types is not set: no control-plane logs' };
  const types = strings(logs);
  if (!Array.isArray(logs) || types.length < logs.length || types.includes('audit')) return undefined;
  const value =
    types.length === 0 ? 'no control-plane log types are enabled' : 'the audit log is not enabled';
  return { value, ...lineAt(b, ['enabled_cluster_log_types']) };
}

function eksCluster(b: TerraformBlock): ClusterAspect {
  const vpc = nested(b.body, 'vpc_config') ?? {};
  const endpointPublic = truth(vpc.endpoint_public_access ?? true) === true;
  const cidrs = vpc.public_access_cidrs === undefined ? ['0.0.0.0/0'] : asList(vpc.public_access_cidrs);
  const openPath: Path =
    vpc.public_access_cidrs !== undefined
      ? ['vpc_config', 0, 'public_access_cidrs']
      : vpc.endpoint_public_access !== undefined
        ? ['vpc_config', 0, 'endpoint_public_access']
        : ['vpc_config', 0];
  const loggingOff = eksLogging(b);
  return {
    service: 'EKS',
    ...(loggingOff === undefined ? {} : { loggingOff }),
    secretsEncryption: { value: b.body.encryption_config !== undefined },
    ...(endpointPublic && cidrs.includes('0.0.0.0/0')
      ? { publicEndpoint: { value: 'the public endpoint is open to 0.0.0.0/0', ...lineAt(b, openPath) } }
      : {}),
    legacyAuth: [],
  };
}

function aksPublicEndpoint(b: TerraformBlock): Located<string> | undefined {
  const p = b.body;
  if (truth(p.private_cluster_enabled) === true) return undefined;
  const profile = nested(p, 'api_server_access_profile');
  const ranges = [...asList(p.api_server_authorized_ip_ranges), ...asList(profile?.authorized_ip_ranges)];
  if (ranges.length > 0 && !ranges.some((r) => r === '0.0.0.0/0')) return undefined;
  const where = lineAt(b, [profile === undefined ? 'private_cluster_enabled' : 'api_server_access_profile']);
  return { value: 'not private and no API server authorized IP ranges', ...where };
}

/**
 * AKS monitoring: the Log Analytics agent turned off (`oms_agent { enabled = false }`
 * under the old `addon_profile`). Diagnostic settings are separate resources, so an
 * absent agent says nothing.
 */
function aksLogging(b: TerraformBlock): Located<string> | undefined {
  const agent = nested(nested(b.body, 'addon_profile') ?? {}, 'oms_agent');
  if (agent === undefined || truth(agent.enabled) !== false) return undefined;
  return {
    value: 'the Log Analytics agent is disabled (addon_profile.oms_agent.enabled = false)',
    ...lineAt(b, ['addon_profile', 0, 'oms_agent', 0, 'enabled']),
  };
}

function aksCluster(b: TerraformBlock): ClusterAspect {
  const p = b.body;
  const loggingOff = aksLogging(b);
  const rbacBlock = nested(p, 'role_based_access_control');
  const rbac =
    p.role_based_access_control_enabled !== undefined
      ? setting(b, ['role_based_access_control_enabled'])
      : rbacBlock?.enabled !== undefined
        ? setting(b, ['role_based_access_control', 0, 'enabled'])
        : { value: true };
  const network = nested(p, 'network_profile');
  const publicEndpoint = aksPublicEndpoint(b);
  return {
    service: 'AKS',
    ...(loggingOff === undefined ? {} : { loggingOff }),
    ...(truth(rbac.value) === false ? { rbacDisabled: rbac } : {}),
    ...(publicEndpoint === undefined ? {} : { publicEndpoint }),
    legacyAuth:
      truth(p.local_account_disabled) === true
        ? []
        : [
            {
              value: 'local accounts are enabled (local_account_disabled is not true)',
              severity: 'medium',
              ...lineAt(b, ['local_account_disabled']),
            },
          ],
    ...(network?.network_policy === undefined
      ? {
          networkPolicyOff: {
            value: 'no network_policy in network_profile',
            ...lineAt(b, ['network_profile']),
          },
        }
      : {}),
  };
}

function gkeLegacyAuth(b: TerraformBlock): Weighted<string>[] {
  const p = b.body;
  const found: Weighted<string>[] = [];
  if (truth(p.enable_legacy_abac) === true)
    found.push({ value: 'legacy ABAC is enabled', ...lineAt(b, ['enable_legacy_abac']) });
  const auth = nested(p, 'master_auth');
  if (typeof auth?.password === 'string' && auth.password !== '')
    found.push({
      value: 'basic authentication (master_auth password) is set',
      ...lineAt(b, ['master_auth', 0, 'password']),
    });
  const cert = auth === undefined ? undefined : nested(auth, 'client_certificate_config');
  if (truth(cert?.issue_client_certificate) === true)
    found.push({
      value: 'a client certificate is issued',
      severity: 'medium',
      ...lineAt(b, ['master_auth', 0, 'client_certificate_config', 0, 'issue_client_certificate']),
    });
  const metadata = nested(p, 'node_config')?.metadata;
  const legacy = isObject(metadata) ? metadata['disable-legacy-endpoints'] : undefined;
  if (truth(legacy) === false && legacy !== undefined)
    found.push({
      value: 'legacy metadata endpoints are enabled',
      severity: 'medium',
      ...lineAt(b, ['node_config', 0, 'metadata']),
    });
  return found;
}

function gkeCluster(b: TerraformBlock): ClusterAspect {
  const p = b.body;
  const networks = nested(p, 'master_authorized_networks_config');
  const privateEndpoint = truth(nested(p, 'private_cluster_config')?.enable_private_endpoint) === true;
  const openNetworks = asList(networks?.cidr_blocks).some((c) => isObject(c) && c.cidr_block === '0.0.0.0/0');
  const off = ['logging_service', 'monitoring_service'].find((key) => p[key] === 'none');
  const policy = nested(p, 'network_policy');
  const builtIn = p.datapath_provider === 'ADVANCED_DATAPATH' || truth(p.enable_autopilot) === true;
  const encryption = nested(p, 'database_encryption');
  return {
    service: 'GKE',
    ...(off === undefined ? {} : { loggingOff: { value: `${off} is "none"`, ...lineAt(b, [off]) } }),
    secretsEncryption:
      encryption === undefined
        ? { value: false }
        : { value: encryption.state !== 'DECRYPTED', ...lineAt(b, ['database_encryption']) },
    ...(privateEndpoint || (networks !== undefined && !openNetworks)
      ? {}
      : {
          publicEndpoint: {
            value:
              networks === undefined
                ? 'no master authorized networks'
                : 'master authorized networks include 0.0.0.0/0',
            ...lineAt(b, networks === undefined ? [] : ['master_authorized_networks_config']),
          },
        }),
    legacyAuth: gkeLegacyAuth(b),
    ...(builtIn || truth(policy?.enabled) === true
      ? {}
      : {
          networkPolicyOff: {
            value: 'network policy is not enabled',
            ...lineAt(b, policy === undefined ? [] : ['network_policy']),
          },
        }),
  };
}

const cluster =
  (read: (b: TerraformBlock) => ClusterAspect): Build =>
  (b) => ({ kind: 'cluster', cluster: read(b) });

const BUILDERS: Readonly<Record<string, Build>> = {
  aws_lb_listener: lbListener,
  aws_alb_listener: lbListener,
  aws_elb: classicListeners,
  aws_subnet: awsSubnet,
  aws_instance: awsInstanceAddress,
  aws_launch_template: awsInstanceAddress,
  aws_ecr_repository: ecr,
  aws_eks_cluster: cluster(eksCluster),
  aws_eks_node_group: eksNodeGroup,
  aws_elasticsearch_domain: searchDomain,
  aws_opensearch_domain: searchDomain,
  azurerm_network_security_group: azureGroup,
  azurerm_network_security_rule: (b) => ({
    kind: 'security-group-rule',
    ingress: azureRule(b, b.body, []),
  }),
  azurerm_network_interface: azureNic,
  azurerm_app_service: webApp,
  azurerm_linux_web_app: webApp,
  azurerm_windows_web_app: webApp,
  azurerm_function_app: webApp,
  azurerm_linux_function_app: webApp,
  azurerm_windows_function_app: webApp,
  azurerm_kubernetes_cluster: cluster(aksCluster),
  google_compute_firewall: gcpFirewall,
  google_compute_instance: gcpInstanceAddress,
  google_container_cluster: cluster(gkeCluster),
  alicloud_security_group_rule: alicloudRule,
};

/** The network aspects of a Terraform resource block (merged over the other aspects of its type). */
export function networkAspects(b: TerraformBlock): Aspects {
  return BUILDERS[b.type]?.(b) ?? {};
}
