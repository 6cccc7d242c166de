/** What every check reads and reports to: the input's objects and the report being built. */
import type { Inventory } from './inventory.js';
import type { KustomizeImage } from './kustomize.js';
import type { Report } from './report.js';
import type { LimitRangeDefaults } from './workloads.js';

export interface CheckContext {
  report: Report;
  inventory: Inventory;
  limitRanges: readonly LimitRangeDefaults[];
  /** kustomization `images:` entries that retag images by name. */
  kustomizeImages: ReadonlyMap<string, KustomizeImage>;
}
