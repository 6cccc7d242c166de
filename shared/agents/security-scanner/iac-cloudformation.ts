/**
 * CloudFormation templates, JSON or YAML, hand-written or synthesized by the
 * CDK: read and normalised by shared/analysis/iac, checked by its rules.
 * `Metadata.aiops.ignore` suppressions are read here (parseCloudFormationIgnore);
 * cdk-nag's `Metadata.cdk_nag` acknowledgements belong to another rule set and
 * do not suppress anything.
 */
import { fromCloudFormation } from '../../analysis/iac/from-cloudformation.js';
import { readTemplate, type Template } from '../../analysis/iac/template.js';
import type { Finding, SourceFile } from '../contract.js';
import { mergeSuppressions, type ParsedSuppressions, parseCloudFormationIgnore } from '../suppressions.js';
import { iacFindings, parseErrorFinding } from './iac-findings.js';

export type TemplateParse = { template: Template } | { error: string } | undefined;

/** The template in a file, a parse error when it looks like one but does not parse, or undefined. */
export function parseTemplate(file: SourceFile): TemplateParse {
  const read = readTemplate(file);
  if (read === undefined || 'error' in read) return read;
  return read.template.resources.length === 0 && !read.template.versioned ? undefined : read;
}

export interface CloudFormationScan {
  findings: Finding[];
  suppressions: ParsedSuppressions;
}

function suppressionsOf(template: Template): ParsedSuppressions {
  const empty: ParsedSuppressions = { suppressions: [], problems: [] };
  const each = template.resources.flatMap((r) =>
    r.metadata === undefined
      ? []
      : [
          parseCloudFormationIgnore(r.metadata, {
            kind: r.type,
            name: r.id,
            file: template.file,
            ...(r.line === undefined ? {} : { line: r.line }),
          }),
        ],
  );
  return mergeSuppressions(empty, ...each);
}

export function scanCloudFormation(file: SourceFile, parsed: TemplateParse): CloudFormationScan {
  const empty: ParsedSuppressions = { suppressions: [], problems: [] };
  if (parsed === undefined) return { findings: [], suppressions: empty };
  if ('error' in parsed) {
    const message = `${file.path} looks like a CloudFormation template but does not parse: ${parsed.error}`;
    return { findings: [parseErrorFinding(file.path, message)], suppressions: empty };
  }
  return {
    findings: iacFindings(fromCloudFormation(parsed.template)),
    suppressions: suppressionsOf(parsed.template),
  };
}
