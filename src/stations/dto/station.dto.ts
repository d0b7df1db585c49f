import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../common/pagination/page.dto.js';
import type { Located } from '../geo.js';
import type { Station } from '../station.entity.js';

export class StationDto {
  @ApiProperty({ example: 'NDLS' })
  code: string;

  @ApiProperty({ example: 'New Delhi' })
  name: string;

  @ApiProperty({ example: 'New Delhi' })
  city: string;

  @ApiProperty({ example: 'Delhi' })
  state: string;

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

export class NearbyStationDto extends StationDto {
  @ApiProperty({ example: 2.168, description: 'Great-circle distance from the point asked about, in km, rounded to metres.' })
  distanceKm: number;

  static fromLocated({ item, distanceKm }: Located<Station>): NearbyStationDto {
    return { ...StationDto.from(item), distanceKm: Math.round(distanceKm * 1000) / 1000 };
  }
}

export class NearbyStationPageDto extends PageOf(NearbyStationDto) {}
