/**
 * The security scanner's data rules for infrastructure as code: storage,
 * encryption, databases, keys and audit logs, for AWS, Azure, Google Cloud
 * and Alibaba Cloud (Terraform) and AWS (CloudFormation). Each is written
 * once against the provider-neutral aspects of the cloud resource model
 * (shared/analysis/iac/checks-data.ts); the description names the resource
 * types each provider's normaliser reads, and `references` the checkov
 * check of the same idea. AWS rules have a CloudFormation and a Terraform
 * sample of the problem and of its fix; the others Terraform ones.
 */
import { defineRules, type RuleSample } from '../../scan/catalog.js';

function cfn(resources: string, line?: number): RuleSample {
  return {
    path: 'template.yaml',
    content: `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n${resources}\n`,
    ...(line === undefined ? {} : { line }),
  };
}

function tf(content: string, line?: number): RuleSample {
  return { path: 'main.tf', content: `${content.trim()}\n`, ...(line === undefined ? {} : { line }) };
}

const AZURE_ACCOUNT = (extra: string) =>
  `resource "azurerm_storage_account" "data" {\n  name                     = "data"\n  account_tier             = "Standard"\n  account_replication_type = "LRS"\n${extra}}`;

const SQL_INSTANCE = (ip: string, backups = 'true') =>
  `resource "google_sql_database_instance" "orders" {\n  name             = "orders"\n  database_version = "POSTGRES_15"\n  settings {\n    tier = "db-f1-micro"\n    backup_configuration {\n      enabled = ${backups}\n    }\n    ip_configuration {\n${ip}    }\n  }\n}`;

const PRIVATE_SQL = '      ipv4_enabled = false\n      ssl_mode     = "ENCRYPTED_ONLY"\n';

const KEY_VAULT = (extra: string) =>
  `resource "azurerm_key_vault" "main" {\n  name      = "main"\n  sku_name  = "standard"\n  tenant_id = "00000000-0000-0000-0000-000000000000"\n${extra}}`;

const VAULT_ACL =
  '  network_acls {\n    default_action = "Deny"\n    bypass         = "AzureServices"\n  }\n';

