/** The local inbox against the real trigger, store and database: what it takes, when, and only once. */
import { execFileSync } from 'node:child_process';
import {
  appendFile,
  link,
  mkdir,
  mkdtemp,
  readdir,
  rename,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ObjectTrigger, objectCreatedEventSchema } from '../../../shared/app/triggers/s3.js';
import type { TriggerOutcome } from '../../../shared/app/triggers/start.js';
import { logger } from '../../../shared/core/observability.js';
import { type Inbox, objectCreatedEvent, startInbox } from '../../../shared/runtime/local/inbox.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { fixture } from '../../helpers/fixtures.js';

let app: TestApp;
let dir: string;
let outside: string | undefined;
let inbox: Inbox | undefined;
const outcomes: TriggerOutcome[] = [];

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app?.close();
});

afterEach(async () => {
  await inbox?.stop();
  inbox = undefined;
  outcomes.length = 0;
  if (dir) await rm(dir, { recursive: true, force: true });
  if (outside) await rm(outside, { recursive: true, force: true });
  outside = undefined;
  jest.restoreAllMocks();
});

async function open(maxBytes = 1024 * 1024, settleMs = 50): Promise<Inbox> {
  dir = await mkdtemp(join(tmpdir(), 'aiops-inbox-'));
  const trigger = new ObjectTrigger(app.deps);
  inbox = await startInbox({
    dir,
    objects: app.deps.objects,
    maxBytes,
    settleMs,
    rescanMs: 60_000,
    trigger: {
      handle: async (event) => {
        const outcome = await trigger.handle(event);
        outcomes.push(outcome);
        return outcome;
      },
    },
  });
  return inbox;
}

