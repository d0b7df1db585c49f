import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module.js';
import type { Env } from '../config/env.validation.js';
import { resolveJwtSecret } from '../config/jwt-secret.js';
import { UsersModule } from '../users/users.module.js';
import { AccessTokens, JWT_ALGORITHM } from './access-tokens.js';
import { AccountController } from './account.controller.js';
import { AuthRateLimitGuard } from './auth-rate-limit.guard.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { JwtAuthGuard, RolesGuard } from './guards.js';
import { JWT_SECRET, JwtStrategy } from './jwt.strategy.js';
import { RefreshToken } from './refresh-token.entity.js';
import { RefreshTokenCleanupService } from './refresh-token-cleanup.service.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
import { SessionsService } from './sessions.service.js';

@Module({
  imports: [
    UsersModule,
    RateLimitModule,
    TypeOrmModule.forFeature([RefreshToken]),
    PassportModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => ({
        secret: secretFrom(config),
        signOptions: { algorithm: JWT_ALGORITHM },
        verifyOptions: { algorithms: [JWT_ALGORITHM] },
      }),
    }),
  ],
  controllers: [AuthController, AccountController],
  providers: [
    { provide: JWT_SECRET, inject: [ConfigService], useFactory: secretFrom },
    JwtStrategy,
    AccessTokens,
    SessionsService,
    AuthService,
    RefreshTokensRepository,
    RefreshTokenCleanupService,
    AuthRateLimitGuard,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [AccessTokens],
})
export class AuthModule {}

function secretFrom(config: ConfigService<Env, true>): string {
  return resolveJwtSecret({ JWT_SECRET: config.get('JWT_SECRET', { infer: true }), DATA_DIR: config.get('DATA_DIR', { infer: true }) });
}
