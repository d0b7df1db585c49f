import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RoutesModule } from '../routes/routes.module.js';
import { Train } from './train.entity.js';
import { TrainsController } from './trains.controller.js';
import { TrainsRepository } from './trains.repository.js';
import { TrainsService } from './trains.service.js';

/** The catalog of trains: search, detail, route, trains between two stations, admin writes. */
@Module({
  imports: [TypeOrmModule.forFeature([Train]), RoutesModule],
  controllers: [TrainsController],
  providers: [TrainsService, TrainsRepository],
  exports: [TrainsService],
})
export class TrainsModule {}
