/**
 * The release against its past: incidents and rolled-back deploys that
 * touched the same files or services, and each author's recent rollback rate.
 */
import type { ChangedFile, Deploy, Incident, Release } from './model.js';

const DAY_MS = 86_400_000;

const norm = (path: string) =>
  path.replaceAll('\\', '/').replace(/^\.\//, '').replace(/\/+$/, '').toLowerCase();

/** Equal paths, or one is a folder holding the other (`src/payments` covers `src/payments/api.ts`). */
export function pathsOverlap(a: string, b: string): boolean {
  const x = norm(a);
  const y = norm(b);
  return x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`);
}

/** A service named by a path segment: `payments` in `services/payments/api.ts` or `payments-service/…`. */
export function pathNamesService(path: string, service: string): boolean {
  const name = service.toLowerCase().replace(/[-_]?(service|svc|api)$/, '');
  if (name === '') return false;
  return norm(path)
    .split('/')
    .some(
      (segment) =>
        segment === service.toLowerCase() || segment.replace(/[-_]?(service|svc|api)$/, '') === name,
    );
}

export interface HistoryMatch {
  kind: 'incident' | 'rollback';
  /** Incident id or deploy id / time. */
  id: string;
  time: Date;
  file: ChangedFile;
  /** The incident's file or service, or the deploy's file, that matched. */
  via: string;
  daysBefore: number;
  source: Incident | Deploy;
}

function within(time: Date, planned: Date, lookbackDays: number): boolean {
  const age = planned.getTime() - time.getTime();
  return age >= 0 && age <= lookbackDays * DAY_MS;
}

/** Changed files that past incidents or rolled-back deploys within the lookback also touched. */
export function historyMatches(release: Release, planned: Date, lookbackDays: number): HistoryMatch[] {
  const matches: HistoryMatch[] = [];
  const days = (time: Date) => Math.floor((planned.getTime() - time.getTime()) / DAY_MS);
  for (const incident of release.incidents) {
    if (!within(incident.time, planned, lookbackDays)) continue;
    for (const file of release.changes) {
      const via =
        incident.files.find((path) => pathsOverlap(path, file.path)) ??
        incident.services.find((service) => pathNamesService(file.path, service));
      if (via === undefined) continue;
      matches.push({
        kind: 'incident',
        id: incident.id,
        time: incident.time,
        file,
        via,
        daysBefore: days(incident.time),
        source: incident,
      });
    }
  }
  for (const deploy of release.deploys) {
    if (deploy.outcome === 'success' || !within(deploy.time, planned, lookbackDays)) continue;
    for (const file of release.changes) {
      const via = deploy.files.find((path) => pathsOverlap(path, file.path));
      if (via === undefined) continue;
      const id = deploy.id ?? deploy.time.toISOString();
      matches.push({
        kind: 'rollback',
        id,
        time: deploy.time,
        file,
        via,
        daysBefore: days(deploy.time),
        source: deploy,
      });
    }
  }
  return matches;
}

export interface AuthorRecord {
  author: string;
  deploys: number;
  rollbacks: number;
  /** The first of the author's rolled-back deploys in the window (where to point a finding). */
  example?: Deploy;
}

/** Each release author's deploys and rollbacks within the lookback. */
export function authorRecords(release: Release, planned: Date, lookbackDays: number): AuthorRecord[] {
  return release.authors.map((author) => {
    const own = release.deploys.filter(
      (d) => d.author?.toLowerCase() === author.toLowerCase() && within(d.time, planned, lookbackDays),
    );
    const rolledBack = own.filter((d) => d.outcome !== 'success');
    return {
      author,
      deploys: own.length,
      rollbacks: rolledBack.length,
      ...(rolledBack[0] === undefined ? {} : { example: rolledBack[0] }),
    };
  });
}
