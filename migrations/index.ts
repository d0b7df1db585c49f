import { CreateCatalog1764000000000 } from './1764000000000-create-catalog.js';
import { CreateUsersAndSessions1764100000000 } from './1764100000000-create-users-and-sessions.js';
import { CreateFavoritesAndNotifications1764200000000 } from './1764200000000-create-favorites-and-notifications.js';
import { CreateTrainRuns1764300000000 } from './1764300000000-create-train-runs.js';
import { AddRefreshTokenSealedSuccessor1764420000000 } from './1764420000000-add-refresh-token-sealed-successor.js';
import { AddStationSearch1764513000000 } from './1764513000000-add-station-search.js';
import { TimetablesFromFeeds1764600000000 } from './1764600000000-timetables-from-feeds.js';
import { AddCatalogVersion1764700000000 } from './1764700000000-add-catalog-version.js';
import { RouteStopsForBulkWrites1764800000000 } from './1764800000000-route-stops-for-bulk-writes.js';
import { AddRiderAlerts1764810000000 } from './1764810000000-add-rider-alerts.js';
import { RealtimeFeeds1764820000000 } from './1764820000000-realtime-feeds.js';
import { DropStationSearchIndexes1764830000000 } from './1764830000000-drop-station-search-indexes.js';

/**
 * Every migration, oldest first. Listed explicitly (not globbed) so the app, the TypeORM CLI
 * and Jest's ESM loader all run the same chain; a unit test fails when a file is missing here.
 */
export const migrations = [
  CreateCatalog1764000000000,
  CreateUsersAndSessions1764100000000,
  CreateFavoritesAndNotifications1764200000000,
  CreateTrainRuns1764300000000,
  AddRefreshTokenSealedSuccessor1764420000000,
  AddStationSearch1764513000000,
  TimetablesFromFeeds1764600000000,
  AddCatalogVersion1764700000000,
  RouteStopsForBulkWrites1764800000000,
  AddRiderAlerts1764810000000,
  RealtimeFeeds1764820000000,
  DropStationSearchIndexes1764830000000,
];
