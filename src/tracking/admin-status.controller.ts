import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/auth/auth.decorators.js';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.js';
import { LiveStatusDto } from '../live/dto/live-status.dto.js';
import { TrainNumberParams } from '../trains/dto/train-number.params.js';
import { ReportStatusDto } from './dto/report-status.dto.js';
import { StatusReportsService } from './status-reports.service.js';

@ApiTags('admin')
@Controller('admin/trains/:number/status')
export class AdminStatusController {
  constructor(private readonly reports: StatusReportsService) {}

  @Post()
  @AdminOnly()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Report a run’s status as an operator (admin)',
    description:
      'Goes through the same pipeline as a tracker tick: written if it changes something, pushed to subscribers, followers notified. ' +
      'From then on the simulated feed no longer overwrites that run.',
  })
  @ApiOkResponse({ type: LiveStatusDto })
  @ApiProblemResponses(400, 404)
  async report(@Param() { number }: TrainNumberParams, @Body() body: ReportStatusDto): Promise<LiveStatusDto> {
    return LiveStatusDto.from(await this.reports.report(number, body));
  }
}
