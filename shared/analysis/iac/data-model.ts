/**
 * The provider-neutral data aspects of the cloud resource model (./model.ts):
 * storage, encryption, databases, keys, vaults and audit logs, the same for
 * an AWS, Azure, Google Cloud or Alibaba Cloud resource. The provider
 * normalisers (./from-terraform-data.ts and its per-provider tables,
 * ./from-cloudformation-data.ts) fill them with the effective value — the
 * provider's default applied when the attribute is not written — and the
 * line of the attribute; ./checks-data.ts reads them once for every cloud.
 * A value a template computes (a reference) stays unknown and is never a
 * problem.
 */
import type { Located } from './values.js';

/** One setting that lets people outside the account read (or write) the data. */
export interface PublicGrant {
  /** What grants it, as written: 'container_access_type = "blob"', 'allUsers', 'public-read-write'. */
  what: string;
  /** Anyone at all (true), or anyone signed in to any account of the cloud (false). */
  anonymous: boolean;
  /** The grant lets them write too. */
  write: boolean;
  line?: number;
}

/** Object storage other than S3 (whose aspect is `bucket`): Azure storage accounts and containers, GCS, OSS. */
export interface StorageAspect {
  publicGrants: PublicGrant[];
  /** Only HTTPS accepted (Azure `https_traffic_only_enabled`). */
  httpsOnly?: Located<unknown>;
  /** Uniform bucket-level access (GCS): off lets object ACLs grant access past IAM. */
  uniformAccess?: Located<unknown>;
  /** Access logging on (a `logging` block, Azure queue logging of reads, writes and deletes). */
  logged?: Located<unknown>;
  /** Reachable from every network: a written `default_action = "Allow"` or `public_network_access_enabled = true`. */
  openNetwork?: Located<string>;
}

export interface EncryptionAspect {
  /** Data encrypted at rest (storage_encrypted, at_rest_encryption_enabled, encryption_type = KMS …). */
  atRest?: Located<unknown>;
  /** Clients must connect with TLS (ssl_enforcement_enabled, transit_encryption_enabled, require_ssl …). */
  inTransit?: Located<unknown>;
  /** Lowest TLS version accepted, as written ('TLS1_0', '1.1', 'TLS1_2', 'TLSEnforcementDisabled'). */
  minTls?: Located<unknown>;
}

/** Addresses a database firewall lets in: a CIDR, or a start–end range (Azure firewall rules). */
export interface AllowedRange {
  cidr?: unknown;
  start?: unknown;
  end?: unknown;
  line?: number;
  /** The rule's place in the resource's list, when it has several. */
  index?: number;
}

export interface DataStoreAspect {
  /** Automated backups: false / 0 days when off, true or the retention days when on. */
  backups?: Located<unknown>;
  /** Reachable over the public network (public_network_access_enabled, ipv4_enabled). */
  publicNetwork?: Located<unknown>;
  allowed?: AllowedRange[];
  /** Audit and connection logging that is off or short, each as a sentence ('No auditing policy', 'log_connections is off'). */
  auditOff?: Located<string>[];
}

export interface CryptoKeyAspect {
  /** Automatic rotation: false when off, true when on, or the period in days. */
  rotation?: Located<unknown>;
  /** An expiry date is set (Azure Key Vault keys and secrets). */
  expires?: Located<unknown>;
}

export interface VaultAspect {
  purgeProtection: Located<unknown>;
  /** Soft delete on; undefined when the provider no longer lets it be turned off. */
  softDelete?: Located<unknown>;
  /** What the network ACL does with traffic no rule names ('Allow' / 'Deny'); 'Allow' without an ACL. */
  networkDefault: Located<unknown>;
}

export interface AuditLogAspect {
  /** Days activity logs are kept (0: retention off). */
  retentionDays?: Located<unknown>;
  /** Activity categories not recorded (Write, Delete, Action). */
  missingCategories?: Located<string[]>;
  /** Members exempted from data-access audit logging. */
  exempted?: Located<string[]>;
}
