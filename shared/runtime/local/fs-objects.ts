/**
 * The object store on the local filesystem: `<AIOPS_DATA_DIR>/objects/<key>`,
 * the key layout of the S3 bucket. Keys are checked (../../app/objects.ts,
 * unsafeKeyReason) and the resolved path must stay under the root, so no key
 * reaches outside it. Writes go to a temporary file renamed into place: a
 * reader never sees half an object.
 *
 * Uploads work like S3's presigned URLs: `presignUpload` signs the key, size
 * and expiry with a key kept in `<root>/.upload-key` (mode 0600), and the
 * local server's `PUT /v1/uploads/{token}` hands the body to `acceptUpload`,
 * which checks the signature. A client uploads the same way to both.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as z from 'zod';
import {
  assertSafeKey,
  limitedChunks,
  type ObjectInfo,
  type ObjectStore,
  ObjectTooLargeError,
  type PresignOptions,
  tooLarge,
  type UploadBody,
  type UploadLimits,
  type UploadTarget,
} from '../../app/objects.js';
import {
  InvalidTokenError,
  ResourceExistsError,
  ResourceNotFoundError,
  ValidationError,
} from '../../core/errors.js';

/** What an upload token carries: key, expiry (epoch ms), and the size and type it was signed for. */
const tokenPayload = z.object({
  k: z.string(),
  e: z.number(),
  s: z.number().int().nonnegative().optional(),
  t: z.string().optional(),
});
type TokenPayload = z.infer<typeof tokenPayload>;

const SIGNING_KEY_FILE = '.upload-key';
const TEMP_DIR = '.tmp';

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

