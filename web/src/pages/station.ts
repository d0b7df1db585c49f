import { api, call, type Schemas } from '../api/client';
import { h, oneAtATime, show } from '../dom';
import { clockTime } from '../format';
import { RunStatuses, watchTrain } from '../live';
import { boardTimes, platformOf } from '../stop-times';
import { delayBadge, errorPanel, liveTag, loading, platformText, timeCell } from '../ui';
import type { Page } from './page';

type Board = Schemas['StationBoardDto'];
type Call = Schemas['BoardCallDto'];

const BOARD_HOURS = 3;
/** The server lets one socket follow this many trains (SOCKET_MAX_SUBSCRIPTIONS' default): the board follows its first calls. */
const MAX_WATCHED_TRAINS = 20;
/** Calls leave the board as time passes, without any event: read it again this often. */
const REREAD_MS = 60_000;

/** What the timetable says of the trains calling here: their time zone. */
interface StationTimetable {
  timeZone: string;
}

export const stationPage: Page = (main, { path }) => {
  const code = decodeURIComponent(path[1] ?? '');
  const heading = h('h1', { tabindex: -1 }, `Station ${code}`);
  const updated = h('p', { class: 'muted', 'aria-live': 'polite' });
  const boardSlot = h('div', { class: 'board' }, loading('the board'));
  show(main, heading, updated, boardSlot);

  const statuses = new RunStatuses();
  const watched = new Map<string, { stop(): void }>();
  let timetable: StationTimetable | null = null;
  let stopped = false;

  const render = (board: Board) => {
    const zone = timetable!.timeZone;
    updated.textContent = `Next ${BOARD_HOURS} hours · updated ${clockTime(board.asOf, zone)} (${zone})`;
    if (board.calls.length === 0) {
      show(boardSlot, h('p', {}, `No train calls here in the next ${BOARD_HOURS} hours.`));
      return;
    }
    show(boardSlot, h('ol', { class: 'board-list', 'aria-label': `Trains at ${board.station.name}` }, board.calls.map((item) => callRow(item, zone))));
  };

  /** Follows the trains of the board's first calls, so a change of any of them reads the board again. */
  const follow = (board: Board) => {
    const numbers = [...new Set(board.calls.map((item) => item.train.number))].slice(0, MAX_WATCHED_TRAINS);
    for (const [number, watch] of watched) {
      if (numbers.includes(number)) continue;
      watch.stop();
      watched.delete(number);
    }
    for (const number of numbers) {
      if (watched.has(number)) continue;
      watched.set(
        number,
        watchTrain(number, (status) => {
          if (statuses.keep(status)) void read();
        }),
      );
    }
  };

  const read = oneAtATime(async () => {
    try {
      timetable ??= await stationTimetable(code);
      const board = await call(api.GET('/api/v1/stations/{code}/board', { params: { path: { code }, query: { hours: BOARD_HOURS } } }));
      if (stopped) return;
      heading.textContent = board.station.name;
      document.title = `${board.station.name} · Train Tracker`;
      render(board);
      follow(board);
    } catch (error) {
      if (!stopped) show(boardSlot, errorPanel(error, () => void read()));
    }
  });

  void read();
  const timer = setInterval(() => void read(), REREAD_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
    watched.forEach((watch) => watch.stop());
  };
};

async function stationTimetable(code: string): Promise<StationTimetable> {
  const trains = await call(api.GET('/api/v1/stations/{code}/trains', { params: { path: { code } } }));
  return {
    // Trains calling at one station run on its agency's clock; an empty list has nothing to show anyway.
    timeZone: trains[0]?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}

function callRow(item: Call, zone: string): HTMLElement {
  const { arrival, departure } = boardTimes(item);
  const ends = item.scheduledDeparture === null;
  const starts = item.scheduledArrival === null;
  return h(
    'li',
    { class: `call state-${item.state.toLowerCase()}`, 'data-train': item.train.number },
    h(
      'div',
      { class: 'call-train' },
      h('a', { href: `#/trains/${encodeURIComponent(item.train.number)}?date=${item.serviceDate}` }, h('span', { class: 'code' }, item.train.number), ' ', item.train.name),
      h('span', { class: 'muted' }, ends ? ` from ${item.origin.name}` : ` to ${item.destination.name}`, starts ? ' (starts here)' : '', ends ? ' (ends here)' : ''),
    ),
    h('div', { class: 'call-times' }, timeCell('arr', arrival, zone), timeCell('dep', departure, zone)),
    h(
      'div',
      { class: 'call-status' },
      item.state === 'CANCELLED' ? h('span', { class: 'delay delay-large' }, 'cancelled') : delayBadge(item.delayMinutes, item.realtime),
      ' ',
      item.skipped ? h('span', { class: 'delay delay-large' }, 'not stopping') : platformText(platformOf(item.platforms)),
      ' ',
      liveTag(item.realtime),
    ),
  );
}
