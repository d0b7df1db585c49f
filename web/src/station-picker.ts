import { api, call, type Schemas } from './api/client';
import { debounce, h, show } from './dom';

type Station = Schemas['StationDto'];

/**
 * A station field with suggestions as you type (the ARIA 1.2 combobox pattern): the list comes
 * from the search endpoint; arrow keys move through it, Enter chooses, Escape closes.
 */
export function stationPicker(options: { id: string; label: string; onChoose(station: Station): void; required?: boolean }): { element: HTMLElement; chosen(): Station | null } {
  const listId = `${options.id}-suggestions`;
  let suggestions: Station[] = [];
  let active = -1;
  let chosen: Station | null = null;
  let asked = '';

  const input = h('input', {
    id: options.id,
    type: 'text',
    role: 'combobox',
    autocomplete: 'off',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': listId,
    required: options.required ?? false,
    placeholder: 'Name, city or code',
  });
  const list = h('ul', { id: listId, role: 'listbox', class: 'suggestions', 'aria-label': `${options.label} suggestions`, hidden: true });
  const hint = h('p', { class: 'field-hint', 'aria-live': 'polite' });

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const choose = (station: Station) => {
    chosen = station;
    input.value = `${station.name} (${station.code})`;
    close();
    options.onChoose(station);
  };
  const highlight = (index: number) => {
    active = index;
    [...list.children].forEach((item, i) => item.setAttribute('aria-selected', String(i === index)));
    if (index >= 0) input.setAttribute('aria-activedescendant', `${listId}-${index}`);
    else input.removeAttribute('aria-activedescendant');
  };
  const render = () => {
    show(
      list,
      suggestions.map((station, index) =>
        h(
          'li',
          { id: `${listId}-${index}`, role: 'option', 'aria-selected': 'false', onmousedown: (event: Event) => event.preventDefault(), onclick: () => choose(station) },
          h('span', { class: 'code' }, station.code),
          ' ',
          station.name,
          station.city && station.city !== station.name ? h('span', { class: 'muted' }, ` · ${station.city}`) : null,
        ),
      ),
    );
    list.hidden = suggestions.length === 0;
    input.setAttribute('aria-expanded', String(suggestions.length > 0));
    hint.textContent = asked && suggestions.length === 0 ? `No station matches “${asked}”.` : suggestions.length ? `${suggestions.length} suggestions` : '';
    active = -1;
  };
  const search = debounce(async (q: string) => {
    try {
      const page = await call(api.GET('/api/v1/stations', { params: { query: { q, limit: 8 } } }));
      if (input.value.trim() !== q) return; // typed on since
      asked = q;
      suggestions = page.items;
      render();
    } catch (error) {
      hint.textContent = error instanceof Error ? error.message : 'Search failed';
    }
  }, 200);

  input.addEventListener('input', () => {
    chosen = null;
    const q = input.value.trim();
    if (q.length < 2) {
      suggestions = [];
      asked = '';
      search.cancel();
      render();
      return;
    }
    search(q);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' && suggestions.length) {
      event.preventDefault();
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      highlight((active + 1) % suggestions.length);
    } else if (event.key === 'ArrowUp' && suggestions.length) {
      event.preventDefault();
      highlight(active <= 0 ? suggestions.length - 1 : active - 1);
    } else if (event.key === 'Enter' && !list.hidden && suggestions.length) {
      event.preventDefault();
      choose(suggestions[Math.max(active, 0)]);
    } else if (event.key === 'Escape') {
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));

  const element = h('div', { class: 'field combobox' }, h('label', { for: options.id }, options.label), input, list, hint);
  return { element, chosen: () => chosen };
}
