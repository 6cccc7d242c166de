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

/** A template resource that will cost money: its catalog price, or priced by usage. */
export interface TemplateCost {
  file: string;
  line?: number;
  id: string;
  type: string;
  /** Absent when the price depends on usage (requests, GB stored, …) or the catalog lacks the size. */
  monthlyUsd?: number;
  basis: string;
}

export interface Sources {
  resources: SourcedResource[];
  dailyCosts: { date: string; cost: number }[];
  problems: InputProblem[];
  /** Files read that hold no inventory (package.json next to the inventory, …). */
  skipped: string[];
  /** Resources of CloudFormation templates that cost money (./template.ts). */
  templateCosts: TemplateCost[];
  /** What the readers decided for the user to know (a report delivery left out, …). */
  notes: string[];
  /** Cost and Usage Report rows left out as earlier deliveries of a billing period. */
  curRowsDropped: number;
}
