/**
 * Secrets, for every engine and agent: the one credential table and the one
 * secret-name classifier (both kept in core, where the log redaction reads
 * them — see shared/core/secret-patterns.ts), and what needs more than a
 * pattern: entropy, placeholders, masking and the scan of a file.
 */
export { classifySecretName, isSecretName, type SecretNameKind, wordsOf } from '../../core/secret-names.js';
export {
  assignments,
  CREDENTIAL_SHAPES,
  CREDENTIALS,
  type CredentialId,
  type CredentialKind,
  candidateKinds,
  credentialKind,
  credentialSpans,
  credentialSpansIn,
  holdsCredential,
  keywordsIn,
  patternSpans,
  type ReportedCredentialId,
} from '../../core/secret-patterns.js';
/** Entropy, placeholders and masking of a value: the whole module. */
export * from '../../core/secret-values.js';
export { secretConfidence } from './confidence.js';
export {
  findSecrets,
  type SecretMatch,
  type SecretRuleId,
  type SecretScanOptions,
  secretRuleId,
} from './scan.js';
export type { Lowered, SecretSeverity } from './severity.js';
