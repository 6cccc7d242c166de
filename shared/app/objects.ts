/**
 * The object store port (../../docs/architecture.md, Lanes: inputs too large for a
 * message live in the object store and travel as references). Adapters: S3 on
 * AWS (shared/runtime/aws/s3-objects.ts), a directory locally
 * (shared/runtime/local/fs-objects.ts).
 *
 * A reference is written `object:<key>`: a key in this deployment's store,
 * the same on AWS and locally (`object:logs/app.log` is
 * `s3://<AIOPS_OBJECTS_BUCKET>/logs/app.log` on AWS and
 * `<AIOPS_DATA_DIR>/objects/logs/app.log` on a laptop). There is no bucket in
 * it: the application reads one store only, so a reference cannot point it at
 * someone else's bucket.
 *
 * Key layout: `uploads/<userId>/<uploadId>/<filename>` holds what a user
 * uploaded through `POST /v1/uploads` (theirs to read); every other prefix
 * (`logs/`, `metrics/`, ...) is written by operators or pipelines and routed
 * by the S3 trigger (admins read it).
 */
import { Readable } from 'node:stream';
import { PayloadTooLargeError, ValidationError } from '../core/errors.js';

export const OBJECT_REF_PREFIX = 'object:';
/** S3's own limit on a key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;
/** Where `POST /v1/uploads` puts a user's files; a lifecycle rule expires them on AWS. */
export const UPLOADS_PREFIX = 'uploads/';

export interface ObjectInfo {
  key: string;
  size: number;
  contentType?: string | undefined;
  lastModified?: Date | undefined;
}

/** Where and how a client sends the bytes of an upload (an S3 presigned PUT, or the local server). */
export interface UploadTarget {
  method: 'PUT';
  /** Absolute (S3) or relative to the API's base URL (the local server). */
  url: string;
  /** Headers the client must send as given (they are part of the signature on S3). */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface PresignOptions {
  contentType?: string | undefined;
  /** When known, the upload must have exactly this size (signed into the URL on S3). */
  size?: number | undefined;
  expiresInSec: number;
  now: Date;
}

export interface ObjectStore {
  /** `s3` or `local`: for messages and the README, never for branching in the application. */
  readonly kind: 's3' | 'local';
  put(key: string, body: Uint8Array | string, options?: { contentType?: string }): Promise<ObjectInfo>;
  /**
   * The object's bytes, read as a stream and stopped at `maxBytes`: a larger
   * object throws ObjectTooLargeError without being buffered whole. A missing
   * object throws ResourceNotFoundError.
   */
  get(key: string, options: { maxBytes: number; signal?: AbortSignal }): Promise<Buffer>;
  /** Undefined when there is no such object. */
  head(key: string): Promise<ObjectInfo | undefined>;
  presignUpload(key: string, options: PresignOptions): Promise<UploadTarget>;
  /**
   * Stores the body of an upload this store presigned, checking the token's
   * signature, expiry and size. Only stores that cannot presign a URL of their
   * own (the local one) have it; on S3 the client talks to S3 directly.
   */
  acceptUpload?(token: string, body: UploadBody, now: Date, limits?: UploadLimits): Promise<ObjectInfo>;
}

/** The bytes of an upload: streamed from the client, never held whole. */
export type UploadBody = Uint8Array | AsyncIterable<Uint8Array> | Readable;

export interface UploadLimits {
  /** The most bytes this deployment stores for one upload (AIOPS_MAX_OBJECT_BYTES). */
  maxBytes?: number | undefined;
  /** The length the client declared (Content-Length): refused before reading when it cannot fit. */
  declaredBytes?: number | undefined;
}

/**
 * The chunks of an upload, stopped with ObjectTooLargeError as soon as they
 * pass `maxBytes`: whatever is behind them is never read. A request stream is
 * not destroyed on the way out (that would destroy its socket before the 413
 * is written); the server closes the connection after answering.
 */
export async function* limitedChunks(
  body: UploadBody,
  maxBytes: number,
  tooMany: () => Error,
): AsyncGenerator<Uint8Array> {
  const chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array> =
    body instanceof Uint8Array
      ? [body]
      : body instanceof Readable
        ? body.iterator({ destroyOnReturn: false })
        : body;
  let total = 0;
  try {
    for await (const chunk of chunks) {
      total += chunk.byteLength;
      if (total > maxBytes) break;
      yield chunk;
    }
  } catch (cause) {
    // The client went away or the connection broke: its mistake, not a server failure.
    throw new ValidationError(
      'The body was not received whole',
      [{ path: 'body', message: `ended after ${total} bytes` }],
      {
        cause,
      },
    );
  }
  if (total > maxBytes) throw tooMany();
}

export class ObjectTooLargeError extends PayloadTooLargeError {
  override readonly name: string = 'ObjectTooLargeError';
}

export function tooLarge(key: string, size: number | undefined, maxBytes: number): ObjectTooLargeError {
  const actual = size === undefined ? 'larger than that' : formatBytes(size);
  return new ObjectTooLargeError(
    `Object ${key} is ${actual}; objects are read up to ${formatBytes(maxBytes)} (AIOPS_MAX_OBJECT_BYTES)`,
    { details: { key, size, maxBytes } },
  );
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * Why a key is refused, or undefined when it is safe: 1–1024 UTF-8 bytes of
 * `/`-separated segments, none empty, none starting with `.` (which rules out
 * `.` and `..` and keeps the local store's own files out of reach), no
 * backslash and no control character. Both adapters apply it, so a key that
 * works locally works on S3 and the other way round.
 */
export function unsafeKeyReason(key: string): string | undefined {
  if (key === '') return 'must not be empty';
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `must be at most ${MAX_KEY_BYTES} bytes`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f\\]/.test(key)) return 'must not contain control characters or backslashes';
  for (const segment of key.split('/')) {
    if (segment === '') return 'must not start or end with "/" nor contain "//"';
    if (segment.startsWith('.')) return 'must not have a path segment starting with "."';
  }
  return undefined;
}

export function assertSafeKey(key: string, path = 'key'): string {
  const reason = unsafeKeyReason(key);
  if (reason !== undefined) {
    throw new ValidationError(`Invalid object key: ${reason}`, [{ path, message: reason }]);
  }
  return key;
}

export function objectRef(key: string): string {
  return `${OBJECT_REF_PREFIX}${assertSafeKey(key)}`;
}

/** The key a reference names; ValidationError (at `path`) for anything else. */
export function parseObjectRef(ref: unknown, path = 'input.$object'): string {
  if (typeof ref !== 'string' || !ref.startsWith(OBJECT_REF_PREFIX)) {
    throw new ValidationError('Invalid object reference', [
      { path, message: `must be a reference "${OBJECT_REF_PREFIX}<key>", as POST /v1/uploads returns` },
    ]);
  }
  return assertSafeKey(ref.slice(OBJECT_REF_PREFIX.length), path);
}

/** Where a user's uploads live; the user reads their own, admins everyone's. */
export function userUploadsPrefix(userId: string): string {
  return `${UPLOADS_PREFIX}${userId}/`;
}
