/**
 * What the cost-optimizer's readers (./sources.ts for inventories, ./cur.ts
 * for CSVs) collect: resources with their file and line locator, daily costs,
 * and the problems met on the way.
 */
import type { InputProblem, Path } from '../../analysis/documents/structured.js';
import type { CostResource } from './schema.js';

export interface SourcedResource {
  resource: CostResource;
  file?: string;
  /** Line of a field of this resource (or of the resource itself). */
  lineOf(path: Path): number | undefined;
  /** CUR rows say nothing about lifecycle rules, attachment or age. */
  fromCur: boolean;
}

export interface Sources {
  resources: SourcedResource[];
  dailyCosts: { date: string; cost: number }[];
  problems: InputProblem[];
  /** Files read that hold no inventory (package.json next to the inventory, …). */
  skipped: string[];
}
