import { api, call } from '../api/client';
import { h, show } from '../dom';
import { stationPicker } from '../station-picker';
import { load } from '../ui';
import type { Page } from './page';

const today = () => new Date().toLocaleDateString('en-CA'); // YYYY-MM-DD, the rider's day

export const homePage: Page = (main) => {
  const stationSection = h(
    'section',
    { class: 'card', 'aria-labelledby': 'find-station' },
    h('h2', { id: 'find-station' }, 'Station board'),
    stationPicker({ id: 'station-search', label: 'Station', onChoose: (station) => (location.hash = `#/stations/${encodeURIComponent(station.code)}`) }).element,
  );

  const trainResults = h('div', { 'aria-live': 'polite' });
  const trainQuery = h('input', { id: 'train-search', type: 'search', required: true, minlength: 1, placeholder: '12951 or Rajdhani' });
  const trainForm = h(
    'form',
    {
      role: 'search',
      'aria-label': 'Trains',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const q = trainQuery.value.trim();
        if (!q) return;
        show(trainResults);
        void load(trainResults, 'trains', () => call(api.GET('/api/v1/trains', { params: { query: { q, limit: 20 } } })), (page) =>
          show(
            trainResults,
            page.items.length === 0
              ? h('p', {}, `No train matches “${q}”.`)
              : h(
                  'ul',
                  { class: 'results' },
                  page.items.map((train) =>
                    h('li', {}, h('a', { href: `#/trains/${encodeURIComponent(train.number)}` }, h('span', { class: 'code' }, train.number), ' ', train.name), h('span', { class: 'muted' }, ` ${train.origin?.name ?? '?'} → ${train.destination?.name ?? '?'}`)),
                  ),
                ),
          ),
        );
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'train-search' }, 'Number or name'), trainQuery),
    h('button', { type: 'submit' }, 'Find trains'),
  );
  const trainSection = h('section', { class: 'card', 'aria-labelledby': 'find-train' }, h('h2', { id: 'find-train' }, 'Trains'), trainForm, trainResults);

  const from = stationPicker({ id: 'between-from', label: 'From', onChoose: () => undefined, required: true });
  const to = stationPicker({ id: 'between-to', label: 'To', onChoose: () => undefined, required: true });
  const date = h('input', { id: 'between-date', type: 'date', value: today(), required: true });
  const betweenResults = h('div', { 'aria-live': 'polite' });
  const betweenForm = h(
    'form',
    {
      'aria-label': 'Trains between two stations',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const origin = from.chosen();
        const destination = to.chosen();
        if (!origin || !destination) {
          show(betweenResults, h('p', { class: 'error', role: 'alert' }, 'Choose both stations from the suggestions.'));
          return;
        }
        show(betweenResults);
        const query = { from: origin.code, to: destination.code, date: date.value || undefined };
        void load(betweenResults, 'connections', () => call(api.GET('/api/v1/trains/between', { params: { query } })), (trains) =>
          show(
            betweenResults,
            trains.length === 0
              ? h('p', {}, `No train from ${origin.name} to ${destination.name} on that day.`)
              : h(
                  'ul',
                  { class: 'results' },
                  trains.map((train) =>
                    h(
                      'li',
                      {},
                      h('a', { href: `#/trains/${encodeURIComponent(train.number)}${train.originDate ? `?date=${train.originDate}` : ''}` }, h('span', { class: 'code' }, train.number), ' ', train.name),
                      h('span', { class: 'muted' }, ` dep ${train.departure.time} → arr ${train.arrival.time}${train.arrival.day > train.departure.day ? ` (+${train.arrival.day - train.departure.day})` : ''}`),
                    ),
                  ),
                ),
          ),
        );
      },
    },
    h('div', { class: 'field-row' }, from.element, to.element),
    h('div', { class: 'field' }, h('label', { for: 'between-date' }, 'Date'), date),
    h('button', { type: 'submit' }, 'Find connections'),
  );
  const betweenSection = h('section', { class: 'card', 'aria-labelledby': 'between' }, h('h2', { id: 'between' }, 'Between two stations'), betweenForm, betweenResults);

  show(main, h('h1', { tabindex: -1 }, 'Where is my train?'), stationSection, trainSection, betweenSection);
};
