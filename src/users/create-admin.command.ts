import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { isEmail } from 'class-validator';
import { validateEnv } from '../config/env.validation.js';
import { DatabaseModule } from '../database/database.module.js';
import { UsersModule } from './users.module.js';
import { UsersService } from './users.service.js';

@Module({ imports: [ConfigModule.forRoot({ isGlobal: true, validate: validateEnv }), DatabaseModule, UsersModule] })
class CreateAdminModule {}

export const CREATE_ADMIN_USAGE = 'Usage: npm run create-admin -- <email> [--password <password>]';

/**
 * `npm run create-admin -- <email> [--password <password>]`: creates an admin account, or
 * promotes an existing one, in the configured database (embedded or DATABASE_URL). Without
 * --password a new account gets a random password, printed once. Returns the lines to print.
 */
export async function createAdmin(args: string[]): Promise<string[]> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { password: { type: 'string' } } });
  const [email] = positionals;
  if (positionals.length !== 1 || !isEmail(email)) throw new Error(CREATE_ADMIN_USAGE);
  const given = values.password ?? null;
  if (given !== null && (given.length < 8 || given.length > 128)) throw new Error('The password must be 8-128 characters');
  const generated = randomBytes(18).toString('base64url');

  const app = await NestFactory.createApplicationContext(CreateAdminModule, { logger: ['error', 'warn'] });
  try {
    const { user, created } = await app.get(UsersService).createOrPromoteAdmin(email, given, generated);
    if (!created) return [`Promoted ${user.email} to admin${given ? ' and set the new password' : ' (password unchanged)'}`];
    return given ? [`Created admin ${user.email}`] : [`Created admin ${user.email}`, `Password (shown once, store it now): ${generated}`];
  } finally {
    await app.close();
  }
}
