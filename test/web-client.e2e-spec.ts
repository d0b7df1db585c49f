import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CLOCK } from '../src/common/clock/clock.js';
import { LiveGateway } from '../src/tracking/live.gateway.js';
import { TrackerService } from '../src/tracking/tracker.service.js';
import { TRAIN_STATUS_PROVIDER } from '../src/tracking/train-status-provider.js';
import { WEB_CLIENT_CSP } from '../src/web-client/web-client.js';
import { testEnv, useTestApp } from './app.factory.js';
import { bearer, login } from './auth-helpers.js';
import type { Page } from 'playwright-core';
import { checkPage, useBrowser } from './browser.js';
import { runningStatus } from './builders/observed-status.js';
import { ScriptedStatusProvider, TestClock } from './live-helpers.js';
import { query } from './test-database.js';

// 19:30 in India on Tuesday 2026-11-24: 12951 Mumbai Rajdhani left Mumbai Central at 17:00 and
// Borivali at 17:24, and is due at Surat at 19:43.
// A browser test waits on pages and sockets, and the machine is shared: each may take a while.
jest.setTimeout(90_000);

const NOW = new Date('2026-11-24T14:00:00Z');
const RUN = '2026-11-24';

/** The y of each stop's dot and of the train on the route diagram. */
async function diagram(page: Page): Promise<{ dots: number[]; marker: number | null }> {
  const svg = page.locator('svg.route-diagram');
  const dots = await Promise.all((await svg.locator('circle.stop-dot').all()).map(async (dot) => Math.round(Number(await dot.getAttribute('cy')))));
  const marker = (await svg.locator('.train-marker').count()) > 0 ? Number(await svg.locator('.train-marker').getAttribute('data-y')) : null;
  return { dots, marker };
}

