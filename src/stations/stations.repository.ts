import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository, type SelectQueryBuilder } from 'typeorm';
import { escapeLike } from '../common/pagination/like.js';
import { Platform } from './platform.entity.js';
import type { LatLonBox } from './geo.js';
import { Station } from './station.entity.js';
import { ALIAS_SIMILARITY, type AliasMatch, isFuzzy, type StationSearch } from './station-search.js';

const FOREIGN_KEY_VIOLATION = '23503';

/**
 * Name and city as one text, written as the trigram index ix_stations_search_trgm defines it, so the planner can use the index.
 * A station imported from a GTFS feed has no city (null): its name alone.
 */
const NAME_AND_CITY = `(station.name || ' ' || coalesce(station.city, ''))`;

@Injectable()
export class StationsRepository {
  constructor(@InjectRepository(Station) private readonly stations: Repository<Station>) {}

  /**
   * Stations matching a search, best first, and how many match in all:
   * 1. the code typed, exactly; 2. codes starting with it; 3. the rest by how well a term
   *    matches the name or city (pg_trgm strict word similarity, times the term's weight), then
   *    stations whose name matches before those matched by city only, then the closer whole
   *    name, then name and code (so equal scores always come in the same order).
   * A station matches a term when every word of it is in the name or the city, by substring or
   * (from FUZZY_MIN_CHARS letters) by strict word similarity, which forgives typos; an alias
   * term shaped like a code also matches that station. Every branch of the filter is served by
   * an index (migration AddStationSearch), so it is answered by a bitmap of index scans; only
   * the matching rows are scored.
   */
  search(search: StationSearch, offset: number, limit: number): Promise<[Station[], number]> {
    return this.searchQuery(search).offset(offset).limit(limit).getManyAndCount();
  }

  /** The query behind search(); public so a test can check its plan uses the indexes. */
  searchQuery({ code, terms }: StationSearch): SelectQueryBuilder<Station> {
    const query = this.stations.createQueryBuilder('station');
    const matches: string[] = [];
    const scores: string[] = [];
    const nameScores: string[] = [];
    const closeness: string[] = [];
    if (code) {
      query.setParameters({ code, codePrefix: `${escapeLike(code)}%` });
      matches.push('station.code LIKE :codePrefix');
    }
    terms.forEach((term, i) => {
      const wordMatches = term.words.map((word, j) => {
        const [w, like] = [`t${i}w${j}`, `t${i}like${j}`];
        query.setParameters({ [w]: word, [like]: `%${escapeLike(word)}%` });
        const fuzzy = isFuzzy(word) ? [`:${w} <<% ${NAME_AND_CITY}`] : [];
        return `(${[...fuzzy, `${NAME_AND_CITY} ILIKE :${like}`].join(' OR ')})`;
      });
      matches.push(`(${wordMatches.join(' AND ')})`);
      const [t, weight, codeParam] = [`t${i}`, `t${i}weight`, `t${i}code`];
      query.setParameters({ [t]: term.text, [weight]: term.weight });
      let byCode = '0';
      if (term.code) {
        query.setParameter(codeParam, term.code);
        matches.push(`station.code = :${codeParam}`);
        byCode = `CASE WHEN station.code = :${codeParam} THEN 1 ELSE 0 END`;
      }
      const weighted = `CAST(:${weight} AS real)`;
      if (!isFuzzy(term.text)) {
        // One or two letters: similarity would order the substring matches at random; they
        // stay in name order, and scoring thousands of them is saved.
        scores.push(`${weighted} * ${byCode}`);
        nameScores.push(`${weighted} * ${byCode}`);
        return;
      }
      const name = `strict_word_similarity(:${t}, station.name)`;
      const city = `strict_word_similarity(:${t}, station.city)`;
      // Only a name that matches the term counts as named after it; for the others the name's
      // similarity is noise, and they stay in name order.
      const named = `(:${t} <<% station.name OR station.name ILIKE :${t}like)`;
      query.setParameter(`${t}like`, `%${escapeLike(term.text)}%`);
      scores.push(`${weighted} * GREATEST(${name}, ${city}, ${byCode})`);
      nameScores.push(`${weighted} * GREATEST(CASE WHEN ${named} THEN ${name} ELSE 0 END, ${byCode})`);
      closeness.push(`${weighted} * CASE WHEN ${named} THEN similarity(:${t}, station.name) ELSE 0 END`);
    });
    const tier = code ? `CASE WHEN station.code = :code THEN 0 WHEN station.code LIKE :codePrefix THEN 1 ELSE 2 END` : '2';
    return query
      .where(`(${matches.join(' OR ')})`)
      .addSelect(tier, 'tier')
      .addSelect(`GREATEST(${scores.join(', ')})`, 'score')
      .addSelect(`GREATEST(${nameScores.join(', ')})`, 'name_score')
      .addSelect(closeness.length > 0 ? `GREATEST(${closeness.join(', ')})` : '0', 'closeness')
      .orderBy('tier', 'ASC')
      .addOrderBy('score', 'DESC')
      .addOrderBy('name_score', 'DESC')
      .addOrderBy('closeness', 'DESC')
      .addOrderBy('station.name', 'ASC')
      .addOrderBy('station.code', 'ASC');
  }