export const IAC_DATA_RULES = defineRules('security-scanner', [
  {
    id: 'IAC-STORAGE-PUBLIC',
    severity: 'high',
    category: 'security',
    title: 'Storage open to the public (Azure, Google Cloud, Alibaba Cloud)',
    description:
      'Azure: azurerm_storage_account with allow_nested_items_to_be_public (allow_blob_public_access) = true, azurerm_storage_container with container_access_type "blob" or "container". Google Cloud: google_storage_bucket_iam_member / _iam_binding granting allUsers or allAuthenticatedUsers, google_storage_bucket_acl / _object_acl / _default_object_acl / google_storage_bucket_object with a public predefined_acl or role_entity — unless the bucket enforces public_access_prevention; google_bigquery_dataset access blocks and google_bigquery_dataset_iam_* / google_bigquery_table_iam_* members naming allUsers or allAuthenticatedUsers. Alibaba Cloud: alicloud_oss_bucket / alicloud_oss_bucket_acl with acl "public-read" or "public-read-write". Anyone can read (critical: write) the data. S3 buckets are IAC-S3-PUBLIC-ACCESS.',
    remediation:
      'Keep containers and buckets private; share through signed URLs (SAS, signed URLs) or a CDN with an origin identity; set allow_nested_items_to_be_public = false and public_access_prevention = "enforced".',
    cwe: ['CWE-284'],
    references: [
      'checkov CKV_AZURE_190',
      'checkov CKV_AZURE_34',
      'checkov CKV_GCP_28',
      'checkov CKV_GCP_15',
      'checkov CKV_ALI_1',
    ],
    samples: {
      bad: [
        tf(
          'resource "azurerm_storage_container" "site" {\n  name                  = "site"\n  storage_account_name  = "data"\n  container_access_type = "blob"\n}',
          4,
        ),
        tf(
          'resource "google_storage_bucket_iam_member" "public" {\n  bucket = "reports"\n  role   = "roles/storage.objectViewer"\n  member = "allUsers"\n}',
          4,
        ),
        tf(
          'resource "alicloud_oss_bucket" "exports" {\n  bucket = "exports"\n  acl    = "public-read-write"\n}',
          3,
        ),
        tf(
          'resource "google_bigquery_dataset" "sales" {\n  dataset_id = "sales"\n  access {\n    role          = "READER"\n    special_group = "allAuthenticatedUsers"\n  }\n}',
          5,
        ),
      ],
      good: [
        tf(
          'resource "azurerm_storage_container" "site" {\n  name                  = "site"\n  storage_account_name  = "data"\n  container_access_type = "private"\n}',
        ),
        tf(
          'resource "google_storage_bucket_iam_member" "reader" {\n  bucket = "reports"\n  role   = "roles/storage.objectViewer"\n  member = "group:analysts@example.com"\n}',
        ),
        tf(
          'resource "google_storage_bucket" "reports" {\n  name                     = "reports"\n  location                 = "EU"\n  public_access_prevention = "enforced"\n}\n\nresource "google_storage_bucket_iam_member" "public" {\n  bucket = google_storage_bucket.reports.name\n  role   = "roles/storage.objectViewer"\n  member = "allUsers"\n}',
        ),
        tf('resource "alicloud_oss_bucket" "exports" {\n  bucket = "exports"\n  acl    = "private"\n}'),
      ],
    },
  },
  {
    id: 'IAC-STORAGE-HTTPS',
    severity: 'high',
    category: 'security',
    title: 'Storage account accepts plain HTTP',
    description:
      'Azure: azurerm_storage_account with https_traffic_only_enabled (enable_https_traffic_only) = false. Requests, shared keys in them and data travel unencrypted.',
    remediation: 'Set https_traffic_only_enabled = true (the default) and min_tls_version = "TLS1_2".',
    cwe: ['CWE-319'],
    references: ['checkov CKV_AZURE_3'],
    samples: {
      bad: [tf(AZURE_ACCOUNT('  https_traffic_only_enabled = false\n'), 5)],
      good: [tf(AZURE_ACCOUNT('  https_traffic_only_enabled = true\n')), tf(AZURE_ACCOUNT(''))],
    },
  },
  {
    id: 'IAC-STORAGE-NETWORK',
    severity: 'medium',
    category: 'security',
    title: 'Storage account open to every network',
    description:
      'Azure: azurerm_storage_account with network_rules.default_action = "Allow" or public_network_access_enabled = true, azurerm_storage_account_network_rules with default_action = "Allow". Only written values are reported (Azure defaults to every network): the account endpoints answer anyone who holds a key or SAS token.',
    remediation:
      'Set default_action = "Deny" with the subnets and addresses that need the account, or public_network_access_enabled = false with a private endpoint.',
    cwe: ['CWE-284'],
    references: ['checkov CKV_AZURE_35', 'checkov CKV_AZURE_59'],
    samples: {
      bad: [
        tf(AZURE_ACCOUNT('  network_rules {\n    default_action = "Allow"\n  }\n'), 6),
        tf(
          'resource "azurerm_storage_account_network_rules" "data" {\n  storage_account_id = "data"\n  default_action     = "Allow"\n}',
          3,
        ),
      ],
      good: [
        tf(
          AZURE_ACCOUNT(
            '  network_rules {\n    default_action = "Deny"\n    ip_rules       = ["203.0.113.10"]\n  }\n',
          ),
        ),
        tf(
          'resource "azurerm_storage_account_network_rules" "data" {\n  storage_account_id = "data"\n  default_action     = "Deny"\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-STORAGE-UNIFORM-ACCESS',
    severity: 'medium',
    category: 'security',
    title: 'Bucket without uniform bucket-level access',
    description:
      'Google Cloud: google_storage_bucket without uniform_bucket_level_access = true (off by default): object ACLs can grant access, including public access, that the bucket IAM policy does not show.',
    remediation: 'Set uniform_bucket_level_access = true and grant access through IAM only.',
    cwe: ['CWE-284'],
    references: ['checkov CKV_GCP_29'],
    samples: {
      bad: [
        tf('resource "google_storage_bucket" "reports" {\n  name     = "reports"\n  location = "EU"\n}', 1),
      ],
      good: [
        tf(
          'resource "google_storage_bucket" "reports" {\n  name                        = "reports"\n  location                    = "EU"\n  uniform_bucket_level_access = true\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-STORAGE-LOGGING',
    severity: 'low',
    category: 'logging',
    title: 'Bucket access logging off (Google Cloud, Alibaba Cloud)',
    description:
      'Google Cloud: google_storage_bucket without a logging block. Alibaba Cloud: alicloud_oss_bucket without a logging block. Azure: azurerm_storage_account whose queue_properties logging turns read, write or delete off. Reads and writes of objects cannot be audited. S3 buckets are IAC-S3-LOGGING.',
    remediation: 'Add a logging block naming a separate log bucket (or enable Data Access audit logs).',
    cwe: ['CWE-778'],
    references: ['checkov CKV_GCP_62', 'checkov CKV_AZURE_33'],
    samples: {
      bad: [
        tf(
          'resource "google_storage_bucket" "reports" {\n  name                        = "reports"\n  location                    = "EU"\n  uniform_bucket_level_access = true\n}',
          1,
        ),
        tf('resource "alicloud_oss_bucket" "exports" {\n  bucket = "exports"\n}', 1),
        tf(
          AZURE_ACCOUNT(
            '  queue_properties {\n    logging {\n      delete  = false\n      read    = true\n      write   = true\n      version = "1.0"\n    }\n  }\n',
          ),
          7,
        ),
      ],
      good: [
        tf(
          'resource "google_storage_bucket" "reports" {\n  name                        = "reports"\n  location                    = "EU"\n  uniform_bucket_level_access = true\n  logging {\n    log_bucket = "access-logs"\n  }\n}',
        ),
        tf(
          'resource "alicloud_oss_bucket" "exports" {\n  bucket = "exports"\n  logging {\n    target_bucket = "access-logs"\n    target_prefix = "exports/"\n  }\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-MIN-TLS',
    severity: 'medium',
    category: 'security',
    title: 'Minimum TLS version below 1.2',
    description:
      'Azure: azurerm_storage_account min_tls_version, azurerm_mssql_server / azurerm_sql_server minimum_tls_version, azurerm_postgresql_server / azurerm_mysql_server ssl_minimal_tls_version_enforced, azurerm_redis_cache minimum_tls_version set to TLS 1.0 or 1.1, or to no minimum ("Disabled", "TLSEnforcementDisabled"). Clients may negotiate deprecated protocol versions.',
    remediation: 'Set the minimum TLS version to 1.2 (the current default of each of these resources).',
    cwe: ['CWE-326'],
    references: ['checkov CKV_AZURE_44', 'checkov CKV_AZURE_52'],
    samples: {
      bad: [
        tf(AZURE_ACCOUNT('  min_tls_version          = "TLS1_0"\n'), 5),
        tf(
          'resource "azurerm_mssql_server" "main" {\n  name                = "main"\n  version             = "12.0"\n  minimum_tls_version = "1.1"\n}',
          4,
        ),
      ],
      good: [
        tf(AZURE_ACCOUNT('  min_tls_version          = "TLS1_2"\n')),
        tf(
          'resource "azurerm_mssql_server" "main" {\n  name                = "main"\n  version             = "12.0"\n  minimum_tls_version = "1.2"\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-ENCRYPTION-AT-REST',
    severity: 'high',
    category: 'security',
    title: 'Data store not encrypted at rest',
    description:
      'AWS: aws_neptune_cluster / AWS::Neptune::DBCluster and aws_docdb_cluster / AWS::DocDB::DBCluster without storage_encrypted (StorageEncrypted), aws_elasticache_replication_group / AWS::ElastiCache::ReplicationGroup without at_rest_encryption_enabled (AtRestEncryptionEnabled), aws_kinesis_stream with encryption_type NONE / AWS::Kinesis::Stream without StreamEncryption — all off by default; aws_redshift_cluster / AWS::Redshift::Cluster with encrypted (Encrypted) = false (Redshift encrypts new clusters by default since 2025, so only a written false counts). Azure: azurerm_managed_disk with encryption_settings.enabled = false, azurerm_mssql_database with transparent_data_encryption_enabled = false, azurerm_data_lake_store with encryption_state = "Disabled". Data, snapshots and backups are stored in clear; most cannot be encrypted after creation. RDS is IAC-RDS-ENCRYPTION.',
    remediation:
      'Turn encryption on at creation (storage_encrypted = true, encrypted = true, at_rest_encryption_enabled = true, encryption_type = "KMS"), with a customer-managed KMS key for sensitive data.',
    cwe: ['CWE-311'],
    references: [
      'checkov CKV_AWS_44',
      'checkov CKV_AWS_74',
      'checkov CKV_AWS_64',
      'checkov CKV_AWS_29',
      'checkov CKV_AWS_43',
      'checkov CKV_AZURE_2',
    ],
    samples: {
      bad: [
        cfn(
          '  Graph:\n    Type: AWS::Neptune::DBCluster\n    Properties:\n      DBClusterIdentifier: graph\n      StorageEncrypted: false',
          7,
        ),
        tf(
          'resource "aws_neptune_cluster" "graph" {\n  cluster_identifier = "graph"\n  engine             = "neptune"\n  storage_encrypted  = false\n}',
          4,
        ),
        tf('resource "aws_kinesis_stream" "events" {\n  name        = "events"\n  shard_count = 1\n}', 1),
      ],
      good: [
        cfn(
          '  Graph:\n    Type: AWS::Neptune::DBCluster\n    Properties:\n      DBClusterIdentifier: graph\n      StorageEncrypted: true',
        ),
        tf(
          'resource "aws_neptune_cluster" "graph" {\n  cluster_identifier = "graph"\n  engine             = "neptune"\n  storage_encrypted  = true\n}',
        ),
        tf(
          'resource "aws_kinesis_stream" "events" {\n  name            = "events"\n  shard_count     = 1\n  encryption_type = "KMS"\n  kms_key_id      = "alias/aws/kinesis"\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-DB-TLS',
    severity: 'high',
    category: 'security',
    title: 'Database or cache accepts unencrypted connections',
    description:
      'AWS: aws_elasticache_replication_group / AWS::ElastiCache::ReplicationGroup without transit_encryption_enabled (TransitEncryptionEnabled). Azure: azurerm_postgresql_server / azurerm_mysql_server / azurerm_mariadb_server with ssl_enforcement_enabled = false, a flexible server configuration require_secure_transport = OFF, azurerm_redis_cache with non_ssl_port_enabled (enable_non_ssl_port) = true. Google Cloud: google_sql_database_instance whose ip_configuration has require_ssl = false, ssl_mode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED", or neither set. Credentials and data can be read on the network.',
    remediation:
      'Require TLS: transit_encryption_enabled = true, ssl_enforcement_enabled = true, require_secure_transport = ON, non_ssl_port_enabled = false, ssl_mode = "ENCRYPTED_ONLY" (or TRUSTED_CLIENT_CERTIFICATE_REQUIRED).',
    cwe: ['CWE-319'],
    references: ['checkov CKV_AWS_30', 'checkov CKV_AZURE_28', 'checkov CKV_AZURE_29', 'checkov CKV_GCP_6'],
    samples: {
      bad: [
        cfn(
          '  Sessions:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      ReplicationGroupDescription: sessions\n      AtRestEncryptionEnabled: true\n      TransitEncryptionEnabled: false',
          8,
        ),
        tf(
          'resource "aws_elasticache_replication_group" "sessions" {\n  replication_group_id       = "sessions"\n  description                = "sessions"\n  at_rest_encryption_enabled = true\n  transit_encryption_enabled = false\n}',
          5,
        ),
        tf(
          'resource "azurerm_postgresql_server" "orders" {\n  name                    = "orders"\n  sku_name                = "GP_Gen5_2"\n  version                 = "11"\n  ssl_enforcement_enabled = false\n}',
          5,
        ),
        tf(SQL_INSTANCE('      ipv4_enabled = false\n      require_ssl  = false\n'), 11),
      ],
      good: [
        cfn(
          '  Sessions:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      ReplicationGroupDescription: sessions\n      AtRestEncryptionEnabled: true\n      TransitEncryptionEnabled: true',
        ),
        tf(
          'resource "aws_elasticache_replication_group" "sessions" {\n  replication_group_id       = "sessions"\n  description                = "sessions"\n  at_rest_encryption_enabled = true\n  transit_encryption_enabled = true\n}',
        ),
        tf(
          'resource "azurerm_postgresql_server" "orders" {\n  name                    = "orders"\n  sku_name                = "GP_Gen5_2"\n  version                 = "11"\n  ssl_enforcement_enabled = true\n}',
        ),
        tf(SQL_INSTANCE(PRIVATE_SQL)),
      ],
    },
  },
  {
    id: 'IAC-DB-BACKUP',
    severity: 'medium',
    category: 'reliability',
    title: 'Database automated backups off',
    description:
      'AWS: aws_db_instance / AWS::RDS::DBInstance with backup_retention_period (BackupRetentionPeriod) 0 — read replicas excepted. Google Cloud: google_sql_database_instance without settings.backup_configuration.enabled = true (off by default; replicas excepted). No automated backups, no point-in-time recovery.',
    remediation:
      'Keep automated backups for at least 7 days (backup_retention_period = 7; backup_configuration { enabled = true, point_in_time_recovery_enabled = true }).',
    cwe: ['CWE-693'],
    references: ['checkov CKV_AWS_133', 'checkov CKV_GCP_14'],
    samples: {
      bad: [
        cfn(
          '  Orders:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      StorageEncrypted: true\n      BackupRetentionPeriod: 0',
          8,
        ),
        tf(
          'resource "aws_db_instance" "orders" {\n  engine                  = "postgres"\n  storage_encrypted       = true\n  backup_retention_period = 0\n}',
          4,
        ),
        tf(SQL_INSTANCE(PRIVATE_SQL, 'false'), 7),
      ],
      good: [
        cfn(
          '  Orders:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      StorageEncrypted: true\n      BackupRetentionPeriod: 7',
        ),
        tf(
          'resource "aws_db_instance" "orders" {\n  engine                  = "postgres"\n  storage_encrypted       = true\n  backup_retention_period = 7\n}',
        ),
        tf(SQL_INSTANCE(PRIVATE_SQL)),
      ],
    },
  },
  {
    id: 'IAC-DB-OPEN-FIREWALL',
    severity: 'critical',
    category: 'security',
    title: 'Database firewall open to the internet',
    description:
      'Azure: azurerm_sql_firewall_rule, azurerm_mssql_firewall_rule, azurerm_postgresql_firewall_rule, azurerm_mysql_firewall_rule, azurerm_mariadb_firewall_rule, the flexible-server and Synapse firewall rules from 0.0.0.0 to 255.255.255.255 (critical), from 0.0.0.0 to another address (high), or 0.0.0.0–0.0.0.0, "allow Azure services", which admits any Azure tenant (medium). Google Cloud: google_sql_database_instance authorized_networks with 0.0.0.0/0. Alibaba Cloud: alicloud_db_instance security_ips with 0.0.0.0/0. The database login is exposed to brute force from anywhere.',
    remediation:
      'Allow only the addresses of known clients; reach the database over a private endpoint, Private Service Connect or a VPC.',
    cwe: ['CWE-284'],
    references: ['checkov CKV_AZURE_11', 'checkov CKV_GCP_11'],
    samples: {
      bad: [
        tf(
          'resource "azurerm_mssql_firewall_rule" "any" {\n  name             = "any"\n  server_id        = "sql-1"\n  start_ip_address = "0.0.0.0"\n  end_ip_address   = "255.255.255.255"\n}',
          5,
        ),
        tf(
          SQL_INSTANCE(
            '      ipv4_enabled = true\n      ssl_mode     = "ENCRYPTED_ONLY"\n      authorized_networks {\n        name  = "anyone"\n        value = "0.0.0.0/0"\n      }\n',
          ),
          14,
        ),
      ],
      good: [
        tf(
          'resource "azurerm_mssql_firewall_rule" "office" {\n  name             = "office"\n  server_id        = "sql-1"\n  start_ip_address = "203.0.113.10"\n  end_ip_address   = "203.0.113.20"\n}',
        ),
        tf(
          SQL_INSTANCE(
            '      ssl_mode = "ENCRYPTED_ONLY"\n      authorized_networks {\n        name  = "office"\n        value = "203.0.113.0/24"\n      }\n',
          ),
        ),
      ],
    },
  },
  {
    id: 'IAC-DB-PUBLIC-NETWORK',
    severity: 'medium',
    category: 'security',
    title: 'Database reachable over the public network',
    description:
      'Azure: azurerm_mssql_server / azurerm_sql_server, azurerm_postgresql_server / azurerm_mysql_server / azurerm_mariadb_server, the flexible servers and azurerm_cosmosdb_account with public_network_access_enabled = true. Google Cloud: google_sql_database_instance with ip_configuration.ipv4_enabled = true. Only written values are reported (the providers default to public): the database has a public endpoint, guarded only by its firewall and login.',
    remediation:
      'Set public_network_access_enabled = false / ipv4_enabled = false and connect through a private endpoint or private IP.',
    cwe: ['CWE-284'],
    references: ['checkov CKV_AZURE_113', 'checkov CKV_AZURE_68', 'checkov CKV_GCP_60'],
    samples: {
      bad: [
        tf(
          'resource "azurerm_mssql_server" "main" {\n  name                          = "main"\n  version                       = "12.0"\n  public_network_access_enabled = true\n}',
          4,
        ),
        tf(SQL_INSTANCE('      ipv4_enabled = true\n      ssl_mode     = "ENCRYPTED_ONLY"\n'), 10),
      ],
      good: [
        tf(
          'resource "azurerm_mssql_server" "main" {\n  name                          = "main"\n  version                       = "12.0"\n  public_network_access_enabled = false\n}',
        ),
        tf(SQL_INSTANCE(PRIVATE_SQL)),
      ],
    },
  },
  {
    id: 'IAC-DB-AUDIT',
    severity: 'medium',
    category: 'logging',
    title: 'Database auditing or connection logging off',
    description:
      'Azure: azurerm_mssql_server / azurerm_sql_server with no extended_auditing_policy (inline, or an azurerm_mssql_server_extended_auditing_policy naming it) or one keeping logs under 90 days, azurerm_mssql_server_security_alert_policy with state = "Disabled" (or the inline threat_detection_policy of a database), azurerm_postgresql_configuration / azurerm_mysql_configuration and the flexible-server configurations setting log_checkpoints, log_connections, log_disconnections, connection_throttling or audit_log_enabled to off. Google Cloud: google_sql_database_instance database_flags log_connections, log_disconnections, log_checkpoints, log_lock_waits or cloudsql.enable_pgaudit = "off". Logins and queries leave no trail.',
    remediation:
      'Add an auditing policy to a storage account or Log Analytics workspace, keep threat detection Enabled, and leave the logging flags on.',
    cwe: ['CWE-778'],
    references: [
      'checkov CKV_AZURE_23',
      'checkov CKV_AZURE_24',
      'checkov CKV_AZURE_27',
      'checkov CKV_AZURE_30',
      'checkov CKV_AZURE_31',
      'checkov CKV_AZURE_32',
    ],
    samples: {
      bad: [
        tf('resource "azurerm_mssql_server" "main" {\n  name    = "main"\n  version = "12.0"\n}', 1),
        tf(
          'resource "azurerm_mssql_server_security_alert_policy" "main" {\n  resource_group_name = "data"\n  server_name         = "main"\n  state               = "Disabled"\n}',
          4,
        ),
        tf(
          'resource "azurerm_postgresql_configuration" "checkpoints" {\n  name                = "log_checkpoints"\n  resource_group_name = "data"\n  server_name         = "orders"\n  value               = "off"\n}',
          5,
        ),
      ],
      good: [
        tf(
          'resource "azurerm_postgresql_configuration" "checkpoints" {\n  name                = "log_checkpoints"\n  resource_group_name = "data"\n  server_name         = "orders"\n  value               = "on"\n}',
        ),
        tf(
          'resource "azurerm_mssql_server" "main" {\n  name    = "main"\n  version = "12.0"\n}\n\nresource "azurerm_mssql_server_extended_auditing_policy" "main" {\n  server_id              = azurerm_mssql_server.main.id\n  log_monitoring_enabled = true\n}',
        ),
        tf(
          'resource "azurerm_mssql_server_security_alert_policy" "main" {\n  resource_group_name = "data"\n  server_name         = "main"\n  state               = "Enabled"\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-KMS-ROTATION',
    severity: 'medium',
    category: 'security',
    title: 'Encryption key not rotated automatically',
    description:
      'AWS: aws_kms_key / AWS::KMS::Key without enable_key_rotation (EnableKeyRotation) = true — off by default in both; asymmetric and HMAC keys, which cannot rotate, excepted. Google Cloud: google_kms_crypto_key (ENCRYPT_DECRYPT) without rotation_period, or with one over 90 days (low). Alibaba Cloud: alicloud_kms_key without automatic_rotation = "Enabled". A leaked or broken key version keeps protecting new data.',
    remediation:
      'Turn on automatic rotation (enable_key_rotation = true, rotation_period = "7776000s" or less, automatic_rotation = "Enabled").',
    cwe: ['CWE-320'],
    references: ['checkov CKV_AWS_7', 'checkov CKV_GCP_43'],
    samples: {
      bad: [
        cfn(
          '  DataKey:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: false\n      KeyPolicy:\n        Statement:\n          - { Effect: Allow, Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }',
          6,
        ),
        tf('resource "aws_kms_key" "data" {\n  description = "data"\n}', 1),
        tf(
          'resource "google_kms_crypto_key" "data" {\n  name            = "data"\n  key_ring        = "projects/p/locations/eu/keyRings/main"\n  rotation_period = "31536000s"\n}',
          4,
        ),
      ],
      good: [
        cfn(
          '  DataKey:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n      KeyPolicy:\n        Statement:\n          - { Effect: Allow, Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }',
        ),
        tf(
          'resource "aws_kms_key" "data" {\n  description         = "data"\n  enable_key_rotation = true\n}',
        ),
        tf(
          'resource "google_kms_crypto_key" "data" {\n  name            = "data"\n  key_ring        = "projects/p/locations/eu/keyRings/main"\n  rotation_period = "7776000s"\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-KEY-EXPIRY',
    severity: 'low',
    category: 'security',
    title: 'Key Vault key or secret without an expiry date',
    description:
      'Azure: azurerm_key_vault_key and azurerm_key_vault_secret without expiration_date: the credential stays valid forever and nothing prompts its rotation.',
    remediation: 'Set expiration_date (and a rotation_policy for keys) and rotate before it passes.',
    cwe: ['CWE-324'],
    references: ['checkov CKV_AZURE_40', 'checkov CKV_AZURE_41'],
    samples: {
      bad: [
        tf(
          'resource "azurerm_key_vault_key" "data" {\n  name         = "data"\n  key_vault_id = "vault-1"\n  key_type     = "RSA"\n  key_size     = 2048\n  key_opts     = ["decrypt", "encrypt"]\n}',
          1,
        ),
      ],
      good: [
        tf(
          'resource "azurerm_key_vault_key" "data" {\n  name            = "data"\n  key_vault_id    = "vault-1"\n  key_type        = "RSA"\n  key_size        = 2048\n  key_opts        = ["decrypt", "encrypt"]\n  expiration_date = "2027-06-30T00:00:00Z"\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-KEYVAULT-PURGE-PROTECTION',
    severity: 'medium',
    category: 'reliability',
    title: 'Key Vault without purge protection',
    description:
      'Azure: azurerm_key_vault without purge_protection_enabled = true (off by default), or with soft_delete_enabled = false (older providers). Someone with delete rights — or ransomware using them — can destroy the vault and every key that encrypts your data, for good.',
    remediation:
      'Set purge_protection_enabled = true (it cannot be turned off again) and keep soft delete on.',
    cwe: ['CWE-693'],
    references: ['checkov CKV_AZURE_110', 'checkov CKV_AZURE_42'],
    samples: {
      bad: [tf(KEY_VAULT(`  purge_protection_enabled = false\n${VAULT_ACL}`), 5)],
      good: [tf(KEY_VAULT(`  purge_protection_enabled = true\n${VAULT_ACL}`))],
    },
  },
  {
    id: 'IAC-KEYVAULT-NETWORK',
    severity: 'medium',
    category: 'security',
    title: 'Key Vault open to every network',
    description:
      'Azure: azurerm_key_vault without a network_acls block, or with network_acls.default_action = "Allow": the vault endpoint accepts requests from any address; only authentication protects the keys.',
    remediation:
      'Add network_acls with default_action = "Deny" and the subnets or addresses that need the vault.',
    cwe: ['CWE-284'],
    references: ['checkov CKV_AZURE_109'],
    samples: {
      bad: [
        tf(
          KEY_VAULT(
            '  purge_protection_enabled = true\n  network_acls {\n    default_action = "Allow"\n    bypass         = "AzureServices"\n  }\n',
          ),
          7,
        ),
      ],
      good: [tf(KEY_VAULT(`  purge_protection_enabled = true\n${VAULT_ACL}`))],
    },
  },
  {
    id: 'IAC-AUDIT-LOG',
    severity: 'medium',
    category: 'logging',
    title: 'Activity / audit logging incomplete',
    description:
      'Azure: azurerm_monitor_log_profile with retention off or under 365 days, or without the Write, Delete and Action categories (low). Google Cloud: google_project_iam_audit_config (folder, organization) exempting members from audit logging. Control-plane activity goes unrecorded or is lost before an investigation. AWS trails are IAC-CLOUDTRAIL-LOGGING.',
    remediation:
      'Keep activity logs at least a year with every category; exempt no one from Data Access audit logs.',
    cwe: ['CWE-778'],
    references: ['checkov CKV_AZURE_37', 'checkov CKV_AZURE_38'],
    samples: {
      bad: [
        tf(
          'resource "azurerm_monitor_log_profile" "main" {\n  name       = "main"\n  categories = ["Action", "Delete", "Write"]\n  locations  = ["global"]\n  retention_policy {\n    enabled = true\n    days    = 30\n  }\n}',
          7,
        ),
        tf(
          'resource "google_project_iam_audit_config" "all" {\n  project = "shop"\n  service = "allServices"\n  audit_log_config {\n    log_type         = "DATA_READ"\n    exempted_members = ["user:ops@example.com"]\n  }\n}',
          6,
        ),
      ],
      good: [
        tf(
          'resource "azurerm_monitor_log_profile" "main" {\n  name       = "main"\n  categories = ["Action", "Delete", "Write"]\n  locations  = ["global"]\n  retention_policy {\n    enabled = true\n    days    = 365\n  }\n}',
        ),
        tf(
          'resource "google_project_iam_audit_config" "all" {\n  project = "shop"\n  service = "allServices"\n  audit_log_config {\n    log_type = "DATA_READ"\n  }\n}',
        ),
      ],
    },
  },
] as const);
