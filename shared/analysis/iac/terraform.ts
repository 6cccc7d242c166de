/**
 * The one reader of Terraform, whatever the provider: `.tf` through
 * `@cdktf/hcl2json` (HashiCorp's HCL parser compiled to WASM, loaded only
 * when Terraform is in the input; interpolations stay `${…}` strings, which
 * count as unknown) and `.tf.json` as JSON. Every resource, data source and
 * variable block keeps its file, the line of its header and the line of any
 * argument inside it (./hcl.ts for HCL, the position-keeping reader for JSON).
 */
import { AgentExecutionError } from '../../core/errors.js';
import { parseWithLines } from '../documents/structured.js';
import { lineIn, outline } from './hcl.js';
import { asList, isObject, type Json } from './values.js';

export interface TerraformBlock {
  section: 'resource' | 'data' | 'variable';
  /** The resource type ('aws_s3_bucket'); 'variable' for variables. */
  type: string;
  name: string;
  body: Json;
  file: string;
  line?: number;
  /** Line of an argument path inside the block (['ingress', 1, 'cidr_blocks']). */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

export interface TerraformFile {
  file: string;
  blocks: TerraformBlock[];
  /** A `provider "aws"` sets default_tags. */
  defaultTags: boolean;
}

export type TerraformRead = TerraformFile | { file: string; error: string };

type Lines = (path: readonly (string | number)[]) => number | undefined;

function blocksOf(file: string, parsed: Json, lines: Lines): TerraformBlock[] {
  const blocks: TerraformBlock[] = [];
  const add = (
    section: TerraformBlock['section'],
    type: string,
    name: string,
    bodies: unknown,
    at: (string | number)[],
  ) => {
    const list = asList(bodies);
    list.forEach((body, index) => {
      if (!isObject(body)) return;
      const base = Array.isArray(bodies) ? [...at, index] : at;
      const line = lines(at);
      blocks.push({
        section,
        type,
        name,
        body,
        file,
        ...(line === undefined ? {} : { line }),
        lineOf: (path) => lines([...base, ...path]),
      });
    });
  };
  for (const section of ['resource', 'data'] as const) {
    const byType = parsed[section];
    if (!isObject(byType)) continue;
    for (const [type, byName] of Object.entries(byType)) {
      if (!isObject(byName)) continue;
      for (const [name, bodies] of Object.entries(byName))
        add(section, type, name, bodies, [section, type, name]);
    }
  }
  if (isObject(parsed.variable)) {
    for (const [name, bodies] of Object.entries(parsed.variable))
      add('variable', 'variable', name, bodies, ['variable', name]);
  }
  return blocks;
}

function defaultTags(parsed: Json): boolean {
  const providers = isObject(parsed.provider) ? asList(parsed.provider.aws) : [];
  return providers.some((p) => isObject(p) && p.default_tags !== undefined);
}

function fromJson(path: string, content: string): TerraformRead {
  const parsed = parseWithLines(content);
  if ('error' in parsed) return { file: path, error: parsed.error };
  if (!isObject(parsed.value)) return { file: path, error: 'not a JSON object' };
  const value = parsed.value;
  // In JSON a block's body may be an object or a list of them; the HCL outline numbers repeated blocks.
  return { file: path, blocks: blocksOf(path, value, parsed.lineOf), defaultTags: defaultTags(value) };
}

async function fromHcl(
  parse: (name: string, content: string) => Promise<unknown>,
  path: string,
  content: string,
): Promise<TerraformRead> {
  let parsed: unknown;
  try {
    parsed = await parse(path, content);
  } catch (error) {
    // A syntax error names file, line and the problem (never the source text); anything else is the engine failing.
    const message = error instanceof Error ? error.message : String(error);
    if (!message.startsWith('parse config')) {
      throw new AgentExecutionError('The Terraform parser (@cdktf/hcl2json) failed', { cause: error });
    }
    return { file: path, error: message.split('\n')[0] ?? 'syntax error' };
  }
  const value = isObject(parsed) ? parsed : {};
  const tree = outline(content);
  // hcl2json wraps every body in a list even when written once; the outline has no such index.
  const lines: Lines = (at) => lineIn(tree, withoutBodyIndex(at));
  return { file: path, blocks: blocksOf(path, value, lines), defaultTags: defaultTags(value) };
}

/** ['resource', type, name, 0, 'ingress', 1] → ['resource', type, name, 'ingress', 1]. */
function withoutBodyIndex(path: readonly (string | number)[]): (string | number)[] {
  const labels = path[0] === 'variable' ? 2 : 3;
  return typeof path[labels] === 'number' ? [...path.slice(0, labels), ...path.slice(labels + 1)] : [...path];
}

/** Each file's blocks, or its parse error. */
export async function readTerraform(
  files: readonly { path: string; content: string }[],
): Promise<TerraformRead[]> {
  if (files.length === 0) return [];
  const { parse } = await import('@cdktf/hcl2json');
  const results: TerraformRead[] = [];
  for (const file of files) {
    if (file.path.endsWith('.json')) results.push(fromJson(file.path, file.content));
    else results.push(await fromHcl(parse, file.path, file.content));
  }
  return results;
}
