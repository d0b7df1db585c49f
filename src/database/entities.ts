import { RefreshToken } from '../auth/refresh-token.entity.js';
import { Agency } from '../catalog/agency.entity.js';
import { Feed } from '../catalog/feed.entity.js';
import { ArmedAlert } from '../favorites/armed-alert.entity.js';
import { Favorite } from '../favorites/favorite.entity.js';
import { Notification } from '../notifications/notification.entity.js';
import { RouteStop } from '../routes/route-stop.entity.js';
import { TrainPattern } from '../routes/train-pattern.entity.js';
import { Platform } from '../stations/platform.entity.js';
import { Station } from '../stations/station.entity.js';
import { TrainRunEvent } from '../live/train-run-event.entity.js';
import { TrainRun } from '../live/train-run.entity.js';
import { Train } from '../trains/train.entity.js';
import { User } from '../users/user.entity.js';

/** Every entity, for the one DataSource shared by the app, the CLI and the tests. */
export const entities = [Feed, Agency, Station, Platform, Train, TrainPattern, RouteStop, User, RefreshToken, Favorite, ArmedAlert, Notification, TrainRun, TrainRunEvent];
