/**
 * The reply cache: the same (provider, model, masked prompt, reply schema)
 * gets the same reply for a TTL without a second paid call. The key is a hash
 * of the masked prompt, so the cache holds no value masking removed; the
 * reply is stored masked too and restored per call.
 */
import { createHash } from 'node:crypto';
import type { CachedReply, ReplyCacheStore } from './ports.js';
import type { LlmRequest } from './types.js';

export function cacheKey(provider: string, model: string, request: LlmRequest): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        provider,
        model,
        request.system,
        request.messages.map((m) => [m.role, m.content]),
        request.jsonSchema ?? null,
        request.maxTokens,
        request.temperature ?? null,
      ]),
    )
    .digest('hex');
}

export class LlmCache {
  constructor(
    private readonly repository: ReplyCacheStore,
    private readonly ttlSec: number,
  ) {}

  get enabled(): boolean {
    return this.ttlSec > 0;
  }

  async get(key: string, now: Date): Promise<CachedReply | undefined> {
    return this.enabled ? this.repository.get(key, now) : undefined;
  }

  async put(key: string, reply: CachedReply, now: Date): Promise<void> {
    if (!this.enabled) return;
    await this.repository.put(key, reply, now, new Date(now.getTime() + this.ttlSec * 1000));
  }
}
