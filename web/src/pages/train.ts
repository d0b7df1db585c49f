import { api, call, type Schemas } from '../api/client';
import { debounce, h, oneAtATime, show, svg } from '../dom';
import { clockTime, dayLabel, RUN_STATE_LABELS, serviceDateLabel } from '../format';
import { RunStatuses, watchTrain } from '../live';
import { type DiagramInput, drawRouteDiagram } from '../route-diagram';
import { session } from '../session';
import { dataAgeMinutes, isRealtime, isStale, platformOf, progressBetweenStations, timelineTimes } from '../stop-times';
import { delayBadge, errorPanel, liveTag, loading, platformText, timeCell } from '../ui';
import type { Page } from './page';

type Timeline = Schemas['TimelineDto'];
type Train = Schemas['TrainDto'];
type RunDates = Schemas['RunDatesDto'];

/** The train moves between events (by time): read the timeline again this often. */
const REREAD_MS = 60_000;

export const trainPage: Page = (main, { path, query }) => {
  const number = decodeURIComponent(path[1] ?? '');
  const asked = query.get('date') || undefined;
  const heading = h('h1', { tabindex: -1 }, `Train ${number}`);
  const header = h('div', { class: 'train-header' });
  const summary = h('section', { class: 'card run-summary', 'aria-label': 'Where the train is', 'aria-live': 'polite' }, loading('the run'));
  const stopsSection = h('section', { class: 'card', 'aria-labelledby': 'stops-heading' }, h('h2', { id: 'stops-heading' }, 'Stops'));
  show(main, heading, header, summary, stopsSection);

  const statuses = new RunStatuses();
  const diagram = svg('svg', { class: 'route-diagram', 'aria-hidden': 'true', focusable: 'false' });
  const list = h('ol', { class: 'timeline' });
  stopsSection.append(h('div', { class: 'timeline-wrap' }, diagram, list));
  let diagramInput: DiagramInput = { stops: [], position: null };
  const redraw = () => drawRouteDiagram(diagram, [...list.children] as HTMLElement[], diagramInput);
  const resize = new ResizeObserver(() => redraw());
  resize.observe(list);

  let train: Train | null = null;
  let stopped = false;
  let serviceDate = asked;

  const render = (timeline: Timeline) => {
    statuses.keep(timeline);
    serviceDate = timeline.serviceDate;
    const zone = train!.timeZone;
    show(summary, ...runSummary(timeline, zone));
    show(
      list,
      timeline.stops.map((stop, index) => {
        const { arrival, departure } = timelineTimes(stop);
        return h(
          'li',
          { class: `stop stop-${stop.status.toLowerCase()}`, 'data-station': stop.stationCode },
          h('span', { class: 'stop-name' }, stop.stationName, ' ', h('span', { class: 'code' }, stop.stationCode), h('span', { class: 'visually-hidden' }, ` (${stop.status.toLowerCase()})`)),
          h('span', { class: 'stop-times' }, timeCell('arr', arrival, zone), timeCell('dep', departure, zone), stop.actualTimes === 'NO_DATA' ? h('span', { class: 'muted' }, 'passed, no times reported') : null),
          h('span', { class: 'stop-platform' }, platformText(platformOf(stop.platforms))),
        );
      }),
    );
    diagramInput = { stops: timeline.stops.map((stop) => stop.status), position: positionOf(timeline) };
    redraw();
  };

  const read = oneAtATime(async () => {
    try {
      const date = serviceDate;
      const timeline = await call(api.GET('/api/v1/trains/{number}/timeline', { params: { path: { number }, query: { date } } }));
      if (stopped) return;
      render(timeline);
    } catch (error) {
      if (!stopped) show(summary, errorPanel(error, () => void read()));
    }
  });
  const readSoon = debounce(() => void read(), 250);

  const start = async () => {
    try {
      const [trainDto, runs] = await Promise.all([
        call(api.GET('/api/v1/trains/{number}', { params: { path: { number } } })),
        call(api.GET('/api/v1/trains/{number}/runs', { params: { path: { number } } })),
      ]);
      if (stopped) return;
      train = trainDto;
      heading.textContent = `${train.number} ${train.name}`;
      document.title = `${train.number} ${train.name} · Train Tracker`;
      serviceDate ??= runs.current ?? undefined;
      show(header, h('p', { class: 'muted' }, `${train.origin?.name ?? '?'} → ${train.destination?.name ?? '?'}`), runPicker(runs, serviceDate), followButton(train.number));
      if (!serviceDate) {
        show(summary, h('p', {}, 'This train has no run in the coming week.'));
        return;
      }
      await read();
    } catch (error) {
      if (!stopped) show(summary, errorPanel(error, () => void start()));
    }
  };
  void start();

  // Every run of the train is pushed; this page shows one of them.
  const watch = watchTrain(number, (status) => {
    if (status.serviceDate === serviceDate && statuses.keep(status)) readSoon();
  });
  const timer = setInterval(() => void read(), REREAD_MS);
  return () => {
    stopped = true;
    watch.stop();
    clearInterval(timer);
    readSoon.cancel();
    resize.disconnect();
  };
};

