/**
 * `aiops serve --inbox DIR`: a local stand-in for the bucket and its S3
 * trigger. A file dropped into DIR is copied into the object store under its
 * path relative to DIR (`DIR/logs/app.log` → key `logs/app.log`, as in the
 * bucket), and the same "Object Created" event S3 would send through
 * EventBridge goes to the same handler (../../app/triggers/s3.ts).
 *
 * A file is taken once its size and modification time have stayed the same
 * for a moment (a copy still being written is left alone); dotfiles and the
 * usual partial-download names are ignored. Once handled, it is moved to
 * `DIR/.processed/`, so a restart does not run it again. The event id derives
 * from the file's path, size and times: if the process stops between handling
 * a file and moving it, the next start sends the same event and the trigger
 * creates nothing twice.
 *
 * Only regular files that live inside DIR are taken. A name the watcher
 * reports may be anything: a symbolic link to a private file or to
 * /proc/self/environ, a file in a folder that is a link out of DIR, a FIFO
 * that would block a read forever. So a file is examined without following
 * links (lstat), its folder must resolve to where it sits in DIR (realpath),
 * and it is opened with O_NOFOLLOW and checked again on the open descriptor
 * (fstat: still a regular file, still the same one). A file with other hard
 * links is refused too: its other name may be anywhere. Whatever is refused is
 * logged once with the reason, and left where it is.
 */
import { constants, type FSWatcher, type Stats, watch } from 'node:fs';
import { lstat, mkdir, open, readdir, realpath, rename } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { type ObjectStore, unsafeKeyReason } from '../../app/objects.js';
import type { TriggerOutcome } from '../../app/triggers/start.js';
import { derivedExecutionId } from '../../app/triggers/system-user.js';
import { logger } from '../../core/observability.js';

export const PROCESSED_DIR = '.processed';
/** Names editors and downloaders give files they are still writing. */
const PARTIAL = /(?:\.(?:part|partial|tmp|crdownload|download|swp)|~)$/i;
/** The local store's "bucket", in events built here. */
export const INBOX_BUCKET = 'aiops-local-inbox';

export interface InboxOptions {
  dir: string;
  objects: ObjectStore;
  trigger: { handle(event: unknown): Promise<TriggerOutcome> };
  /** Files over this size are not copied (AIOPS_MAX_OBJECT_BYTES). */
  maxBytes: number;
  /** How long a file's size must hold still before it is taken. */
  settleMs?: number;
  /** A full rescan this often, for changes the watcher missed. */
  rescanMs?: number;
}

export interface Inbox {
  /** Resolves when every file present now has been handled (tests, and the first scan at start). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The S3 "Object Created" event EventBridge would deliver for this object. */
export function objectCreatedEvent(
  key: string,
  file: { size: number; mtimeMs: number; ctimeMs: number },
  now: Date,
): Record<string, unknown> {
  const id = derivedExecutionId('inbox', key, String(file.size), String(file.mtimeMs), String(file.ctimeMs));
  return {
    version: '0',
    id,
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '000000000000',
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'local',
    resources: [`arn:aws:s3:::${INBOX_BUCKET}`],
    detail: {
      version: '0',
      bucket: { name: INBOX_BUCKET },
      object: { key, size: file.size, sequencer: Math.trunc(file.mtimeMs).toString(16).toUpperCase() },
      'request-id': id.replaceAll('-', '').slice(0, 16).toUpperCase(),
      requester: 'aiops-inbox',
      reason: 'PutObject',
    },
  };
}

function isIgnored(rel: string): boolean {
  return rel.split(sep).some((segment) => segment.startsWith('.')) || PARTIAL.test(rel);
}

export async function startInbox(options: InboxOptions): Promise<Inbox> {
  const { dir, objects, trigger, maxBytes } = options;
  const settleMs = options.settleMs ?? 500;
  await mkdir(dir, { recursive: true });
  // Where the inbox really is (it may itself be reached through a link): files must resolve inside it.
  const root = await realpath(dir);
  const pending = new Set<string>();
  /** Files that will not be taken as they are (too large, a key the store refuses); forgotten when they change. */
  const refused = new Map<string, string>();
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  async function walk(at: string): Promise<string[]> {
    const entries = await readdir(at, { withFileTypes: true }).catch(() => []);
    const files: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(at, entry.name);
      if (entry.isDirectory()) files.push(...(await walk(path)));
      else if (entry.isFile()) files.push(path);
    }
    return files;
  }

  /** Waits until the entry stops changing, links not followed; undefined when it vanished meanwhile. */
  async function settled(path: string) {
    let before = await lstat(path).catch(() => undefined);
    for (;;) {
      if (before === undefined || stopped) return undefined;
      await delay(settleMs);
      const after = await lstat(path).catch(() => undefined);
      if (after !== undefined && after.size === before.size && after.mtimeMs === before.mtimeMs) return after;
      before = after;
    }
  }

