import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from '../common/auth/auth-user.js';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors.js';
import { PasswordHasher } from './password-hasher.js';
import type { User } from './user.entity.js';
import { UsersRepository } from './users.repository.js';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
  ) {}

  async register(input: { email: string; password: string; displayName: string }, manager?: EntityManager): Promise<User> {
    const user = await this.users.insert(
      {
        email: normalizeEmail(input.email),
        passwordHash: await this.passwords.hash(input.password),
        displayName: input.displayName.trim(),
        role: 'user',
      },
      manager,
    );
    if (!user) throw new ConflictError('EMAIL_TAKEN', 'An account with this email already exists');
    return user;
  }

  /** The user with these credentials, or null; takes the same time whether or not the email exists. */
  async verifyCredentials(email: string, password: string): Promise<User | null> {
    const user = await this.users.findByEmail(normalizeEmail(email));
    const valid = await this.passwords.verify(user?.passwordHash ?? null, password);
    return valid ? user : null;
  }

  async getById(id: string, manager?: EntityManager): Promise<User> {
    const user = await this.users.findById(id, manager);
    if (!user) throw new NotFoundError('USER_NOT_FOUND', 'The account no longer exists');
    return user;
  }

  async updateDisplayName(id: string, displayName: string, manager?: EntityManager): Promise<void> {
    await this.users.update(id, { displayName: displayName.trim() }, manager);
  }

  /** Sets a new password after checking the current one; false when the current one is wrong. */
  async changePassword(id: string, currentPassword: string, newPassword: string, manager?: EntityManager): Promise<boolean> {
    const user = await this.getById(id, manager);
    if (!(await this.passwords.verify(user.passwordHash, currentPassword))) return false;
    await this.users.update(id, { passwordHash: await this.passwords.hash(newPassword) }, manager);
    return true;
  }

  /**
   * Makes the account an admin (admin CLI). An existing account keeps its password unless one
   * is given; a new one gets `password`, or `passwordForNewAccount` when none is given.
   */
  async createOrPromoteAdmin(email: string, password: string | null, passwordForNewAccount: string): Promise<{ user: User; created: boolean }> {
    const existing = await this.users.findByEmail(normalizeEmail(email));
    if (existing) {
      const changes: { role: Role; passwordHash?: string } = { role: 'admin' };
      if (password) changes.passwordHash = await this.passwords.hash(password);
      await this.users.update(existing.id, changes);
      return { user: { ...existing, role: 'admin' }, created: false };
    }
    const user = await this.register({ email, password: password ?? passwordForNewAccount, displayName: 'Administrator' });
    await this.users.update(user.id, { role: 'admin' });
    return { user: { ...user, role: 'admin' }, created: true };
  }
}
