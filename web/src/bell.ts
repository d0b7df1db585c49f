import { api, call, type Schemas } from './api/client';
import { h, show, svg } from './dom';
import { onConnectionState, onNotification } from './live';
import { onSessionChange, session } from './session';

type Notification = Schemas['NotificationDto'];

/**
 * The notification bell: unread count and the latest notifications, kept current by the
 * socket's `notification` events for the signed-in rider; read again after a reconnect could
 * have missed some (the count is the server's, so it cannot drift).
 */
export function mountBell(slot: HTMLElement): void {
  let unread = 0;
  let items: Notification[] = [];
  const count = h('span', { class: 'bell-count', 'aria-hidden': 'true' });
  const button = h('button', { type: 'button', class: 'bell', 'aria-expanded': 'false', 'aria-controls': 'bell-panel' }, svg('svg', { class: 'bell-icon', viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' }, svg('path', { d: 'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z' })), count);
  const list = h('ul', { class: 'notification-list' });
  const markAll = h('button', { type: 'button', class: 'link-button' }, 'Mark all read');
  const panel = h('div', { id: 'bell-panel', class: 'bell-panel', hidden: true, role: 'region', 'aria-label': 'Notifications' }, h('div', { class: 'bell-panel-head' }, h('h2', {}, 'Notifications'), markAll), list);

  const renderCount = () => {
    count.textContent = unread > 0 ? String(unread) : '';
    count.hidden = unread === 0;
    button.setAttribute('aria-label', `Notifications, ${unread} unread`);
    button.dataset.unread = String(unread);
  };
  const renderList = () =>
    show(
      list,
      items.length === 0
        ? h('li', { class: 'muted' }, 'Nothing yet. Follow a train to hear about delays and platform changes.')
        : items.map((item) =>
            h(
              'li',
              { class: item.readAt ? 'read' : 'unread' },
              h('a', { href: `#/trains/${encodeURIComponent(item.train.number)}?date=${item.runDate}` }, h('strong', {}, item.title)),
              h('p', {}, item.body),
            ),
          ),
    );
  const refresh = async () => {
    if (!session()) return;
    try {
      const [{ count: total }, page] = await Promise.all([call(api.GET('/api/v1/me/notifications/unread-count')), call(api.GET('/api/v1/me/notifications', { params: { query: { limit: 10 } } }))]);
      unread = total;
      items = page.items;
      renderCount();
      renderList();
    } catch {
      // The bell keeps what it showed; the page shows the API's state elsewhere.
    }
  };

  button.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    button.setAttribute('aria-expanded', String(!panel.hidden));
    if (!panel.hidden) void refresh();
  });
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      panel.hidden = true;
      button.setAttribute('aria-expanded', 'false');
      button.focus();
    }
  });
  markAll.addEventListener('click', async () => {
    await call(api.POST('/api/v1/me/notifications/read-all')).catch(() => undefined);
    await refresh();
  });
  onNotification((notification) => {
    unread += 1;
    items = [notification, ...items.filter((item) => item.id !== notification.id)].slice(0, 10);
    renderCount();
    renderList();
  });

  const mount = () => {
    if (session()) {
      show(slot, h('div', { class: 'bell-wrap' }, button, panel));
      renderCount();
      renderList();
      void refresh();
    } else {
      show(slot);
      unread = 0;
      items = [];
    }
  };
  onSessionChange(mount);
  mount();
  // Notifications created while the socket was down were not pushed: read them after every reconnect.
  let wasLive = false;
  onConnectionState((state) => {
    if (state === 'live' && wasLive) void refresh();
    if (state === 'live') wasLive = true;
  });
}

export { type Notification };
