import { mountBell } from './bell';
import { onConnectionState } from './live';
import { accountPage } from './pages/account';
import { homePage } from './pages/home';
import type { Page } from './pages/page';
import { stationPage } from './pages/station';
import { trainPage } from './pages/train';

/** Routes live in the fragment (#/stations/NDLS), so the server serves one page at / and every other path stays the API's. */
const PAGES: Record<string, Page> = { '': homePage, stations: stationPage, trains: trainPage, account: accountPage };

const main = document.getElementById('main')!;
let leave: (() => void) | void;

function route(): void {
  const [pathPart, queryPart = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const path = pathPart.split('/').filter(Boolean);
  const page = PAGES[path[0] ?? ''] ?? homePage;
  leave?.();
  document.title = 'Train Tracker';
  leave = page(main, { path, query: new URLSearchParams(queryPart) });
  document.querySelectorAll('nav a').forEach((link) => {
    if (link.getAttribute('href') === `#/${path[0] ?? ''}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  });
  // Keyboard and screen reader users start reading the new page at its title.
  (main.querySelector('h1') as HTMLElement | null)?.focus({ preventScroll: true });
}

const connection = document.getElementById('connection')!;
const CONNECTION_LABELS = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' } as const;
onConnectionState((state) => {
  connection.textContent = CONNECTION_LABELS[state];
  connection.className = `connection connection-${state}`;
});

mountBell(document.getElementById('bell-slot')!);
window.addEventListener('hashchange', route);
route();
