import type { Repository } from 'typeorm';

/**
 * Rows hydrated per query when a whole catalog table is loaded into memory: a few milliseconds of
 * event loop each. TypeORM hydrates a page in one go after its last row: pages of 1,000 held the
 * loop 50-130 ms each on a loaded machine during a reload of the Indian catalog.
 */
export const ROWS_PER_PAGE = 250;

/**
 * Every row of a table, in pages by id: hydrating 11k trains at once held the event loop ~150 ms,
 * and other work runs between pages. The pages are separate snapshots: a row written meanwhile
 * may be missed, and the catalog version it moved makes the next check load again.
 */
export async function allRows<T extends { id: string }>(repository: Repository<T>, pageSize = ROWS_PER_PAGE): Promise<T[]> {
  const rows: T[] = [];
  for (let after: string | undefined; ; ) {
    const page = await repository
      .createQueryBuilder('row')
      .where(after === undefined ? 'TRUE' : 'row.id > :after', { after })
      .orderBy('row.id', 'ASC')
      .limit(pageSize)
      .getMany();
    rows.push(...page);
    if (page.length < pageSize) return rows;
    after = page[page.length - 1].id;
  }
}