async function files(at: string): Promise<string[]> {
  return (await readdir(at, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(at.length + 1))
    .sort();
}

describe('aiops serve --inbox', () => {
  it('copies a dropped log under its relative path and routes it like S3 would, then moves it aside', async () => {
    // Prepare
    const box = await open();
    await mkdir(join(dir, 'logs', 'shop'), { recursive: true });

    // Act
    await writeFile(join(dir, 'logs', 'shop', 'incident.log'), fixture('logs/shop-incident.log'));
    await box.idle();

    // Assess
    expect(outcomes).toEqual([
      {
        status: 'started',
        executions: [expect.objectContaining({ agent: 'log-analyzer', created: true })],
        rejected: [],
      },
    ]);
    expect((await app.deps.objects.get('logs/shop/incident.log', { maxBytes: 1 << 20 })).toString()).toBe(
      fixture('logs/shop-incident.log'),
    );
    expect(await files(dir)).toEqual(['.processed/logs/shop/incident.log']);
  });

  it('ignores dotfiles and partial downloads, and leaves unrouted files stored but unanalysed', async () => {
    // Prepare
    const box = await open();
    await mkdir(join(dir, 'logs'), { recursive: true });

    // Act
    await writeFile(join(dir, '.DS_Store'), 'x');
    await writeFile(join(dir, 'logs', 'big.log.part'), 'half a line');
    await writeFile(join(dir, 'notes.txt'), 'not for any agent');
    await box.idle();

    // Assess
    expect(outcomes).toEqual([{ status: 'ignored', reason: 'no route for notes.txt' }]);
    expect(await files(dir)).toEqual(['.DS_Store', '.processed/notes.txt', 'logs/big.log.part']);
  });

  it('waits for a file that is still being written', async () => {
    // Prepare: a settle window well above the 20 ms between writes, so a busy machine's late timers do not end it.
    const box = await open(1024 * 1024, 400);
    await mkdir(join(dir, 'logs'), { recursive: true });
    const lines = fixture('logs/hdfs.log').split('\n');
    const path = join(dir, 'logs', 'hdfs.log');

    // Act: written in pieces, 20 ms apart, faster than the 400 ms it must hold still.
    await writeFile(path, '');
    for (const line of lines) {
      await appendFile(path, `${line}\n`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await box.idle();

    // Assess
    const stored = await app.deps.objects.get('logs/hdfs.log', { maxBytes: 1 << 20 });
    expect(stored.toString()).toBe(`${lines.join('\n')}\n`);
    expect(outcomes.filter((o) => o.status === 'started')).toHaveLength(1);
  });

  it('does not run a handled file again after a restart, and refuses one over the cap', async () => {
    // Prepare
    let box = await open(1024);
    await mkdir(join(dir, 'logs'), { recursive: true });
    await writeFile(join(dir, 'logs', 'app.log'), 'INFO started\n');
    await writeFile(join(dir, 'logs', 'huge.log'), 'x'.repeat(4096));
    await box.idle();
    await box.stop();

    // Act: the same directory, a new process.
    const trigger = new ObjectTrigger(app.deps);
    box = await startInbox({ dir, objects: app.deps.objects, maxBytes: 1024, settleMs: 50, trigger });
    inbox = box;
    await box.idle();

    // Assess
    expect(outcomes.filter((o) => o.status === 'started')).toHaveLength(1);
    expect(await files(dir)).toEqual(['.processed/logs/app.log', 'logs/huge.log']);
  });

  /** Waits until the inbox has routed `count` files: names the watcher reported before them are handled by then. */
  async function routed(count: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (outcomes.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  it('#2 takes no symbolic or hard link (to a private file, to /proc/self/environ) and no FIFO; a regular file still runs', async () => {
    // Prepare: a private file outside the inbox, as another user's secret would be.
    outside = await mkdtemp(join(tmpdir(), 'aiops-outside-'));
    await writeFile(join(outside, 'secret.log'), 'ERROR db password=hunter2\n', { mode: 0o600 });
    const box = await open();
    await mkdir(join(dir, 'logs'), { recursive: true });
    const warned = jest.spyOn(logger, 'warn');

    // Act: what the watcher reports — links and a FIFO first, then a regular log.
    await symlink(join(outside, 'secret.log'), join(dir, 'logs', 'secret.log'));
    await symlink('/proc/self/environ', join(dir, 'logs', 'environ.log'));
    execFileSync('mkfifo', [join(dir, 'logs', 'pipe.log')]);
    await link(join(outside, 'secret.log'), join(dir, 'logs', 'hardlink.log'));
    await writeFile(join(dir, 'logs', 'app.log'), fixture('logs/shop-incident.log'));
    await routed(1);
    await box.idle();

    // Assess: one execution, for the regular file; nothing else copied, and every refusal says why.
    expect(outcomes).toEqual([expect.objectContaining({ status: 'started' })]);
    for (const key of ['logs/secret.log', 'logs/environ.log', 'logs/pipe.log', 'logs/hardlink.log']) {
      expect(await app.deps.objects.head(key)).toBeUndefined();
    }
    expect(await app.deps.objects.head('logs/app.log')).toEqual(
      expect.objectContaining({ key: 'logs/app.log' }),
    );
    const refusals = warned.mock.calls
      .filter(([message]) => message === 'inbox file not taken')
      .map(([, extra]) => extra as { file: string; reason: string });
    expect(refusals).toEqual(
      expect.arrayContaining([
        { file: join(dir, 'logs', 'secret.log'), reason: expect.stringContaining('symbolic link') },
        { file: join(dir, 'logs', 'environ.log'), reason: expect.stringContaining('symbolic link') },
        { file: join(dir, 'logs', 'pipe.log'), reason: expect.stringContaining('not a regular file') },
        { file: join(dir, 'logs', 'hardlink.log'), reason: expect.stringContaining('hard link') },
      ]),
    );
  });

  it('#2 takes no file whose folder became a symbolic link out of the inbox while it settled', async () => {
    // Prepare: a real folder with a log, and outside a private file of the same size and times.
    outside = await mkdtemp(join(tmpdir(), 'aiops-outside-'));
    const decoy = 'INFO started ok!\n';
    const secret = 'ERROR token=abc!\n';
    await writeFile(join(outside, 'service.log'), secret, { mode: 0o600 });
    // A settle window long enough that the swap below happens inside it: same event loop, so on any machine.
    const box = await open(1024 * 1024, 1_000);
    await mkdir(join(dir, 'logs'));
    const warned = jest.spyOn(logger, 'warn');
    const when = new Date(Date.now() - 60_000);
    await writeFile(join(outside, 'draft'), decoy);
    await utimes(join(outside, 'draft'), when, when);
    await utimes(join(outside, 'service.log'), when, when);

    // Act: the watcher reports logs/service.log; while it settles, logs/ is replaced by a link to the outside.
    await rename(join(outside, 'draft'), join(dir, 'logs', 'service.log'));
    await new Promise((r) => setTimeout(r, 200));
    await rename(join(dir, 'logs'), join(outside, 'moved-away'));
    await symlink(outside, join(dir, 'logs'));
    await box.idle();

    // Assess
    expect(outcomes).toEqual([]);
    expect(await app.deps.objects.head('logs/service.log')).toBeUndefined();
    expect(warned).toHaveBeenCalledWith('inbox file not taken', {
      file: join(dir, 'logs', 'service.log'),
      reason: expect.stringContaining('symbolic link'),
    });
  });

  it('builds the event S3 sends through EventBridge, with the same id for the same file', () => {
    // Prepare
    const file = { size: 48_213, mtimeMs: 1_795_595_000_000.5, ctimeMs: 1_795_595_000_001 };
    const now = new Date('2026-11-25T08:41:07.123Z');

    // Act
    const event = objectCreatedEvent('logs/app.log', file, now);
    const parsed = objectCreatedEventSchema.parse(event);

    // Assess
    expect(parsed).toMatchObject({
      'detail-type': 'Object Created',
      source: 'aws.s3',
      time: '2026-11-25T08:41:07Z',
      detail: { object: { key: 'logs/app.log', size: 48_213 } },
    });
    expect(objectCreatedEvent('logs/app.log', file, new Date()).id).toBe(parsed.id);
    expect(objectCreatedEvent('logs/app.log', { ...file, size: 1 }, now).id).not.toBe(parsed.id);
  });
});
