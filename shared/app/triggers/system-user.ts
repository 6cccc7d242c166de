/**
 * The user that owns executions started by events rather than by a caller (an
 * object landing in the bucket, an alarm). It holds no API key, so nobody
 * signs in as it; it is an admin because a trigger may route any object in
 * the store, and admins read every object (input-sources.ts, mayReadObject).
 */
import { createHash } from 'node:crypto';
import { ResourceExistsError } from '../../core/errors.js';
import type { Repositories } from '../../db/repositories/index.js';
import type { Principal } from '../principal.js';

export const SYSTEM_USERNAME = 'aiops-system';
const SYSTEM_EMAIL = 'aiops-system@aiops.invalid';

/** Finds or creates the system user; safe to call from many processes at once. */
export async function ensureSystemUser(repos: Pick<Repositories, 'users'>): Promise<Principal> {
  let user = await repos.users.findByUsername(SYSTEM_USERNAME);
  if (user === undefined) {
    try {
      user = await repos.users.create({
        username: SYSTEM_USERNAME,
        email: SYSTEM_EMAIL,
        role: 'admin',
        passwordHash: null,
      });
    } catch (error) {
      // Another process created it first.
      if (!(error instanceof ResourceExistsError)) throw error;
      user = await repos.users.findByUsername(SYSTEM_USERNAME);
      if (user === undefined) throw error;
    }
  }
  return { userId: user.id, username: user.username, role: user.role, keyId: 'system' };
}

/**
 * An execution id derived from what caused it (an event id and an agent), so
 * the same event delivered twice names the same execution and creates it once.
 * A UUID of version 8 (RFC 9562: custom), from SHA-256.
 */
export function derivedExecutionId(...parts: readonly string[]): string {
  const bytes = createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
