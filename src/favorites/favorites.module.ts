import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LiveModule } from '../live/live.module.js';
import { RoutesModule } from '../routes/routes.module.js';
import { TrainsModule } from '../trains/trains.module.js';
import { ArmedAlertsCleanupService } from './armed-alerts-cleanup.service.js';
import { ArmedAlertsRepository } from './armed-alerts.repository.js';
import { ArmedAlertsService } from './armed-alerts.service.js';
import { ArmedAlert } from './armed-alert.entity.js';
import { Favorite } from './favorite.entity.js';
import { FavoritesController } from './favorites.controller.js';
import { FavoritesRepository } from './favorites.repository.js';
import { FavoritesService } from './favorites.service.js';

/** Followed trains, the rider's station on each and the alerts about it, armed per run (evaluated by tracking). */
@Module({
  imports: [TypeOrmModule.forFeature([Favorite, ArmedAlert]), TrainsModule, RoutesModule, LiveModule],
  controllers: [FavoritesController],
  providers: [FavoritesService, FavoritesRepository, ArmedAlertsService, ArmedAlertsRepository, ArmedAlertsCleanupService],
  exports: [FavoritesService, ArmedAlertsService],
})
export class FavoritesModule {}
