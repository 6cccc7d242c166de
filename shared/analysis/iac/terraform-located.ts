/**
 * Reading a Terraform block's arguments with their lines, for the data
 * normalisers (./from-terraform-data.ts and the per-provider tables): a
 * value at a path with the provider's default when unwritten, and the
 * companion resources that name a block (`storage_account_id =
 * azurerm_storage_account.logs.id`).
 */
import type { CloudResource, Located } from './model.js';
import type { TerraformBlock } from './terraform.js';
import { asList, isObject, type Json } from './values.js';

/** A data normaliser: the aspects of one block, reading the module's other blocks when it needs to. */
export type DataBuild = (b: TerraformBlock, blocks: readonly TerraformBlock[]) => Partial<CloudResource>;

/** The value at `path` (nested blocks read through their first body), unknown when a list or block is missing. */
export function valueAt(body: Json, path: readonly (string | number)[]): unknown {
  let value: unknown = body;
  for (const key of path) {
    if (typeof key === 'number') value = asList(value)[key];
    else {
      const object = Array.isArray(value) ? value[0] : value;
      value = isObject(object) ? object[key] : undefined;
    }
  }
  return value;
}

/** The argument at `path` with its line; `fallback` (the provider's default) without a line when not written. */
export function setting(
  b: TerraformBlock,
  path: readonly (string | number)[],
  fallback?: unknown,
): Located<unknown> {
  const value = valueAt(b.body, path);
  if (value !== undefined) {
    const line = b.lineOf(path);
    return { value, ...(line === undefined ? {} : { line }) };
  }
  return { value: fallback };
}

/** The line of `path`, as a spreadable object (none when unknown). */
export function lineAt(b: TerraformBlock, path: readonly (string | number)[]): { line?: number } {
  const line = b.lineOf(path);
  return line === undefined ? {} : { line };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether an expression names the block (`${azurerm_mssql_server.main.id}`) or its literal `name`. */
export function names(value: unknown, target: TerraformBlock): boolean {
  if (typeof value !== 'string') return false;
  if (typeof target.body.name === 'string' && value === target.body.name) return true;
  return new RegExp(`\\b${escapeRegExp(target.type)}\\.${escapeRegExp(target.name)}\\b`).test(value);
}

/** Resources of `types` whose argument `key` names the block. */
export function companions(
  blocks: readonly TerraformBlock[],
  types: readonly string[],
  key: string,
  target: TerraformBlock,
): TerraformBlock[] {
  return blocks.filter(
    (c) => c.section === 'resource' && types.includes(c.type) && names(c.body[key], target),
  );
}
