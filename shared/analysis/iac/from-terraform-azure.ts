/**
 * Terraform `azurerm_*` resources → the data aspects (./data-model.ts):
 * storage accounts and containers, SQL / PostgreSQL / MySQL servers and
 * their firewall rules, Redis, managed disks, Key Vault and its keys and
 * secrets, the activity log profile. Defaults are azurerm 3.x/4.x's; both
 * spellings of a renamed argument are read (`enable_https_traffic_only`,
 * `https_traffic_only_enabled`).
 */
import type { AllowedRange, PublicGrant } from './data-model.js';
import type { Located } from './model.js';
import type { TerraformBlock } from './terraform.js';
import { companions, type DataBuild, lineAt, setting } from './terraform-located.js';
import { asList, isObject, truth } from './values.js';

/** The first of several spellings that is written, else `fallback`. */
function either(b: TerraformBlock, keys: readonly string[], fallback?: unknown): Located<unknown> {
  for (const key of keys) {
    const found = setting(b, [key]);
    if (found.value !== undefined) return found;
  }
  return { value: fallback };
}

/** A switch whose true means the opposite of the aspect (`non_ssl_port_enabled = true`: TLS not enforced). */
function negated(found: Located<unknown>): Located<unknown> {
  const on = truth(found.value);
  return { ...found, value: on === undefined ? found.value : !on };
}

const storageAccount: DataBuild = (b) => {
  const nested = either(b, ['allow_nested_items_to_be_public', 'allow_blob_public_access']);
  const grants: PublicGrant[] =
    truth(nested.value) === true
      ? [
          {
            what: `${b.body.allow_nested_items_to_be_public === undefined ? 'allow_blob_public_access' : 'allow_nested_items_to_be_public'} = true`,
            anonymous: true,
            write: false,
            ...(nested.line === undefined ? {} : { line: nested.line }),
          },
        ]
      : [];
  const network = openNetwork(b, setting(b, ['network_rules', 0, 'default_action']));
  const logged = queueLogging(b);
  return {
    kind: 'bucket',
    storage: {
      publicGrants: grants,
      httpsOnly: either(b, ['https_traffic_only_enabled', 'enable_https_traffic_only'], true),
      ...(network === undefined ? {} : { openNetwork: network }),
      ...(logged === undefined ? {} : { logged }),
    },
    encryption: { minTls: setting(b, ['min_tls_version'], 'TLS1_2') },
  };
};

/** A written default action "Allow", else a written `public_network_access_enabled = true`. */
function openNetwork(b: TerraformBlock, action: Located<unknown>): Located<string> | undefined {
  if (action.value === 'Allow') return { ...action, value: 'default_action = "Allow"' };
  const access = setting(b, ['public_network_access_enabled']);
  return truth(access.value) === true
    ? { ...access, value: 'public_network_access_enabled = true' }
    : undefined;
}

/** Queue service logging with reads, writes or deletes turned off (unknown when not written). */
function queueLogging(b: TerraformBlock): Located<unknown> | undefined {
  const path = ['queue_properties', 0, 'logging', 0];
  const off = ['read', 'write', 'delete'].find((op) => {
    const value = setting(b, [...path, op]).value;
    return value !== undefined && truth(value) === false;
  });
  return off === undefined ? undefined : { value: false, ...lineAt(b, [...path, off]) };
}

const container: DataBuild = (b) => {
  const access = setting(b, ['container_access_type'], 'private');
  const open = access.value === 'blob' || access.value === 'container';
  return {
    kind: 'bucket',
    storage: {
      publicGrants: open
        ? [
            {
              what: `container_access_type = "${String(access.value)}"`,
              anonymous: true,
              write: false,
              ...(access.line === undefined ? {} : { line: access.line }),
            },
          ]
        : [],
    },
  };
};

const AUDIT_POLICIES = ['azurerm_mssql_server_extended_auditing_policy'];

/** An auditing policy keeping logs under 90 days (0 keeps them forever). */
function shortRetention(b: TerraformBlock, prefix: (string | number)[]): Located<string>[] {
  const days = setting(b, [...prefix, 'retention_in_days']);
  return typeof days.value === 'number' && days.value > 0 && days.value < 90
    ? [{ ...days, value: `Audit logs are kept ${days.value} days (under 90)` }]
    : [];
}

