import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

/**
 * A timetable feed imported into the catalog (`npm run import:gtfs`). Stations, agencies and
 * trains it brought name it, so a later import of the same feed knows which rows are its own:
 * it changes those and never touches hand-made rows or another feed's.
 */
@Entity({ name: 'feeds' })
@Unique('uq_feeds_code', ['code'])
@Check('ck_feeds_code', `code ~ '^[a-z0-9][a-z0-9-]{0,39}$'`)
export class Feed {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Chosen at import (`--feed`), e.g. `long-island-rail-road`. */
  @Column({ type: 'varchar', length: 40 })
  code: string;

  /** The publisher's name (feed_info.txt, else the first agency). */
  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** feed_info.txt feed_version, when given. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  version: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Moves when an import changed something of this feed. */
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
