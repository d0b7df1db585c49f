import { type Type as ClassType } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

/** Builds a named, documented page class for an item DTO (OpenAPI needs a concrete class). */
export function PageOf<T>(itemType: ClassType<T>): ClassType<Page<T>> {
  class PageOfItems implements Page<T> {
    @ApiProperty({ type: [itemType] })
    items: T[];

    @ApiProperty({ example: 42, description: 'Items matching the query, over all pages.' })
    total: number;

    @ApiProperty({ example: 1 })
    page: number;

    @ApiProperty({ example: 20 })
    limit: number;
  }
  Object.defineProperty(PageOfItems, 'name', { value: `${itemType.name.replace(/Dto$/, '')}PageDto` });
  return PageOfItems;
}