const sqlServer: DataBuild = (b, blocks) => {
  const inline = b.body.extended_auditing_policy !== undefined;
  const policies = companions(blocks, AUDIT_POLICIES, 'server_id', b);
  const audited = inline || policies.length > 0;
  return {
    kind: 'database',
    encryption: { minTls: setting(b, ['minimum_tls_version'], '1.2') },
    dataStore: {
      publicNetwork: setting(b, ['public_network_access_enabled']),
      auditOff: audited
        ? inline
          ? shortRetention(b, ['extended_auditing_policy', 0])
          : []
        : [{ value: 'No auditing policy (extended_auditing_policy)' }],
    },
  };
};

/** Single servers: `ssl_enforcement_enabled` (or the 2.x `ssl_enforcement = "Disabled"`). */
const singleServer: DataBuild = (b) => {
  const legacy = setting(b, ['ssl_enforcement']);
  const enforced =
    legacy.value === undefined
      ? setting(b, ['ssl_enforcement_enabled'])
      : { ...legacy, value: legacy.value === 'Enabled' };
  return {
    kind: 'database',
    encryption: { inTransit: enforced, minTls: setting(b, ['ssl_minimal_tls_version_enforced'], 'TLS1_2') },
    dataStore: { publicNetwork: setting(b, ['public_network_access_enabled']) },
  };
};

const flexibleServer: DataBuild = (b) => ({
  kind: 'database',
  dataStore: { publicNetwork: setting(b, ['public_network_access_enabled']) },
});

/** `require_secure_transport = OFF` set through a server configuration resource. */
const LOG_SETTINGS = [
  'log_checkpoints',
  'log_connections',
  'log_disconnections',
  'connection_throttling',
  'audit_log_enabled',
];

/**
 * A server configuration resource: `require_secure_transport = OFF` (TLS
 * not enforced), or a logging setting turned off (log_connections …).
 */
const serverConfiguration: DataBuild = (b) => {
  const name = String(b.body.name ?? '').toLowerCase();
  const value = setting(b, ['value']);
  const off = typeof value.value === 'string' ? value.value.toLowerCase() === 'off' : undefined;
  if (LOG_SETTINGS.includes(name))
    return { kind: 'other', dataStore: { auditOff: off ? [{ ...value, value: `${name} is off` }] : [] } };
  if (name !== 'require_secure_transport') return { kind: 'other' };
  return {
    kind: 'other',
    encryption: { inTransit: { ...value, value: off === undefined ? value.value : !off } },
  };
};

const firewallRule: DataBuild = (b) => {
  const end = setting(b, ['end_ip_address']);
  const start = setting(b, ['start_ip_address']);
  const wide = end.value === '255.255.255.255';
  const range: AllowedRange = {
    start: start.value,
    end: end.value,
    ...lineAt(b, [wide ? 'end_ip_address' : 'start_ip_address']),
  };
  return { kind: 'security-group-rule', dataStore: { allowed: [range] } };
};

const redis: DataBuild = (b) => ({
  kind: 'database',
  encryption: {
    inTransit: negated(either(b, ['non_ssl_port_enabled', 'enable_non_ssl_port'], false)),
    minTls: setting(b, ['minimum_tls_version'], '1.2'),
  },
});

const managedDisk: DataBuild = (b) => {
  const enabled = setting(b, ['encryption_settings', 0, 'enabled']);
  return enabled.value === undefined
    ? { kind: 'volume' }
    : { kind: 'volume', encryption: { atRest: enabled } };
};

const keyVault: DataBuild = (b) => {
  const acl = asList(b.body.network_acls).find(isObject);
  const soft = setting(b, ['soft_delete_enabled']);
  return {
    kind: 'key',
    vault: {
      purgeProtection: setting(b, ['purge_protection_enabled'], false),
      ...(soft.value === undefined ? {} : { softDelete: soft }),
      networkDefault:
        acl === undefined ? { value: 'Allow' } : setting(b, ['network_acls', 0, 'default_action'], 'Allow'),
    },
  };
};

const expiring =
  (kind: 'key' | 'parameter'): DataBuild =>
  (b) => ({
    kind: kind === 'key' ? 'key' : 'other',
    cryptoKey: {
      expires: { value: b.body.expiration_date !== undefined, ...lineAt(b, ['expiration_date']) },
    },
  });

const CATEGORIES = ['Write', 'Delete', 'Action'];

