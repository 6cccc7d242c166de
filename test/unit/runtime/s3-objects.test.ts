/** The S3 object store against a mocked S3 client, and presigned uploads signed for real with test credentials. */
import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { type ObjectStore, ObjectTooLargeError } from '../../../shared/app/objects.js';
import {
  ConfigurationError,
  IntegrationError,
  ResourceNotFoundError,
  ValidationError,
} from '../../../shared/core/errors.js';
import { MissingObjectStore, S3ObjectStore } from '../../../shared/runtime/aws/s3-objects.js';

const BUCKET = 'aiops-prod-objects-1a2b3c';
const s3 = mockClient(S3Client);
const now = new Date('2026-11-25T08:00:00Z');

function store(): S3ObjectStore {
  return new S3ObjectStore({
    bucket: BUCKET,
    client: new S3Client({
      region: 'eu-west-1',
      credentials: {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    }),
  });
}

function body(...chunks: string[]): never {
  return Readable.from(chunks.map((c) => Buffer.from(c))) as never;
}

function serviceError(name: string, status: number, fault: 'client' | 'server' = 'client') {
  return new S3ServiceException({ name, $fault: fault, $metadata: { httpStatusCode: status } });
}

beforeEach(() => {
  s3.reset();
});

describe('S3ObjectStore', () => {
  it('puts an object in the bucket with its content type', async () => {
    // Prepare
    s3.on(PutObjectCommand).resolves({ ETag: '"9b2cf535f27731c974343645a3985328"' });

    // Act
    const info = await store().put('logs/app.log', 'GET /healthz 200\n', { contentType: 'text/plain' });

    // Assess
    expect(info).toEqual({ key: 'logs/app.log', size: 17 });
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      Key: 'logs/app.log',
      Body: 'GET /healthz 200\n',
      ContentType: 'text/plain',
    });
  });

  it('describes an object, and answers undefined for a missing one', async () => {
    // Prepare
    s3.on(HeadObjectCommand, { Key: 'logs/app.log' })
      .resolves({ ContentLength: 2048, ContentType: 'text/plain', LastModified: now })
      .on(HeadObjectCommand, { Key: 'logs/gone.log' })
      .rejects(serviceError('NotFound', 404));

    // Act + Assess
    expect(await store().head('logs/app.log')).toEqual({
      key: 'logs/app.log',
      size: 2048,
      contentType: 'text/plain',
      lastModified: now,
    });
    expect(await store().head('logs/gone.log')).toBeUndefined();
  });

  it('reads an object streamed in chunks', async () => {
    // Prepare
    s3.on(GetObjectCommand).resolves({ ContentLength: 12, Body: body('line one\n', 'two\n') });

    // Act
    const bytes = await store().get('logs/app.log', { maxBytes: 1024 });

    // Assess
    expect(bytes.toString()).toBe('line one\ntwo\n');
  });

  it('stops at the cap, whether S3 announces the size or not', async () => {
    // Prepare
    s3.on(GetObjectCommand, { Key: 'logs/announced.log' })
      .resolves({ ContentLength: 10_000, Body: body('x') })
      .on(GetObjectCommand, { Key: 'logs/unannounced.log' })
      .resolves({ Body: body('x'.repeat(600), 'x'.repeat(600)) });

    // Act + Assess
    await expect(store().get('logs/announced.log', { maxBytes: 1024 })).rejects.toBeInstanceOf(
      ObjectTooLargeError,
    );
    await expect(store().get('logs/unannounced.log', { maxBytes: 1024 })).rejects.toBeInstanceOf(
      ObjectTooLargeError,
    );
  });

  it('maps a missing key to not found, throttling to a retryable failure, denial to a final one', async () => {
    // Prepare
    s3.on(GetObjectCommand, { Key: 'a' })
      .rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }))
      .on(GetObjectCommand, { Key: 'b' })
      .rejects(serviceError('SlowDown', 503, 'server'))
      .on(GetObjectCommand, { Key: 'c' })
      .rejects(serviceError('AccessDenied', 403));

    // Act
    const [missing, throttled, denied] = await Promise.all(
      ['a', 'b', 'c'].map((key) =>
        store()
          .get(key, { maxBytes: 10 })
          .catch((e: unknown) => e),
      ),
    );

    // Assess
    expect(missing).toBeInstanceOf(ResourceNotFoundError);
    expect(throttled).toBeInstanceOf(IntegrationError);
    expect((throttled as IntegrationError).retryable).toBe(true);
    expect(denied).toBeInstanceOf(IntegrationError);
    expect((denied as IntegrationError).retryable).toBe(false);
  });

  it('refuses unsafe keys before calling S3', async () => {
    await expect(store().get('../other', { maxBytes: 10 })).rejects.toBeInstanceOf(ValidationError);
    expect(s3.calls()).toHaveLength(0);
  });
});

describe('presigned uploads', () => {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

  beforeAll(() => {
    // The store's own client (as deployed) signs with whatever credentials the environment gives it.
    process.env.AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  });

  afterAll(() => {
    for (const [name, value] of [
      ['AWS_ACCESS_KEY_ID', saved.id],
      ['AWS_SECRET_ACCESS_KEY', saved.secret],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('signs a PUT for the key that expires, with the size signed in and no checksum of an empty body', async () => {
    // Act
    const target = await new S3ObjectStore({ bucket: BUCKET, region: 'eu-west-1' }).presignUpload(
      'uploads/u1/id/app.log',
      {
        contentType: 'text/plain',
        size: 2048,
        expiresInSec: 900,
        now,
      },
    );

    // Assess
    const url = new URL(target.url);
    expect(url.hostname).toBe(`${BUCKET}.s3.eu-west-1.amazonaws.com`);
    expect(url.pathname).toBe('/uploads/u1/id/app.log');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261125T080000Z');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toContain('content-length');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect([...url.searchParams.keys()].some((k) => k.toLowerCase().includes('checksum'))).toBe(false);
    expect(target).toMatchObject({
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      expiresAt: new Date('2026-11-25T08:15:00Z'),
    });
    expect((store() as ObjectStore).acceptUpload).toBeUndefined();
  });
});

describe('a function deployed without a bucket', () => {
  it('fails only what needs an object, naming the missing setting', async () => {
    const missing = new MissingObjectStore();
    for (const attempt of [
      missing.head(),
      missing.get(),
      missing.put(),
      missing.presignUpload(),
    ] as Promise<unknown>[]) {
      await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
      await expect(attempt).rejects.toThrow('AIOPS_OBJECTS_BUCKET');
    }
  });
});
