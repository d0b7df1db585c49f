import { api, ApiError, call, type Schemas } from '../api/client';
import { h, show } from '../dom';
import { clockTime, delayText } from '../format';
import { session, signIn, signOut, signUp } from '../session';
import { errorPanel, load } from '../ui';
import type { Page } from './page';

export const accountPage: Page = (main) => {
  const render = () => {
    const current = session();
    if (current) signedIn(main, current.user.displayName, current.user.email, render);
    else signedOut(main, render);
  };
  render();
};

function formField(id: string, label: string, attributes: Record<string, string | number | boolean>) {
  const input = h('input', { id, name: id, ...attributes });
  const message = h('p', { class: 'field-error', id: `${id}-error` });
  input.setAttribute('aria-describedby', message.id);
  return { input, message, element: h('div', { class: 'field' }, h('label', { for: id }, label), input, message) };
}

/** Shows a problem under the fields it names, or above the form. */
function showProblem(error: unknown, fields: Record<string, { input: Element; message: HTMLElement }>, summary: HTMLElement) {
  let named = false;
  for (const [name, field] of Object.entries(fields)) {
    const message = error instanceof ApiError ? error.fieldMessage(name) : undefined;
    field.message.textContent = message ?? '';
    field.input.setAttribute('aria-invalid', String(Boolean(message)));
    named ||= Boolean(message);
  }
  show(summary, named ? null : errorPanel(error));
}

function authForm(kind: 'in' | 'up', done: () => void): HTMLElement {
  const prefix = kind === 'in' ? 'signin' : 'signup';
  const email = formField(`${prefix}-email`, 'Email', { type: 'email', autocomplete: 'email', required: true });
  const password = formField(`${prefix}-password`, 'Password', { type: 'password', autocomplete: kind === 'in' ? 'current-password' : 'new-password', required: true, minlength: 8, maxlength: 128 });
  const name = kind === 'up' ? formField(`${prefix}-name`, 'Your name', { type: 'text', autocomplete: 'nickname', required: true, maxlength: 80 }) : null;
  const summary = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit' }, kind === 'in' ? 'Sign in' : 'Create account');
  return h(
    'form',
    {
      class: 'card',
      'aria-labelledby': `${prefix}-heading`,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        submit.disabled = true;
        try {
          if (kind === 'in') await signIn(email.input.value, password.input.value);
          else await signUp(email.input.value, password.input.value, name!.input.value);
          done();
        } catch (error) {
          showProblem(error, { email, password, ...(name && { displayName: name }) }, summary);
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h2', { id: `${prefix}-heading` }, kind === 'in' ? 'Sign in' : 'Create an account'),
    name?.element,
    email.element,
    password.element,
    summary,
    submit,
  );
}

function signedOut(main: HTMLElement, done: () => void) {
  show(main, h('h1', { tabindex: -1 }, 'Account'), h('p', {}, 'Follow trains and get told when they are late, change platform or arrive.'), h('div', { class: 'two-columns' }, authForm('in', done), authForm('up', done)));
}

function signedIn(main: HTMLElement, displayName: string, email: string, done: () => void) {
  const favorites = h('div', {});
  const renderFavorites = () =>
    load(favorites, 'followed trains', () => call(api.GET('/api/v1/me/favorites')), (items) =>
      show(
        favorites,
        items.length === 0
          ? h('p', {}, 'You follow no train yet. Open a train and press Follow.')
          : h(
              'ul',
              { class: 'results' },
              items.map((favorite) =>
                h(
                  'li',
                  {},
                  h('a', { href: `#/trains/${encodeURIComponent(favorite.train.number)}` }, h('span', { class: 'code' }, favorite.train.number), ' ', favorite.train.name),
                  favorite.status ? h('span', { class: 'muted' }, ` · ${favorite.status.realtime ? delayText(favorite.status.delayMinutes) : 'no live data'}`) : null,
                  ' ',
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'link-button',
                      'aria-label': `Unfollow ${favorite.train.number} ${favorite.train.name}`,
                      onclick: async () => {
                        await call(api.DELETE('/api/v1/me/favorites/{trainNumber}', { params: { path: { trainNumber: favorite.train.number } } })).catch(() => undefined);
                        await renderFavorites();
                      },
                    },
                    'Unfollow',
                  ),
                  favoriteSettings(favorite),
                ),
              ),
            ),
      ),
    );
  show(
    main,
    h('h1', { tabindex: -1 }, 'Account'),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'me-heading' },
      h('h2', { id: 'me-heading' }, displayName),
      h('p', { class: 'muted' }, email),
      h(
        'button',
        {
          type: 'button',
          onclick: async () => {
            await signOut();
            done();
          },
        },
        'Sign out',
      ),
    ),
    h('section', { class: 'card', 'aria-labelledby': 'favorites-heading' }, h('h2', { id: 'favorites-heading' }, 'Trains you follow'), favorites),
  );
  void renderFavorites();
}

type Favorite = Schemas['FavoriteDto'];
type AlertSettings = Schemas['AlertSettingsDto'];

