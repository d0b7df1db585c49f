/**
 * What a notification is about: a change of a followed train's run (every follower hears it), or
 * a rider alert about the follower's own station (ARRIVING_SOON, DEPARTING_SOON,
 * PLATFORM_AT_STATION, DELAY_AT_STATION, STOP_SKIPPED).
 */
export const NOTIFICATION_TYPES = [
  'DELAY',
  'DEPARTED',
  'ARRIVED',
  'PLATFORM_CHANGE',
  'CANCELLED',
  'RESTORED',
  'ARRIVING_SOON',
  'DEPARTING_SOON',
  'PLATFORM_AT_STATION',
  'DELAY_AT_STATION',
  'STOP_SKIPPED',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
