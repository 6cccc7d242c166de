/**
 * Locked dependencies matched against OSV advisories: the lockfile readers
 * and the matching are the dependency engine's (shared/analysis/dependencies/),
 * shared with dependency-analyzer; here each match becomes a DEP-VULNERABLE
 * finding.
 */

import type { LockedPackage } from '../../analysis/dependencies/model.js';
import {
  type AdvisoryMatch,
  describeMatch,
  matchAdvisories,
  type OsvAdvisory,
} from '../../analysis/dependencies/osv.js';
import type { Finding } from '../contract.js';
import { DEPENDENCY_RULES } from './rules/dependencies.js';

function vulnerablePackage(match: AdvisoryMatch): Finding {
  const { pkg, advisory } = match;
  const { message, severity, evidence } = describeMatch(match);
  return DEPENDENCY_RULES.finding('DEP-VULNERABLE', {
    message,
    resource: {
      kind: 'Package',
      name: `${pkg.name}@${pkg.version}`,
      file: pkg.file,
      ...(pkg.line ? { line: pkg.line } : {}),
    },
    severity,
    evidence: { ...evidence, cwe: DEPENDENCY_RULES.rule('DEP-VULNERABLE').cwe?.[0] },
    key: [advisory.id],
  });
}

export interface DependencyScan {
  findings: Finding[];
  packages: number;
  advisories: number;
}

export function scanDependencies(
  packages: readonly LockedPackage[],
  advisories: readonly OsvAdvisory[],
): DependencyScan {
  const { matches, advisories: usable } = matchAdvisories(packages, advisories);
  return { findings: matches.map(vulnerablePackage), packages: packages.length, advisories: usable };
}
