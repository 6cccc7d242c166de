/**
 * IaC violations (shared/analysis/iac/checks.ts) as the scanner's findings:
 * the rule's row from the IaC catalog, the resource with the attribute's
 * line, the CDK path and CWE in the evidence. The secret-name vocabulary is
 * the scanner's own (./secrets.ts) until shared/analysis/secrets holds it.
 */
import { type CheckOptions, checkResources } from '../../analysis/iac/checks.js';
import type { CloudResource } from '../../analysis/iac/model.js';
import { isSecretName, placeholderReason } from '../../analysis/secrets/index.js';
import type { Finding } from '../contract.js';
import { joinCatalogs } from '../scan/catalog.js';
import { IAC_RULES } from './rules/iac.js';
import { IAC_DATA_RULES } from './rules/iac-data.js';
import { IAC_NETWORK_RULES } from './rules/iac-network.js';

/** Every IaC rule row: the model's first (AWS) rules, the provider-neutral data rows and the network, compute and cluster ones. */
const IAC = joinCatalogs('security-scanner', IAC_RULES, IAC_DATA_RULES, IAC_NETWORK_RULES);

const SECRET_NAMES: CheckOptions = {
  isSecretName,
  placeholderReason,
};

/** Every IaC finding of the resources. */
export function iacFindings(resources: readonly CloudResource[]): Finding[] {
  return checkResources(resources, SECRET_NAMES).map((v) => {
    const { resource } = v;
    const cwe = IAC.rule(v.ruleId).cwe?.[0];
    const prefix = resource.source === 'cloudformation' ? `${resource.id} (${resource.type})` : resource.id;
    return IAC.finding(v.ruleId, {
      message: `${prefix}: ${v.message}`,
      resource: {
        kind: resource.type,
        name: resource.name,
        file: resource.file,
        ...(v.line === undefined ? {} : { line: v.line }),
      },
      ...(v.severity === undefined ? {} : { severity: v.severity }),
      evidence: {
        ...(v.cdkPath === undefined ? {} : { cdkPath: v.cdkPath }),
        ...v.evidence,
        ...(cwe === undefined ? {} : { cwe }),
      },
      key: v.key,
    });
  });
}

/** A file that looks like IaC but does not parse. */
export function parseErrorFinding(file: string, message: string): Finding {
  return IAC_RULES.finding('IAC-PARSE-ERROR', {
    message,
    resource: { kind: 'File', name: file, file },
  });
}
