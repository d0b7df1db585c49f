import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Put, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../common/auth/auth-user.js';
import { Authenticated, CurrentUser } from '../common/auth/auth.decorators.js';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.js';
import { IsTrainNumber } from '../common/validation/codes.js';
import { FavoriteDto } from './dto/favorite.dto.js';
import { FavoriteSettingsDto, settingsOf } from './dto/favorite-settings.dto.js';
import { FavoritesService } from './favorites.service.js';

class FavoriteParams {
  @IsTrainNumber()
  trainNumber: string;
}

@ApiTags('favorites')
@Controller('me/favorites')
@Authenticated()
export class FavoritesController {
  constructor(private readonly favorites: FavoritesService) {}

  @Get()
  @ApiOperation({ summary: 'The trains the caller follows, most recently added first' })
  @ApiOkResponse({ type: [FavoriteDto] })
  async list(@CurrentUser() user: AuthUser): Promise<FavoriteDto[]> {
    return (await this.favorites.list(user.id)).map(FavoriteDto.from);
  }

  @Put(':trainNumber')
  @ApiOperation({
    summary: 'Follow a train (idempotent: 201 when added, 200 when it already was), optionally with your station and alerts about it',
    description:
      'Without a body (or with `{}`) the train is followed and an existing favorite keeps its settings. With `stationCode` and `alerts` they replace ' +
      'the favorite’s: alerts then come as notifications (ARRIVING_SOON, DEPARTING_SOON, PLATFORM_AT_STATION, DELAY_AT_STATION, STOP_SKIPPED), ' +
      'once per run each, following the expected times (delay included); `{"stationCode": null}` clears them.',
  })
  @ApiBody({ type: FavoriteSettingsDto, required: false })
  @ApiCreatedResponse({ type: FavoriteDto, description: 'Added.' })
  @ApiOkResponse({ type: FavoriteDto, description: 'Already a favorite (its settings replaced when a body was sent).' })
  @ApiProblemResponses(400, 404, 422)
  async add(
    @CurrentUser() user: AuthUser,
    @Param() { trainNumber }: FavoriteParams,
    @Body() body: FavoriteSettingsDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<FavoriteDto> {
    const { favorite, created } = await this.favorites.add(user.id, trainNumber, settingsOf(body));
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return FavoriteDto.from(favorite);
  }

  @Delete(':trainNumber')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Stop following a train (idempotent)' })
  @ApiNoContentResponse({ description: 'Not a favorite (any more).' })
  @ApiProblemResponses(400, 404)
  async remove(@CurrentUser() user: AuthUser, @Param() { trainNumber }: FavoriteParams): Promise<void> {
    await this.favorites.remove(user.id, trainNumber);
  }
}
