import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** The catalog's version: bumped by a trigger on every write to a catalog table (migration 1764700000000). */
@Injectable()
export class CatalogVersionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async current(): Promise<string> {
    const [row]: Array<{ version: string }> = await this.dataSource.query(`SELECT version::text AS version FROM catalog_version WHERE id = 1`);
    return row?.version ?? '0';
  }
}
