import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RoutesModule } from '../routes/routes.module.js';
import { Train } from './train.entity.js';
import { TrainsController } from './trains.controller.js';
import { TrainsRepository } from './trains.repository.js';
import { TrainsService } from './trains.service.js';
import { StationsModule } from '../stations/stations.module.js';
import { LiveStatusService } from './live-status.service.js';
import { RunStateCache } from './run-state.cache.js';
import { RunStatesService } from './run-states.service.js';
import { StationBoardController } from './station-board.controller.js';
import { TrainRunsRepository } from './train-runs.repository.js';

@Module({
  imports: [TypeOrmModule.forFeature([Train]), RoutesModule, StationsModule],
  controllers: [TrainsController, StationBoardController],
  providers: [TrainsService, TrainsRepository, LiveStatusService, RunStatesService, RunStateCache, TrainRunsRepository],
  exports: [TrainsService, LiveStatusService, RunStatesService, TrainRunsRepository],
})
export class TrainsModule {}
