import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StationsModule } from '../stations/stations.module.js';
import { RouteStop } from './route-stop.entity.js';
import { TrainPattern } from './train-pattern.entity.js';
import { RoutesRepository } from './routes.repository.js';
import { RoutesService } from './routes.service.js';
import { StationTrainsController } from './station-trains.controller.js';
import { CatalogController } from './catalog.controller.js';
import { TimetableService } from './timetable.service.js';

/** Train routes (stops and timetables). Trains build on it; it knows trains only as rows it joins. */
@Module({
  imports: [TypeOrmModule.forFeature([RouteStop, TrainPattern]), StationsModule],
  controllers: [StationTrainsController, CatalogController],
  providers: [RoutesService, RoutesRepository, TimetableService],
  exports: [RoutesService, TimetableService],
})
export class RoutesModule {}
