/** The local object store: keys stay inside the root, reads stop at the cap, uploads need a valid signature. */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ObjectTooLargeError,
  objectRef,
  parseObjectRef,
  unsafeKeyReason,
} from '../../../shared/app/objects.js';
import {
  InvalidTokenError,
  ResourceExistsError,
  ResourceNotFoundError,
  ValidationError,
} from '../../../shared/core/errors.js';
import { FsObjectStore } from '../../../shared/runtime/local/fs-objects.js';
import { fixture } from '../../helpers/fixtures.js';

let root: string;
let store: FsObjectStore;
const now = new Date('2026-11-25T08:00:00Z');

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'aiops-fs-objects-'));
  store = new FsObjectStore(join(root, 'objects'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('keys', () => {
  it.each(
    [
      '../secrets',
      'logs/../../etc/passwd',
      '/etc/passwd',
      'logs//app.log',
      'logs/',
      './logs/app.log',
      'logs/.hidden',
      '.upload-key',
      'logs\\..\\app.log',
      'logs/app\u0000.log',
      '',
      `logs/${'a'.repeat(1100)}`,
    ].map((key) => [key.length > 40 ? `a key of ${key.length} bytes` : JSON.stringify(key), key]),
  )('refuses %s, locally and as a reference', async (_label, key) => {
    // Assess
    expect(unsafeKeyReason(key)).toEqual(expect.any(String));
    await expect(store.put(key, 'x')).rejects.toBeInstanceOf(ValidationError);
    await expect(store.get(key, { maxBytes: 10 })).rejects.toBeInstanceOf(ValidationError);
    expect(() => parseObjectRef(`object:${key}`)).toThrow(ValidationError);
  });

  it('writes nothing outside its root for a traversal attempt', async () => {
    // Act
    await store.put('../escaped.txt', 'owned').catch(() => undefined);

    // Assess
    expect(await readdir(root)).not.toContain('escaped.txt');
  });

  it('round-trips a reference, and refuses other schemes', () => {
    expect(parseObjectRef(objectRef('logs/2026/app.log'))).toBe('logs/2026/app.log');
    expect(() => parseObjectRef('s3://other-bucket/logs/app.log')).toThrow(ValidationError);
    expect(() => parseObjectRef(42)).toThrow(ValidationError);
  });
});

describe('objects', () => {
  it('stores, describes and reads an object under the key path', async () => {
    // Prepare
    const log = fixture('logs/shop-incident.log');

    // Act
    const put = await store.put('logs/shop/incident.log', log);
    const head = await store.head('logs/shop/incident.log');
    const read = await store.get('logs/shop/incident.log', { maxBytes: 1024 * 1024 });

    // Assess
    expect(put).toEqual({ key: 'logs/shop/incident.log', size: Buffer.byteLength(log) });
    expect(head).toMatchObject({ key: 'logs/shop/incident.log', size: Buffer.byteLength(log) });
    expect(read.toString('utf8')).toBe(log);
    expect(await readFile(join(root, 'objects/logs/shop/incident.log'), 'utf8')).toBe(log);
  });

  it('answers absent objects as such', async () => {
    expect(await store.head('logs/missing.log')).toBeUndefined();
    await expect(store.get('logs/missing.log', { maxBytes: 10 })).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
  });

  it('refuses to read past the cap, saying how large the object is and what the limit is', async () => {
    // Prepare
    await store.put('logs/big.log', 'x'.repeat(5000));

    // Act
    const attempt = store.get('logs/big.log', { maxBytes: 4096 });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ObjectTooLargeError);
    await expect(attempt).rejects.toMatchObject({
      status: 413,
      message: expect.stringMatching(/4\.9 KiB.*4\.0 KiB \(AIOPS_MAX_OBJECT_BYTES\)/),
    });
  });

  it('cannot hold an object where another object’s path runs through', async () => {
    await store.put('k8s/base', 'kind: Kustomization');
    await expect(store.put('k8s/base/deploy.yaml', 'kind: Deployment')).rejects.toBeInstanceOf(
      ResourceExistsError,
    );
  });
});

describe('uploads', () => {
  it('accepts the body of a URL it signed, and keeps the signing key private', async () => {
    // Prepare
    const target = await store.presignUpload('uploads/u1/id/app.log', {
      contentType: 'text/plain',
      expiresInSec: 900,
      now,
    });
    const token = target.url.replace('/v1/uploads/', '');

    // Act
    const stored = await store.acceptUpload(token, Buffer.from('line one\nline two\n'), now);

    // Assess
    expect(target).toMatchObject({ method: 'PUT', headers: { 'content-type': 'text/plain' } });
    expect(target.expiresAt).toEqual(new Date('2026-11-25T08:15:00Z'));
    expect(stored).toEqual({ key: 'uploads/u1/id/app.log', size: 18 });
    expect((await stat(join(root, 'objects/.upload-key'))).mode & 0o777).toBe(0o600);
  });

  it('refuses an expired, tampered or foreign token, and a body of another size', async () => {
    // Prepare
    const sized = await store.presignUpload('uploads/u1/id/sized.log', { size: 4, expiresInSec: 60, now });
    const token = sized.url.replace('/v1/uploads/', '');
    const [body, signature] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ k: 'logs/owned.log', e: Date.now() + 60_000 })).toString('base64url')}.${signature}`;
    const other = new FsObjectStore(join(root, 'other-store'));
    const foreign = (await other.presignUpload('uploads/u1/x', { expiresInSec: 60, now })).url
      .split('/')
      .pop();

    // Act + Assess
    await expect(
      store.acceptUpload(token, Buffer.from('four'), new Date(now.getTime() + 61_000)),
    ).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(store.acceptUpload(forged, Buffer.from('four'), now)).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
    await expect(store.acceptUpload(`${body}`, Buffer.from('four'), now)).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
    await expect(store.acceptUpload(foreign ?? '', Buffer.from('four'), now)).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
    // Longer than signed is cut at the signed size (413); shorter is not the file it was created for (400).
    await expect(store.acceptUpload(token, Buffer.from('five!'), now)).rejects.toBeInstanceOf(
      ObjectTooLargeError,
    );
    await expect(store.acceptUpload(token, Buffer.from('thr'), now)).rejects.toBeInstanceOf(ValidationError);
    await expect(store.acceptUpload(token, Buffer.from('four'), now)).resolves.toMatchObject({ size: 4 });
  });

  it('shares the signing key with another process serving the same directory', async () => {
    // Prepare
    const target = await store.presignUpload('uploads/u2/id/a.log', { expiresInSec: 60, now });
    const sameDir = new FsObjectStore(join(root, 'objects'));

    // Act
    const stored = await sameDir.acceptUpload(target.url.split('/').pop() ?? '', Buffer.from('ok'), now);

    // Assess
    expect(stored.key).toBe('uploads/u2/id/a.log');
  });

  it('never leaves temporary files behind', async () => {
    await writeFile(join(root, 'objects', 'marker'), '');
    expect(await readdir(join(root, 'objects', '.tmp'))).toEqual([]);
  });
});
