/** Uploads over real HTTP through the local server: the upload route takes a large raw body, no other route does. */
import { readdir } from 'node:fs/promises';
import { type IncomingHttpHeaders, request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApiHandler } from '../../../shared/app/http/handler.js';
import type { UploadCreated } from '../../../shared/app/uploads.js';
import type { FsObjectStore } from '../../../shared/runtime/local/fs-objects.js';
import { type RunningServer, startHttpServer } from '../../../shared/runtime/local/http-server.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';

let app: TestApp;
let server: RunningServer;
const TWO_MIB = 2 * 1024 * 1024;

beforeAll(async () => {
  app = await startTestApp({ maxObjectBytes: 4 * 1024 * 1024 });
  server = await startHttpServer(createApiHandler(app.deps), '127.0.0.1', 0);
});

afterAll(async () => {
  await server?.close();
  await app?.close();
});

describe('uploads through the local server', () => {
  it('takes a 2 MiB file at the URL it handed out, at its own address', async () => {
    // Prepare
    const created = await fetch(`${server.url}/v1/uploads`, {
      method: 'POST',
      headers: { 'x-api-key': app.keys.user, 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'big.log', contentType: 'text/plain', size: TWO_MIB }),
    });
    const target = (await created.json()) as UploadCreated;

    // Act
    const put = await fetch(target.upload.url, {
      method: 'PUT',
      headers: target.upload.headers,
      body: Buffer.alloc(TWO_MIB, 'INFO all quiet\n'),
    });

    // Assess
    expect(created.status).toBe(201);
    expect(target.upload.url.startsWith(`${server.url}/v1/uploads/`)).toBe(true);
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ ref: target.ref, key: target.key, size: TWO_MIB });
    expect((await app.deps.objects.head(target.key))?.size).toBe(TWO_MIB);
  });

  it('still answers 413 to a JSON body over 1 MiB, and to an upload over the cap', async () => {
    // Act
    const json = await fetch(`${server.url}/v1/executions`, {
      method: 'POST',
      headers: { 'x-api-key': app.keys.user, 'content-type': 'application/json' },
      body: JSON.stringify({ agent: 'log-analyzer', input: { text: 'x'.repeat(TWO_MIB) } }),
    });
    const upload = await fetch(`${server.url}/v1/uploads/anything.signed`, {
      method: 'PUT',
      body: Buffer.alloc(5 * 1024 * 1024),
    });

    // Assess
    expect(json.status).toBe(413);
    expect(upload.status).toBe(413);
  });
});

interface StreamedPut {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Bytes the client had handed to its socket when the answer arrived. */
  sentAtAnswer: number;
}

/**
 * PUTs `total` bytes as a stream (one reused 64 KiB chunk, so the client holds
 * no body) and stops sending as soon as the server answers. `hold` stops
 * after the first chunk until it resolves: an upload left in progress.
 */
function streamPut(
  url: string,
  total: number,
  options: { contentLength?: number; hold?: Promise<void> } = {},
): Promise<StreamedPut> {
  const chunk = Buffer.alloc(64 * 1024, 'INFO request served in 12 ms\n');
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const headers: Record<string, string> = { 'content-type': 'text/plain' };
    if (options.contentLength !== undefined) headers['content-length'] = String(options.contentLength);
    const req = request(url, { method: 'PUT', headers }, (res) => {
      answered = true;
      const sentAtAnswer = sent;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        body += text;
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, sentAtAnswer });
        req.destroy();
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = async () => {
      while (sent < total && !answered && !req.destroyed) {
        const piece = chunk.subarray(0, Math.min(chunk.byteLength, total - sent));
        sent += piece.byteLength;
        if (!req.write(piece)) await new Promise((r) => req.once('drain', r));
        if (options.hold && sent === piece.byteLength) await options.hold;
      }
      if (!answered && !req.destroyed) req.end();
    };
    pump().catch(reject);
  });
}

async function createUpload(size?: number): Promise<UploadCreated> {
  const created = await fetch(`${server.url}/v1/uploads`, {
    method: 'POST',
    headers: { 'x-api-key': app.keys.user, 'content-type': 'application/json' },
    body: JSON.stringify({ filename: 'app.log', ...(size === undefined ? {} : { size }) }),
  });
  expect(created.status).toBe(201);
  return (await created.json()) as UploadCreated;
}

