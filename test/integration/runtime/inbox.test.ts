/** The local inbox against the real trigger, store and database: what it takes, when, and only once. */
import { appendFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ObjectTrigger, objectCreatedEventSchema } from '../../../shared/app/triggers/s3.js';
import type { TriggerOutcome } from '../../../shared/app/triggers/start.js';
import { type Inbox, objectCreatedEvent, startInbox } from '../../../shared/runtime/local/inbox.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { fixture } from '../../helpers/fixtures.js';

let app: TestApp;
let dir: string;
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
});

async function open(maxBytes = 1024 * 1024): Promise<Inbox> {
  dir = await mkdtemp(join(tmpdir(), 'aiops-inbox-'));
  const trigger = new ObjectTrigger(app.deps);
  inbox = await startInbox({
    dir,
    objects: app.deps.objects,
    maxBytes,
    settleMs: 50,
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
    // Prepare
    const box = await open();
    await mkdir(join(dir, 'logs'), { recursive: true });
    const lines = fixture('logs/hdfs.log').split('\n');
    const path = join(dir, 'logs', 'hdfs.log');

    // Act: written in pieces, 20 ms apart, faster than the 50 ms it must hold still.
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
