import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../common/auth/auth.decorators.js';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.js';
import { TrainNumberParams } from '../trains/dto/train-number.params.js';
import { LiveStatusDto, RunDateQueryDto, TimelineDto } from './dto/live-status.dto.js';
import { RunDatesDto } from './dto/run-dates.dto.js';
import { LiveStatusService } from './live-status.service.js';
import { ApiLiveCaching, LiveHttpCache } from './live-http-cache.js';
import { runKey } from './run-state.js';

/** The live state of a train's runs: which runs there are, status and timeline. */
@ApiTags('trains')
@Controller('trains/:number')
export class TrainRunsController {
  constructor(
    private readonly live: LiveStatusService,
    private readonly httpCache: LiveHttpCache,
  ) {}

  @Get('status')
  @Public()
  @ApiOperation({ summary: 'Live status of a run (from the cache, falling back to the database)' })
  @ApiOkResponse({ type: LiveStatusDto, headers: ApiLiveCaching.headers })
  @ApiLiveCaching()
  @ApiProblemResponses(400, 404)
  async status(
    @Param() { number }: TrainNumberParams,
    @Query() { date }: RunDateQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const run = await this.live.runOfTrain(number, date);
    return this.httpCache.send(request, response, [run.state], () => LiveStatusDto.from(this.live.view(run)), { key: `status:${runKey(run.state.trainId, run.serviceDate)}`, at: run.now });
  }

  @Get('runs')
  @Public()
  @ApiOperation({ summary: 'The service dates of the runs status and timeline serve (a week back to a week ahead), and the default one' })
  @ApiOkResponse({ type: RunDatesDto })
  @ApiProblemResponses(400, 404)
  async runs(@Param() { number }: TrainNumberParams): Promise<RunDatesDto> {
    return RunDatesDto.from(await this.live.runDatesOf(number));
  }

  @Get('timeline')
  @Public()
  @ApiOperation({ summary: 'Every stop of a run with scheduled, actual and expected times' })
  @ApiOkResponse({ type: TimelineDto, headers: ApiLiveCaching.headers })
  @ApiLiveCaching()
  @ApiProblemResponses(400, 404)
  async timeline(
    @Param() { number }: TrainNumberParams,
    @Query() { date }: RunDateQueryDto,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const run = await this.live.runOfTrain(number, date);
    return this.httpCache.send(request, response, [run.state], () => TimelineDto.from(this.live.view(run)), { key: `timeline:${runKey(run.state.trainId, run.serviceDate)}`, at: run.now });
  }
}
