import { api, ApiError, call } from '../api/client';
import { h, show } from '../dom';
import { delayText } from '../format';
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
function showProblem(error: unknown, fields: Record<string, { input: HTMLInputElement; message: HTMLElement }>, summary: HTMLElement) {
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
