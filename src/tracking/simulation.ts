import type { ObservedRunStatus } from './train-status-provider.js';
import { addMinutes, scheduledInstant } from '../trains/service-time.js';

/** A timetable stop, as the simulator needs it. */
export interface SimStop {
  sequence: number;
  arrivalMinute: number | null;
  arrivalDay: number | null;
  departureMinute: number | null;
  departureDay: number | null;
  platform: string | null;
}

export interface SimRun {
  trainId: string;
  trainNumber: string;
  serviceDate: string;
  /** The zone of the stops' times. */
  timeZone: string;
  stops: SimStop[];
}

/** Deterministic 32-bit PRNG (mulberry32): the same run always gets the same delays. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** What the simulator decides for a run once: delays at each stop, platforms, cancellation. */
export interface RunPlan {
  cancelled: boolean;
  /** Delay in minutes on reaching each stop (index = sequence - 1). */
  delays: number[];
  /** Platform first announced for each stop, and the one it ends up on. */
  announcedPlatforms: Array<string | null>;
  finalPlatforms: Array<string | null>;
}

/**
 * A seeded random walk: delays mostly grow a little or recover, sometimes jump; about one run in
 * 12 gets a platform change at some stop; about one in 150 is cancelled.
 */
export function planRun(run: SimRun): RunPlan {
  const next = random(hash(`${run.trainNumber}:${run.serviceDate}`));
  const cancelled = next() < 1 / 150;
  const delays: number[] = [];
  let delay = next() < 0.75 ? 0 : Math.round(next() * 20);
  for (let i = 0; i < run.stops.length; i++) {
    if (i > 0) {
      const roll = next();
      const step =
        roll < 0.5 ? Math.round(next() * 6) : roll < 0.85 ? -Math.round(next() * 9) : roll < 0.97 ? 5 + Math.round(next() * 15) : 20 + Math.round(next() * 40);
      delay = Math.min(300, Math.max(0, delay + step));
    }
    delays.push(delay);
  }
  const announcedPlatforms = run.stops.map((stop) => stop.platform ?? String(1 + (hash(`${run.trainNumber}:${stop.sequence}`) % 8)));
  const finalPlatforms = announcedPlatforms.map((platform, i) =>
    i > 0 && next() < 0.08 ? String(((Number(platform) || 1) % 8) + 1 + (next() < 0.5 ? 1 : 0)) : platform,
  );
  return { cancelled, delays, announcedPlatforms, finalPlatforms };
}

/** First and last instants the simulator reports a run (2 h before departure to 1 h after arrival). */
export function reportWindow(run: SimRun): [Date, Date] {
  const first = run.stops[0];
  const last = run.stops[run.stops.length - 1];
  return [
    addMinutes(scheduledInstant(run.serviceDate, first.departureMinute!, first.departureDay!, run.timeZone), -120),
    addMinutes(scheduledInstant(run.serviceDate, last.arrivalMinute!, last.arrivalDay!, run.timeZone), 60 + 300),
  ];
}

/** The status of a run at an instant: a pure function of the timetable, the plan and the time. */
export function simulateRun(run: SimRun, at: Date, plan = planRun(run)): ObservedRunStatus {
  const base = { trainId: run.trainId, trainNumber: run.trainNumber, serviceDate: run.serviceDate, stopUpdates: [] };
  if (plan.cancelled) {
    return { ...base, phase: 'CANCELLED', delayMinutes: 0, lastStopSequence: null, departedLastStop: false, platform: null, stopTimes: [] };
  }
  const arrival = (i: number) => {
    const stop = run.stops[i];
    return stop.arrivalMinute === null ? null : addMinutes(scheduledInstant(run.serviceDate, stop.arrivalMinute, stop.arrivalDay!, run.timeZone), plan.delays[i]);
  };
  const departure = (i: number) => {
    const stop = run.stops[i];
    return stop.departureMinute === null ? null : addMinutes(scheduledInstant(run.serviceDate, stop.departureMinute, stop.departureDay!, run.timeZone), plan.delays[i]);
  };
  if (at < departure(0)!) {
    return { ...base, phase: 'SCHEDULED', delayMinutes: plan.delays[0], lastStopSequence: null, departedLastStop: false, platform: plan.finalPlatforms[0], stopTimes: [] };
  }
  let reached = 0;
  while (reached + 1 < run.stops.length && arrival(reached + 1)! <= at) reached++;
  const lastIndex = run.stops.length - 1;
  const leftAt = departure(reached);
  const departed = leftAt !== null && leftAt <= at;
  // The simulator knows when the train reached and left every stop behind it.
  const stopTimes = run.stops.slice(0, reached + 1).map((stop, i) => ({
    sequence: stop.sequence,
    arrivedAt: i === 0 ? null : arrival(i),
    departedAt: i < reached || departed ? departure(i) : null,
  }));
  if (reached === lastIndex) {
    return { ...base, phase: 'ARRIVED', delayMinutes: plan.delays[lastIndex], lastStopSequence: lastIndex + 1, departedLastStop: false, platform: plan.finalPlatforms[lastIndex], stopTimes };
  }
  const nextIndex = departed ? reached + 1 : reached;
  // A platform change is announced halfway to the station.
  const halfway = departed ? new Date((leftAt.getTime() + arrival(reached + 1)!.getTime()) / 2) : null;
  const platform = departed && halfway! > at ? plan.announcedPlatforms[nextIndex] : plan.finalPlatforms[nextIndex];
  return {
    ...base,
    phase: 'RUNNING',
    delayMinutes: plan.delays[reached],
    lastStopSequence: reached + 1,
    departedLastStop: departed,
    platform,
    stopTimes,
  };
}
