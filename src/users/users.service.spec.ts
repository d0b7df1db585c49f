import { describe, expect, it } from '@jest/globals';
import { userRow } from '../../test/builders/users.js';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors.js';
import type { PasswordHasher } from './password-hasher.js';
import type { User } from './user.entity.js';
import type { UsersRepository } from './users.repository.js';
import { normalizeEmail, UsersService } from './users.service.js';

/** The users table in memory, unique on email. */
class FakeUsers {
  rows: User[] = [];
  async findById(id: string) {
    return this.rows.find((user) => user.id === id) ?? null;
  }
  async findByEmail(email: string) {
    return this.rows.find((user) => user.email === email) ?? null;
  }
  async insert(user: Pick<User, 'email' | 'passwordHash' | 'displayName' | 'role'>) {
    if (this.rows.some((row) => row.email === user.email)) return null;
    const created = userRow(user);
    this.rows.push(created);
    return created;
  }
  async update(id: string, changes: Partial<User>) {
    Object.assign(this.rows.find((user) => user.id === id)!, changes);
  }
}

/** Hashes are readable stand-ins; verify(null) is the unknown-account path, which must still do the work. */
class FakeHasher {
  verifiedWithoutHash = 0;
  async hash(password: string) {
    return `hash(${password})`;
  }
  async verify(hash: string | null, password: string) {
    if (hash === null) {
      this.verifiedWithoutHash++;
      return false;
    }
    return hash === `hash(${password})`;
  }
}

function setUp() {
  const users = new FakeUsers();
  const hasher = new FakeHasher();
  return { users, hasher, service: new UsersService(users as unknown as UsersRepository, hasher as unknown as PasswordHasher) };
}

const signUp = { email: '  Alice@Example.COM ', password: 'correct horse', displayName: '  Alice  ' };

describe('UsersService', () => {
  it('registers a user with a normalized email, a trimmed name, a hashed password and the user role', async () => {
    const { service, users } = setUp();
    const user = await service.register(signUp);
    expect(user).toMatchObject({ email: 'alice@example.com', displayName: 'Alice', role: 'user', passwordHash: 'hash(correct horse)' });
    expect(JSON.stringify(users.rows)).not.toContain('"correct horse"');
  });

  it('refuses an email that is taken, whatever its case or spacing, with EMAIL_TAKEN', async () => {
    const { service, users } = setUp();
    await service.register(signUp);
    await expect(service.register({ ...signUp, email: 'ALICE@example.com' })).rejects.toEqual(expect.objectContaining({ constructor: ConflictError, code: 'EMAIL_TAKEN' }));
    expect(users.rows).toHaveLength(1);
  });

  it('verifies credentials by normalized email; a wrong password and an unknown email both give null, and both check a password', async () => {
    const { service, hasher } = setUp();
    const user = await service.register(signUp);
    expect(await service.verifyCredentials('ALICE@example.com ', 'correct horse')).toEqual(user);
    expect(await service.verifyCredentials('alice@example.com', 'wrong')).toBeNull();
    expect(await service.verifyCredentials('nobody@example.com', 'correct horse')).toBeNull();
    // The unknown account still costs a password check (same time as a wrong password).
    expect(hasher.verifiedWithoutHash).toBe(1);
  });

  it('answers USER_NOT_FOUND for an account that no longer exists', async () => {
    const { service } = setUp();
    await expect(service.getById('gone')).rejects.toEqual(expect.objectContaining({ constructor: NotFoundError, code: 'USER_NOT_FOUND' }));
  });

  it('changes the display name, trimmed', async () => {
    const { service } = setUp();
    const user = await service.register(signUp);
    await service.updateDisplayName(user.id, '  Alice B. ');
    expect(await service.getById(user.id)).toMatchObject({ displayName: 'Alice B.' });
  });

  it('changes the password only with the current one', async () => {
    const { service } = setUp();
    const user = await service.register(signUp);
    expect(await service.changePassword(user.id, 'wrong', 'new password')).toBe(false);
    expect(await service.verifyCredentials(signUp.email, 'correct horse')).not.toBeNull();
    expect(await service.changePassword(user.id, 'correct horse', 'new password')).toBe(true);
    expect(await service.verifyCredentials(signUp.email, 'correct horse')).toBeNull();
    expect(await service.verifyCredentials(signUp.email, 'new password')).not.toBeNull();
  });

  it('promotes an existing account to admin, keeping its password unless one is given', async () => {
    const { service } = setUp();
    const user = await service.register(signUp);
    expect(await service.createOrPromoteAdmin('alice@EXAMPLE.com', null, 'generated')).toMatchObject({ created: false, user: { id: user.id, role: 'admin' } });
    expect(await service.verifyCredentials(signUp.email, 'correct horse')).toMatchObject({ role: 'admin' });
    await service.createOrPromoteAdmin(signUp.email, 'chosen password', 'generated');
    expect(await service.verifyCredentials(signUp.email, 'chosen password')).not.toBeNull();
  });

  it('creates a missing admin account with the given password, else the generated one', async () => {
    const { service } = setUp();
    expect(await service.createOrPromoteAdmin('ops@example.com', null, 'generated secret')).toMatchObject({ created: true, user: { role: 'admin', displayName: 'Administrator' } });
    expect(await service.verifyCredentials('ops@example.com', 'generated secret')).toMatchObject({ role: 'admin' });
    await service.createOrPromoteAdmin('ops2@example.com', 'given secret', 'generated secret');
    expect(await service.verifyCredentials('ops2@example.com', 'given secret')).toMatchObject({ role: 'admin' });
  });

  it('normalizes emails by trimming and lower-casing', () => {
    expect(normalizeEmail('  MiXeD@Example.Org\t')).toBe('mixed@example.org');
  });
});
