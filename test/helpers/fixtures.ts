/** Realistic inputs kept in test/fixtures, read the same way by every test. */
import { readFileSync } from 'node:fs';

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
