import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth/auth-user.js';
import { AuthenticationError, InvalidInputError } from '../common/errors/domain-errors.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type { LoginDto, RegisterDto } from './dto/auth.dto.js';
import type { UpdateMeDto } from './dto/update-me.dto.js';
import { type ClientInfo, type IssuedSession, SessionsService } from './sessions.service.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Creates the account and its first session together: both rows or neither. */
  register(input: RegisterDto, client: ClientInfo): Promise<IssuedSession> {
    return this.transactions.run(async (manager) => {
      const user = await this.users.register(input, manager);
      return this.sessions.start(user, client, manager);
    });
  }

  async login(input: LoginDto, client: ClientInfo): Promise<IssuedSession> {
    const user = await this.users.verifyCredentials(input.email, input.password);
    // One answer for an unknown email and a wrong password.
    if (!user) throw new AuthenticationError('INVALID_CREDENTIALS', 'Email or password is incorrect');
    return this.transactions.run((manager) => this.sessions.start(user, client, manager));
  }

  me(caller: AuthUser): Promise<User> {
    return this.users.getById(caller.id);
  }

  /** Changes the display name and/or the password; a new password ends every other session. */
  updateMe(caller: AuthUser, changes: UpdateMeDto): Promise<User> {
    return this.transactions.run(async (manager) => {
      if (changes.displayName !== undefined) await this.users.updateDisplayName(caller.id, changes.displayName, manager);
      if (changes.newPassword !== undefined) {
        const changed = await this.users.changePassword(caller.id, changes.currentPassword ?? '', changes.newPassword, manager);
        if (!changed) {
          throw new InvalidInputError('CURRENT_PASSWORD_INCORRECT', 'The current password is incorrect', [
            { field: 'currentPassword', messages: ['currentPassword is incorrect'] },
          ]);
        }
        await this.sessions.endAll(caller.id, caller.sessionId, manager);
      }
      return this.users.getById(caller.id, manager);
    });
  }
}
