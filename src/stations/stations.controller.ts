import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, Public } from '../common/auth/auth.decorators.js';
import { ApiProblemResponses } from '../common/errors/api-problem-responses.js';
import { SearchQueryDto } from '../common/pagination/page-query.dto.js';
import { StationCodeParams } from './dto/station-code.params.js';
import { NearbyQueryDto } from './dto/nearby-query.dto.js';
import { NearbyStationDto, NearbyStationPageDto, PlatformDto, StationDto, StationPageDto } from './dto/station.dto.js';
import { CreateStationDto, UpdateStationDto } from './dto/write-station.dto.js';
import { StationsService } from './stations.service.js';

@ApiTags('stations')
@Controller('stations')
export class StationsController {
  constructor(private readonly stations: StationsService) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Search stations by code, name, city or alias, tolerant of typos',
    description:
      'Exact code first, then codes starting with `q`, then stations whose name or city matches `q` (or a common ' +
      'alias of it, such as Bombay for Mumbai or VT for CSMT) by trigram word similarity, best first. Without `q`, every station by name.',
  })
  @ApiOkResponse({ type: StationPageDto })
  @ApiProblemResponses(400)
  async search(@Query() query: SearchQueryDto): Promise<StationPageDto> {
    const page = await this.stations.search(query);
    return { ...page, items: page.items.map(StationDto.from) };
  }

  // Declared before ':code', which would otherwise take "nearby" for a station code.
  @Get('nearby')
  @Public()
  @ApiOperation({
    summary: 'Stations within a radius of a point, nearest first',
    description: 'Great-circle distance from `lat`/`lon`; stations without coordinates are never listed. Ties by code.',
  })
  @ApiOkResponse({ type: NearbyStationPageDto })
  @ApiProblemResponses(400)
  async nearby(@Query() query: NearbyQueryDto): Promise<NearbyStationPageDto> {
    const page = await this.stations.nearby(query);
    return { ...page, items: page.items.map(NearbyStationDto.fromLocated) };
  }

  @Get(':code')
  @Public()
  @ApiOperation({ summary: 'One station by code' })
  @ApiOkResponse({ type: StationDto })
  @ApiProblemResponses(400, 404)
  async get(@Param() { code }: StationCodeParams): Promise<StationDto> {
    return StationDto.from(await this.stations.getByCode(code));
  }

  @Get(':code/platforms')
  @Public()
  @ApiOperation({ summary: 'The platforms of a station, as its feed lists them (empty when none are known)' })
  @ApiOkResponse({ type: [PlatformDto] })
  @ApiProblemResponses(400, 404)
  async platforms(@Param() { code }: StationCodeParams): Promise<PlatformDto[]> {
    return (await this.stations.platformsOf(code)).map(PlatformDto.from);
  }

  @Post()
  @AdminOnly()
  @ApiOperation({ summary: 'Add a station (admin)' })
  @ApiCreatedResponse({ type: StationDto })
  @ApiProblemResponses(400, 409)
  async create(@Body() body: CreateStationDto): Promise<StationDto> {
    return StationDto.from(await this.stations.create(body));
  }

  @Patch(':code')
  @AdminOnly()
  @ApiOperation({ summary: 'Change a station (admin)' })
  @ApiOkResponse({ type: StationDto })
  @ApiProblemResponses(400, 404)
  async update(@Param() { code }: StationCodeParams, @Body() body: UpdateStationDto): Promise<StationDto> {
    return StationDto.from(await this.stations.update(code, body));
  }

  @Delete(':code')
  @AdminOnly()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a station no train calls at (admin)' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblemResponses(400, 404, 409)
  async delete(@Param() { code }: StationCodeParams): Promise<void> {
    await this.stations.delete(code);
  }
}
