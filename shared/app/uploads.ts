/**
 * Uploads (`POST /v1/uploads`): inputs too large for a request body go to the
 * object store first, then an execution names them (`input: { "$object": ref }`).
 * On AWS the client PUTs the bytes straight to S3 with a presigned URL;
 * locally to the server's `PUT /v1/uploads/{token}`, signed the same way.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { RateLimitExceededError, ResourceNotFoundError, ValidationError } from '../core/errors.js';
import type { AppDeps } from './deps.js';
import { formatBytes, type ObjectInfo, objectRef, type UploadBody, userUploadsPrefix } from './objects.js';
import { type Principal, requireRole } from './principal.js';
import { parseBody } from './validation.js';

/** How long an upload URL stays valid. */
export const UPLOAD_EXPIRY_SEC = 15 * 60;

const MEDIA_TYPE =
  /^[a-z0-9!#$&^_.+-]{1,127}\/[a-z0-9!#$&^_.+-]{1,127}(?:\s*;\s*[a-z0-9_-]+=[a-z0-9_.-]+)?$/i;

export const createUploadBody = z.strictObject({
  /** The file's name; its extension decides how the agent reads it (`.json` is the agent's JSON input). */
  filename: z.string().min(1).max(255),
  contentType: z.string().regex(MEDIA_TYPE, 'must be a media type such as text/plain').optional(),
  /** When given, the upload must be exactly this many bytes. */
  size: z.number().int().nonnegative().optional(),
});

export interface UploadCreated {
  id: string;
  /** What an execution's input names: `{ "$object": ref }`. */
  ref: string;
  key: string;
  maxBytes: number;
  upload: { method: 'PUT'; url: string; headers: Record<string, string>; expiresAt: string };
}

/** The last path segment, with anything a key or a shell would trip on replaced; never empty, never hidden. */
export function safeFilename(filename: string): string {
  const base = filename.split(/[/\\]/).pop() ?? '';
  const cleaned = base
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[^\w.@+=,-]/g, '_')
    .replace(/^\.+/, '')
    .slice(0, 200);
  return cleaned === '' ? 'upload' : cleaned;
}

/** Uploads one process receives at once (the local server); more wait for a slot (429 with Retry-After). */
export const MAX_CONCURRENT_UPLOADS = 4;
const BUSY_RETRY_AFTER_SEC = 5;

export class UploadsService {
  #active = 0;

  constructor(
    private readonly deps: Pick<AppDeps, 'objects' | 'clock' | 'settings'>,
    private readonly maxConcurrent = MAX_CONCURRENT_UPLOADS,
  ) {}

  /** `baseUrl` makes a local upload URL absolute: the API's own origin, as the client reached it. */
  async create(principal: Principal, body: unknown, baseUrl: string): Promise<UploadCreated> {
    requireRole(principal, 'user');
    const request = parseBody(createUploadBody, body);
    const maxBytes = this.deps.settings.maxObjectBytes;
    if (request.size !== undefined && request.size > maxBytes) {
      throw new ValidationError('The file is too large', [
        {
          path: 'size',
          message: `is ${formatBytes(request.size)}; uploads are limited to ${formatBytes(maxBytes)}`,
        },
      ]);
    }
    const id = randomUUID();
    const key = `${userUploadsPrefix(principal.userId)}${id}/${safeFilename(request.filename)}`;
    const target = await this.deps.objects.presignUpload(key, {
      contentType: request.contentType,
      size: request.size,
      expiresInSec: UPLOAD_EXPIRY_SEC,
      now: this.deps.clock.now(),
    });
    return {
      id,
      ref: objectRef(key),
      key,
      maxBytes,
      upload: {
        method: target.method,
        url: new URL(target.url, baseUrl).toString(),
        headers: target.headers,
        expiresAt: target.expiresAt.toISOString(),
      },
    };
  }

  /**
   * The local server's half of an upload: the token is the URL `create`
   * returned. The body is streamed to the store, which checks the token before
   * reading it and cuts it at the signed size; at most `maxConcurrent` run at
   * once, so a burst of large uploads cannot take the disk and memory of the
   * process serving everything else.
   */
  async receive(
    token: string,
    body: UploadBody,
    declaredBytes?: number,
  ): Promise<ObjectInfo & { ref: string }> {
    const { acceptUpload } = this.deps.objects;
    if (acceptUpload === undefined) {
      throw new ResourceNotFoundError('Uploads go to the URL POST /v1/uploads returned, not to this API');
    }
    if (this.#active >= this.maxConcurrent) {
      throw new RateLimitExceededError(
        `${this.maxConcurrent} uploads are already being received; retry in ${BUSY_RETRY_AFTER_SEC} s`,
        { retryAfterSeconds: BUSY_RETRY_AFTER_SEC },
      );
    }
    this.#active += 1;
    try {
      const stored = await acceptUpload.call(this.deps.objects, token, body, this.deps.clock.now(), {
        maxBytes: this.deps.settings.maxObjectBytes,
        declaredBytes,
      });
      return { ...stored, ref: objectRef(stored.key) };
    } finally {
      this.#active -= 1;
    }
  }
}