  /** Every station by name (no search text). */
  list(offset: number, limit: number): Promise<[Station[], number]> {
    return this.stations.createQueryBuilder('station').orderBy('station.name', 'ASC').addOrderBy('station.code', 'ASC').offset(offset).limit(limit).getManyAndCount();
  }

  /**
   * Alias pairs (station_aliases) with a side equal to the text or, when fuzzy, at least
   * ALIAS_SIMILARITY similar to it as a whole: the other side of each, that similarity, and
   * whether the side was the text itself.
   * The table holds a few dozen rows, so it is scanned rather than indexed.
   */
  async aliasesMatching(text: string, fuzzy: boolean): Promise<AliasMatch[]> {
    const rows: { term: string; similarity: number; exact: boolean }[] = await this.stations.query(
      `SELECT name AS term, similarity($1, alias) AS similarity, alias = $1 AS exact FROM station_aliases
        WHERE alias = $1 OR ($2 AND similarity($1, alias) >= $3)
       UNION ALL
       SELECT alias AS term, similarity($1, name) AS similarity, name = $1 AS exact FROM station_aliases
        WHERE name = $1 OR ($2 AND similarity($1, name) >= $3)`,
      [text, fuzzy, ALIAS_SIMILARITY],
    );
    return rows.map((row) => ({ term: row.term, similarity: row.exact ? 1 : Number(row.similarity), exact: row.exact }));
  }

  /**
   * Stations with coordinates inside any of the boxes: the prefilter of a radius search, served
   * by the GiST index on point(longitude, latitude) (ix_stations_position).
   */
  withinBoxes(boxes: LatLonBox[]): Promise<Station[]> {
    return this.withinBoxesQuery(boxes).getMany();
  }

  /** The query behind withinBoxes(); public so a test can check its plan uses the index. */
  withinBoxesQuery(boxes: LatLonBox[]): SelectQueryBuilder<Station> {
    const query = this.stations.createQueryBuilder('station');
    const inside = boxes.map((box, i) => {
      query.setParameters({ [`west${i}`]: box.west, [`south${i}`]: box.south, [`east${i}`]: box.east, [`north${i}`]: box.north });
      // The expression must be written as the index defines it for the planner to use the index.
      return `point(station.longitude, station.latitude) <@ box(point(:west${i}, :south${i}), point(:east${i}, :north${i}))`;
    });
    return query.where(`(${inside.join(' OR ')})`);
  }

  findByCode(code: string): Promise<Station | null> {
    return this.stations.findOneBy({ code });
  }

  /** Inserts unless the code is taken; null when it is. */
  async insert(station: Omit<Station, 'id' | 'createdAt' | 'updatedAt' | 'feedId' | 'gtfsId'>): Promise<Station | null> {
    const result = await this.stations.createQueryBuilder().insert().values(station).orIgnore().returning('*').execute();
    return result.raw[0] ? this.stations.findOneBy({ code: station.code }) : null;
  }

  async update(id: string, changes: Partial<Omit<Station, 'id' | 'code' | 'createdAt' | 'updatedAt' | 'feedId' | 'gtfsId'>>): Promise<void> {
    await this.stations.update({ id }, changes);
  }

  /** Deletes the station; false when a train still calls there (the foreign key refuses). */
  async delete(id: string): Promise<boolean> {
    try {
      await this.stations.delete({ id });
      return true;
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === FOREIGN_KEY_VIOLATION) return false;
      throw error;
    }
  }

  /** A station's platforms, by name then stop id. */
  platformsOf(stationId: string): Promise<Platform[]> {
    return this.stations.manager.find(Platform, { where: { stationId }, order: { name: 'ASC', gtfsId: 'ASC' } });
  }

  /** Every platform that is a stop of its feed (has a stop id): what realtime feeds name platforms by. */
  platformStops(): Promise<Array<{ stationId: string; gtfsId: string; name: string | null }>> {
    return this.stations.manager.query(`SELECT station_id AS "stationId", gtfs_id AS "gtfsId", name FROM platforms WHERE gtfs_id IS NOT NULL`);
  }

  findByCodes(codes: string[]): Promise<Station[]> {
    return codes.length === 0 ? Promise.resolve([]) : this.stations.findBy({ code: In(codes) });
  }
}
