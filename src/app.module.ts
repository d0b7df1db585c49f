import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { validateEnv } from './config/env.validation.js';
import { DatabaseModule } from './database/database.module.js';
import { RoutesModule } from './routes/routes.module.js';
import { StationsModule } from './stations/stations.module.js';
import { TrainsModule } from './trains/trains.module.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, cache: true, validate: validateEnv }),
    DatabaseModule,
    StationsModule,
    RoutesModule,
    TrainsModule,
  ],
})
export class AppModule {}
