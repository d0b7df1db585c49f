import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.validation.js';
import { StationsModule } from '../stations/stations.module.js';
import { GtfsRtStatusProvider } from './gtfs-rt/gtfs-rt-status.provider.js';
import { GtfsRtController } from './gtfs-rt/gtfs-rt.controller.js';
import { TripUpdatesFeed } from './gtfs-rt/trip-updates.feed.js';
import { AuthModule } from '../auth/auth.module.js';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module.js';
import { FavoritesModule } from '../favorites/favorites.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { RoutesModule } from '../routes/routes.module.js';
import { LiveModule } from '../live/live.module.js';
import { AdminStatusController } from './admin-status.controller.js';
import { AlertScheduler } from './alert-scheduler.js';
import { LiveGateway } from './live.gateway.js';
import { LiveRateLimiter } from './live-rate-limiter.js';
import { SimulatedStatusProvider } from './simulated-status.provider.js';
import { StatusReportsService } from './status-reports.service.js';
import { TickLock } from './tick-lock.js';
import { RiderAlertsService } from './rider-alerts.service.js';
import { RunIngestService } from './run-ingest.service.js';
import { TrackerService } from './tracker.service.js';
import { TRAIN_STATUS_PROVIDER } from './train-status-provider.js';

/** Live status: where it comes from (provider), the tracker that writes it, the gateway that pushes it; rider alerts it sends. */
@Module({
  imports: [AuthModule, RateLimitModule, StationsModule, RoutesModule, LiveModule, FavoritesModule, NotificationsModule],
  controllers: [AdminStatusController, GtfsRtController],
  providers: [
    SimulatedStatusProvider,
    GtfsRtStatusProvider,
    TripUpdatesFeed,
    {
      // STATUS_PROVIDER picks where live status comes from; the simulator is the demo's default.
      provide: TRAIN_STATUS_PROVIDER,
      inject: [ConfigService, SimulatedStatusProvider, GtfsRtStatusProvider],
      useFactory: (config: ConfigService<Env, true>, simulator: SimulatedStatusProvider, feed: GtfsRtStatusProvider) =>
        config.get('STATUS_PROVIDER', { infer: true }) === 'gtfs-rt' ? feed : simulator,
    },
    RunIngestService,
    RiderAlertsService,
    AlertScheduler,
    TrackerService,
    TickLock,
    StatusReportsService,
    LiveGateway,
    LiveRateLimiter,
  ],
  exports: [TrackerService],
})
export class TrackingModule {}
