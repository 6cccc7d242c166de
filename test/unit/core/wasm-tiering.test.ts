/**
 * disableWasmTierUp: a process that parses a whole migration history with
 * PostgreSQL's parser (libpg-query, WASM) after the call never recompiles the
 * parser with V8's optimizing compiler, whose compile of that one function
 * alone peaks at ~0.6 GB. Run in a child process: the flag is process-wide.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';

const ROOT = new URL('../../..', import.meta.url).pathname;

/** Parses the bench corpus `passes` times in a child; its peak RSS in MiB after the compile would have run. */
function childPeakMb(passes: number): number {
  const script = `
    import { readdirSync, readFileSync } from 'node:fs';
    import { disableWasmTierUp } from './shared/core/wasm-tiering.ts';
    disableWasmTierUp();
    const { loadModule, parseSync } = await import('libpg-query');
    await loadModule();
    const dir = 'bench/sql/corpus/migrations';
    const texts = readdirSync(dir).map((f) => readFileSync(dir + '/' + f, 'utf8'));
    let parsed = 0;
    for (let pass = 0; pass < ${passes}; pass += 1)
      for (const text of texts) { try { parseSync(text); parsed += 1; } catch {} }
    // A background compile, had one started, would run now.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // VmHWM: this process's own peak. getrusage's maxRSS also counts the forked test worker before
    // exec, so it is no measure here. (Backslashes doubled: this script is a template literal.)
    const hwm = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    process.stdout.write(JSON.stringify({ parsed, maxRssMb: hwm ? Number(hwm[1]) / 1024 : null }));
  `;
  // A plain environment: no NODE_OPTIONS or coverage settings of the test runner reach the child.
  // The JS heap is capped so that garbage left by a busy machine's late GC cannot pass for a compile's memory.
  const flags = ['--max-old-space-size=96', '--max-semi-space-size=4'];
  const child = spawnSync(
    process.execPath,
    [...flags, '--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    },
  );
  expect(child.stderr).toBe('');
  const out = JSON.parse(child.stdout) as { parsed: number; maxRssMb: number | null };
  expect(out.parsed).toBeGreaterThan(0);
  // Linux (this project's CI and Lambda) always has /proc/self/status.
  expect(out.maxRssMb).not.toBeNull();
  return out.maxRssMb as number;
}

describe('disableWasmTierUp', () => {
  it('keeps a parse-heavy process on baseline WASM code, well under 300 MB', () => {
    expect(childPeakMb(40)).toBeLessThan(200);
  });
});
