import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../common/auth/auth.decorators.js';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.js';
import { StationCodeParams } from '../stations/dto/station-code.params.js';
import { StationBoardDto } from './dto/board.dto.js';
import { BoardQueryDto } from './dto/live-status.dto.js';
import { ApiLiveCaching, LiveHttpCache } from './live-http-cache.js';
import { StationBoardService } from './station-board.service.js';

@ApiTags('stations')
@Controller('stations/:code/board')
export class StationBoardController {
  constructor(
    private readonly boards: StationBoardService,
    private readonly httpCache: LiveHttpCache,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Live arrivals and departures still to come at a station in the next hours, with expected times, delays and platforms' })
  @ApiOkResponse({ type: StationBoardDto, headers: ApiLiveCaching.headers })
  @ApiLiveCaching()
  @ApiProblemResponses(400, 404)
  async board(
    @Param() { code }: StationCodeParams,
    @Query() { hours }: BoardQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const board = await this.boards.board(code, hours);
    return this.httpCache.send(request, response, board.calls.map(({ view }) => view.state), () => StationBoardDto.from(board), { at: board.from });
  }
}