describe('web client in a browser', () => {
  const feed = new ScriptedStatusProvider();
  const clock = new TestClock(NOW);
  // Hooks run in the order they are declared: the browser closes before the app, so no page is
  // left reconnecting to a server that is going away (and holding its connections open).
  const browser = useBrowser();
  afterAll(() => {
    // Every request of every page went to the app itself: no CDN, font or tile server.
    expect(browser.requests.filter((url) => !url.startsWith(`${api.url}/`) && !url.startsWith(api.url.replace('http', 'ws')))).toEqual([]);
    // No script error and no request refused by the page's CSP.
    expect(browser.pageErrors.filter((message) => !message.includes('Failed to load resource'))).toEqual([]);
  });
  const api = useTestApp(testEnv('train_tracker_test_web_client'), {
    listen: true,
    override: (builder) => builder.overrideProvider(TRAIN_STATUS_PROVIDER).useValue(feed).overrideProvider(CLOCK).useValue(clock),
  });
  const tick = () => api.app.get(TrackerService).tick();
  let trainId: string;
  /** 12951 as the feed reports it: left Borivali (stop 2) at 17:24, unless changed. */
  const observe12951 = (changes: Parameters<typeof runningStatus>[0] = {}) =>
    runningStatus({ trainId, trainNumber: '12951', serviceDate: RUN, lastStopSequence: 2, lastArrivedAt: new Date('2026-11-24T11:52:00Z'), lastDepartedAt: new Date('2026-11-24T11:54:00Z'), ...changes });

  beforeAll(async () => {
    [{ id: trainId }] = await query<{ id: string }>(`SELECT id FROM trains WHERE number = '12951'`);
    feed.observations = [observe12951()];
    await tick();
  });

  it('serves the page with a content security policy that allows only the app itself, and its assets for a year', async () => {
    const page = await api.http.get('/').expect(200).expect('content-type', /text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    const policy = page.headers['content-security-policy'];
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toMatch(/unsafe|https?:|\*/);
    expect(Object.keys(WEB_CLIENT_CSP).every((directive) => policy.includes(directive))).toBe(true);
    const script = /src="(\/assets\/main-[A-Z0-9]+\.js)"/.exec(page.text)![1];
    const asset = await api.http.get(script).expect(200).expect('content-type', /javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const missing = await api.http.get('/assets/nothing-here.js').expect(404);
    expect(missing.body).toMatchObject({ code: 'NOT_FOUND' });
    await api.http.get('/assets/..%2Fpackage.json').expect(404);
  });

  it('finds a station by part of its name with the keyboard and opens its live board with times', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.url}/`);
    await checkPage(page, 'home');
    await page.getByLabel('Station', { exact: true }).fill('Sura');
    const suggestion = page.getByRole('option', { name: /Surat/ });
    await suggestion.waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/stations\/ST$/);
    await page.getByRole('heading', { level: 1, name: 'Surat' }).waitFor();
    const row = page.locator('.call[data-train="12951"]');
    await row.waitFor();
    // Times are the train's (India), not the browser's (Berlin): due 19:43, left 19:48.
    expect(await row.innerText()).toMatch(/arr\s+19:43[\s\S]*dep\s+19:48/);
    expect(await row.locator('.tag').innerText()).toBe('live');
    expect(await page.locator('.call').count()).toBeGreaterThan(0);
    await checkPage(page, 'station');
  });

  it('shows the run as a line diagram and moves the train when its status changes, without reloading', async () => {
    feed.observations = [observe12951()];
    await tick();
    const page = await browser.newPage();
    await page.goto(`${api.url}/#/trains/12951?date=${RUN}`);
    const position = page.locator('#position');
    await page.getByText('Between Borivali and Surat').waitFor();
    expect(await page.locator('.stop').count()).toBe(7);
    expect(await page.locator('.stop-passed').count()).toBe(2);
    expect(await page.locator('#run-date option').count()).toBe(15);
    expect(await page.locator('#run-date').inputValue()).toBe(RUN);
    // On the diagram the train is between the dots of Borivali and Surat.
    const before = await diagram(page);
    expect(before.marker).toBeGreaterThan(before.dots[1]);
    expect(before.marker).toBeLessThan(before.dots[2]);
    await checkPage(page, 'train');
    await page.evaluate('window.notReloaded = true');

    // The feed reports the train at Surat: the tick pushes it, the page follows.
    clock.at = new Date('2026-11-24T14:15:00Z');
    feed.observations = [observe12951({ lastStopSequence: 3, departedLastStop: false, lastArrivedAt: new Date('2026-11-24T14:14:00Z'), delayMinutes: 2 })];
    expect(await tick()).toMatchObject({ changed: 1 });
    await page.getByText('At Surat').waitFor();
    expect(await position.innerText()).toBe('At Surat');
    expect(await page.locator('.stop-current .stop-name').innerText()).toContain('Surat');
    const after = await diagram(page);
    expect(after.marker).toBe(after.dots[2]);
    expect(await page.evaluate('window.notReloaded')).toBe(true);

    // The instance restarts its sockets (as at shutdown): the page says it is reconnecting,
    // reconnects, subscribes again, and follows the next change.
    await page.locator('.connection-live').waitFor();
    api.app.get(LiveGateway).beforeApplicationShutdown();
    await page.locator('.connection-reconnecting').waitFor();
    await page.locator('.connection-live').waitFor();
    clock.at = new Date('2026-11-24T14:20:00Z');
    // With the time of its data (observedAt), as a feed reports: only such data can go stale.
    feed.observations = [observe12951({ lastStopSequence: 3, departedLastStop: true, lastArrivedAt: new Date('2026-11-24T14:14:00Z'), lastDepartedAt: new Date('2026-11-24T14:19:00Z'), delayMinutes: 2, observedAt: clock.at })];
    expect(await tick()).toMatchObject({ changed: 1 });
    await page.getByText('Between Surat and Vadodara Junction').waitFor();
    expect(await page.evaluate('window.notReloaded')).toBe(true);

    // Twenty minutes without a report while the train runs: the page says its data may be stale.
    clock.at = new Date('2026-11-24T14:40:00Z');
    await page.reload();
    await page.getByText(/No report for 2\d min: the live feed may have stopped/).waitFor();
  });

  it('signs up, follows the train, sees the bell count rise when a notification is created, and sets a station and alerts on the train', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.url}/#/account`);
    await checkPage(page, 'account-signed-out');
    const email = `web-${Date.now()}@example.com`;
    const password = 'correct horse battery';
    await page.getByLabel('Your name').fill('Asha');
    await page.locator('#signup-email').fill(email);
    await page.locator('#signup-password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Trains you follow' }).waitFor();

    await page.goto(`${api.url}/#/trains/12951?date=${RUN}`);
    const follow = page.getByRole('button', { name: 'Follow' });
    await follow.click();
    await page.locator('button.follow[aria-pressed="true"]').waitFor();
    const bell = page.locator('button.bell');
    await bell.waitFor();
    expect(await bell.getAttribute('aria-label')).toBe('Notifications, 0 unread');
    await page.locator('.connection-live').waitFor();

    // 35 minutes late: the tracker notifies the train's followers, and the socket tells the page.
    clock.at = new Date('2026-11-24T14:30:00Z');
    feed.observations = [observe12951({ lastStopSequence: 3, departedLastStop: true, lastDepartedAt: new Date('2026-11-24T14:28:00Z'), delayMinutes: 35 })];
    expect(await tick()).toMatchObject({ changed: 1 });
    await page.locator('button.bell[data-unread="1"]').waitFor();
    expect(await bell.getAttribute('aria-label')).toBe('Notifications, 1 unread');
    await bell.click();
    await page.getByRole('region', { name: 'Notifications' }).getByText(/35 min late/).first().waitFor();
    await checkPage(page, 'bell');

    await page.goto(`${api.url}/#/account`);
    const followed = page.locator('.results li', { hasText: '12951' });
    await followed.waitFor();
    await expect(followed.locator('#alerts-12951-current').innerText()).resolves.toBe('No station set, so no alerts.');
    await checkPage(page, 'account');

    // The form opens from the keyboard; its stations are the train's route stops.
    await followed.getByText('Station and alerts').focus();
    await page.keyboard.press('Enter');
    const station = page.getByLabel('Your station');
    await station.locator('option[value="KOTA"]').waitFor({ state: 'attached' });
    expect(await station.locator('option').count()).toBe(8);

    // Mumbai Central is where 12951 starts: the server's 400 is shown under the field it names.
    await station.selectOption('MMCT');
    await page.getByLabel('Minutes before arrival').fill('10');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('12951 starts at MMCT: it does not arrive there').waitFor();
    expect(await page.getByLabel('Minutes before arrival').getAttribute('aria-invalid')).toBe('true');

    // Kota Junction, 10 min before arrival: saved, and shown with the expected time there
    // (03:15 in the timetable, 35 min late).
    await station.selectOption('KOTA');
    await page.getByRole('button', { name: 'Save' }).click();
    const saved = 'Alerts at Kota Junction: 10 min before arrival; expected 03:50';
    await page.getByText('Saved.').waitFor();
    expect(await followed.locator('#alerts-12951-current').innerText()).toBe(saved);
    expect(await page.getByLabel('Minutes before arrival').getAttribute('aria-invalid')).toBe('false');
    await checkPage(page, 'account-alerts');

    // The API has them, and the page reads them back after a reload.
    const { accessToken } = await login(api, email, password);
    const favorites = await api.http.get('/api/v1/me/favorites').set('authorization', bearer(accessToken)).expect(200);
    expect(favorites.body).toEqual([
      expect.objectContaining({
        train: expect.objectContaining({ number: '12951' }),
        station: { code: 'KOTA', name: 'Kota Junction' },
        alerts: { beforeArrivalMinutes: 10, beforeDepartureMinutes: null, platformChange: false, delayAtStationMinutes: null },
        atStation: expect.objectContaining({ serviceDate: RUN, delayMinutes: 35 }),
      }),
    ]);
    await page.reload();
    await page.getByText(saved).waitFor();
  });

  it('says so when the API cannot be reached, and recovers when asked to try again', async () => {
    const page = await browser.newPage();
    await page.route('**/api/v1/**', (route) => route.abort('connectionrefused'));
    await page.goto(`${api.url}/#/stations/ST`);
    await page.getByText('The server cannot be reached.').waitFor();
    await checkPage(page, 'api-down');
    await page.unroute('**/api/v1/**');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { level: 1, name: 'Surat' }).waitFor();
    await page.getByText(/updated \d\d:\d\d/).waitFor();
    expect(await page.getByText('The server cannot be reached.').count()).toBe(0);
  });
});
