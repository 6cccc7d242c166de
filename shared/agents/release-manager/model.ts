/**
 * The release as the analysis sees it, whatever form each part came in
 * (input fields, diff or numstat text, JSON / YAML / CSV files): changed
 * files with their diff lines, canary metrics, incidents, deploys, freeze
 * windows and the planned time, each remembering where it was read.
 */
import type { InputProblem } from '../../analysis/documents/structured.js';
import type { CRITICALITIES, DIRECTIONS } from './schema.js';

/** Where something was read: the input file and line, when it came from a file. */
export interface Where {
  file?: string;
  line?: number;
}

export interface DiffLine {
  text: string;
  where: Where;
}

export interface ChangedFile {
  path: string;
  additions: number;
  deletions: number;
  /** Whether the diff lines are known (unified diff or a pull request's patch), not only the counts. */
  hasPatch: boolean;
  added: DiffLine[];
  removed: DiffLine[];
  where: Where;
}

export type Direction = (typeof DIRECTIONS)[number];
export type Criticality = (typeof CRITICALITIES)[number];

export interface Metric {
  name: string;
  direction: Direction;
  criticality: Criticality;
  baseline: number[];
  canary: number[];
  where: Where;
}

export interface Incident {
  id: string;
  time: Date;
  files: string[];
  services: string[];
  where: Where;
}

export interface Deploy {
  id?: string;
  time: Date;
  outcome: 'success' | 'rollback' | 'failed';
  author?: string;
  files: string[];
  where: Where;
}

export interface FreezeWindow {
  start: Date;
  end: Date;
  name?: string;
  where: Where;
}

export interface PlannedTime {
  instant: Date;
  /** Minutes east of UTC the time was given in (0 for `Z` or when taken from the run's clock). */
  offsetMinutes: number;
  /** Whether it was given (false: the run's clock stood in). */
  given: boolean;
  where: Where;
}

export interface Release {
  changes: ChangedFile[];
  authors: string[];
  labels: string[];
  metrics: Metric[];
  incidents: Incident[];
  deploys: Deploy[];
  freezes: FreezeWindow[];
  plannedAt?: PlannedTime;
  /** Whether any change set was given at all (an empty diff is a change set of nothing). */
  hasChanges: boolean;
  problems: InputProblem[];
}

export function emptyRelease(): Release {
  return {
    changes: [],
    authors: [],
    labels: [],
    metrics: [],
    incidents: [],
    deploys: [],
    freezes: [],
    hasChanges: false,
    problems: [],
  };
}

/** A direction as people write it: 'lower is better', 'increase' (Kayenta: only an increase is bad), 'higher'. */
export function directionOf(text: string | undefined): Direction | undefined {
  if (text === undefined) return 'either';
  const t = text.trim().toLowerCase();
  if (/^(lower|less|smaller|decrease is good|increase)\b/.test(t) || t === 'lower is better') return 'lower';
  if (/^(higher|more|bigger|greater|larger|decrease)\b/.test(t)) return 'higher';
  if (/^(either|both|any)\b/.test(t)) return 'either';
  return undefined;
}

/** An ISO date or date-time as an instant; a date alone is midnight UTC. */
export function instantOf(text: string): Date | undefined {
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** The offset of an ISO date-time in minutes east of UTC (`+02:00` → 120; `Z` or none → 0). */
export function offsetOf(text: string): number {
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (match === null || !text.includes('T')) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}