export class FsObjectStore implements ObjectStore {
  readonly kind = 'local' as const;
  readonly root: string;
  #signingKey: Promise<Buffer> | undefined;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The file of a key; refuses unsafe keys and, as a second line, any path that resolves outside the root. */
  pathOf(key: string): string {
    assertSafeKey(key);
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) {
      throw new ValidationError('Invalid object key: resolves outside the store', [
        { path: 'key', message: 'must stay inside the object store' },
      ]);
    }
    return path;
  }

  async put(key: string, body: Uint8Array | string): Promise<ObjectInfo> {
    const path = this.pathOf(key);
    const temp = join(this.root, TEMP_DIR, randomUUID());
    await mkdir(dirname(temp), { recursive: true });
    try {
      await writeFile(temp, body);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await this.#place(temp, path, key);
    return { key, size: typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength };
  }

  /** Renames a complete temporary file to the key's path. */
  async #place(temp: string, path: string, key: string): Promise<void> {
    try {
      await mkdir(dirname(path), { recursive: true });
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      const code = errnoOf(error);
      if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST') {
        // S3 has no directories; a file system cannot hold both `a` and `a/b`.
        throw new ResourceExistsError(`Object ${key} clashes with another object's path in the local store`, {
          cause: error,
          details: { key },
        });
      }
      throw error;
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const path = this.pathOf(key);
    try {
      const info = await stat(path);
      return info.isFile() ? { key, size: info.size, lastModified: info.mtime } : undefined;
    } catch (error) {
      if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR') return undefined;
      throw error;
    }
  }

  async get(key: string, options: { maxBytes: number; signal?: AbortSignal }): Promise<Buffer> {
    const info = await this.head(key);
    if (info === undefined) throw new ResourceNotFoundError(`Object ${key} not found`, { details: { key } });
    if (info.size > options.maxBytes) throw tooLarge(key, info.size, options.maxBytes);
    const stream = createReadStream(this.pathOf(key), options.signal ? { signal: options.signal } : {});
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of stream) {
      const buffer = chunk as Buffer;
      total += buffer.byteLength;
      // The file may have grown since it was measured.
      if (total > options.maxBytes) {
        stream.destroy();
        throw tooLarge(key, undefined, options.maxBytes);
      }
      chunks.push(buffer);
    }
    return Buffer.concat(chunks);
  }

  async presignUpload(key: string, options: PresignOptions): Promise<UploadTarget> {
    assertSafeKey(key);
    const expiresAt = new Date(options.now.getTime() + options.expiresInSec * 1000);
    const payload: TokenPayload = {
      k: key,
      e: expiresAt.getTime(),
      ...(options.size === undefined ? {} : { s: options.size }),
      ...(options.contentType === undefined ? {} : { t: options.contentType }),
    };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const token = `${body}.${await this.#sign(body)}`;
    return {
      method: 'PUT',
      url: `/v1/uploads/${token}`,
      headers: options.contentType === undefined ? {} : { 'content-type': options.contentType },
      expiresAt,
    };
  }

  /**
   * Checks the token before a byte of the body is read (a forged or expired
   * URL costs the server nothing), then streams the body to a temporary file,
   * cut at the size the URL was signed for or at `maxBytes`, and renames it
   * into place only when complete.
   */
  async acceptUpload(
    token: string,
    body: UploadBody,
    now: Date,
    limits: UploadLimits = {},
  ): Promise<ObjectInfo> {
    const payload = await this.#verify(token, now);
    const limit = Math.min(
      payload.s ?? Number.POSITIVE_INFINITY,
      limits.maxBytes ?? Number.POSITIVE_INFINITY,
    );
    const sizeError = (got: string) =>
      new ValidationError('The upload does not have the size it was created for', [
        { path: 'body', message: `must be ${payload.s} bytes, got ${got}` },
      ]);
    const tooMany = () =>
      payload.s !== undefined && payload.s <= limit
        ? new ObjectTooLargeError(`The upload is larger than the ${payload.s} bytes it was created for`, {
            details: { key: payload.k, maxBytes: payload.s },
          })
        : tooLarge(payload.k, undefined, limit);
    const declared = limits.declaredBytes;
    if (declared !== undefined && declared > limit) throw tooMany();
    if (declared !== undefined && payload.s !== undefined && declared !== payload.s)
      throw sizeError(`${declared}`);
    return this.#write(payload.k, limitedChunks(body, limit, tooMany), (size) => {
      if (payload.s !== undefined && size !== payload.s) throw sizeError(`${size}`);
    });
  }

  /** Streams chunks to a temporary file, renamed into place when complete; nothing of a failed write stays. */
  async #write(
    key: string,
    chunks: AsyncIterable<Uint8Array>,
    checkComplete: (size: number) => void,
  ): Promise<ObjectInfo> {
    const path = this.pathOf(key);
    const temp = join(this.root, TEMP_DIR, randomUUID());
    await mkdir(dirname(temp), { recursive: true });
    let size = 0;
    const counted = async function* () {
      for await (const chunk of chunks) {
        size += chunk.byteLength;
        yield chunk;
      }
    };
    try {
      await pipeline(counted(), createWriteStream(temp, { flags: 'wx' }));
      checkComplete(size);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await this.#place(temp, path, key);
    return { key, size };
  }

  async #verify(token: string, now: Date): Promise<TokenPayload> {
    const invalid = () => new InvalidTokenError('This upload URL is invalid or has expired; create another');
    const [body, signature, extra] = token.split('.');
    if (body === undefined || signature === undefined || extra !== undefined) throw invalid();
    const expected = Buffer.from(await this.#sign(body));
    const given = Buffer.from(signature);
    if (given.byteLength !== expected.byteLength || !timingSafeEqual(given, expected)) throw invalid();
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    const parsed = tokenPayload.safeParse(json);
    if (!parsed.success || parsed.data.e <= now.getTime()) throw invalid();
    return parsed.data;
  }

  async #sign(body: string): Promise<string> {
    this.#signingKey ??= this.#loadSigningKey().catch((error: unknown) => {
      this.#signingKey = undefined;
      throw error;
    });
    return createHmac('sha256', await this.#signingKey)
      .update(body)
      .digest('base64url');
  }

  /** One key per store, shared by every process that serves it (`aiops api` replicas on one volume). */
  async #loadSigningKey(): Promise<Buffer> {
    const file = join(this.root, SIGNING_KEY_FILE);
    await mkdir(this.root, { recursive: true });
    try {
      await writeFile(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') throw error;
    }
    const key = (await readFile(file, 'utf8')).trim();
    if (key === '') {
      // Another process created the file and has not written it yet.
      await new Promise((r) => setTimeout(r, 50));
      return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
    }
    return Buffer.from(key, 'hex');
  }
}
