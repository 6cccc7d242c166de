/** Uploads over real HTTP through the local server: the upload route takes a large raw body, no other route does. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApiHandler } from '../../../shared/app/http/handler.js';
import type { UploadCreated } from '../../../shared/app/uploads.js';
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
