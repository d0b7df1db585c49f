import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators.js';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.js';
import { StationCodeParams } from '../stations/dto/station-code.params.js';
import { StationBoardDto } from './dto/board.dto.js';
import { BoardQueryDto } from './dto/live-status.dto.js';
import { StationBoardService } from './station-board.service.js';

@ApiTags('stations')
@Controller('stations/:code/board')
export class StationBoardController {
  constructor(private readonly boards: StationBoardService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Live arrivals and departures still to come at a station in the next hours, with expected times, delays and platforms' })
  @ApiOkResponse({ type: StationBoardDto })
  @ApiProblemResponses(400, 404)
  async board(@Param() { code }: StationCodeParams, @Query() { hours }: BoardQueryDto): Promise<StationBoardDto> {
    return StationBoardDto.from(await this.boards.board(code, hours));
  }
}
