import { randomUUID } from 'node:crypto';
import type { User } from '../../src/users/user.entity.js';

export interface NewAccount {
  email: string;
  password: string;
  displayName: string;
}

/** Sign-up input with a unique email and password, so test files never share accounts. */
export const newAccount = (overrides: Partial<NewAccount> = {}): NewAccount => ({
  email: `${randomUUID()}@example.com`,
  password: `pw-${randomUUID()}`,
  displayName: 'Test User',
  ...overrides,
});

/** A stored user row, for unit tests that fake the users table. */
export const userRow = (overrides: Partial<User> = {}): User =>
  ({
    id: randomUUID(),
    email: `${randomUUID()}@example.com`,
    passwordHash: 'argon2id-hash',
    displayName: 'Test User',
    role: 'user',
    createdAt: new Date('2026-11-24T00:00:00Z'),
    updatedAt: new Date('2026-11-24T00:00:00Z'),
    ...overrides,
  }) as User;
