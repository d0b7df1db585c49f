import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, Public } from '../common/auth/auth.decorators.js';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.js';
import { SearchQueryDto } from '../common/pagination/page-query.dto.js';
import { BetweenQueryDto } from './dto/between.query.js';
import { ConnectionDto } from './dto/connection.dto.js';
import { TrainNumberParams } from './dto/train-number.params.js';
import { RouteQueryDto } from './dto/route.query.js';
import { TrainRouteDto } from './dto/train-route.dto.js';
import { TrainDto, TrainPageDto } from './dto/train.dto.js';
import { ReplaceRouteDto } from '../routes/dto/replace-route.dto.js';
import { CreateTrainDto, UpdateTrainDto } from './dto/write-train.dto.js';
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
  @ApiOperation({
    summary: 'The train’s stops in order, with scheduled times, distance and platform',
    description:
      'A train may run different stop patterns on different dates: with `date`, the stops of its run leaving its origin that day ' +
      '(404 RUN_NOT_FOUND when it does not run then); without, those of its main pattern (the most stops).',
  })
  @ApiOkResponse({ type: TrainRouteDto })
  @ApiProblemResponses(400, 404)
  async route(@Param() { number }: TrainNumberParams, @Query() { date }: RouteQueryDto): Promise<TrainRouteDto> {
    const { train, route } = await this.trains.routeOf(number, date);
    return TrainRouteDto.from(train, route);
  }

  @Post()
  @AdminOnly()
  @ApiOperation({ summary: 'Add a train (admin); its route is set with PUT /trains/{number}/route' })
  @ApiCreatedResponse({ type: TrainDto })
  @ApiProblemResponses(400, 409)
  async create(@Body() body: CreateTrainDto): Promise<TrainDto> {
    return TrainDto.from(await this.trains.create(body), undefined);
  }

  @Patch(':number')
  @AdminOnly()
  @ApiOperation({ summary: 'Change a train’s name, type, time zone or days (admin); 409 TRAIN_HAS_PATTERNS for new days of a train whose feed gives its dates' })
  @ApiOkResponse({ type: TrainDto })
  @ApiProblemResponses(400, 404, 409)
  async update(@Param() { number }: TrainNumberParams, @Body() body: UpdateTrainDto): Promise<TrainDto> {
    await this.trains.update(number, body);
    const { train, summary } = await this.trains.getWithSummary(number);
    return TrainDto.from(train, summary);
  }

  @Delete(':number')
  @AdminOnly()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a train and its route (admin)' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblemResponses(400, 404)
  async delete(@Param() { number }: TrainNumberParams): Promise<void> {
    await this.trains.delete(number);
  }

  @Put(':number/route')
  @AdminOnly()
  @ApiOperation({
    summary: 'Replace the train’s whole route (admin)',
    description: 'All stops in one transaction. Refused with 400 naming each problem: sequences not 1..n, times or distances going backwards, unknown or repeated stations; with 409 TRAIN_HAS_PATTERNS for a train running several stop patterns (its feed changes them).',
  })
  @ApiOkResponse({ type: TrainRouteDto })
  @ApiProblemResponses(400, 404, 409)
  async replaceRoute(@Param() { number }: TrainNumberParams, @Body() body: ReplaceRouteDto): Promise<TrainRouteDto> {
    const { train, stops } = await this.trains.replaceRoute(number, body.stops);
    return TrainRouteDto.ofStops(train, stops);
  }
}
