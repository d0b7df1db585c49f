import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators.js';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.js';
import { CatalogVersionDto } from './dto/catalog-version.dto.js';
import { TimetableService } from './timetable.service.js';

@ApiTags('catalog')
@Controller('catalog')
export class CatalogController {
  constructor(private readonly timetable: TimetableService) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'The catalog version this instance serves',
    description: 'Instances check the catalog version every couple of seconds and reload their timetable when it moved; compare this across instances to see whether they agree.',
  })
  @ApiOkResponse({ type: CatalogVersionDto })
  // Before the first timetable load, when PostgreSQL is unreachable.
  @ApiProblemResponses(503)
  async version(): Promise<CatalogVersionDto> {
    return { version: await this.timetable.version() };
  }
}
