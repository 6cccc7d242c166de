/**
 * CloudFormation → the network, compute, cluster and container aspects
 * (./model-network.ts): listeners, subnets and instances that hand out
 * public addresses, ECR repositories, EKS clusters and Elasticsearch /
 * OpenSearch domains, with the same defaults as their Terraform forms
 * (./network-terraform.ts) so one check reads both.
 */
import type { CloudResource, Located, PolicyDocument } from './model.js';
import type { ClusterAspect, PublicAddressAspect } from './model-network.js';
import { policyStatements } from './policy.js';
import type { TemplateResource } from './template.js';
import { asList, isObject, type Json, truth } from './values.js';

type Aspects = Partial<CloudResource>;
/** `literal` reads a parameter's default behind a Ref; anything else computed stays as written (unknown). */
type Build = (r: TemplateResource, literal: (value: unknown) => unknown) => Aspects;
type Path = (string | number)[];

function lineAt(r: TemplateResource, path: Path): { line?: number } {
  const line = r.lineOf(['Properties', ...path]);
  return line === undefined ? {} : { line };
}

function valueAt(r: TemplateResource, path: Path): unknown {
  let value: unknown = r.properties;
  for (const key of path)
    value = Array.isArray(value) ? value[key as number] : isObject(value) ? value[key] : undefined;
  return value;
}

/** The property at a path (a parameter default behind a Ref), or `fallback` with no line. */
function setting(
  r: TemplateResource,
  literal: (value: unknown) => unknown,
  path: Path,
  fallback?: unknown,
): Located<unknown> {
  const value = valueAt(r, path);
  return value === undefined ? { value: fallback } : { value: literal(value), ...lineAt(r, path) };
}

const listener: Build = (r, literal) => {
  const actions = asList(r.properties.DefaultActions).filter(isObject);
  const redirects = actions.some(
    (a) =>
      a.Type === 'fixed-response' ||
      (a.Type === 'redirect' &&
        isObject(a.RedirectConfig) &&
        String(literal(a.RedirectConfig.Protocol) ?? '').toUpperCase() === 'HTTPS'),
  );
  const protocol = setting(r, literal, ['Protocol']);
  const tlsPolicy = setting(r, literal, ['SslPolicy']);
  return {
    kind: 'listener',
    listeners: [
      {
        protocol: { ...protocol, value: String(protocol.value ?? '').toUpperCase() },
        redirects,
        ...(tlsPolicy.value === undefined ? {} : { tlsPolicy }),
      },
    ],
  };
};

const classicListeners: Build = (r, literal) => ({
  listeners: asList(r.properties.Listeners).flatMap((l, i) =>
    isObject(l)
      ? [
          {
            protocol: {
              value: String(literal(l.Protocol) ?? '').toUpperCase(),
              ...lineAt(r, ['Listeners', i]),
            },
            redirects: false,
            label: `listener ${i + 1}`,
          },
        ]
      : [],
  ),
});

function address(r: TemplateResource, path: Path, setting: string, subnet = false): PublicAddressAspect {
  return { assigned: { value: true, ...lineAt(r, path) }, setting, subnet };
}

/** Network interfaces (of an instance or a launch template's data) that associate a public address. */
function interfaceAddresses(r: TemplateResource, literal: (value: unknown) => unknown, prefix: Path) {
  const data = valueAt(r, prefix);
  const interfaces = isObject(data) ? asList(data.NetworkInterfaces) : [];
  return interfaces.flatMap((n, i) =>
    isObject(n) && truth(literal(n.AssociatePublicIpAddress)) === true
      ? [
          address(
            r,
            [...prefix, 'NetworkInterfaces', i, 'AssociatePublicIpAddress'],
            'AssociatePublicIpAddress',
          ),
        ]
      : [],
  );
}

/** EKS control-plane logs: no enabled type, or no audit log, is off. */
function eksLogging(r: TemplateResource, literal: (value: unknown) => unknown): Located<string> | undefined {
  const path = ['Logging', 'ClusterLogging', 'EnabledTypes'];
  const types = valueAt(r, path);
  if (types === undefined)
    return {
      value: 'Logging.ClusterLogging.EnabledTypes is not set: no control-plane logs',
      ...(r.properties.Logging === undefined ? {} : lineAt(r, ['Logging'])),
    };
  if (!Array.isArray(types)) return undefined;
  const names = types.map((t) => literal(isObject(t) ? t.Type : t));
  if (names.some((n) => typeof n !== 'string') || names.includes('audit')) return undefined;
  const value =
    names.length === 0 ? 'no control-plane log types are enabled' : 'the audit log is not enabled';
  return { value, ...lineAt(r, path) };
}

