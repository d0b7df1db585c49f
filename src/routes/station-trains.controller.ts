import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators.js';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.js';
import { StationCodeParams } from '../stations/dto/station-code.params.js';
import { StationTrainDto } from './dto/station-train.dto.js';
import { RoutesService } from './routes.service.js';

@ApiTags('stations')
@Controller('stations/:code/trains')
export class StationTrainsController {
  constructor(private readonly routes: RoutesService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Trains calling at a station, ordered by scheduled departure (arrival at a terminus)' })
  @ApiOkResponse({ type: [StationTrainDto] })
  @ApiProblemResponses(400, 404)
  async list(@Param() { code }: StationCodeParams): Promise<StationTrainDto[]> {
    return (await this.routes.callsAt(code)).map(StationTrainDto.from);
  }
}