const logProfile: DataBuild = (b) => {
  const enabled = setting(b, ['retention_policy', 0, 'enabled']);
  const days = setting(b, ['retention_policy', 0, 'days'], 0);
  const off = truth(enabled.value) !== true;
  const written = asList(b.body.categories).map((c) => String(c).toLowerCase());
  return {
    kind: 'trail',
    auditLog: {
      // Retention enabled with 0 days keeps the logs forever.
      retentionDays: off
        ? { ...enabled, value: truth(enabled.value) === undefined ? enabled.value : 0 }
        : { ...days, value: days.value === 0 ? Number.POSITIVE_INFINITY : days.value },
      missingCategories: {
        value: CATEGORIES.filter((c) => !written.includes(c.toLowerCase())),
        ...lineAt(b, ['categories']),
      },
    },
  };
};

/** Threat detection (Defender for SQL) turned off for a server, or inline for a database. */
const alertPolicy: DataBuild = (b) => {
  const inline = b.body.threat_detection_policy !== undefined;
  const state = setting(b, inline ? ['threat_detection_policy', 0, 'state'] : ['state']);
  return {
    kind: 'other',
    dataStore: {
      auditOff:
        state.value === 'Disabled'
          ? [{ ...state, value: 'Threat detection is disabled (state = "Disabled")' }]
          : [],
    },
  };
};

const SINGLE_SERVERS = ['azurerm_postgresql_server', 'azurerm_mysql_server', 'azurerm_mariadb_server'];
const FIREWALL_RULES = [
  'azurerm_sql_firewall_rule',
  'azurerm_mssql_firewall_rule',
  'azurerm_postgresql_firewall_rule',
  'azurerm_mysql_firewall_rule',
  'azurerm_mariadb_firewall_rule',
  'azurerm_postgresql_flexible_server_firewall_rule',
  'azurerm_mysql_flexible_server_firewall_rule',
  'azurerm_synapse_firewall_rule',
];

/** A standalone network rules resource of a storage account. */
const storageNetworkRules: DataBuild = (b) => {
  const network = openNetwork(b, setting(b, ['default_action']));
  return {
    kind: 'other',
    storage: { publicGrants: [], ...(network === undefined ? {} : { openNetwork: network }) },
  };
};

/** An at-rest switch that is on unless written off (`transparent_data_encryption_enabled`, `encryption_state`). */
const encryptedUnlessOff =
  (argument: string, on: unknown = true): DataBuild =>
  (b) => {
    const value = setting(b, [argument]);
    if (value.value === undefined) return { kind: 'database' };
    return {
      kind: 'database',
      encryption: {
        atRest: {
          ...value,
          value: typeof value.value === 'string' && on !== true ? value.value === on : value.value,
        },
      },
    };
  };

export const AZURE_DATA: Readonly<Record<string, DataBuild>> = {
  azurerm_storage_account_network_rules: storageNetworkRules,
  azurerm_mssql_server_extended_auditing_policy: (b) => ({
    kind: 'other',
    dataStore: { auditOff: shortRetention(b, []) },
  }),
  azurerm_mssql_database: (b, blocks) => ({
    ...alertPolicy(b, blocks),
    ...encryptedUnlessOff('transparent_data_encryption_enabled')(b, blocks),
  }),
  azurerm_sql_database: (b, blocks) => ({ ...alertPolicy(b, blocks), kind: 'database' }),
  azurerm_data_lake_store: encryptedUnlessOff('encryption_state', 'Enabled'),
  azurerm_cosmosdb_account: (b) => ({
    kind: 'database',
    dataStore: { publicNetwork: setting(b, ['public_network_access_enabled']) },
  }),
  azurerm_storage_account: storageAccount,
  azurerm_storage_container: container,
  azurerm_mssql_server: sqlServer,
  azurerm_sql_server: sqlServer,
  ...Object.fromEntries(SINGLE_SERVERS.map((type) => [type, singleServer])),
  azurerm_postgresql_flexible_server: flexibleServer,
  azurerm_mysql_flexible_server: flexibleServer,
  azurerm_postgresql_configuration: serverConfiguration,
  azurerm_mysql_configuration: serverConfiguration,
  azurerm_postgresql_flexible_server_configuration: serverConfiguration,
  azurerm_mysql_flexible_server_configuration: serverConfiguration,
  ...Object.fromEntries(FIREWALL_RULES.map((type) => [type, firewallRule])),
  azurerm_mssql_server_security_alert_policy: alertPolicy,
  azurerm_redis_cache: redis,
  azurerm_managed_disk: managedDisk,
  azurerm_key_vault: keyVault,
  azurerm_key_vault_key: expiring('key'),
  azurerm_key_vault_secret: expiring('parameter'),
  azurerm_monitor_log_profile: logProfile,
};
