import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators.js';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.js';
import { StationIndexService } from '../stations/station-index.service.js';
import { CatalogVersionDto } from './dto/catalog-version.dto.js';
import { TimetableService } from './timetable.service.js';

@ApiTags('catalog')
@Controller('catalog')
export class CatalogController {
  constructor(
    private readonly timetable: TimetableService,
    private readonly stations: StationIndexService,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'The catalog version this instance serves',
    description:
      'Instances check the catalog version every couple of seconds and reload their timetable and station index when it moved; this is the older of the two. Compare it across instances to see whether they agree.',
  })
  @ApiOkResponse({ type: CatalogVersionDto })
  // Before the first timetable load, when PostgreSQL is unreachable.
  @ApiProblemResponses(503)
  async version(): Promise<CatalogVersionDto> {
    // The timetable and the station index reload on their own: the instance serves the older of the two everywhere.
    const [timetable, stations] = await Promise.all([this.timetable.version(), this.stations.current()]);
    return { version: BigInt(timetable) < BigInt(stations.version) ? timetable : stations.version };
  }
}
