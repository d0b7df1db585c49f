import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.validation.js';
import { RoutesModule } from '../routes/routes.module.js';
import { StationsModule } from '../stations/stations.module.js';
import { TrainsModule } from '../trains/trains.module.js';
import { LiveHttpCache } from './live-http-cache.js';
import { LiveStatusService } from './live-status.service.js';
import { type Freshness, LIVE_FRESHNESS } from './live-view.js';
import { RunStateCache } from './run-state.cache.js';
import { RunStatesService } from './run-states.service.js';
import { StationBoardController } from './station-board.controller.js';
import { StationBoardService } from './station-board.service.js';
import { TrainRunsController } from './train-runs.controller.js';
import { TrainRunsRepository } from './train-runs.repository.js';

/**
 * Runs (a train on one service date) and their live state: the stored state and its cache,
 * history, and what clients read of it (status, timeline, station board). Built on the
 * catalog; what produces changes (tracking) and what is yours (favorites) build on it.
 */
@Module({
  imports: [StationsModule, RoutesModule, TrainsModule],
  controllers: [TrainRunsController, StationBoardController],
  providers: [
    LiveHttpCache,
    LiveStatusService,
    StationBoardService,
    RunStatesService,
    RunStateCache,
    TrainRunsRepository,
    {
      provide: LIVE_FRESHNESS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>): Freshness => ({ staleAfterMs: config.get('LIVE_DATA_STALE_AFTER_SECONDS', { infer: true }) * 1000 }),
    },
  ],
  exports: [LiveStatusService, RunStatesService, TrainRunsRepository, LIVE_FRESHNESS],
})
export class LiveModule {}
