/**
 * The data rules, written once against the provider-neutral aspects of the
 * cloud resource model (./data-model.ts): public storage, plain HTTP, weak
 * TLS, encryption at rest and in transit, database backups, firewalls,
 * public endpoints and auditing, key rotation and expiry, key vault
 * protection, activity logs. The same check reads an AWS, Azure, Google
 * Cloud or Alibaba Cloud resource; which resource types fill each aspect is
 * the normalisers' business (./from-terraform-data.ts,
 * ./from-cloudformation-data.ts). ./checks.ts calls `checkData` for every
 * resource with its report.
 */
import type { AllowedRange } from './data-model.js';
import type { CloudResource, IacSeverity } from './model.js';
import { isWorldCidr } from './network.js';
import { type Located, truth } from './values.js';

export type IacDataRuleId =
  | 'IAC-STORAGE-PUBLIC'
  | 'IAC-STORAGE-HTTPS'
  | 'IAC-STORAGE-NETWORK'
  | 'IAC-STORAGE-UNIFORM-ACCESS'
  | 'IAC-STORAGE-LOGGING'
  | 'IAC-MIN-TLS'
  | 'IAC-ENCRYPTION-AT-REST'
  | 'IAC-DB-TLS'
  | 'IAC-DB-BACKUP'
  | 'IAC-DB-OPEN-FIREWALL'
  | 'IAC-DB-PUBLIC-NETWORK'
  | 'IAC-DB-AUDIT'
  | 'IAC-KMS-ROTATION'
  | 'IAC-KEY-EXPIRY'
  | 'IAC-KEYVAULT-PURGE-PROTECTION'
  | 'IAC-KEYVAULT-NETWORK'
  | 'IAC-AUDIT-LOG';

