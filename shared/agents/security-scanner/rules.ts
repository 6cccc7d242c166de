/**
 * The security scanner's rules: the one place that joins the area catalogs
 * under ./rules/ (Dockerfiles, infrastructure as code, code patterns,
 * dependencies) into the agent's catalog, and its score policy. Secrets rules
 * are still the legacy rows below, without samples, until their catalog
 * (rules/secrets.ts) replaces them; `cwe` names the weakness a
 * rule detects, and findings carry it in their evidence.
 */
import { AgentError } from '../../core/errors.js';
import type { Severity } from '../contract.js';
import { type Rule, ruleCatalog } from '../rules.js';
import { type Catalog, joinCatalogs } from '../scan/catalog.js';
import type { SeverityWeights } from '../scan/score.js';
import { CODE_RULES } from './rules/code.js';
import { DEPENDENCY_RULES } from './rules/dependencies.js';
import { DOCKER_RULES } from './rules/docker.js';
import { IAC_RULES } from './rules/iac.js';

export interface SecurityRule extends Rule {
  cwe?: string;
}

const SECRET_REMEDIATION =
  'Revoke and rotate the credential now (it is in the history of every clone), remove it from the file ' +
  'and read it at run time from a secret store (AWS Secrets Manager, SSM Parameter Store, a Kubernetes ' +
  'Secret, the CI secret store). Rewrite history only after rotating.';

function secret(id: string, severity: Severity, title: string, description: string): SecurityRule {
  return {
    id,
    severity,
    category: 'secrets',
    title,
    description: `${description} Example and placeholder values and files under test fixtures are reported at a lower severity; the value is always masked.`,
    remediation: SECRET_REMEDIATION,
    cwe: 'CWE-798',
  };
}

const SECRETS: SecurityRule[] = [
  secret(
    'SEC-AWS-ACCESS-KEY',
    'high',
    'AWS access key id',
    'An AWS access key id (AKIA… long-term user keys, ASIA… temporary keys). With its secret key it signs requests as the IAM user or role.',
  ),
  secret(
    'SEC-AWS-SECRET-KEY',
    'critical',
    'AWS secret access key',
    'A 40-character AWS secret access key next to an aws…secret… name: whoever holds it acts as the IAM principal it belongs to.',
  ),
  secret(
    'SEC-GITHUB-TOKEN',
    'critical',
    'GitHub token',
    'A GitHub personal access, OAuth, app installation, refresh or fine-grained token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_): repository and organisation access as its owner.',
  ),
  secret(
    'SEC-GITLAB-TOKEN',
    'critical',
    'GitLab token',
    'A GitLab personal, project, deploy, runner, pipeline-trigger or feed token (glpat-, gldt-, glrt-, glptt-, …).',
  ),
  secret(
    'SEC-SLACK-TOKEN',
    'high',
    'Slack token',
    'A Slack bot, user, app-level or refresh token (xoxb-, xoxp-, xapp-, …): reads and posts in the workspace.',
  ),
  secret(
    'SEC-SLACK-WEBHOOK',
    'medium',
    'Slack incoming webhook URL',
    'A Slack incoming webhook URL: anyone holding it can post into the channel (phishing, alert spoofing).',
  ),
  secret(
    'SEC-GOOGLE-API-KEY',
    'high',
    'Google API key',
    'A Google Cloud / Firebase API key (AIza…): billed usage of every API the key is not restricted from.',
  ),
  secret(
    'SEC-STRIPE-KEY',
    'critical',
    'Stripe secret or restricted key',
    'A Stripe secret or restricted key (sk_live_, rk_live_; test-mode keys sk_test_ are reported lower): charges, refunds and customer data.',
  ),
  secret(
    'SEC-PRIVATE-KEY',
    'critical',
    'Private key',
    'A PEM or OpenSSH private key block (RSA, EC, DSA, OpenSSH, PGP, PKCS#8) with its key material.',
  ),
  secret(
    'SEC-JWT',
    'medium',
    'JSON Web Token',
    'A signed JSON Web Token (three base64url parts, a JSON header with alg): a bearer credential until it expires, often long-lived in configs.',
  ),
  secret(
    'SEC-DB-URL-CREDENTIALS',
    'high',
    'Database URL with a password',
    'A connection URL (postgres://, mysql://, mongodb+srv://, redis://, amqp://, jdbc:…) with user and password in it.',
  ),
  secret(
    'SEC-GENERIC-SECRET',
    'medium',
    'Hard-coded secret',
    'A literal value assigned to a name that says password, secret, token, api key, private key or credential, random enough (Shannon entropy) to be a real credential rather than a word or a reference.',
  ),
];

const LEGACY = ruleCatalog(SECRETS);

/** The area catalogs, joined: ids unique across them, each rule with its samples. */
export const CATALOG = joinCatalogs(
  'security-scanner',
  DOCKER_RULES,
  IAC_RULES,
  CODE_RULES,
  DEPENDENCY_RULES,
);

export type SecurityRuleId = (typeof CATALOG.rules)[number]['id'];

/**
 * The agent's rules (defineAgent, SARIF, test/rules): the joined catalog,
 * whose `byId` also holds the legacy rows so SARIF and the README describe
 * every rule the scanner reports.
 */
export const RULES: Catalog<SecurityRuleId> = Object.freeze({
  ...CATALOG,
  byId: Object.freeze({ ...LEGACY, ...CATALOG.byId }),
});

/** A legacy (secrets) rule by id; the ids are literals in those engines, so a miss is a bug caught by the tests. */
export function rule(id: string): SecurityRule {
  const found = LEGACY[id];
  if (found === undefined)
    throw new AgentError(`security-scanner has no rule ${id}`, { details: { ruleId: id } });
  return found as SecurityRule;
}

/**
 * The weights of the score, policy `survival` (../scan/score.ts): each open
 * finding removes this fraction of what is left, and `riskScore` is
 * 100 − score = 100 × (1 − Π(1 − w)). One critical finding is a risk of 40,
 * two are 64; ten low ones are 18.
 */
export const RISK_WEIGHTS: SeverityWeights = {
  critical: 0.4,
  high: 0.2,
  medium: 0.07,
  low: 0.02,
  info: 0,
};
