/** compliance-checker's metadata (../catalog.ts reads it without loading the agent). */
import { SOURCE_PARSER_PACKAGES } from '../../analysis/source/packages.js';
import type { AgentMetadata } from '../contract.js';

export const metadata: AgentMetadata = {
  name: 'compliance-checker',
  version: '1.0.0',
  description:
    "Reports control by control on CIS AWS Foundations 3.0, CIS Kubernetes, SOC 2 (CC6–CC8), PCI DSS 4.0, HIPAA's " +
    'Security Rule, ISO/IEC 27001:2022 Annex A and GDPR art. 32 from the findings of the other agents — run here on ' +
    'files, or given as executions, saved results or SARIF: pass only with evidence of assessment, fail with the ' +
    'findings (rule, file, line), not assessed otherwise; scores and coverage per framework, a policy of required ' +
    'frameworks, exclusions and waivers, and a remediation plan ordered by controls cleared per change.',
  lane: 'agents',
  // It runs the source agents in its own process on raw files: as much as the heaviest of them.
  resources: { memoryMb: 1024, timeoutSec: 300 },
  // The source agents it runs on raw files (collect.ts): its Lambda bundle carries their code.
  composes: [
    'security-scanner',
    'k8s-optimizer',
    'disaster-recovery',
    'cost-optimizer',
    'db-query-analyzer',
    'code-reviewer',
  ],
  // Their engines' packages (security-scanner, db-query-analyzer, code-reviewer), which load WASM from beside their JS.
  nodeModules: ['@cdktf/hcl2json', 'libpg-query', ...SOURCE_PARSER_PACKAGES],
};
