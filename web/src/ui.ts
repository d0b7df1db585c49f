import { ApiError } from './api/client';
import { h, show } from './dom';
import { clockTime, delayClass, delayText } from './format';
import type { Platform, StopTime } from './stop-times';

export const loading = (what: string) => h('p', { class: 'loading', role: 'status' }, `Loading ${what}…`);

/** What went wrong, and a way to try again. */
export function errorPanel(error: unknown, retry?: () => void): HTMLElement {
  const down = error instanceof ApiError && error.status === null;
  const message = error instanceof Error ? error.message : String(error);
  return h(
    'div',
    { class: down ? 'error api-down' : 'error', role: 'alert' },
    h('p', {}, down ? 'The server cannot be reached. ' : '', down ? 'Live data will come back when it does.' : message),
    retry && h('button', { type: 'button', onclick: retry }, 'Try again'),
  );
}

/** Loads data into `target`, with a loading state and an error state that can retry. */
export async function load<T>(target: Element, what: string, fetch: () => Promise<T>, render: (data: T) => void): Promise<void> {
  target.setAttribute('aria-busy', 'true');
  if (!target.hasChildNodes()) show(target, loading(what));
  try {
    const data = await fetch();
    render(data);
  } catch (error) {
    show(target, errorPanel(error, () => void load(target, what, fetch, render)));
  } finally {
    target.removeAttribute('aria-busy');
  }
}

export const delayBadge = (minutes: number, realtime: boolean) =>
  realtime ? h('span', { class: `delay ${delayClass(minutes)}` }, delayText(minutes)) : h('span', { class: 'delay delay-unknown' }, 'no live data');

const SOURCE_LABELS = { realtime: 'reported', propagated: 'expected', scheduled: 'timetable' } as const;

/** A scheduled time and, when known, the expected (or actual) one beside it, with where it comes from. */
export function timeCell(label: string, time: StopTime | null, timeZone: string): HTMLElement | null {
  if (!time) return null;
  const scheduled = clockTime(time.scheduled, timeZone);
  const expected = time.expected ? clockTime(time.expected, timeZone) : null;
  const changed = expected !== null && expected !== scheduled;
  return h(
    'span',
    { class: 'time' },
    h('span', { class: 'time-label' }, label, ' '),
    changed ? h('s', { 'aria-label': `scheduled ${scheduled}` }, scheduled) : h('span', {}, scheduled),
    changed && [' ', h('strong', { class: 'expected' }, expected)],
    ' ',
    h('span', { class: `source source-${time.source}` }, SOURCE_LABELS[time.source]),
  );
}

/** "Pf 5", or "Pf 5 → 7" when the platform changed. */
export function platformText(platform: Platform): HTMLElement | null {
  const { planned, current } = platform;
  if (!planned && !current) return null;
  if (current && planned && current !== planned) {
    return h('span', { class: 'platform changed', 'aria-label': `platform changed from ${planned} to ${current}` }, 'Pf ', h('s', {}, planned), ' → ', h('strong', {}, current));
  }
  return h('span', { class: 'platform' }, `Pf ${current ?? planned}`);
}

export const liveTag = (realtime: boolean) =>
  h('span', { class: realtime ? 'tag tag-live' : 'tag tag-timetable' }, realtime ? 'live' : 'timetable only');
