export const NOTIFICATION_TYPES = ['DELAY', 'DEPARTED', 'ARRIVED', 'PLATFORM_CHANGE', 'CANCELLED', 'RESTORED'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
