/** The data directory's lock and modes, on a real file system (data-dir.ts). */
import { spawnSync } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../../shared/core/errors.js';
import { LOCK_FILE, lockDataDir, tightenModes } from '../../../shared/runtime/local/data-dir.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aiops-data-dir-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has ended: what a kill -9 leaves in the lock. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

const mode = async (path: string) => (await lstat(path)).mode & 0o777;

describe('lockDataDir (#16)', () => {
  it('#16 refuses a directory held by a live aiops, naming its pid, until it is released', async () => {
    // Prepare
    const held = await lockDataDir(dir);

    // Act
    const refused = await lockDataDir(dir).catch((error: unknown) => error);
    await held.release();
    const after = await lockDataDir(dir);

    // Assess
    expect(refused).toBeInstanceOf(ConfigurationError);
    expect((refused as Error).message).toBe(
      `${dir} is already used by aiops serve (pid ${process.pid}); stop it or use another AIOPS_DATA_DIR`,
    );
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    await after.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    ['a process that died (kill -9)', () => ({ pid: deadPid(), command: 'aiops serve' })],
    [
      'a pid now reused by another process (a container restarted as pid 1)',
      () => ({ pid: process.pid, startTime: '1', command: 'aiops serve' }),
    ],
    ['an unreadable lock', () => 'not json'],
  ])('#16 takes over the lock of %s', async (_, owner) => {
    // Prepare
    const value = owner();
    await writeFile(join(dir, LOCK_FILE), typeof value === 'string' ? value : JSON.stringify(value));

    // Act
    const lock = await lockDataDir(dir);

    // Assess
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('#16 lets exactly one of several racing starts take over a stale lock', async () => {
    // Prepare
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), command: 'aiops serve' }));

    // Act
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => lockDataDir(dir)));

    // Assess: one holder; the others were told who holds it; no stray files.
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const o of outcomes.filter((o) => o.status === 'rejected')) {
      expect(o.reason).toBeInstanceOf(ConfigurationError);
    }
    expect(await readdir(dir)).toEqual([LOCK_FILE]);
  });

  it('#16 release leaves a lock another process took over in place', async () => {
    // Prepare: our lock replaced by a later owner's (ours was judged stale).
    const lock = await lockDataDir(dir);
    const other = JSON.stringify({ pid: 4_000_000, command: 'aiops serve' });
    await writeFile(join(dir, LOCK_FILE), other);

    // Act
    await lock.release();

    // Assess
    expect(await readFile(join(dir, LOCK_FILE), 'utf8')).toBe(other);
  });
});

describe('tightenModes (#10)', () => {
  it('#10 closes loose files and directories to the group and others, and follows no link', async () => {
    // Prepare: what the embedded database unpacks (0666) and an older version left (0755, 0644).
    await mkdir(join(dir, 'data', 'base', '5'), { recursive: true });
    await chmod(join(dir, 'data'), 0o755);
    await writeFile(join(dir, 'data', 'base', '5', '1259'), 'catalog');
    await chmod(join(dir, 'data', 'base', '5', '1259'), 0o666);
    await writeFile(join(dir, 'admin-key'), 'key', { mode: 0o600 });
    const outside = await mkdtemp(join(tmpdir(), 'aiops-outside-'));
    await writeFile(join(outside, 'shared.txt'), 'x');
    await chmod(join(outside, 'shared.txt'), 0o644);
    await symlink(join(outside, 'shared.txt'), join(dir, 'link'));

    // Act
    const changed = await tightenModes(dir);

    // Assess
    expect(await mode(join(dir, 'data'))).toBe(0o700);
    expect(await mode(join(dir, 'data', 'base', '5'))).toBe(0o700);
    expect(await mode(join(dir, 'data', 'base', '5', '1259'))).toBe(0o600);
    expect(await mode(join(dir, 'admin-key'))).toBe(0o600);
    expect(await mode(join(outside, 'shared.txt'))).toBe(0o644);
    expect(changed).toBeGreaterThanOrEqual(4);
    expect(await tightenModes(dir)).toBe(0);
    await rm(outside, { recursive: true, force: true });
  });
});
