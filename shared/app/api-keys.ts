/**
 * API keys: `aiops_<random>`, shown once, stored as SHA-256 hashes. Only admins
 * create keys, never above their own role; a key may be narrower than its owner.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod';
import { ROLES, type Role } from '../core/domain.js';
import {
  AuthenticationError,
  AuthorizationError,
  ResourceNotFoundError,
  ValidationError,
} from '../core/errors.js';
import type { PageRequest } from '../db/pagination.js';
import type { ApiKey } from '../db/repositories/api-keys.js';
import { inTransaction } from '../db/repositories/index.js';
import type { AppDeps } from './deps.js';
import { atLeast, narrower, type Principal, requireRole } from './principal.js';
import { parseBody } from './validation.js';

const KEY_PREFIX = 'aiops_';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** last_used_at is written at most this often per key, so authentication stays a read. */
const TOUCH_INTERVAL_MS = 60_000;
/**
 * How long a process trusts a key it has checked. A revocation takes effect at
 * once in the process that revoked it and within this time everywhere else.
 */
export const AUTH_CACHE_MS = 5_000;
const AUTH_CACHE_SIZE = 10_000;

interface Cached {
  principal: Principal;
  until: number;
}

/** 40 characters from a 62-letter alphabet: about 238 bits. Rejection sampling keeps it uniform. */
export function generateApiKey(): string {
  let out = '';
  while (out.length < 40) {
    for (const byte of randomBytes(64)) {
      if (byte < 248 && out.length < 40) out += ALPHABET[byte % 62];
    }
  }
  return `${KEY_PREFIX}${out}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export const createApiKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /** The user the key belongs to; created when new. */
  username: z
    .string()
    .trim()
    .regex(
      /^[a-z0-9][a-z0-9._-]{1,62}$/,
      'must be 2–63 lower-case letters, digits, dots, dashes or underscores',
    ),
  email: z.email().optional(),
  role: z.enum(ROLES).default('user'),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type CreateApiKeyBody = z.input<typeof createApiKeyBody>;

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  userId: string;
  role: Role | null;
  isActive: boolean;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export function viewApiKey(key: ApiKey): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    prefix: key.keyPrefix,
    userId: key.userId,
    role: key.role,
    isActive: key.isActive,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  };
}

/** A key just issued: shown once, with the user it acts for and the role it acts with (for the audit trail). */
export interface IssuedKey {
  key: string;
  apiKey: ApiKeyView;
  owner: { userId: string; username: string; role: Role };
}

export class ApiKeysService {
  readonly #cache = new Map<string, Cached>();

  constructor(private readonly deps: Pick<AppDeps, 'repos' | 'clock' | 'db'>) {}

  /** Resolves an `X-API-Key` header to a principal; 401 for anything but an active, unexpired key of an active user. */
  async authenticate(key: string | undefined): Promise<Principal> {
    if (key === undefined || key === '') {
      throw new AuthenticationError('Missing API key: send it in the X-API-Key header');
    }
    if (!key.startsWith(KEY_PREFIX) || key.length > 128) throw new AuthenticationError('Invalid API key');
    const hash = hashApiKey(key);
    const now = this.deps.clock.now();
    const cached = this.#cache.get(hash);
    if (cached && cached.until > now.getTime()) return cached.principal;
    this.#cache.delete(hash);
    const stored = await this.deps.repos.apiKeys.findByHash(hash);
    if (!stored?.isActive) throw new AuthenticationError('Invalid or revoked API key');
    if (stored.expiresAt && stored.expiresAt <= now) throw new AuthenticationError('API key expired');
    const user = await this.deps.repos.users.findById(stored.userId);
    if (!user?.isActive) throw new AuthenticationError('The API key’s user is disabled');
    if (!stored.lastUsedAt || now.getTime() - stored.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.deps.repos.apiKeys.touch(stored.id, now);
    }
    const principal: Principal = {
      userId: user.id,
      username: user.username,
      role: stored.role ? narrower(stored.role, user.role) : user.role,
      keyId: stored.id,
    };
    if (this.#cache.size >= AUTH_CACHE_SIZE) {
      // Maps iterate in insertion order: the first entry is the oldest.
      const oldest = this.#cache.keys().next();
      if (!oldest.done) this.#cache.delete(oldest.value);
    }
    const until = Math.min(
      now.getTime() + AUTH_CACHE_MS,
      stored.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY,
    );
    this.#cache.set(hash, { principal, until });
    return principal;
  }

  /**
   * Creates a key (and its user when new). The key is returned once, here; only
   * its hash is stored.
   */
  async create(principal: Principal, body: unknown): Promise<IssuedKey> {
    requireRole(principal, 'admin');
    const request = parseBody(createApiKeyBody, body);
    return this.issue(request, principal.role);
  }

  /** Issues a key without an HTTP caller (bootstrap, `aiops keys create`); `ceiling` bounds the role. */
  async issue(
    request: z.output<typeof createApiKeyBody>,
    ceiling: Role = 'admin',
    key: string = generateApiKey(),
  ): Promise<IssuedKey> {
    if (!atLeast(ceiling, request.role)) {
      throw new AuthorizationError(
        `Cannot grant the ${request.role} role: it is above your own (${ceiling})`,
        {
          details: { requiredRole: request.role, actualRole: ceiling },
        },
      );
    }
    const now = this.deps.clock.now();
    const stored = await inTransaction(this.deps.db, async (repos) => {
      const existing = await repos.users.findByUsername(request.username);
      if (existing && !atLeast(existing.role, request.role)) {
        throw new ValidationError('A key cannot have a role above its user’s', [
          { path: 'role', message: `user ${existing.username} has the ${existing.role} role` },
        ]);
      }
      const user =
        existing ??
        (await repos.users.create({
          username: request.username,
          email: request.email ?? `${request.username}@users.aiops.invalid`,
          role: request.role,
        }));
      const created = await repos.apiKeys.create({
        userId: user.id,
        keyHash: hashApiKey(key),
        keyPrefix: key.slice(0, KEY_PREFIX.length + 4),
        name: request.name,
        // The key's own role only when it narrows the user's.
        role: user.role !== request.role ? request.role : null,
        expiresAt:
          request.expiresInDays === undefined
            ? null
            : new Date(now.getTime() + request.expiresInDays * 86_400_000),
      });
      return { created, user };
    });
    return {
      key,
      apiKey: viewApiKey(stored.created),
      // The key acts with the requested role: its own when it narrows the user's, else the user's, which is equal.
      owner: { userId: stored.user.id, username: stored.user.username, role: request.role },
    };
  }

  async list(principal: Principal, filter: { userId?: string }, page: PageRequest) {
    requireRole(principal, 'admin');
    const userId = filter.userId ?? principal.userId;
    const result = await this.deps.repos.apiKeys.listByUser(userId, page);
    return { items: result.items.map(viewApiKey), nextCursor: result.nextCursor };
  }

  async revoke(principal: Principal, id: string): Promise<ApiKeyView> {
    requireRole(principal, 'admin');
    const key = await this.deps.repos.apiKeys.findById(id);
    if (!key) throw new ResourceNotFoundError(`API key ${id} not found`, { details: { id } });
    await this.deps.repos.apiKeys.deactivate(id);
    for (const [hash, entry] of this.#cache) if (entry.principal.keyId === id) this.#cache.delete(hash);
    return viewApiKey({ ...key, isActive: false });
  }
}
