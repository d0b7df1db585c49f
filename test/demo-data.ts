import { loadDemoData } from '../src/database/seed/demo-data.js';
import { formatClock, minutesFromStart } from '../src/routes/schedule-time.js';

/** The demo catalog the test database was seeded with: expected values come from the data files. */
export const demo = loadDemoData();

export const trainData = (number: string) => {
  const train = demo.trains.find((candidate) => candidate.number === number);
  if (!train) throw new Error(`train ${number} is not in the demo data`);
  return train;
};

export const clock = (minute: number | null) => (minute === null ? null : formatClock(minute));
export const at = (minute: number | null, day: number | null) => (minute === null || day === null ? null : minutesFromStart(minute, day));