function eksCluster(r: TemplateResource, literal: (value: unknown) => unknown): ClusterAspect {
  const vpc: Json = isObject(r.properties.ResourcesVpcConfig) ? r.properties.ResourcesVpcConfig : {};
  const endpointPublic = truth(literal(vpc.EndpointPublicAccess ?? true)) === true;
  const cidrs =
    vpc.PublicAccessCidrs === undefined ? ['0.0.0.0/0'] : asList(vpc.PublicAccessCidrs).map(literal);
  const openPath =
    vpc.PublicAccessCidrs !== undefined
      ? ['ResourcesVpcConfig', 'PublicAccessCidrs']
      : vpc.EndpointPublicAccess !== undefined
        ? ['ResourcesVpcConfig', 'EndpointPublicAccess']
        : ['ResourcesVpcConfig'];
  const loggingOff = eksLogging(r, literal);
  return {
    service: 'EKS',
    ...(loggingOff === undefined ? {} : { loggingOff }),
    secretsEncryption: { value: asList(r.properties.EncryptionConfig).length > 0 },
    ...(endpointPublic && cidrs.includes('0.0.0.0/0')
      ? { publicEndpoint: { value: 'the public endpoint is open to 0.0.0.0/0', ...lineAt(r, openPath) } }
      : {}),
    legacyAuth: [],
  };
}

/** A switch inside an optional object: false without the object, `inside` when it leaves the key out. */
function optionSetting(
  r: TemplateResource,
  literal: (value: unknown) => unknown,
  name: string,
  key: string,
  inside: unknown,
): Located<unknown> {
  const options = r.properties[name];
  if (!isObject(options)) return { value: false };
  return options[key] === undefined
    ? { value: inside, ...lineAt(r, [name]) }
    : setting(r, literal, [name, key]);
}

/** The access policy of a domain outside a VPC: who may call its endpoint from the internet. */
function accessPolicy(r: TemplateResource): PolicyDocument[] {
  const document = r.properties.AccessPolicies;
  const statements = policyStatements(document);
  if (statements === undefined || r.properties.VPCOptions !== undefined) return [];
  const where = lineAt(r, ['AccessPolicies']);
  return [
    {
      statements,
      use: 'resource',
      label: 'Access policy: ',
      ...where,
      statementLines: statements.map(
        (s) => lineAt(r, ['AccessPolicies', 'Statement', s.index]).line ?? where.line,
      ),
    },
  ];
}

const searchDomain: Build = (r, literal) => ({
  kind: 'search-domain',
  policies: accessPolicy(r),
  searchDomain: {
    encryptAtRest: optionSetting(r, literal, 'EncryptionAtRestOptions', 'Enabled', false),
    nodeToNode: optionSetting(r, literal, 'NodeToNodeEncryptionOptions', 'Enabled', false),
    enforceHttps: optionSetting(r, literal, 'DomainEndpointOptions', 'EnforceHTTPS', false),
    tlsPolicy: setting(r, literal, ['DomainEndpointOptions', 'TLSSecurityPolicy']),
    inVpc: r.properties.VPCOptions !== undefined,
  },
});

/** An EKS node group with SSH remote access and no source security groups: AWS opens port 22 to 0.0.0.0/0. */
const eksNodeGroup: Build = (r) => {
  const access = r.properties.RemoteAccess;
  if (!isObject(access) || access.Ec2SshKey === undefined) return {};
  if (asList(access.SourceSecurityGroups).length > 0) return {};
  return {
    ingress: [{ cidrs: ['0.0.0.0/0'], protocol: 'tcp', from: 22, to: 22, ...lineAt(r, ['RemoteAccess']) }],
  };
};

const BUILDERS: Readonly<Record<string, Build>> = {
  'AWS::ElasticLoadBalancingV2::Listener': listener,
  'AWS::ElasticLoadBalancing::LoadBalancer': classicListeners,
  'AWS::EC2::Subnet': (r, literal) => ({
    kind: 'subnet',
    publicAddress:
      truth(literal(r.properties.MapPublicIpOnLaunch)) === true
        ? [address(r, ['MapPublicIpOnLaunch'], 'MapPublicIpOnLaunch', true)]
        : [],
  }),
  'AWS::EC2::Instance': (r, literal) => ({ publicAddress: interfaceAddresses(r, literal, []) }),
  'AWS::EC2::LaunchTemplate': (r, literal) => ({
    publicAddress: interfaceAddresses(r, literal, ['LaunchTemplateData']),
  }),
  'AWS::ECR::Repository': (r, literal) => ({
    kind: 'registry',
    registry: {
      tagMutability: setting(r, literal, ['ImageTagMutability'], 'MUTABLE'),
      scanOnPush: setting(r, literal, ['ImageScanningConfiguration', 'ScanOnPush'], false),
    },
  }),
  'AWS::EKS::Cluster': (r, literal) => ({ kind: 'cluster', cluster: eksCluster(r, literal) }),
  'AWS::EKS::Nodegroup': eksNodeGroup,
  'AWS::Elasticsearch::Domain': searchDomain,
  'AWS::OpenSearchService::Domain': searchDomain,
};

/** The network aspects of a template resource (merged over the other aspects of its type). */
export function networkAspects(r: TemplateResource, literal: (value: unknown) => unknown): Aspects {
  return BUILDERS[r.type]?.(r, literal) ?? {};
}
