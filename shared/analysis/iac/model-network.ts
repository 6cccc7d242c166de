/**
 * The network, compute, cluster and container aspects of the cloud resource
 * model (./model.ts): what AWS, Azure, GCP and Alicloud resources of the same
 * concept share, so each rule is written once (./checks-network.ts) and every
 * provider reaches it through its normaliser (./network-terraform.ts,
 * ./network-cloudformation.ts). Values keep their line; a setting the
 * template leaves out carries the provider's default and no line, so a
 * finding on it points at the resource.
 */
import type { IacSeverity } from './values.js';

/** A value with its line (the model's Located, restated: the model imports this file). */
interface Located<T> {
  value: T;
  line?: number;
}

/** A finding's own severity where one rule covers settings of different weight. */
export type Weighted<T> = Located<T> & { severity?: IacSeverity };

/** The kinds these aspects add to ResourceKind. */
export type NetworkKind =
  | 'listener'
  | 'subnet'
  | 'network-interface'
  | 'cluster'
  | 'registry'
  | 'search-domain'
  | 'web-app'
  | 'firewall';

/** A load balancer listener (or one listener of a classic load balancer). */
export interface ListenerAspect {
  /** Upper-case protocol: 'HTTP', 'HTTPS', 'TCP', 'TLS'. */
  protocol: Located<unknown>;
  /** The default action redirects to HTTPS (or answers with a fixed response). */
  redirects: boolean;
  /** Which listener of the resource ('listener 1'), when it holds several. */
  label?: string;
  /** The TLS security policy of an HTTPS/TLS listener, when one is named. */
  tlsPolicy?: Located<unknown>;
}

/** Whether machines launched here get a public address. */
export interface PublicAddressAspect {
  /** True when a public address is assigned; the place that assigns it. */
  assigned: Located<unknown>;
  /** What assigns it ('map_public_ip_on_launch', 'access_config'). */
  setting: string;
  /** A subnet (every machine launched in it) rather than one machine. */
  subnet: boolean;
}

/** A managed Kubernetes control plane: EKS, AKS, GKE. */
export interface ClusterAspect {
  service: 'EKS' | 'AKS' | 'GKE';
  /** Control-plane logs: off with where it is said (or the resource when nothing is set); on: undefined. */
  loggingOff?: Located<string>;
  /** Envelope encryption of Kubernetes secrets with a customer key is configured. */
  secretsEncryption?: Located<unknown>;
  /** The API endpoint is reachable from anywhere: what says so. */
  publicEndpoint?: Located<string>;
  /** Legacy authentication or authorisation in use (ABAC, basic auth, client certificates, local accounts). */
  legacyAuth: Weighted<string>[];
  /** Kubernetes RBAC explicitly disabled. */
  rbacDisabled?: Located<unknown>;
  /** No network policy enforcement: where it is said. */
  networkPolicyOff?: Located<string>;
}

export interface RegistryAspect {
  /** Effective tag mutability ('MUTABLE' is the provider default). */
  tagMutability: Located<unknown>;
  /** Effective scan on push (off by default). */
  scanOnPush: Located<unknown>;
}

export interface SearchDomainAspect {
  encryptAtRest: Located<unknown>;
  nodeToNode: Located<unknown>;
  enforceHttps: Located<unknown>;
  tlsPolicy: Located<unknown>;
  /** Inside a VPC (its endpoint is not on the internet). */
  inVpc: boolean;
}

/** An Azure App Service site (web app, function app). */
export interface WebAppAspect {
  httpsOnly: Located<unknown>;
  /** Minimum inbound TLS version ('1.2'); undefined when unset (the provider default is 1.2). */
  minTls: Located<unknown>;
}

/** The aspects this module adds to CloudResource. */
export interface NetworkAspects {
  listeners?: ListenerAspect[];
  publicAddress?: PublicAddressAspect[];
  cluster?: ClusterAspect;
  registry?: RegistryAspect;
  searchDomain?: SearchDomainAspect;
  webApp?: WebAppAspect;
}
