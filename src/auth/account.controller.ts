import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth/auth-user.js';
import { Authenticated, CurrentUser } from '../common/auth/auth.decorators.js';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.js';
import { UserDto } from '../users/dto/user.dto.js';
import { AuthService } from './auth.service.js';
import { UpdateMeDto } from './dto/update-me.dto.js';

/** The caller's own account. Lives in auth because a password change ends other sessions. */
@ApiTags('users')
@Controller('users/me')
@Authenticated()
export class AccountController {
  constructor(private readonly auth: AuthService) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s account' })
  @ApiOkResponse({ type: UserDto })
  async me(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return UserDto.from(await this.auth.me(user));
  }

  @Patch()
  @ApiOperation({ summary: 'Change display name and/or password (needs currentPassword; ends every other session)' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblemResponses(400)
  async update(@CurrentUser() user: AuthUser, @Body() body: UpdateMeDto): Promise<UserDto> {
    return UserDto.from(await this.auth.updateMe(user, body));
  }
}
