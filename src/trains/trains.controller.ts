import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators.js';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.js';
import { SearchQueryDto } from '../common/pagination/page-query.dto.js';
import { BetweenQueryDto } from './dto/between.query.js';
import { ConnectionDto } from './dto/connection.dto.js';
import { TrainNumberParams } from './dto/train-number.params.js';
import { TrainRouteDto } from './dto/train-route.dto.js';
import { TrainDto, TrainPageDto } from './dto/train.dto.js';
import { TrainsService } from './trains.service.js';

@ApiTags('trains')
@Controller('trains')
export class TrainsController {
  constructor(private readonly trains: TrainsService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Search trains by number (prefix) or name (substring)' })
  @ApiOkResponse({ type: TrainPageDto })
  @ApiProblemResponses(400)
  async search(@Query() query: SearchQueryDto): Promise<TrainPageDto> {
    const page = await this.trains.search(query);
    return { ...page, items: page.items.map(({ train, summary }) => TrainDto.from(train, summary)) };
  }

  // Declared before ':number' so "between" is not taken for a train number.
  @Get('between')
  @Public()
  @ApiOperation({ summary: 'Trains that call at `from` and later at `to`, ordered by departure from `from`' })
  @ApiOkResponse({ type: [ConnectionDto] })
  @ApiProblemResponses(400, 404)
  async between(@Query() { from, to, date }: BetweenQueryDto): Promise<ConnectionDto[]> {
    return (await this.trains.between(from, to, date)).map(ConnectionDto.from);
  }

  @Get(':number')
  @Public()
  @ApiOperation({ summary: 'One train with origin, destination, days of operation, distance and duration' })
  @ApiOkResponse({ type: TrainDto })
  @ApiProblemResponses(400, 404)
  async get(@Param() { number }: TrainNumberParams): Promise<TrainDto> {
    const { train, summary } = await this.trains.getWithSummary(number);
    return TrainDto.from(train, summary);
  }

  @Get(':number/route')
  @Public()
  @ApiOperation({ summary: 'The train’s stops in order, with scheduled times, distance and platform' })
  @ApiOkResponse({ type: TrainRouteDto })
  @ApiProblemResponses(400, 404)
  async route(@Param() { number }: TrainNumberParams): Promise<TrainRouteDto> {
    const { train, stops } = await this.trains.routeOf(number);
    return TrainRouteDto.from(train, stops);
  }
}
