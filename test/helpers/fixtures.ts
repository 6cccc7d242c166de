/** Realistic inputs kept in test/fixtures, read the same way by every test. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function fixture(path: string): string {
  return readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');
}

/** The API-server CPU series (5-minute points, daily cycle, one spike) as agent input points. */
export function cpuPoints(): { timestamp: string; value: number }[] {
  return fixture('metrics/api-cpu.csv')
    .trim()
    .split('\n')
    .slice(1)
    .map((row) => {
      const [timestamp, value] = row.split(',');
      return { timestamp: `${timestamp?.replace(' ', 'T')}Z`, value: Number(value) };
    });
}

/** Every file under a folder (or the file itself), in name order, with its text: what `aiops analyze` would read. */
export function filesUnder(path: string): { path: string; content: string }[] {
  const walk = (at: string): string[] =>
    statSync(at).isDirectory()
      ? readdirSync(at)
          .sort()
          .flatMap((entry) => walk(join(at, entry)))
      : [at];
  return walk(path).map((file) => ({ path: file, content: readFileSync(file, 'utf8') }));
}