describe('uploads are authenticated before they are read (#4)', () => {
  it('#4 refuses 8 concurrent 48 MB PUTs with a bogus token before reading them, without holding them', async () => {
    // Prepare: a server with the default 64 MiB cap, so the bodies are under it.
    const roomy = await startHttpServer(
      createApiHandler({ ...app.deps, settings: { ...app.deps.settings, maxObjectBytes: 64 * 1024 * 1024 } }),
      '127.0.0.1',
      0,
    );
    const size = 48 * 1024 * 1024;
    const bogus = `${roomy.url}/v1/uploads/eyJrIjoidXBsb2Fkcy94L3kvei5sb2ciLCJlIjo5OTk5OTk5OTk5OTk5fQ.Zm9yZ2Vk`;
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    }, 5);

    // Act
    let answers: StreamedPut[];
    try {
      answers = await Promise.all(
        Array.from({ length: 8 }, () => streamPut(bogus, size, { contentLength: size })),
      );
    } finally {
      clearInterval(sampler);
      await roomy.close();
    }

    // Assess: refused at once, long before the bodies were sent, and no body held.
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(answer.sentAtAnswer).toBeLessThan(size / 2);
    }
    // Reading them would hold 8 × 48 MiB; what is left is socket buffers read and dropped after the answer.
    expect(peak - before).toBeLessThan(128 * 1024 * 1024);
  });

  it('#4 cuts a stream longer than its signed size, or than the cap, with 413 and stores nothing', async () => {
    // Prepare
    const sized = await createUpload(1024 * 1024);
    const unsized = await createUpload();
    const announced = await createUpload(1024 * 1024);

    // Act: chunked bodies (no Content-Length), and one that declares too much.
    const overSigned = await streamPut(sized.upload.url, 3 * 1024 * 1024);
    const overCap = await streamPut(unsized.upload.url, 6 * 1024 * 1024);
    const declared = await streamPut(announced.upload.url, 2 * 1024 * 1024, {
      contentLength: 2 * 1024 * 1024,
    });

    // Assess
    expect(overSigned.status).toBe(413);
    expect(JSON.parse(overSigned.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(overCap.status).toBe(413);
    expect(declared.status).toBe(413);
    for (const target of [sized, unsized, announced]) {
      expect(await app.deps.objects.head(target.key)).toBeUndefined();
    }
    const store = app.deps.objects as FsObjectStore;
    expect(await readdir(join(store.root, '.tmp'))).toEqual([]);
  });

  it('#4 receives at most 4 uploads at once: the fifth gets 429 with Retry-After, the four complete', async () => {
    // Prepare: four uploads that send one chunk and wait.
    const size = 256 * 1024;
    const targets = await Promise.all(Array.from({ length: 5 }, () => createUpload(size)));
    let release = () => {};
    const hold = new Promise<void>((r) => {
      release = r;
    });
    const store = app.deps.objects as FsObjectStore;
    const inFlight = targets.slice(0, 4).map((t) => streamPut(t.upload.url, size, { hold }));
    const deadline = Date.now() + 20_000;
    while ((await readdir(join(store.root, '.tmp')).catch(() => [])).length < 4) {
      if (Date.now() > deadline) throw new Error('the four uploads never started');
      await new Promise((r) => setTimeout(r, 20));
    }

    // Act
    const fifth = await streamPut(targets[4]?.upload.url ?? '', size, { contentLength: size });
    release();
    const four = await Promise.all(inFlight);

    // Assess
    expect(fifth.status).toBe(429);
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(0);
    expect(four.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const again = await streamPut(targets[4]?.upload.url ?? '', size, { contentLength: size });
    expect(again.status).toBe(200);
  });
});

describe('an upload the client abandons (#4)', () => {
  it('#4 leaves no temporary file, and audits a 400, when the client goes away mid-body', async () => {
    // Prepare
    const target = await createUpload(1024 * 1024);
    const store = app.deps.objects as FsObjectStore;
    const req = request(target.upload.url, {
      method: 'PUT',
      headers: { 'content-length': String(1024 * 1024) },
    });
    req.on('error', () => {});
    req.write(Buffer.alloc(64 * 1024, 'x'));
    const deadline = Date.now() + 20_000;
    while ((await readdir(join(store.root, '.tmp')).catch(() => [])).length === 0) {
      if (Date.now() > deadline) throw new Error('the upload never started');
      await new Promise((r) => setTimeout(r, 20));
    }

    // Act
    req.destroy();
    while ((await readdir(join(store.root, '.tmp'))).length > 0) {
      if (Date.now() > deadline) throw new Error('the temporary file stayed');
      await new Promise((r) => setTimeout(r, 20));
    }

    // Assess: refused as the client's mistake (audited as a 400), and nothing stored.
    let audited = false;
    while (!audited) {
      const rows = await app.deps.repos.auditLogs.list({ resourceType: 'upload' }, { limit: 100 });
      audited = rows.items.some((r) => r.method === 'PUT' && r.statusCode === 400);
      if (!audited && Date.now() > deadline) throw new Error('the abandoned upload was not audited');
      if (!audited) await new Promise((r) => setTimeout(r, 20));
    }
    expect(await app.deps.objects.head(target.key)).toBeUndefined();
  });
});
