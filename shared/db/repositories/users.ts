import type { Kysely } from 'kysely';
import type { Role } from '../../core/domain.js';
import { writeUnique } from '../constraint.js';
import { keysetPage, type Page, type PageRequest } from '../pagination.js';
import type { Database, NewUser, UserRow } from '../schema.js';

export type User = UserRow;

export interface UserPatch {
  email?: string;
  role?: Role;
  isActive?: boolean;
  passwordHash?: string | null;
}

export interface UserFilter {
  role?: Role | undefined;
  isActive?: boolean | undefined;
}

export class UsersRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(user: NewUser): Promise<User> {
    return writeUnique(
      () => this.db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow(),
      'A user with this username or email already exists',
      { username: user.username },
    );
  }

  async findById(id: string): Promise<User | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findByUsername(username: string): Promise<User | undefined> {
    return this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }

  async findByEmail(email: string): Promise<User | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  /** Applies `patch`; undefined when no such user. */
  async update(id: string, patch: UserPatch, now: Date = new Date()): Promise<User | undefined> {
    return writeUnique(
      () =>
        this.db
          .updateTable('users')
          .set({ ...patch, updatedAt: now })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst(),
      'Another user already has this email',
    );
  }

  async recordLogin(id: string, at: Date = new Date()): Promise<void> {
    await this.db.updateTable('users').set({ lastLoginAt: at }).where('id', '=', id).execute();
  }

  async list(filter: UserFilter, page: PageRequest): Promise<Page<User>> {
    let query = this.db.selectFrom('users').selectAll();
    if (filter.role !== undefined) query = query.where('role', '=', filter.role);
    if (filter.isActive !== undefined) query = query.where('isActive', '=', filter.isActive);
    return keysetPage(query, 'createdAt', page);
  }

  /** Deletes a user and, by cascade, their API keys. */
  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