export type DataReport = (
  ruleId: IacDataRuleId,
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

/** Reports when the setting is known to be off; unknown (a reference) or absent aspects are no finding. */
function whenOff(
  report: DataReport,
  setting: Located<unknown> | undefined,
  ruleId: IacDataRuleId,
  attribute: string,
  message: string,
): void {
  // truth() reads a missing value as false; here a missing value is one no normaliser knows, never a finding.
  if (setting !== undefined && setting.value !== undefined && truth(setting.value) === false)
    report(ruleId, attribute, message, at(setting.line));
}

/** 'TLS1_0', '1.1', 'TLS1_2' → [1, 0] …; 'Disabled' (no minimum) → [0, 0]; anything else unknown. */
function tlsVersion(value: unknown): [number, number] | undefined {
  if (typeof value !== 'string') return undefined;
  if (/disabled/i.test(value)) return [0, 0];
  const match = /(\d)[._](\d)/.exec(value);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

function checkStorage(r: CloudResource, report: DataReport): void {
  const storage = r.storage;
  if (storage === undefined) return;
  for (const grant of storage.publicGrants) {
    const who = grant.anonymous ? 'anyone on the internet' : 'anyone signed in to any account';
    report(
      'IAC-STORAGE-PUBLIC',
      'publicGrants',
      `${grant.what} lets ${who} ${grant.write ? 'read and write' : 'read'} the data.`,
      {
        ...at(grant.line),
        severity: grant.write ? 'critical' : 'high',
        evidence: { grant: grant.what, anonymous: grant.anonymous, write: grant.write },
        key: [grant.what],
      },
    );
  }
  whenOff(
    report,
    storage.httpsOnly,
    'IAC-STORAGE-HTTPS',
    'httpsOnly',
    'Plain HTTP requests are accepted: data and keys travel in clear.',
  );
  whenOff(
    report,
    storage.uniformAccess,
    'IAC-STORAGE-UNIFORM-ACCESS',
    'uniformAccess',
    'Uniform bucket-level access is off: object ACLs can grant access that IAM does not show.',
  );
  if (storage.openNetwork)
    report(
      'IAC-STORAGE-NETWORK',
      'openNetwork',
      `${storage.openNetwork.value}: the account accepts requests from any network.`,
      at(storage.openNetwork.line),
    );
  whenOff(
    report,
    storage.logged,
    'IAC-STORAGE-LOGGING',
    'logged',
    'No access logging: reads and writes of its objects are not recorded.',
  );
}

function checkEncryption(r: CloudResource, report: DataReport): void {
  const encryption = r.encryption;
  if (encryption === undefined) return;
  whenOff(report, encryption.atRest, 'IAC-ENCRYPTION-AT-REST', 'atRest', 'Data is not encrypted at rest.');
  whenOff(report, encryption.inTransit, 'IAC-DB-TLS', 'inTransit', 'Clients may connect without TLS.');
  const minTls = encryption.minTls;
  const version = tlsVersion(minTls?.value);
  if (minTls && version && (version[0] < 1 || (version[0] === 1 && version[1] < 2)))
    report(
      'IAC-MIN-TLS',
      'minTls',
      version[0] === 0
        ? `The minimum TLS version is ${String(minTls.value)}: any version, or none, is accepted.`
        : `The minimum TLS version is ${String(minTls.value)}: TLS 1.0 and 1.1 are deprecated.`,
      { ...at(minTls.line), evidence: { minTls: minTls.value } },
    );
}

/** How wide an allowed range is: every address, Azure's "allow Azure services" (0.0.0.0–0.0.0.0), or a range from 0.0.0.0. */
function openRange(range: AllowedRange): { what: string; severity: IacSeverity } | undefined {
  if (isWorldCidr(range.cidr)) return { what: `${String(range.cidr)} (every address)`, severity: 'critical' };
  if (range.start !== '0.0.0.0') return undefined;
  if (range.end === '255.255.255.255')
    return { what: '0.0.0.0–255.255.255.255 (every address)', severity: 'critical' };
  if (range.end === '0.0.0.0')
    return { what: '0.0.0.0–0.0.0.0 (every Azure service, of any tenant)', severity: 'medium' };
  return typeof range.end === 'string' ? { what: `0.0.0.0–${range.end}`, severity: 'high' } : undefined;
}

function checkDataStore(r: CloudResource, report: DataReport): void {
  const store = r.dataStore;
  if (store === undefined) return;
  const backups = store.backups;
  if (
    backups &&
    (backups.value === 0 || backups.value === '0' || truth(backups.value) === false) &&
    backups.value !== undefined
  )
    report(
      'IAC-DB-BACKUP',
      'backups',
      'Automated backups are off: there is no point-in-time restore.',
      at(backups.line),
    );
  for (const range of store.allowed ?? []) {
    const open = openRange(range);
    if (open)
      report('IAC-DB-OPEN-FIREWALL', 'allowed', `The firewall lets in ${open.what}.`, {
        ...at(range.line),
        severity: open.severity,
        evidence: { cidr: range.cidr, start: range.start, end: range.end },
        key: [range.index, String(range.cidr ?? range.start), String(range.end ?? '')],
      });
  }
  if (store.publicNetwork && truth(store.publicNetwork.value) === true)
    report(
      'IAC-DB-PUBLIC-NETWORK',
      'publicNetwork',
      'The database accepts connections over the public network.',
      at(store.publicNetwork.line),
    );
  for (const off of store.auditOff ?? [])
    report('IAC-DB-AUDIT', 'auditOff', `${off.value}: logins and queries leave no complete trail.`, {
      ...at(off.line),
      key: [off.value],
    });
}

function checkKeys(r: CloudResource, report: DataReport): void {
  const rotation = r.cryptoKey?.rotation;
  if (rotation && typeof rotation.value === 'number' && rotation.value > 90)
    report('IAC-KMS-ROTATION', 'rotation', `The key rotates every ${rotation.value} days (more than 90).`, {
      ...at(rotation.line),
      severity: 'low',
      evidence: { days: rotation.value },
    });
  else whenOff(report, rotation, 'IAC-KMS-ROTATION', 'rotation', 'Automatic key rotation is off.');
  whenOff(
    report,
    r.cryptoKey?.expires,
    'IAC-KEY-EXPIRY',
    'expires',
    'No expiration date: the key or secret is valid forever.',
  );
  const vault = r.vault;
  if (vault === undefined) return;
  whenOff(
    report,
    vault.purgeProtection,
    'IAC-KEYVAULT-PURGE-PROTECTION',
    'purgeProtection',
    'Purge protection is off: a deleted vault and its keys can be purged before the retention period ends.',
  );
  whenOff(
    report,
    vault.softDelete,
    'IAC-KEYVAULT-PURGE-PROTECTION',
    'softDelete',
    'Soft delete is off: deleted keys and secrets are gone at once.',
  );
  if (vault.networkDefault.value === 'Allow')
    report(
      'IAC-KEYVAULT-NETWORK',
      'networkDefault',
      'The vault accepts traffic from any network (no network ACL denies by default).',
      at(vault.networkDefault.line),
    );
}

function checkAuditLog(r: CloudResource, report: DataReport): void {
  const log = r.auditLog;
  if (log === undefined) return;
  const days = log.retentionDays;
  if (days && typeof days.value === 'number' && days.value < 365)
    report(
      'IAC-AUDIT-LOG',
      'retentionDays',
      days.value === 0
        ? 'Activity log retention is off.'
        : `Activity logs are kept ${days.value} days (less than 365).`,
      { ...at(days.line), key: ['retention'] },
    );
  const missing = log.missingCategories;
  if (missing && missing.value.length > 0)
    report(
      'IAC-AUDIT-LOG',
      'missingCategories',
      `Activity categories not recorded: ${missing.value.join(', ')}.`,
      {
        ...at(missing.line),
        severity: 'low',
        key: ['categories'],
      },
    );
  const exempted = log.exempted;
  if (exempted && exempted.value.length > 0)
    report('IAC-AUDIT-LOG', 'exempted', `Exempted from audit logging: ${exempted.value.join(', ')}.`, {
      ...at(exempted.line),
      key: ['exempted'],
    });
}

/** Every data violation of one resource. */
export function checkData(r: CloudResource, report: DataReport): void {
  checkStorage(r, report);
  checkEncryption(r, report);
  checkDataStore(r, report);
  checkKeys(r, report);
  checkAuditLog(r, report);
}
