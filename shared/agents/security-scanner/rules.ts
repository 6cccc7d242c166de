/**
 * The security scanner's rules: the one place that joins the area catalogs
 * under ./rules/ (secrets, credential files, infrastructure as code, Dockerfiles, code patterns,
 * dependencies) into the agent's catalog, and its score policy. Each area
 * writes its rows with their samples; `cwe` names the weakness a rule
 * detects, and findings carry it in their evidence.
 */
import { joinCatalogs } from '../scan/catalog.js';
import { type SeverityWeights, SURVIVAL_WEIGHTS } from '../scan/score.js';
import { CODE_RULES } from './rules/code.js';
import { DEPENDENCY_RULES } from './rules/dependencies.js';
import { DOCKER_RULES } from './rules/docker.js';
import { IAC_RULES } from './rules/iac.js';
import { IAC_DATA_RULES } from './rules/iac-data.js';
import { IAC_NETWORK_RULES } from './rules/iac-network.js';
import { SECRET_FILE_RULES } from './rules/secret-files.js';
import { SECRET_RULES } from './rules/secrets.js';

/** The agent's rules (defineAgent, SARIF, test/rules, docs/rules): ids unique across the areas. */
export const RULES = joinCatalogs(
  'security-scanner',
  SECRET_RULES,
  SECRET_FILE_RULES,
  IAC_RULES,
  IAC_NETWORK_RULES,
  IAC_DATA_RULES,
  DOCKER_RULES,
  CODE_RULES,
  DEPENDENCY_RULES,
);

export type SecurityRuleId = (typeof RULES.rules)[number]['id'];

/**
 * The weights of the score, policy `survival` (../scan/score.ts): each open
 * finding removes this fraction of what is left, and `riskScore` is
 * 100 − score = 100 × (1 − Π(1 − w)). One critical finding is a risk of 40,
 * two are 64; ten low ones are 18.
 */
export const RISK_WEIGHTS: SeverityWeights = SURVIVAL_WEIGHTS;
