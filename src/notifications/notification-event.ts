import type { Notification } from './notification.entity.js';

/** What happened to a run, to be told to each of the train's followers. `eventKey` identifies it: one notification per user and key. */
export type NotificationEvent = Pick<Notification, 'type' | 'trainId' | 'runDate' | 'title' | 'body' | 'data' | 'eventKey'>;
