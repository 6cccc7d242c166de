/**
 * The security scanner's secret findings: the secret engine's matches
 * (shared/analysis/secrets — the credential table, placeholders, entropy,
 * masking) as findings of the SEC-* rules (./rules/secrets.ts), and the
 * credential files it recognises by name and format (Git credential store,
 * .netrc, .pgpass, .npmrc, Docker config, FileZilla, PuTTY, Firefox logins,
 * password hashes) as SEC-FILE-* (./rules/secret-files.ts). One finding per
 * line: a token's shape wins over a credential file's format, which wins
 * over the generic name-and-entropy rule and the wide shapes (a URL with a
 * password, an Authorization header). The value never reaches a
 * finding: it carries the masked form, the length, the entropy, the
 * confidence and the name the value was assigned to.
 */
import { credentialFileRuleId, findCredentialFiles } from '../../analysis/secrets/files.js';
import {
  credentialKind,
  findSecrets,
  type SecretScanOptions,
  secretRuleId,
} from '../../analysis/secrets/index.js';
import type { Finding, SourceFile } from '../contract.js';
import { SECRET_FILE_RULES } from './rules/secret-files.js';
import { SECRET_RULES } from './rules/secrets.js';

/** The table's matches as findings, each with its line and whether it is the generic rule's. */
function tableFindings(file: SourceFile, options: Pick<SecretScanOptions, 'now'>) {
  return findSecrets(file, options).flatMap((match) => {
    const ruleId = secretRuleId(match.credential);
    // An example or a placeholder (`changeme`, `<your-token>`, AWS's documented keys) is not a leak: no finding.
    if (!SECRET_RULES.has(ruleId) || match.lowered === 'placeholder') return [];
    const finding = SECRET_RULES.finding(ruleId, {
      message: match.message,
      resource: { kind: 'File', name: file.path, file: file.path, line: match.line },
      severity: match.severity,
      evidence: match.evidence,
      key: [match.name, match.ordinal],
    });
    // The generic rule and the wide shapes (a URL with a password, an Authorization header) yield to a credential file's format.
    const generic =
      match.credential === 'generic-secret' || credentialKind(match.credential).fallback === true;
    return [{ finding, line: match.line, generic }];
  });
}

/** Every secret in one file, masked. */
export function scanSecrets(file: SourceFile, options: Pick<SecretScanOptions, 'now'>): Finding[] {
  const table = tableFindings(file, options);
  const shapeLines = new Set(table.filter((t) => !t.generic).map((t) => t.line));
  const files = findCredentialFiles(file)
    .filter((match) => !shapeLines.has(match.line) && match.lowered !== 'placeholder')
    .map((match) => ({
      line: match.line,
      finding: SECRET_FILE_RULES.finding(credentialFileRuleId(match.id), {
        message: match.message,
        resource: { kind: 'File', name: file.path, file: file.path, line: match.line },
        severity: match.severity,
        evidence: match.evidence,
        key: [match.ordinal],
      }),
    }));
  const fileLines = new Set(files.map((f) => f.line));
  const kept = table.filter((t) => !t.generic || !fileLines.has(t.line));
  return [...kept, ...files].sort((a, b) => a.line - b.line).map((t) => t.finding);
}
