import { basename } from 'node:path';
import { defineAgent } from '../contract.js';
import { filesAsInput } from '../scan/files.js';
import { analyzeCost } from './analyze.js';
import { metadata } from './meta.js';
import { COST_RULES } from './rules.js';
import { costInputSchema, costOutputSchema } from './schema.js';

/** Inventories and CloudFormation templates (.json, .yaml, .template) and Cost and Usage Report or daily-cost CSVs; not tool configuration. */
export function acceptsCostInput(path: string): boolean {
  const name = basename(path.replaceAll('\\', '/'));
  return (
    /\.(?:json|ya?ml|csv|template)$/i.test(name) &&
    !/^(?:package(?:-lock)?|tsconfig.*|biome|renovate)\.json$/i.test(name)
  );
}

export default defineAgent({
  ...metadata,
  input: costInputSchema,
  output: costOutputSchema,
  analyze: analyzeCost,
  rules: COST_RULES,
  accepts: acceptsCostInput,
  fromFiles: filesAsInput,
});