/** The train on the diagram: at its current stop, or between the last stop left and the next. */
function positionOf(timeline: Timeline): DiagramInput['position'] {
  if (timeline.state !== 'RUNNING') return null;
  const current = timeline.stops.findIndex((stop) => stop.status === 'CURRENT');
  if (current >= 0) return { index: current, fraction: 0 };
  const lastPassed = timeline.stops.map((stop) => stop.status).lastIndexOf('PASSED');
  if (lastPassed < 0) return null;
  return { index: lastPassed, fraction: progressBetweenStations(timeline) ?? 0.5 };
}

export function positionText(timeline: Timeline): string {
  const { lastStation, nextStation } = timeline;
  switch (timeline.state) {
    case 'CANCELLED':
      return 'Cancelled';
    case 'ARRIVED':
      return `Arrived at ${lastStation?.name ?? timeline.stops.at(-1)?.stationName ?? 'its destination'}`;
    case 'SCHEDULED':
      return `Not yet departed from ${timeline.stops[0]?.stationName ?? 'its origin'}`;
    default:
      if (lastStation && !lastStation.departedAt) return `At ${lastStation.name}`;
      if (lastStation && nextStation) return `Between ${lastStation.name} and ${nextStation.name}`;
      return RUN_STATE_LABELS[timeline.state] ?? timeline.state;
  }
}

function runSummary(timeline: Timeline, zone: string) {
  const age = dataAgeMinutes(timeline);
  const next = timeline.nextStation;
  return [
    h('p', { class: 'position', id: 'position' }, positionText(timeline)),
    h('p', {}, timeline.state === 'CANCELLED' ? null : delayBadge(timeline.delayMinutes, isRealtime(timeline)), ' ', liveTag(isRealtime(timeline))),
    next && timeline.state !== 'CANCELLED'
      ? h('p', {}, 'Next: ', h('strong', {}, next.name), ` expected ${clockTime(next.expectedArrival, zone)}`, next.platform ? ` · Pf ${next.platform}` : '')
      : null,
    isStale(timeline)
      ? h('p', { class: 'warning', role: 'alert' }, `No report for ${age} min: the live feed may have stopped, times may be out of date.`)
      : age !== null
        ? h('p', { class: 'muted' }, `Last report ${age === 0 ? 'just now' : `${age} min ago`} (${timeline.source === 'OPERATOR' ? 'operator' : 'feed'})`)
        : h('p', { class: 'muted' }, 'No live data for this run yet: times are the timetable’s.'),
    h('p', { class: 'muted' }, `Run of ${serviceDateLabel(timeline.serviceDate)} · as of ${dayLabel(timeline.asOf, zone)} ${clockTime(timeline.asOf, zone)} (${zone})`),
  ];
}

function runPicker(runs: RunDates, selected: string | undefined): HTMLElement {
  const select = h(
    'select',
    {
      id: 'run-date',
      onchange: (event: Event) => {
        location.hash = `#/trains/${encodeURIComponent(runs.train.number)}?date=${(event.target as HTMLSelectElement).value}`;
      },
    },
    runs.serviceDates.map((date) => h('option', { value: date, selected: date === selected }, serviceDateLabel(date), date === runs.current ? ' (current run)' : '')),
  );
  return h('div', { class: 'field run-picker' }, h('label', { for: 'run-date' }, 'Run (departure date)'), select);
}

function followButton(trainNumber: string): HTMLElement {
  if (!session()) return h('p', {}, h('a', { href: '#/account' }, 'Sign in'), ' to follow this train and get alerts.');
  const button = h('button', { type: 'button', class: 'follow', 'aria-pressed': 'false', disabled: true }, 'Follow');
  const status = h('span', { class: 'muted', role: 'status' });
  let following = false;
  const set = (value: boolean) => {
    following = value;
    button.textContent = value ? 'Following' : 'Follow';
    button.setAttribute('aria-pressed', String(value));
    button.disabled = false;
  };
  void call(api.GET('/api/v1/me/favorites')).then(
    (favorites) => set(favorites.some((favorite) => favorite.train.number === trainNumber)),
    () => set(false),
  );
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      if (following) await call(api.DELETE('/api/v1/me/favorites/{trainNumber}', { params: { path: { trainNumber } } }));
      else await call(api.PUT('/api/v1/me/favorites/{trainNumber}', { params: { path: { trainNumber } } }));
      set(!following);
      status.textContent = following ? 'You will be notified of delays, platform changes and arrivals.' : 'No longer following.';
    } catch (error) {
      button.disabled = false;
      status.textContent = error instanceof Error ? error.message : 'Could not change';
    }
  });
  return h('div', { class: 'follow-row' }, button, ' ', status);
}
