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
 */
import { type FSWatcher, watch } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
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

  /** Waits until the file stops changing; undefined when it vanished meanwhile. */
  async function settled(path: string) {
    let before = await stat(path).catch(() => undefined);
    for (;;) {
      if (before === undefined || stopped) return undefined;
      await delay(settleMs);
      const after = await stat(path).catch(() => undefined);
      if (after !== undefined && after.size === before.size && after.mtimeMs === before.mtimeMs) return after;
      before = after;
    }
  }

  async function take(path: string): Promise<void> {
    const rel = relative(dir, path);
    if (rel.startsWith('..') || isIgnored(rel)) return;
    const info = await settled(path);
    if (info === undefined || !info.isFile()) return;
    const key = rel.split(sep).join('/');
    const fingerprint = `${info.size}:${info.mtimeMs}`;
    if (refused.get(path) === fingerprint) return;
    const unsafe = unsafeKeyReason(key);
    if (unsafe !== undefined || info.size > maxBytes) {
      refused.set(path, fingerprint);
      logger.warn('inbox file not taken', {
        file: path,
        reason: unsafe ?? `${info.size} bytes is over AIOPS_MAX_OBJECT_BYTES (${maxBytes})`,
      });
      return;
    }
    await objects.put(key, await readFile(path));
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
