/**
 * The object store on S3: one bucket (`AIOPS_OBJECTS_BUCKET`), keys as in
 * ../../app/objects.ts. The SDK is imported on first use, not when the
 * context is built: most invocations of most functions never touch an object,
 * and loading the S3 client is a noticeable share of a cold start.
 */
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import {
  assertSafeKey,
  type ObjectInfo,
  type ObjectStore,
  type PresignOptions,
  tooLarge,
  type UploadTarget,
} from '../../app/objects.js';
import { awsErrorName, isTransientAwsError } from '../../core/aws-sdk-errors.js';
import { ConfigurationError, IntegrationError, ResourceNotFoundError } from '../../core/errors.js';
import { type SdkClientOptions, sdkClient } from './sdk-client.js';

export interface S3ObjectStoreOptions extends SdkClientOptions<S3Client> {
  bucket: string;
}

function isNotFound(error: unknown): boolean {
  const name = awsErrorName(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return name === 'NoSuchKey' || name === 'NotFound' || status === 404;
}

export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3' as const;
  readonly bucket: string;
  readonly #client: () => Promise<S3Client>;

  constructor(options: S3ObjectStoreOptions) {
    this.bucket = options.bucket;
    this.#client = sdkClient(options, async (region) => {
      const { S3Client } = await import('@aws-sdk/client-s3');
      // A presigned PUT must not carry a checksum of the empty body it was signed with.
      const config: S3ClientConfig = { requestChecksumCalculation: 'WHEN_REQUIRED', ...region };
      return new S3Client(config);
    });
  }

  async put(
    key: string,
    body: Uint8Array | string,
    options: { contentType?: string } = {},
  ): Promise<ObjectInfo> {
    assertSafeKey(key);
    const [client, { PutObjectCommand }] = await Promise.all([this.#client(), import('@aws-sdk/client-s3')]);
    await this.#call('PutObject', key, () =>
      client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ...(options.contentType === undefined ? {} : { ContentType: options.contentType }),
        }),
      ),
    );
    return { key, size: typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength };
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    assertSafeKey(key);
    const [client, { HeadObjectCommand }] = await Promise.all([this.#client(), import('@aws-sdk/client-s3')]);
    try {
      const output = await client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        key,
        size: output.ContentLength ?? 0,
        contentType: output.ContentType,
        lastModified: output.LastModified,
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw this.#failure('HeadObject', key, error);
    }
  }

  async get(key: string, options: { maxBytes: number; signal?: AbortSignal }): Promise<Buffer> {
    assertSafeKey(key);
    const [client, { GetObjectCommand }] = await Promise.all([this.#client(), import('@aws-sdk/client-s3')]);
    const output = await this.#call('GetObject', key, () =>
      client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key }),
        options.signal ? { abortSignal: options.signal } : {},
      ),
    );
    if (output.ContentLength !== undefined && output.ContentLength > options.maxBytes) {
      (output.Body as { destroy?: () => void } | undefined)?.destroy?.();
      throw tooLarge(key, output.ContentLength, options.maxBytes);
    }
    const body = output.Body as AsyncIterable<Uint8Array> | undefined;
    if (body === undefined) return Buffer.alloc(0);
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of body) {
      total += chunk.byteLength;
      if (total > options.maxBytes) {
        (body as { destroy?: () => void }).destroy?.();
        throw tooLarge(key, undefined, options.maxBytes);
      }
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }

  /** A presigned PUT; with a size, the length is signed too, so S3 refuses any other. */
  async presignUpload(key: string, options: PresignOptions): Promise<UploadTarget> {
    assertSafeKey(key);
    const [client, { PutObjectCommand }, { getSignedUrl }] = await Promise.all([
      this.#client(),
      import('@aws-sdk/client-s3'),
      import('@aws-sdk/s3-request-presigner'),
    ]);
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ...(options.contentType === undefined ? {} : { ContentType: options.contentType }),
      ...(options.size === undefined ? {} : { ContentLength: options.size }),
    });
    const url = await this.#call('PresignPutObject', key, () =>
      getSignedUrl(client, command, { expiresIn: options.expiresInSec, signingDate: options.now }),
    );
    return {
      method: 'PUT',
      url,
      headers: options.contentType === undefined ? {} : { 'content-type': options.contentType },
      expiresAt: new Date(options.now.getTime() + options.expiresInSec * 1000),
    };
  }

  async #call<T>(operation: string, key: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (isNotFound(error)) {
        throw new ResourceNotFoundError(`Object ${key} not found`, { cause: error, details: { key } });
      }
      throw this.#failure(operation, key, error);
    }
  }

  #failure(operation: string, key: string, cause: unknown): IntegrationError {
    const name = awsErrorName(cause);
    return new IntegrationError(`S3 ${operation} of ${key} failed (${name})`, {
      cause,
      retryable: isTransientAwsError(cause),
      details: { bucket: this.bucket, key, operation, errorName: name },
    });
  }
}

/**
 * The store of a Lambda deployed without `AIOPS_OBJECTS_BUCKET`: every
 * function still starts, and only what needs an object fails, saying which
 * setting is missing.
 */
export class MissingObjectStore implements ObjectStore {
  readonly kind = 's3' as const;

  #missing(): ConfigurationError {
    return new ConfigurationError('No object store: AIOPS_OBJECTS_BUCKET is not set on this function', {
      details: {
        problems: [{ path: 'AIOPS_OBJECTS_BUCKET', message: 'is required to read or write objects' }],
      },
    });
  }

  async put(): Promise<ObjectInfo> {
    throw this.#missing();
  }

  async head(): Promise<ObjectInfo | undefined> {
    throw this.#missing();
  }

  async get(): Promise<Buffer> {
    throw this.#missing();
  }

  async presignUpload(): Promise<UploadTarget> {
    throw this.#missing();
  }
}
