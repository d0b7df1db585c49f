import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../common/pagination/page.dto.js';
import type { Platform } from '../platform.entity.js';
import type { Located } from '../geo.js';
import type { Station } from '../station.entity.js';

export class StationDto {
  @ApiProperty({ example: 'NDLS' })
  code: string;

  @ApiProperty({ example: 'New Delhi' })
  name: string;

  @ApiProperty({ type: String, nullable: true, example: 'New Delhi', description: 'Null for stations imported from a GTFS feed (it has no city).' })
  city: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Delhi' })
  state: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 28.643 })
  latitude: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 77.2194 })
  longitude: number | null;

  static from(station: Station): StationDto {
    return {
      code: station.code,
      name: station.name,
      city: station.city,
      state: station.state,
      latitude: station.latitude,
      longitude: station.longitude,
    };
  }
}

export class StationPageDto extends PageOf(StationDto) {}

export class PlatformDto {
  @ApiProperty({ type: String, nullable: true, example: 'T1', description: 'The label riders see; null when the feed gives none.' })
  name: string | null;

  @ApiProperty({ type: String, nullable: true, example: '990005', description: 'Its stop_id in the station’s GTFS feed (realtime feeds name platforms by it).' })
  stopId: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 47.70297 })
  latitude: number | null;

  @ApiProperty({ type: Number, nullable: true, example: -122.32787 })
  longitude: number | null;

  static from(platform: Platform): PlatformDto {
    return { name: platform.name, stopId: platform.gtfsId, latitude: platform.latitude, longitude: platform.longitude };
  }
}
export class NearbyStationDto extends StationDto {
  @ApiProperty({ example: 2.168, description: 'Great-circle distance from the point asked about, in km, rounded to metres.' })
  distanceKm: number;

  static fromLocated({ item, distanceKm }: Located<Station>): NearbyStationDto {
    return { ...StationDto.from(item), distanceKm: Math.round(distanceKm * 1000) / 1000 };
  }
}

export class NearbyStationPageDto extends PageOf(NearbyStationDto) {}
