import { ApiProperty } from '@nestjs/swagger';

export class CatalogVersionDto {
  @ApiProperty({
    example: '42',
    description:
      'Version of the catalog (stations, trains, routes) this instance serves. Every catalog write moves it; instances serving the same version agree. A decimal string (a 64-bit counter).',
  })
  version!: string;
}
