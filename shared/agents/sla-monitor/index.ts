import { basename } from 'node:path';
import { defineAgent } from '../contract.js';
import { filesAsInput } from '../scan/files.js';
import { analyzeSla } from './analyze.js';
import { metadata } from './meta.js';
import { SLA_RULES } from './rules.js';
import { slaInputSchema, slaOutputSchema } from './schema.js';

/** SLO files and metric exports: YAML, JSON and CSV, not tool configuration. */
export function acceptsSlaInput(path: string): boolean {
  const name = basename(path.replaceAll('\\', '/'));
  return (
    /\.(?:json|ya?ml|csv)$/i.test(name) &&
    !/^(?:package(?:-lock)?|tsconfig.*|biome|renovate|manifest|tree)\.json$/i.test(name)
  );
}

export default defineAgent({
  ...metadata,
  input: slaInputSchema,
  output: slaOutputSchema,
  analyze: analyzeSla,
  rules: SLA_RULES,
  accepts: acceptsSlaInput,
  fromFiles: filesAsInput,
});
