/**
 * The data directory of `aiops serve` (AIOPS_DATA_DIR): one process's alone,
 * readable by its owner only.
 *
 * - The lock: `<dir>/aiops.lock` holds the owner's pid and start time. It is
 *   created whole and atomically (written aside, then hard-linked into place,
 *   which fails when the name exists), so a second process either sees a
 *   complete lock or none. A lock whose process is gone (kill -9), or whose
 *   pid now belongs to another process (a container restarted as pid 1), is
 *   stale and taken over (see removeStale for racing starts).
 * - The modes: directories 0700, files 0600. The process runs with umask 077
 *   (bin/aiops.ts), but the embedded PostgreSQL unpacks its initial catalogs
 *   with mode 0666 whatever the umask, and a data directory made by an older
 *   version may be 0755: `tightenModes` fixes what is looser, once per start.
 */

import { randomUUID } from 'node:crypto';
import { chmod, link, lstat, mkdir, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigurationError } from '../../core/errors.js';
import { isProcessAlive } from '../../core/processes.js';

export const LOCK_FILE = 'aiops.lock';
/** Modes that let the group or others read, write or enter. */
const LOOSE = 0o077;

interface LockOwner {
  pid: number;
  /** Kernel start time of the process (clock ticks since boot, /proc/PID/stat); absent off Linux. */
  startTime?: string;
  command: string;
}

export interface DataDirLock {
  readonly file: string;
  release(): Promise<void>;
}

/** Field 22 of /proc/PID/stat: with the pid, it names one process for good (pids are reused). */
async function startTimeOf(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields?.[19];
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0) return undefined;
    return {
      pid: value.pid,
      command: typeof value.command === 'string' ? value.command : 'aiops',
      ...(typeof value.startTime === 'string' ? { startTime: value.startTime } : {}),
    };
  } catch {
    return undefined;
  }
}

async function isHeld(owner: LockOwner): Promise<boolean> {
  if (!isProcessAlive(owner.pid)) return false;
  if (owner.startTime === undefined) return true;
  const now = await startTimeOf(owner.pid);
  return now === undefined || now === owner.startTime;
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * Takes the data directory for this process, or throws a ConfigurationError
 * (exit 2) naming the process that has it.
 */
export async function lockDataDir(dir: string, command = 'aiops serve'): Promise<DataDirLock> {
  const file = join(dir, LOCK_FILE);
  const startTime = await startTimeOf(process.pid);
  const mine = JSON.stringify({
    pid: process.pid,
    ...(startTime === undefined ? {} : { startTime }),
    command,
  });
  const draft = `${file}.${randomUUID()}`;
  await writeFile(draft, `${mine}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      try {
        await link(draft, file);
        return {
          file,
          release: async () => {
            // Only our own lock: never one a later process took over.
            const text = await readFile(file, 'utf8').catch(() => '');
            if (text.trim() === mine) await rm(file, { force: true });
          },
        };
      } catch (error) {
        if (errno(error) !== 'EEXIST') throw error;
      }
      const text = await readFile(file, 'utf8').catch((error: unknown) => {
        if (errno(error) === 'ENOENT') return undefined;
        throw error;
      });
      if (text === undefined) continue; // released meanwhile: try again
      const owner = parseOwner(text);
      if (owner !== undefined && (await isHeld(owner))) {
        throw new ConfigurationError(
          `${resolve(dir)} is already used by ${owner.command} (pid ${owner.pid}); stop it or use another AIOPS_DATA_DIR`,
          { details: { dataDir: dir, pid: owner.pid } },
        );
      }
      await removeStale(file, draft, text);
    }
  } finally {
    await unlink(draft).catch(() => {});
  }
  throw new ConfigurationError(`Cannot lock ${resolve(dir)}: other processes keep taking it over`, {
    details: { dataDir: dir },
  });
}

/** A guard left by a process that died while removing a stale lock (a few microseconds' window) is this old. */
const GUARD_STALE_MS = 10_000;

/**
 * Removes the lock judged stale, unless it changed since. Removals are
 * serialised by a second exclusive file, the guard: without it, a process
 * that read the stale lock could remove the fresh one another process has
 * just put in its place, and both would run.
 */
async function removeStale(file: string, draft: string, staleText: string): Promise<void> {
  const guard = `${file}.takeover`;
  try {
    await link(draft, guard);
  } catch (error) {
    if (errno(error) !== 'EEXIST') throw error;
    const age = await lstat(guard).then(
      (info) => Date.now() - info.mtimeMs,
      () => 0,
    );
    if (age > GUARD_STALE_MS) await rm(guard, { force: true });
    else await new Promise((resolve) => setTimeout(resolve, 20));
    return;
  }
  try {
    const now = await readFile(file, 'utf8').catch(() => undefined);
    if (now === staleText) await unlink(file);
  } finally {
    await unlink(guard).catch(() => {});
  }
}

/** Creates the directory (0700) when missing; an existing one is closed to the group and others first. */
export async function makePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await lstat(dir);
  if ((info.mode & LOOSE) !== 0) await chmod(dir, 0o700);
}

/**
 * Takes group and other permissions off everything under `dir`: directories
 * 0700, files keep their owner bits only. Symbolic links are left alone (and
 * not followed). Returns how many entries were changed.
 */
export async function tightenModes(dir: string): Promise<number> {
  let changed = 0;
  const visit = async (path: string): Promise<void> => {
    const info = await lstat(path).catch(() => undefined);
    if (info === undefined || info.isSymbolicLink()) return;
    if ((info.mode & LOOSE) !== 0) {
      await chmod(path, info.isDirectory() ? 0o700 : info.mode & 0o700);
      changed += 1;
    }
    if (!info.isDirectory()) return;
    const entries = await readdir(path).catch(() => []);
    await Promise.all(entries.map((name) => visit(join(path, name))));
  };
  await visit(dir);
  return changed;
}
