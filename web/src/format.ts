/** Times and delays as riders read them. Times are shown in the train's time zone (its timetable's), not the browser's. */

const clocks = new Map<string, Intl.DateTimeFormat>();
const days = new Map<string, Intl.DateTimeFormat>();

/** "19:43" in the zone. */
export function clockTime(iso: string, timeZone: string): string {
  let format = clocks.get(timeZone);
  if (!format) clocks.set(timeZone, (format = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone })));
  return format.format(new Date(iso));
}

/** "Tue 24 Nov" in the zone. */
export function dayLabel(iso: string, timeZone: string): string {
  let format = days.get(timeZone);
  if (!format) days.set(timeZone, (format = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone })));
  return format.format(new Date(iso));
}

/** A service date ("2026-11-24") as "Tue 24 Nov": a calendar day, so read in UTC. */
export const serviceDateLabel = (date: string): string => dayLabel(`${date}T12:00:00Z`, 'UTC');

export function delayText(minutes: number): string {
  if (minutes === 0) return 'on time';
  if (minutes < 0) return `${-minutes} min early`;
  return `${minutes} min late`;
}

/** A colour class by size: on time (or early), a little late, late, very late. */
export function delayClass(minutes: number): 'delay-none' | 'delay-small' | 'delay-medium' | 'delay-large' {
  if (minutes <= 0) return 'delay-none';
  if (minutes < 10) return 'delay-small';
  if (minutes < 30) return 'delay-medium';
  return 'delay-large';
}

/** Minutes between two instants, rounded. */
export const minutesBetween = (from: string, to: string): number => Math.round((Date.parse(to) - Date.parse(from)) / 60_000);

export const RUN_STATE_LABELS: Record<string, string> = {
  SCHEDULED: 'Not yet departed',
  RUNNING: 'Running',
  ARRIVED: 'Arrived',
  CANCELLED: 'Cancelled',
};
