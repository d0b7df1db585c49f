import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from './auth/auth.module.js';
import { DefaultCatalogModule } from './catalog/default-catalog.module.js';
import { AppCacheModule } from './common/cache/cache.module.js';
import { ClockModule } from './common/clock/clock.js';
import { ObservabilityModule } from './common/observability/observability.module.js';
import { RedisModule } from './common/redis/redis.module.js';
import { FavoritesModule } from './favorites/favorites.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { validateEnv } from './config/env.validation.js';
import { DatabaseModule } from './database/database.module.js';
import { RoutesModule } from './routes/routes.module.js';
import { StationsModule } from './stations/stations.module.js';
import { TrackingModule } from './tracking/tracking.module.js';
import { TrainsModule } from './trains/trains.module.js';
import { LiveModule } from './live/live.module.js';
import { UsersModule } from './users/users.module.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, cache: true, validate: validateEnv }),
    ScheduleModule.forRoot(),
    DatabaseModule,
    DefaultCatalogModule,
    RedisModule,
    AppCacheModule,
    ClockModule,
    ObservabilityModule,
    StationsModule,
    RoutesModule,
    TrainsModule,
    LiveModule,
    UsersModule,
    AuthModule,
    FavoritesModule,
    NotificationsModule,
    TrackingModule,
  ],
})
export class AppModule {}
