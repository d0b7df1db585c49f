import { Controller, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth/auth-user.js';
import { Authenticated, CurrentUser } from '../common/auth/auth.decorators.js';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.js';
import { CountDto, NotificationDto, NotificationIdParams, NotificationPageDto, NotificationQueryDto } from './dto/notification.dto.js';
import { NotificationsService } from './notifications.service.js';

@ApiTags('notifications')
@Controller('me/notifications')
@Authenticated()
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s notifications, newest first (cursor pagination)' })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiProblemResponses(400)
  async list(@CurrentUser() user: AuthUser, @Query() query: NotificationQueryDto): Promise<NotificationPageDto> {
    const page = await this.notifications.list(user.id, { unreadOnly: query.unread === true, cursor: query.cursor, limit: query.limit });
    return { items: page.items.map((notification) => NotificationDto.from(notification)), nextCursor: page.nextCursor };
  }

  @Get('unread-count')
  @ApiOperation({ summary: 'How many notifications are unread' })
  @ApiOkResponse({ type: CountDto })
  async unreadCount(@CurrentUser() user: AuthUser): Promise<CountDto> {
    return { count: await this.notifications.unreadCount(user.id) };
  }

  @Patch(':id/read')
  @ApiOperation({ summary: 'Mark one notification read (idempotent)' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiProblemResponses(400, 404)
  async markRead(@CurrentUser() user: AuthUser, @Param() { id }: NotificationIdParams): Promise<NotificationDto> {
    return NotificationDto.from(await this.notifications.markRead(user.id, id));
  }

  @Post('read-all')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Mark every notification read; returns how many changed' })
  @ApiOkResponse({ type: CountDto })
  async markAllRead(@CurrentUser() user: AuthUser): Promise<CountDto> {
    return { count: await this.notifications.markAllRead(user.id) };
  }
}
