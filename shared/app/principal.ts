/**
 * Who is calling, and what their role allows (../../docs/architecture.md, Who may do what).
 * Roles are ordered admin > user > readonly; a key acts with its owner's role or
 * a narrower one set on the key.
 */

import type { Role } from '../core/domain.js';
import { AuthorizationError } from '../core/errors.js';

export interface Principal {
  userId: string;
  username: string;
  role: Role;
  keyId: string;
}

const RANK: Readonly<Record<Role, number>> = { readonly: 0, user: 1, admin: 2 };

export function atLeast(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}

/** The narrower of two roles: what a key may do when both its own role and its owner's apply. */
export function narrower(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b;
}

export function requireRole(principal: Principal, required: Role): void {
  if (!atLeast(principal.role, required)) {
    throw new AuthorizationError(
      `This action needs the ${required} role; the API key acts as ${principal.role}`,
      {
        details: { requiredRole: required, actualRole: principal.role },
      },
    );
  }
}
