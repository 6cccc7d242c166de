/**
 * The security scanner's secret rules (SEC-*), one per credential kind the
 * engine reports (shared/analysis/secrets, the table in
 * shared/core/secret-patterns.ts): title and severity come from the table's
 * row, the bad samples are the row's true samples as a config file, the good
 * ones its false samples and the fixed form (the value read at run time).
 */
import {
  type CredentialId,
  type CredentialKind,
  credentialKind,
  type SecretRuleId,
  secretRuleId,
} from '../../../analysis/secrets/index.js';
import { defineRules, type RuleSample, type RuleSpec } from '../../scan/catalog.js';

/** The credential kinds the scanner reports (the table's rows with `reported`), each as rule SEC-<KIND>. */
type ReportedCredential = Exclude<
  CredentialId,
  | 'stripe-publishable-key'
  | 'llm-api-key'
  | 'aiops-api-key'
  | 'url-credentials'
  | 'url-query-secret'
  | 'authorization-header'
>;

export type SecretRule = SecretRuleId<ReportedCredential>;

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

function secretRule(credential: ReportedCredential, description: string): RuleSpec<SecretRule> {
  const kind: CredentialKind = credentialKind(credential);
  return {
    id: secretRuleId(credential),
    severity: kind.severity,
    category: 'secrets',
    title: kind.title,
    description: `${description} Example and placeholder values and files under test fixtures are reported at a lower severity; the value is always masked.`,
    remediation: REMEDIATION,
    cwe: ['CWE-798'],
    samples: {
      bad: kind.samples.secrets.map((content) => ({ path: SAMPLE_PATH, content, line: 1 })),
      good: [
        READ_AT_RUN_TIME,
        ...kind.samples.notSecrets.map((content) => ({ path: SAMPLE_PATH, content, why: NEAR_MISS })),
      ],
    },
  };
}

export const SECRET_RULES = defineRules<SecretRule>('security-scanner', [
  secretRule(
    'aws-access-key',
    'An AWS access key id (AKIA… long-term user keys, ASIA… temporary keys). With its secret key it signs requests as the IAM user or role.',
  ),
  secretRule(
    'aws-secret-key',
    'A 40-character AWS secret access key next to an aws…secret… name: whoever holds it acts as the IAM principal it belongs to.',
  ),
  secretRule(
    'github-token',
    'A GitHub personal access, OAuth, app installation, refresh or fine-grained token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_): repository and organisation access as its owner.',
  ),
  secretRule(
    'gitlab-token',
    'A GitLab personal, project, deploy, runner, pipeline-trigger or feed token (glpat-, gldt-, glrt-, glptt-, …).',
  ),
  secretRule(
    'slack-token',
    'A Slack bot, user, app-level or refresh token (xoxb-, xoxp-, xapp-, …): reads and posts in the workspace.',
  ),
  secretRule(
    'slack-webhook',
    'A Slack incoming webhook URL: anyone holding it can post into the channel (phishing, alert spoofing).',
  ),
  secretRule(
    'google-api-key',
    'A Google Cloud / Firebase API key (AIza…): billed usage of every API the key is not restricted from.',
  ),
  secretRule(
    'stripe-key',
    'A Stripe secret or restricted key (sk_live_, rk_live_; test-mode keys sk_test_ are reported lower): charges, refunds and customer data.',
  ),
  secretRule(
    'private-key',
    'A PEM or OpenSSH private key block (RSA, EC, DSA, OpenSSH, PGP, PKCS#8) with its key material.',
  ),
  secretRule(
    'jwt',
    'A signed JSON Web Token (three base64url parts, a JSON header with alg): a bearer credential until it expires, often long-lived in configs.',
  ),
  secretRule(
    'db-url-credentials',
    'A connection URL (postgres://, mysql://, mongodb+srv://, redis://, amqp://, jdbc:…) with user and password in it.',
  ),
  secretRule(
    'generic-secret',
    'A literal value assigned to a name that says password, secret, token, api key, private key or credential, random enough (Shannon entropy) to be a real credential rather than a word or a reference.',
  ),
]);
