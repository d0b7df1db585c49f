import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../common/auth/auth.decorators.js';
import { ApiProblemResponses } from '../../common/errors/api-problem-responses.js';
import { FeedFormatQueryDto } from '../dto/feed-format.dto.js';
import { TripUpdatesFeed } from './trip-updates.feed.js';

/** Our live state, published as GTFS-Realtime for trip planners and other consumers. */
@ApiTags('gtfs-rt')
@Controller('gtfs-rt')
export class GtfsRtController {
  constructor(private readonly feed: TripUpdatesFeed) {}

  @Get('trip-updates')
  @Public()
  @ApiOperation({
    summary: 'Every active run with live data as a GTFS-Realtime TripUpdates feed',
    description:
      'A FULL_DATASET FeedMessage (GTFS-Realtime 2.0): one TripUpdate per run with live data, named by the imported feed’s trip_id and start_date ' +
      '(runs of hand-made trains, which have no trip_id, and runs without live data are left out). Stops with recorded times, then every stop not yet left ' +
      'with its expected arrival and departure (time and delay); SKIPPED stops as SKIPPED, stops the live data does not reach as NO_DATA, a platform change as ' +
      'stop_time_properties.assigned_stop_id, a cancelled run as CANCELED. Built at most once per tracker tick and served from memory in between, with an ETag ' +
      '(If-None-Match gets 304).',
  })
  @ApiProduces('application/x-protobuf', 'application/json')
  @ApiOkResponse({
    description: 'The FeedMessage: binary protobuf by default, JSON with ?format=json.',
    content: {
      'application/x-protobuf': { schema: { type: 'string', format: 'binary' } },
      'application/json': { schema: { type: 'object', description: 'transit_realtime.FeedMessage with the proto’s field names (header, entity[].trip_update…).' } },
    },
  })
  @ApiResponse({ status: 304, description: 'Not modified since the ETag sent in If-None-Match.' })
  @ApiProblemResponses(400)
  async tripUpdates(@Query() { format = 'protobuf' }: FeedFormatQueryDto, @Res() response: Response): Promise<void> {
    const feed = await this.feed.current();
    response.setHeader('etag', format === 'json' ? `"${feed.etag.slice(1, -1)}-json"` : feed.etag);
    response.setHeader('cache-control', 'no-cache');
    // Express answers 304 itself when the request's If-None-Match names this ETag. No Last-Modified: the app's
    // clock may be simulated (held still for a replay), so only the content's hash tells versions apart.
    if (format === 'json') response.type('application/json').send(await feed.json());
    else response.type('application/x-protobuf').send(feed.bytes);
  }
}
