import { basename } from 'node:path';
import { defineAgent } from '../contract.js';
import { filesAsInput } from '../scan/files.js';
import { analyzeDr } from './analyze.js';
import { metadata } from './meta.js';
import { DR_RULES } from './rules.js';
import { drInputSchema, drOutputSchema } from './schema.js';

/** Inventories and CloudFormation templates (.json, .yaml, .yml, .template); not tool configuration. */
export function acceptsDrInput(path: string): boolean {
  const name = basename(path.replaceAll('\\', '/'));
  return (
    /\.(?:json|ya?ml|template)$/i.test(name) &&
    !/^(?:package(?:-lock)?|tsconfig.*|biome|renovate|manifest|tree)\.json$/i.test(name)
  );
}

export default defineAgent({
  ...metadata,
  input: drInputSchema,
  output: drOutputSchema,
  analyze: analyzeDr,
  rules: DR_RULES,
  accepts: acceptsDrInput,
  fromFiles: filesAsInput,
});
