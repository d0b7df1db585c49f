export const MINUTES_PER_DAY = 1440;

/** Minutes since midnight of the journey's first day. */
export const minutesFromStart = (minuteOfDay: number, dayOffset: number) => dayOffset * MINUTES_PER_DAY + minuteOfDay;

/** 0..1439 to "HH:mm". */
export function formatClock(minuteOfDay: number): string {
  const hours = Math.floor(minuteOfDay / 60);
  const minutes = minuteOfDay % 60;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** "HH:mm" to 0..1439, or null when malformed. */
export function parseClock(text: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}
