/**
 * The one reader of CloudFormation templates (JSON or YAML, hand-written or
 * synthesized by the CDK): short-form intrinsics parse into their long form
 * (./intrinsics.ts), and every resource keeps the line of any of its
 * paths through the position-keeping reader (../documents/structured.ts).
 * The security checks (./from-cloudformation.ts) and disaster-recovery read
 * templates here.
 */

import { type Locator, parseWithLines } from '../documents/structured.js';
import { CLOUDFORMATION_TAGS, LOOKS_LIKE_TEMPLATE } from './intrinsics.js';
import { isObject, type Json } from './values.js';

export type ResourcePath = readonly (string | number)[];

export interface TemplateResource {
  id: string;
  type: string;
  properties: Json;
  metadata?: unknown;
  deletionPolicy?: string;
  updateReplacePolicy?: string;
  /** Line of the logical id. */
  line?: number;
  /** Line of a path inside the resource ('Properties', 'MultiAZ' → ['Properties', 'MultiAZ']). */
  lineOf(path: ResourcePath): number | undefined;
}

export interface Template {
  file: string;
  /** AWSTemplateFormatVersion is declared. */
  versioned: boolean;
  parameters: Json;
  resources: TemplateResource[];
  /** Line of any path from the template's root. */
  lineOf: Locator;
}

export type TemplateRead = { template: Template } | { error: string; line?: number } | undefined;

export function looksLikeTemplate(content: string): boolean {
  return LOOKS_LIKE_TEMPLATE.test(content);
}

function resourcesOf(value: Json, lineOf: Locator): TemplateResource[] {
  const resources = isObject(value.Resources) ? value.Resources : {};
  return Object.entries(resources).flatMap(([id, resource]) => {
    if (!isObject(resource) || typeof resource.Type !== 'string') return [];
    const line = lineOf(['Resources', id]);
    return [
      {
        id,
        type: resource.Type,
        properties: isObject(resource.Properties) ? resource.Properties : {},
        ...(resource.Metadata === undefined ? {} : { metadata: resource.Metadata }),
        ...(typeof resource.DeletionPolicy === 'string' ? { deletionPolicy: resource.DeletionPolicy } : {}),
        ...(typeof resource.UpdateReplacePolicy === 'string'
          ? { updateReplacePolicy: resource.UpdateReplacePolicy }
          : {}),
        ...(line === undefined ? {} : { line }),
        lineOf: (path: ResourcePath) => lineOf(['Resources', id, ...path]),
      },
    ];
  });
}

/**
 * The template in a file; a parse error (with its line) when it looks like a
 * template but does not parse; undefined when it is no template (no template
 * markers, or no Resources map).
 */
export function readTemplate(file: { path: string; content: string }): TemplateRead {
  if (!looksLikeTemplate(file.content)) return undefined;
  const parsed = parseWithLines(file.content, CLOUDFORMATION_TAGS);
  if ('error' in parsed)
    return { error: parsed.error, ...(parsed.line === undefined ? {} : { line: parsed.line }) };
  const { value, lineOf } = parsed;
  if (!isObject(value) || !isObject(value.Resources)) return undefined;
  return {
    template: {
      file: file.path,
      versioned: value.AWSTemplateFormatVersion !== undefined,
      parameters: isObject(value.Parameters) ? value.Parameters : {},
      resources: resourcesOf(value, lineOf),
      lineOf,
    },
  };
}

/** Whether a value refers to a resource: `Ref`, `Fn::GetAtt`, or `${Id…}` inside a Sub string. */
export function refersTo(value: unknown, id: string): boolean {
  if (Array.isArray(value)) return value.some((v) => refersTo(v, id));
  if (!isObject(value)) return typeof value === 'string' && value.includes(`\${${id}`);
  if (value.Ref === id) return true;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[0] === id) return true;
  return Object.values(value).some((v) => refersTo(v, id));
}
