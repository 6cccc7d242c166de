/**
 * The security scanner's secret findings: the secret engine's matches
 * (shared/analysis/secrets — the credential table, placeholders, entropy,
 * masking) as findings of the SEC-* rules (./rules/secrets.ts). The value
 * never reaches a finding: it carries the masked form, the length, the
 * entropy and the name the value was assigned to.
 */
import { findSecrets, type SecretScanOptions, secretRuleId } from '../../analysis/secrets/index.js';
import type { Finding, SourceFile } from '../contract.js';
import { SECRET_RULES } from './rules/secrets.js';

/** Every secret in one file, masked. */
export function scanSecrets(file: SourceFile, options: Pick<SecretScanOptions, 'now'>): Finding[] {
  return findSecrets(file, options).flatMap((match) => {
    const ruleId = secretRuleId(match.credential);
    if (!SECRET_RULES.has(ruleId)) return [];
    return [
      SECRET_RULES.finding(ruleId, {
        message: match.message,
        resource: { kind: 'File', name: file.path, file: file.path, line: match.line },
        severity: match.severity,
        evidence: match.evidence,
        key: [match.name, match.ordinal],
      }),
    ];
  });
}