  /** Why the entry at `path` (lstat `info`) is not a regular file of the inbox; undefined when it is one. */
  async function notRegularReason(path: string, rel: string, info: Stats): Promise<string | undefined> {
    if (info.isSymbolicLink())
      return 'a symbolic link (only regular files are taken, links are not followed)';
    if (!info.isFile()) return 'not a regular file (a FIFO, socket or device)';
    // A hard link is a second name for a file that may live anywhere on the file system.
    if (info.nlink > 1) return `a hard link (the file has ${info.nlink} names; copy it in instead)`;
    // A folder on the way may be a link out of the inbox: the file must resolve to where it sits.
    const folder = await realpath(dirname(path)).catch(() => undefined);
    if (folder !== join(root, dirname(rel))) return 'its folder is, or passes through, a symbolic link';
    return undefined;
  }

  /** The file's bytes, read through a descriptor that cannot be a link, a FIFO, or another file than `info`. */
  async function readRegular(path: string, info: Stats): Promise<Buffer | { reason: string }> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      // O_NONBLOCK: should a FIFO have taken the file's place, the open returns instead of waiting for a writer.
      handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') return { reason: 'a symbolic link (replaced)' };
      throw error;
    }
    try {
      const opened = await handle.stat();
      if (!opened.isFile() || opened.ino !== info.ino || opened.dev !== info.dev || opened.nlink > 1) {
        return { reason: 'replaced by something else than the regular file it was' };
      }
      const body = await handle.readFile();
      if (body.byteLength > maxBytes) {
        return { reason: `${body.byteLength} bytes is over AIOPS_MAX_OBJECT_BYTES (${maxBytes})` };
      }
      return body;
    } finally {
      await handle.close();
    }
  }

  async function take(path: string): Promise<void> {
    const rel = relative(dir, path);
    if (rel === '' || rel.startsWith('..') || isIgnored(rel)) return;
    const info = await settled(path);
    // A folder's files come by their own names (the watcher and the scans report them).
    if (info === undefined || info.isDirectory()) return;
    const key = rel.split(sep).join('/');
    const fingerprint = `${info.ino}:${info.size}:${info.mtimeMs}`;
    if (refused.get(path) === fingerprint) return;
    const refuse = (reason: string) => {
      refused.set(path, fingerprint);
      logger.warn('inbox file not taken', { file: path, reason });
    };
    const reason =
      (await notRegularReason(path, rel, info)) ??
      unsafeKeyReason(key) ??
      (info.size > maxBytes ? `${info.size} bytes is over AIOPS_MAX_OBJECT_BYTES (${maxBytes})` : undefined);
    if (reason !== undefined) return refuse(reason);
    const body = await readRegular(path, info);
    if (!Buffer.isBuffer(body)) return refuse(body.reason);
    await objects.put(key, body);
    const outcome = await trigger.handle(objectCreatedEvent(key, info, new Date()));
    const done = join(dir, PROCESSED_DIR, rel);
    await mkdir(dirname(done), { recursive: true });
    await rename(path, done);
    if (outcome.status === 'started') {
      logger.info('inbox file routed', {
        file: rel,
        key,
        executions: outcome.executions.map((e) => ({ id: e.id, agent: e.agent, created: e.created })),
        rejected: outcome.rejected,
      });
    } else {
      logger.info('inbox file stored; no analysis', { file: rel, key, reason: outcome.reason });
    }
  }

  /** Handles queued paths one at a time; a failure (the database busy) leaves the file for the next scan. */
  function drain(): Promise<void> {
    running = running.then(async () => {
      while (!stopped && pending.size > 0) {
        const [path] = pending;
        if (path === undefined) break;
        pending.delete(path);
        try {
          await take(path);
        } catch (error) {
          logger.error('inbox file could not be handled; it is retried at the next scan', {
            file: path,
            error,
          });
        }
      }
    });
    return running;
  }

  async function scan(): Promise<void> {
    for (const file of await walk(dir)) pending.add(file);
    await drain();
  }

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { recursive: true }, (_event, name) => {
      if (stopped || name === null) return;
      pending.add(join(dir, name.toString()));
      void drain();
    });
    watcher.on('error', (error) => logger.warn('inbox watcher failed; rescans continue', { error }));
  } catch (error) {
    logger.warn('inbox cannot be watched; it is rescanned instead', { dir, error });
  }
  const rescan = setInterval(() => void scan(), options.rescanMs ?? 5_000);
  rescan.unref();
  const first = scan();

  return {
    idle: async () => {
      await first;
      await scan();
    },
    stop: async () => {
      stopped = true;
      clearInterval(rescan);
      watcher?.close();
      await running;
    },
  };
}
