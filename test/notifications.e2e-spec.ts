import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { type NotificationEvent, NotificationsService } from '../src/notifications/notifications.service.js';
import { useTestApp } from './app.factory.js';
import { base64url, bearer, problemFields, registerUser } from './auth-helpers.js';
import { trainData } from './demo-data.js';
import { waitFor } from './redis-process.js';
import { query } from './test-database.js';

const NOTIFICATIONS = '/api/v1/me/notifications';
const RUN_DATE = '2026-11-24';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface NotificationBody {
  id: string;
  type: string;
  train: { number: string; name: string };
  runDate: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

interface PageBody {
  items: NotificationBody[];
  nextCursor: string | null;
}

interface NotificationRow {
  id: string;
  user_id: string;
  event_key: string;
  created_at: Date;
  read_at: Date | null;
}

const rowsWithKey = (eventKey: string) =>
  query<NotificationRow>('SELECT id, user_id, event_key, created_at, read_at FROM notifications WHERE event_key = $1 ORDER BY user_id', [eventKey]);
const rowsOfUser = (userId: string) =>
  query<NotificationRow>('SELECT id, user_id, event_key, created_at, read_at FROM notifications WHERE user_id = $1', [userId]);

/** Newest first; the same creation time is ordered by id, descending. */
const newestFirst = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
  a.createdAt === b.createdAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.createdAt < b.createdAt ? 1 : -1;

describe('notifications API', () => {
  const api = useTestApp();
  const service = () => api.app.get(NotificationsService);
  let trainId: string;

  beforeAll(async () => {
    [{ id: trainId }] = await query<{ id: string }>('SELECT id FROM trains WHERE number = $1', ['12951']);
  });

  const eventKey = () => `12951:${RUN_DATE}:DELAY:30:${randomUUID()}`;
  const event = (key = eventKey(), title = '12951 is running 35 min late'): NotificationEvent => ({
    type: 'DELAY',
    trainId,
    runDate: RUN_DATE,
    title,
    body: '12951 Mumbai Rajdhani Express is running 35 min late, expected at Kota 02:10.',
    data: { delayMinutes: 35 },
    eventKey: key,
  });

  const newUser = async () => {
    const { body } = await registerUser(api);
    return { id: body.user.id, auth: bearer(body.accessToken) };
  };
  const get = (auth: string, path = '') => api.http.get(`${NOTIFICATIONS}${path}`).set('Authorization', auth);
  const page = async (auth: string, params: Record<string, string | number> = {}) => {
    const search = new URLSearchParams(Object.entries(params).map(([key, value]): [string, string] => [key, String(value)])).toString();
    return (await get(auth, search ? `?${search}` : '').expect(200)).body as PageBody;
  };
  const unreadCount = async (auth: string) => (await get(auth, '/unread-count').expect(200)).body.count as number;
  const markRead = (auth: string, id: string) => api.http.patch(`${NOTIFICATIONS}/${id}/read`).set('Authorization', auth);
  const readAll = (auth: string) => api.http.post(`${NOTIFICATIONS}/read-all`).set('Authorization', auth);

  /** Every page of the user's notifications, following nextCursor. */
  const allPages = async (auth: string, limit: number, extra: Record<string, string> = {}) => {
    const pages: PageBody[] = [];
    let cursor: string | null = null;
    do {
      const current: PageBody = await page(auth, { ...extra, limit, ...(cursor ? { cursor } : {}) });
      pages.push(current);
      cursor = current.nextCursor;
      expect(pages.length).toBeLessThan(50);
    } while (cursor);
    return pages;
  };

  describe('NotificationsService.createForUsers', () => {
    it('notifies many users with one insert and returns the notifications created', async () => {
      const users = await Promise.all([newUser(), newUser(), newUser()]);
      const key = eventKey();
      const created = await service().createForUsers(
        users.map((user) => user.id),
        event(key),
      );
      expect(created).toHaveLength(3);
      expect(created.map((notification) => notification.userId).sort()).toEqual(users.map((user) => user.id).sort());
      for (const notification of created) {
        expect(notification).toMatchObject({
          id: expect.stringMatching(UUID),
          type: 'DELAY',
          trainId,
          runDate: RUN_DATE,
          title: '12951 is running 35 min late',
          data: { delayMinutes: 35 },
          eventKey: key,
          readAt: null,
        });
        expect(notification.createdAt).toBeInstanceOf(Date);
      }

      const rows = await rowsWithKey(key);
      expect(rows).toHaveLength(3);
      expect(rows.map((row) => row.id).sort()).toEqual(created.map((notification) => notification.id).sort());
      // One statement: one transaction time for all of them.
      expect(new Set(rows.map((row) => row.created_at.toISOString())).size).toBe(1);
      expect(rows[0].created_at.toISOString()).toBe(created[0].createdAt.toISOString());
    });

    it('is idempotent on the event key: a repeat creates nothing, and only new users are added', async () => {
      const users = await Promise.all([newUser(), newUser(), newUser()]);
      const ids = users.map((user) => user.id);
      const key = eventKey();
      expect(await service().createForUsers(ids, event(key))).toHaveLength(3);

      expect(await service().createForUsers(ids, event(key))).toEqual([]);
      expect(await rowsWithKey(key)).toHaveLength(3);

      const newcomer = await newUser();
      const more = await service().createForUsers([ids[0], newcomer.id], event(key));
      expect(more.map((notification) => notification.userId)).toEqual([newcomer.id]);
      expect(await rowsWithKey(key)).toHaveLength(4);
      expect(await unreadCount(users[0].auth)).toBe(1);
    });

    it('notifies a user listed twice only once', async () => {
      const user = await newUser();
      const key = eventKey();
      const created = await service().createForUsers([user.id, user.id], event(key));
      expect(created).toHaveLength(1);
      expect(await rowsWithKey(key)).toHaveLength(1);
    });

    it('does nothing for no users', async () => {
      expect(await service().createForUsers([], event())).toEqual([]);
    });
  });

  describe('GET /me/notifications', () => {
    const TOTAL = 25;
    let user: { id: string; auth: string };
    let createdIds: string[];
    const titles = new Map<string, string>();

    beforeAll(async () => {
      user = await newUser();
      const other = await newUser();
      createdIds = [];
      const one = async (manager?: Parameters<NotificationsService['createForUsers']>[2]) => {
        // The other user gets the same events: they must never show up in this user's inbox.
        const title = `notification ${createdIds.length + 1}`;
        const created = await service().createForUsers([user.id, other.id], event(eventKey(), title), manager);
        expect(created).toHaveLength(2);
        const mine = created.find((notification) => notification.userId === user.id)!;
        createdIds.push(mine.id);
        titles.set(mine.id, title);
        latest = mine.createdAt;
      };
      let latest = new Date(0);
      // Until PostgreSQL's clock has left the millisecond of the latest created_at, so the next
      // row's time differs from it even at the millisecond precision of a cursor.
      const nextMillisecond = () =>
        waitFor(
          async () => (await query<{ later: boolean }>(`SELECT clock_timestamp() >= $1::timestamptz + interval '1 millisecond' AS later`, [latest]))[0].later,
          10_000,
          'the database clock to pass the latest notification',
        );
      // 8 one after the other (distinct times), 9 in one transaction (one shared created_at, so
      // the page boundary at 10 falls inside a run of equal times), 8 more one by one.
      for (let i = 0; i < 8; i++) {
        await one();
        await nextMillisecond();
      }
      await api.app.get(DataSource).transaction(async (manager) => {
        for (let i = 0; i < 9; i++) await one(manager);
      });
      for (let i = 0; i < 8; i++) {
        await nextMillisecond();
        await one();
      }
      expect(createdIds).toHaveLength(TOTAL);
    }, 60_000);

    it('returns each item with its train, run date, texts, data and no read time', async () => {
      const { items } = await page(user.auth, { limit: 1 });
      expect(items).toHaveLength(1);
      expect(createdIds).toContain(items[0].id);
      expect(items[0]).toEqual({
        id: items[0].id,
        type: 'DELAY',
        train: { number: '12951', name: trainData('12951').name },
        runDate: RUN_DATE,
        title: titles.get(items[0].id),
        body: '12951 Mumbai Rajdhani Express is running 35 min late, expected at Kota 02:10.',
        data: { delayMinutes: 35 },
        createdAt: expect.stringMatching(ISO),
        readAt: null,
      });
    });

    it('pages newest first with limit=10 as 10, 10, 5 without duplicates or gaps', async () => {
      const pages = await allPages(user.auth, 10);
      expect(pages.map((current) => current.items.length)).toEqual([10, 10, 5]);
      expect(pages[0].nextCursor).toEqual(expect.any(String));
      expect(pages[1].nextCursor).toEqual(expect.any(String));
      expect(pages[2].nextCursor).toBeNull();

      const items = pages.flatMap((current) => current.items);
      const ids = items.map((item) => item.id);
      expect(new Set(ids).size).toBe(TOTAL);
      expect([...ids].sort()).toEqual([...createdIds].sort());
      expect(items).toEqual([...items].sort(newestFirst));
      // The 9 of the transaction share one creation time, so the id decides their order.
      expect(new Set(items.map((item) => item.createdAt)).size).toBe(TOTAL - 8);
      for (const item of items) expect(item.createdAt).toMatch(ISO);

      // The response agrees with the rows.
      const rows = await rowsOfUser(user.id);
      expect(rows).toHaveLength(TOTAL);
      const expected = rows.map((row) => ({ id: row.id, createdAt: row.created_at.toISOString() })).sort(newestFirst);
      expect(ids).toEqual(expected.map((row) => row.id));
      expect(items.map((item) => item.createdAt)).toEqual(expected.map((row) => row.createdAt));
      // Created in order 1..25: the last 8 come first, the first 8 last (each group in time order).
      const position = new Map(createdIds.map((id, index) => [id, index]));
      expect(ids.slice(0, 8).map((id) => position.get(id)!).every((index) => index >= 17)).toBe(true);
      expect(ids.slice(-8).map((id) => position.get(id)!).every((index) => index < 8)).toBe(true);
      expect(ids.slice(8, 17).map((id) => position.get(id)!).every((index) => index >= 8 && index < 17)).toBe(true);
    });

    it.each([1, 4, 5, 7, 25, 100])('gives the same sequence with limit=%i', async (limit) => {
      const reference = (await page(user.auth, { limit: 100 })).items.map((item) => item.id);
      expect(reference).toHaveLength(TOTAL);
      const pages = await allPages(user.auth, limit);
      expect(pages).toHaveLength(Math.ceil(TOTAL / limit));
      expect(pages.flatMap((current) => current.items.map((item) => item.id))).toEqual(reference);
      expect(pages.at(-1)!.nextCursor).toBeNull();
      for (const current of pages.slice(0, -1)) expect(current.items).toHaveLength(limit);
    });

    it('shows 20 by default', async () => {
      const body = await page(user.auth);
      expect(body.items).toHaveLength(20);
      expect(body.nextCursor).toEqual(expect.any(String));
    });

    it('is empty for a user without notifications', async () => {
      const fresh = await newUser();
      expect(await page(fresh.auth)).toEqual({ items: [], nextCursor: null });
      expect(await unreadCount(fresh.auth)).toBe(0);
    });
  });

  describe('read state', () => {
    it('filters unread, counts them, marks one read idempotently, then all', async () => {
      const user = await newUser();
      for (let i = 1; i <= 4; i++) await service().createForUsers([user.id], event(eventKey(), `read test ${i}`));

      const all = (await page(user.auth)).items;
      expect(all).toHaveLength(4);
      expect((await page(user.auth, { unread: 'true' })).items).toEqual(all);
      expect((await page(user.auth, { unread: 'false' })).items).toEqual(all);
      expect(await unreadCount(user.auth)).toBe(4);

      const target = all[1];
      const first = await markRead(user.auth, target.id).expect(200);
      expect(first.body).toEqual({ ...target, readAt: expect.stringMatching(ISO) });
      expect(first.body.readAt >= target.createdAt).toBe(true);

      const again = await markRead(user.auth, target.id).expect(200);
      expect(again.body).toEqual(first.body);
      expect(await unreadCount(user.auth)).toBe(3);

      const unread = (await page(user.auth, { unread: 'true' })).items;
      expect(unread.map((item) => item.id)).toEqual(all.filter((item) => item.id !== target.id).map((item) => item.id));
      expect((await page(user.auth)).items).toEqual(all.map((item) => (item.id === target.id ? first.body : item)));
      // Paging the unread ones works too.
      const unreadPages = await allPages(user.auth, 2, { unread: 'true' });
      expect(unreadPages.flatMap((current) => current.items)).toEqual(unread);

      const everything = await readAll(user.auth).expect(200);
      expect(everything.body).toEqual({ count: 3 });
      expect(await unreadCount(user.auth)).toBe(0);
      expect((await page(user.auth, { unread: 'true' })).items).toEqual([]);
      const afterAll = (await page(user.auth)).items;
      for (const item of afterAll) expect(item.readAt).toMatch(ISO);
      // The first read time is kept.
      expect(afterAll.find((item) => item.id === target.id)!.readAt).toBe(first.body.readAt);

      expect((await readAll(user.auth).expect(200)).body).toEqual({ count: 0 });
      const rows = await rowsOfUser(user.id);
      expect(rows.every((row) => row.read_at !== null)).toBe(true);
    });

    it("answers 404 NOTIFICATION_NOT_FOUND for another user's notification and leaves it unread", async () => {
      const owner = await newUser();
      const stranger = await newUser();
      const [theirs] = await service().createForUsers([owner.id], event());
      await service().createForUsers([stranger.id], event());

      const { body, headers } = await markRead(stranger.auth, theirs.id).expect(404);
      expect(headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(body).toMatchObject({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        code: 'NOTIFICATION_NOT_FOUND',
        instance: `${NOTIFICATIONS}/${theirs.id}/read`,
      });
      const [row] = await query<NotificationRow>('SELECT read_at FROM notifications WHERE id = $1', [theirs.id]);
      expect(row.read_at).toBeNull();
      expect(await unreadCount(owner.auth)).toBe(1);

      // read-all marks only the caller's own.
      expect((await readAll(stranger.auth).expect(200)).body).toEqual({ count: 1 });
      expect(await unreadCount(owner.auth)).toBe(1);
      const [still] = await query<NotificationRow>('SELECT read_at FROM notifications WHERE id = $1', [theirs.id]);
      expect(still.read_at).toBeNull();
    });

    it('answers 404 for an unknown id and 400 naming id for one that is not a UUID', async () => {
      const user = await newUser();
      const missing = await markRead(user.auth, randomUUID()).expect(404);
      expect(missing.body).toMatchObject({ status: 404, code: 'NOTIFICATION_NOT_FOUND' });
      const malformed = await markRead(user.auth, 'not-a-uuid').expect(400);
      expect(malformed.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(problemFields(malformed.body)).toEqual(['id']);
    });
  });

  describe('query validation', () => {
    let user: { id: string; auth: string };
    let realCursor: string;
    beforeAll(async () => {
      user = await newUser();
      for (let i = 0; i < 3; i++) await service().createForUsers([user.id], event());
      realCursor = (await page(user.auth, { limit: 1 })).nextCursor!;
      expect(realCursor).toEqual(expect.any(String));
    });

    it('accepts the cursor it gave', async () => {
      expect((await page(user.auth, { limit: 1, cursor: realCursor })).items).toHaveLength(1);
    });

    const decoded = () => JSON.parse(Buffer.from(realCursor, 'base64url').toString('utf8')) as [string, string];
    it.each<[string, () => string]>([
      ['garbage', () => 'garbage!!'],
      ['not JSON', () => base64url('hello')],
      ['a JSON object', () => base64url({ createdAt: '2026-01-01T00:00:00.000Z', id: randomUUID() })],
      ['JSON null', () => base64url('null')],
      ['a bad date', () => base64url(['not-a-date', decoded()[1]])],
      ['a bad id', () => base64url([decoded()[0], 'not-a-uuid'])],
      ['a truncated real cursor', () => realCursor.slice(0, -6)],
    ])('refuses a cursor that is %s with 400 INVALID_CURSOR', async (_case, cursor) => {
      const { body, headers } = await get(user.auth).query({ cursor: cursor() }).expect(400);
      expect(headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(body).toMatchObject({ status: 400, code: 'INVALID_CURSOR', instance: NOTIFICATIONS });
      expect(problemFields(body)).toEqual(['cursor']);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=2.5', 'limit'],
      ['limit=ten', 'limit'],
      ['unread=maybe', 'unread'],
      ['unread=1', 'unread'],
      ['sort=asc', 'sort'],
    ])('refuses ?%s with 400 naming %s', async (search, field) => {
      const { body } = await get(user.auth, `?${search}`).expect(400);
      expect(body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(problemFields(body)).toEqual([field]);
    });

    it('accepts limit=1 and limit=100', async () => {
      expect((await page(user.auth, { limit: 1 })).items).toHaveLength(1);
      expect((await page(user.auth, { limit: 100 })).items).toHaveLength(3);
    });
  });

  describe('authentication', () => {
    it.each([
      ['GET', NOTIFICATIONS],
      ['GET', `${NOTIFICATIONS}/unread-count`],
      ['PATCH', `${NOTIFICATIONS}/3f2b8c1e-9d4a-4e6b-8c7d-1a2b3c4d5e6f/read`],
      ['PATCH', `${NOTIFICATIONS}/not-a-uuid/read`],
      ['POST', `${NOTIFICATIONS}/read-all`],
    ])('answers anonymous %s %s with a problem+json 401', async (method, path) => {
      const request = method === 'GET' ? api.http.get(path) : method === 'PATCH' ? api.http.patch(path) : api.http.post(path);
      const { body, headers } = await request.expect(401);
      expect(headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(body).toMatchObject({ status: 401, instance: path });
    });

    it('answers 401 to a garbage bearer token', async () => {
      await api.http.get(NOTIFICATIONS).set('Authorization', bearer('not.a.token')).expect(401);
      await api.http.get(`${NOTIFICATIONS}/unread-count`).set('Authorization', bearer('not.a.token')).expect(401);
    });
  });
});
