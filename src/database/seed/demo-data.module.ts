import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../config/env.validation.js';
import { isEmbedded } from '../database.options.js';
import { DemoDataSeeder } from './demo-data.seeder.js';

/** The app's start: the demo catalog is loaded into an empty database (by default only in embedded mode). */
@Module({ providers: [DemoDataSeeder] })
export class DemoDataModule implements OnApplicationBootstrap {
  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly seeder: DemoDataSeeder,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const seed = this.config.get('SEED_DEMO_DATA_WHEN_EMPTY', { infer: true }) ?? isEmbedded({ DATABASE_URL: this.config.get('DATABASE_URL', { infer: true }) });
    if (seed) await this.seeder.seedIfEmpty();
  }
}
