import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '../catalog/catalog.module.js';
import { Station } from './station.entity.js';
import { StationIndexService } from './station-index.service.js';
import { StationsController } from './stations.controller.js';
import { StationsRepository } from './stations.repository.js';
import { StationsService } from './stations.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Station]), CatalogModule],
  controllers: [StationsController],
  providers: [StationsService, StationsRepository, StationIndexService],
  exports: [StationsService, StationIndexService, CatalogModule],
})
export class StationsModule {}
