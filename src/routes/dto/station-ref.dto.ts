import { ApiProperty } from '@nestjs/swagger';

export class StationRefDto {
  @ApiProperty({ example: 'NDLS' })
  code: string;

  @ApiProperty({ example: 'New Delhi' })
  name: string;
}