/** The alerts set in minutes, with their limits as the API enforces them (AlertSettingsDto). */
const MINUTE_ALERTS = [
  { name: 'beforeArrivalMinutes', label: 'Minutes before arrival', max: 120 },
  { name: 'beforeDepartureMinutes', label: 'Minutes before departure', max: 120 },
  { name: 'delayAtStationMinutes', label: 'When at least this many minutes late', max: 720 },
] as const;

/** "Alerts at Kota Junction: 10 min before arrival; expected 02:35" (in the train's time zone). */
function settingsText(favorite: Favorite): string {
  if (!favorite.station) return 'No station set, so no alerts.';
  const { alerts, atStation } = favorite;
  const what = [
    alerts.beforeArrivalMinutes !== null && `${alerts.beforeArrivalMinutes} min before arrival`,
    alerts.beforeDepartureMinutes !== null && `${alerts.beforeDepartureMinutes} min before departure`,
    alerts.platformChange && 'platform change',
    alerts.delayAtStationMinutes !== null && `${alerts.delayAtStationMinutes} min late or more`,
  ].filter((part): part is string => Boolean(part));
  const expected = atStation && (atStation.expectedArrival ?? atStation.expectedDeparture);
  return `Alerts at ${favorite.station.name}: ${what.length > 0 ? what.join(', ') : 'none'}${expected ? `; expected ${clockTime(expected, favorite.train.timeZone)}` : ''}`;
}

/** A followed train's station and alerts: what is set, and a form (opened on demand) to change it. */
function favoriteSettings(favorite: Favorite): HTMLElement {
  const number = favorite.train.number;
  const id = `alerts-${number}`;
  const current = h('p', { class: 'muted', id: `${id}-current` }, settingsText(favorite));
  const stationSelect = h(
    'select',
    { id: `${id}-station`, name: 'stationCode' },
    h('option', { value: '' }, 'None'),
    favorite.station && h('option', { value: favorite.station.code, selected: true }, favorite.station.name),
  );
  const station = { input: stationSelect, message: h('p', { class: 'field-error', id: `${id}-station-error` }) };
  stationSelect.setAttribute('aria-describedby', station.message.id);
  const minutes = MINUTE_ALERTS.map(({ name, label, max }) => ({
    name,
    ...formField(`${id}-${name}`, label, { type: 'number', min: 1, max, step: 1, inputmode: 'numeric', value: favorite.alerts[name] ?? '' }),
  }));
  const platformChange = h('input', { type: 'checkbox', id: `${id}-platformChange`, name: 'platformChange', checked: favorite.alerts.platformChange });
  // Keyed by the field names of the API's 400 problems.
  const fields = { stationCode: station, ...Object.fromEntries(minutes.map((field) => [`alerts.${field.name}`, field])) };
  const summary = h('div', { 'aria-live': 'polite' });
  const save = h('button', { type: 'submit' }, 'Save');

  const form = h(
    'form',
    {
      'aria-label': `Station and alerts for ${number}`,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const alerts: AlertSettings = { platformChange: platformChange.checked };
        for (const field of minutes) if (field.input.value !== '') alerts[field.name] = Number(field.input.value);
        save.disabled = true;
        try {
          // No station with alerts is sent as it is: the server's 400 says the station is needed.
          const saved = await call(api.PUT('/api/v1/me/favorites/{trainNumber}', { params: { path: { trainNumber: number } }, body: { stationCode: stationSelect.value || null, alerts } }));
          for (const field of Object.values(fields)) {
            field.message.textContent = '';
            field.input.setAttribute('aria-invalid', 'false');
          }
          current.textContent = settingsText(saved);
          show(summary, h('p', {}, 'Saved.'));
        } catch (error) {
          showProblem(error, fields, summary);
        } finally {
          save.disabled = false;
        }
      },
    },
    h('div', { class: 'field' }, h('label', { for: stationSelect.id }, 'Your station'), stationSelect, station.message),
    minutes.map((field) => field.element),
    h('div', { class: 'field' }, h('label', { for: platformChange.id, class: 'checkbox' }, platformChange, ' Platform change at the station')),
    summary,
    save,
  );

  // The route is read once, when the form is first opened: a page of followed trains asks for none.
  let routeLoaded = false;
  const details = h(
    'details',
    {
      ontoggle: () => {
        if (!details.open || routeLoaded) return;
        routeLoaded = true;
        call(api.GET('/api/v1/trains/{number}/route', { params: { path: { number } } })).then(
          (route) => {
            const chosen = stationSelect.value;
            show(
              stationSelect,
              h('option', { value: '' }, 'None'),
              route.stops.map((stop) => h('option', { value: stop.station.code, selected: stop.station.code === chosen }, stop.station.name)),
            );
          },
          (error: unknown) => {
            routeLoaded = false;
            show(summary, errorPanel(error));
          },
        );
      },
    },
    h('summary', {}, 'Station and alerts'),
    form,
  );
  return h('div', { class: 'favorite-settings' }, current, details);
}
