/**
 * The security scanner's secret rules (SEC-*), one per credential kind the
 * engine reports (shared/analysis/secrets, the table in
 * shared/core/secret-patterns.ts): title and severity come from the table's
 * row, the bad samples are the row's true samples as a config file, the good
 * ones its false samples and the fixed form (the value read at run time).
 */
import {
  CREDENTIALS,
  type CredentialKind,
  type ReportedCredentialId,
  type SecretRuleId,
  secretRuleId,
} from '../../../analysis/secrets/index.js';
import { defineRules, type RuleSample, type RuleSpec } from '../../scan/catalog.js';

/** The credential kinds the scanner reports (the table's rows with `reported`), each as rule SEC-<KIND>. */
export type SecretRule = SecretRuleId<ReportedCredentialId>;

const REMEDIATION =
  'Revoke and rotate the credential now (it is in the history of every clone), remove it from the file ' +
  'and read it at run time from a secret store (AWS Secrets Manager, SSM Parameter Store, a Kubernetes ' +
  'Secret, the CI secret store). Rewrite history only after rotating.';

const SAMPLE_PATH = 'config/settings.env';

/** The fixed form: the file names where the secret is mounted at run time, not the secret. */
const READ_AT_RUN_TIME: RuleSample = {
  path: SAMPLE_PATH,
  content: 'SERVICE_TOKEN_FILE=/run/secrets/service_token\n',
  why: 'the secret is read at run time from a file the secret store mounts',
};

const NEAR_MISS = 'a near miss: not the shape of this credential, or not random enough to be one';

function secretRule(kind: CredentialKind): RuleSpec<SecretRule> {
  return {
    id: secretRuleId(kind.id) as SecretRule,
    severity: kind.severity,
    category: 'secrets',
    title: kind.title,
    description: `${kind.description} Example and placeholder values and files under test fixtures are reported at a lower severity; the value is always masked.`,
    remediation: REMEDIATION,
    cwe: ['CWE-798'],
    samples: {
      // The line is worked out when read (the samples test, the rules docs), not by every analyze that loads the catalog.
      bad: kind.samples.secrets.map((content) => ({
        path: SAMPLE_PATH,
        content,
        get line() {
          return lineOf(content, kind);
        },
      })),
      good: [
        READ_AT_RUN_TIME,
        ...kind.samples.notSecrets.map((content) => ({ path: SAMPLE_PATH, content, why: NEAR_MISS })),
      ],
    },
  };
}

/** The line of a sample the finding points at: where the pattern's match starts (1 for a one-line sample). */
function lineOf(content: string, kind: CredentialKind): number {
  const match = new RegExp(kind.pattern.source, kind.pattern.flags.replace('g', '')).exec(content);
  const at = match === null ? 0 : match.index + (kind.group === 1 ? match[0].indexOf(match[1] ?? '') : 0);
  return content.slice(0, Math.max(at, 0)).split('\n').length;
}

/** One rule per reported row of the table, in table order: a new row needs no hand-written rule. */
export const SECRET_RULES = defineRules<SecretRule>(
  'security-scanner',
  CREDENTIALS.filter((kind) => kind.reported).map(secretRule),
);
