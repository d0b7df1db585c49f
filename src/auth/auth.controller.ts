import { Body, Controller, HttpCode, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthUser } from '../common/auth/auth-user.js';
import { Authenticated, CurrentUser, Public } from '../common/auth/auth.decorators.js';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.js';
import { UserDto } from '../users/dto/user.dto.js';
import { AuthRateLimitGuard } from './auth-rate-limit.guard.js';
import { AuthService } from './auth.service.js';
import { LoginDto, RefreshTokenDto, RegisterDto, SessionDto } from './dto/auth.dto.js';
import { type ClientInfo, type IssuedSession, SessionsService } from './sessions.service.js';

const clientOf = (request: Request): ClientInfo => ({ userAgent: request.get('user-agent'), ip: request.ip });
const toSessionDto = (session: IssuedSession): SessionDto => ({
  user: UserDto.from(session.user),
  accessToken: session.accessToken,
  refreshToken: session.refreshToken,
  expiresIn: session.expiresIn,
  tokenType: 'Bearer',
});

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
  ) {}

  @Post('register')
  @Public()
  @UseGuards(AuthRateLimitGuard)
  @ApiOperation({ summary: 'Create an account and start a session' })
  @ApiCreatedResponse({ type: SessionDto })
  @ApiProblemResponses(400, 409, 429)
  async register(@Body() body: RegisterDto, @Req() request: Request): Promise<SessionDto> {
    return toSessionDto(await this.auth.register(body, clientOf(request)));
  }

  @Post('login')
  @Public()
  @HttpCode(HttpStatus.OK)
  @UseGuards(AuthRateLimitGuard)
  @ApiOperation({ summary: 'Start a session with email and password' })
  @ApiOkResponse({ type: SessionDto })
  @ApiProblemResponses(400, 401, 429)
  async login(@Body() body: LoginDto, @Req() request: Request): Promise<SessionDto> {
    return toSessionDto(await this.auth.login(body, clientOf(request)));
  }

  @Post('refresh')
  @Public()
  @HttpCode(HttpStatus.OK)
  @UseGuards(AuthRateLimitGuard)
  @ApiOperation({
    summary: 'Exchange a refresh token for a new access and refresh token',
    description:
      'The presented token stops working. Presented again within REFRESH_TOKEN_GRACE_SECONDS (10 s) of its exchange, it returns the same successor (concurrent refreshes); later, it is reuse and revokes the whole session.',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiProblemResponses(400, 401, 429)
  async refresh(@Body() body: RefreshTokenDto, @Req() request: Request): Promise<SessionDto> {
    return toSessionDto(await this.sessions.refresh(body.refreshToken, clientOf(request)));
  }

  @Post('logout')
  @Public()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End the session of this refresh token' })
  @ApiNoContentResponse({ description: 'Session ended (also when the token was unknown).' })
  @ApiProblemResponses(400)
  async logout(@Body() body: RefreshTokenDto): Promise<void> {
    await this.sessions.end(body.refreshToken);
  }

  @Post('logout-all')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End every session of the caller', description: 'Access tokens already issued stay valid until they expire (15 minutes by default).' })
  @ApiNoContentResponse({ description: 'All sessions ended.' })
  async logoutAll(@CurrentUser() user: AuthUser): Promise<void> {
    await this.sessions.endAll(user.id);
  }
}

