import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength } from 'class-validator';
import { IsQueryInteger } from '../validation/query-integer.js';
import { IsOmittable } from '../validation/omittable.js';

export const MAX_PAGE_SIZE = 100;
export const MAX_PAGE = 100_000;

export class PageQueryDto {
  @IsQueryInteger({ minimum: 1, maximum: MAX_PAGE, default: 1, description: 'Page number, from 1.' })
  page: number = 1;

  @IsQueryInteger({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20, description: 'Items per page.' })
  limit: number = 20;

  get offset(): number {
    return (this.page - 1) * this.limit;
  }
}

export class SearchQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ maxLength: 100, description: 'Search text; omit to list everything.' })
  @IsOmittable()
  @IsString()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @MaxLength(100)
  q?: string;
}
