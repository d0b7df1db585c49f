import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { testEnv } from './app.factory.js';
import { demo } from './demo-data.js';
import { freePort, InstanceProcess } from './instance-process.js';
import { collect, connectLive } from './live-helpers.js';
import { RedisProcess, waitFor } from './redis-process.js';
import { longestQuiet, PHASE_NOTIFICATIONS, simulatedNotifications } from './simulated-notifications.js';
import { prepareDatabase, withClient } from './test-database.js';

/**
 * Simulated time, fixed so that what the trains do never depends on the hour the test runs:
 * Saturday 28 Nov 2026, 07:00 in India, when the overnight expresses (12951/12952, the
 * Duronto and Garib Rath services, …) are on their last legs and the day trains are about to
 * leave, 25 runs under way. At 300x a real second is 5 simulated minutes: every tick moves some
 * train, and the 9 simulated hours after the start (108 real seconds) never go more than 70
 * minutes (14 real seconds) without a departure or an arrival of a demo train, which notifies
 * its followers. beforeAll checks that against the simulator itself.
 */
const CLOCK_START = '2026-11-28T07:00:00+05:30';
const SPEED = 300;
const COVERED_MS = 9 * 3_600_000;
const MAX_QUIET_MS = 75 * 60_000;
/** Every demo train: a client follows and subscribes to them all. */
const TRAINS = demo.trains.map((train) => train.number);
/** Generous real-time limits: the machine may be loaded; a wait ends as soon as its condition holds. */
const PATIENCE_MS = 60_000;

interface Status {
  train: { number: string };
  serviceDate: string;
  version: number;
}

const versionKey = (status: Status) => `${status.train.number}:${status.serviceDate}:${status.version}`;

/**
 * Several real instances on one PostgreSQL and one Redis (a redis-server of this test's own, so
 * stopping it touches nothing else). The simulated clock starts at CLOCK_START and runs 300x.
 */
describe('several instances', () => {
  const redis = new RedisProcess(17_000 + Math.floor(Math.random() * 1000));
  const instances: InstanceProcess[] = [];
  const sockets: Socket[] = [];
  let databaseUrl: string;
  /** The real instant the instances' simulated clock shows CLOCK_START. */
  let epoch: number;
  const simulatedNow = () => Date.parse(CLOCK_START) + (Date.now() - epoch) * SPEED;
  const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
    withClient(databaseUrl, async (client) => (await client.query<T>(text, params)).rows);
  /** Every version of every run of TRAINS in the history table, as `number:serviceDate:version`. */
  const writtenVersions = async () =>
    new Set(
      (
        await sql<{ key: string }>(
          `SELECT t.number || ':' || to_char(r.service_date, 'YYYY-MM-DD') || ':' || e.version AS key
           FROM train_run_events e JOIN train_runs r ON r.id = e.run_id JOIN trains t ON t.id = r.train_id WHERE t.number = ANY($1)`,
          [TRAINS],
        )
      ).map((row) => row.key),
    );
  const acquired = (instance: InstanceProcess) => instance.metric('tracker_lock_acquisitions_total', 'outcome="acquired"');
  const noGaps = `
    SELECT r.id FROM train_runs r JOIN train_run_events e ON e.run_id = r.id
    GROUP BY r.id, r.version HAVING count(*) <> r.version OR max(e.version) <> r.version`;

  beforeAll(async () => {
    // The follower's notifications below rely on this: from any instant of the covered span,
    // the simulator has a demo train leave or arrive within MAX_QUIET_MS.
    const start = new Date(CLOCK_START);
    const end = new Date(start.getTime() + COVERED_MS);
    const notifications = await simulatedNotifications(TRAINS, start, end);
    const phases = notifications.filter((notification) => PHASE_NOTIFICATIONS.has(notification.type));
    expect(longestQuiet(phases.map((notification) => notification.at), start, end)).toBeLessThanOrEqual(MAX_QUIET_MS);

    databaseUrl = await prepareDatabase('train_tracker_test_cluster');
    await redis.start();
    epoch = Date.now();
    const env = {
      ...testEnv('train_tracker_test_cluster'),
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `cluster-${randomUUID().slice(0, 6)}:`,
      TRACKING_ENABLED: 'true',
      // Every second; the tick lock's TTL is derived from it (800 ms), so the lock of one second's
      // tick has expired when the next second's crons fire, and the cluster ticks every second.
      TRACKING_CRON: '* * * * * *',
      SIMULATION_SPEED: String(SPEED),
      SIMULATION_EPOCH_MS: String(epoch),
      CLOCK_START,
      SOCKET_MAX_SUBSCRIPTIONS: String(TRAINS.length),
      LOG_LEVEL: 'warn',
    };
    for (let i = 0; i < 3; i++) instances.push(new InstanceProcess(await freePort(), env));
    await Promise.all(instances.map((instance) => instance.start()));
  }, 90_000);

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await Promise.all(instances.map((instance) => instance.stop()));
    await redis.stop();
  }, 30_000);

  it('delivers every change to clients on every instance, each exactly once', async () => {
    // A follower of every train, signed in on two instances at once.
    const email = `follower-${randomUUID()}@example.com`;
    const registered = await fetch(`${instances[0].url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'follower-password', displayName: 'Follower' }),
    }).then((response) => response.json() as Promise<{ accessToken: string; user: { id: string } }>);
    const follower = await Promise.all([connectLive(instances[1].url, { token: registered.accessToken }), connectLive(instances[2].url, { token: registered.accessToken })]);
    sockets.push(...follower);
    const notified = follower.map((socket) => collect(socket, 'notification'));
    for (const number of TRAINS) {
      const response = await fetch(`${instances[1].url}/api/v1/me/favorites/${number}`, { method: 'PUT', headers: { authorization: `Bearer ${registered.accessToken}` } });
      expect(response.status).toBe(201);
    }
    const followingFrom = simulatedNow();
    if (followingFrom + MAX_QUIET_MS > Date.parse(CLOCK_START) + COVERED_MS) {
      throw new Error(`The instances took ${Math.round((Date.now() - epoch) / 1000)} s to start: simulated time is past the span checked for notifications`);
    }

    const clients = await Promise.all(instances.map((instance) => connectLive(instance.url)));
    sockets.push(...clients);
    const received = clients.map((socket) => collect(socket, 'train.status'));
    for (const socket of clients) for (const number of TRAINS) expect(await socket.emitWithAck('subscribe', { trainNumber: number })).toMatchObject({ ok: true });
    // Versions written from here on were published after every client had subscribed.
    const before = await writtenVersions();

    // Changes on several runs, and a notification for the follower (one is due within
    // MAX_QUIET_MS of simulated time, at most 15 real seconds, of following).
    const ids = async () => (await sql<{ id: string }>('SELECT id FROM notifications WHERE user_id = $1', [registered.user.id])).map((row) => row.id);
    let changes: string[] = [];
    await waitFor(
      async () => {
        changes = [...(await writtenVersions())].filter((key) => !before.has(key));
        return changes.length >= 20 && (await ids()).length > 0;
      },
      PATIENCE_MS,
      'changes to be written and the follower to be notified',
      250,
    );

    // Every client, whichever instance it is on, gets each of those changes …
    await waitFor(() => received.every((statuses) => changes.every((key) => statuses.some((status) => versionKey(status) === key))), PATIENCE_MS, 'every client to get every change');
    const written = await writtenVersions();
    for (const statuses of received) {
      const keys = statuses.map(versionKey);
      expect(keys).toEqual(expect.arrayContaining(changes));
      // … once, and nothing that was not written.
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.filter((key) => !written.has(key))).toEqual([]);
    }

    // Each notification created for the follower reaches both of their sockets, once.
    const created = await ids();
    expect(created.length).toBeGreaterThan(0);
    await waitFor(() => notified.every((got) => created.every((id) => got.some((notification) => notification.id === id))), PATIENCE_MS, 'both sockets to get every notification');
    const stored = await ids();
    for (const got of notified.map((notifications) => notifications.map((notification) => notification.id))) {
      expect(new Set(got).size).toBe(got.length);
      expect(got).toEqual(expect.arrayContaining(created));
      for (const id of got) expect(stored).toContain(id);
    }
  }, 4 * PATIENCE_MS);

  it('ticks once per interval across the cluster and writes each change once', async () => {
    const total = async () => (await Promise.all(instances.map(acquired))).reduce((a, b) => a + b, 0);
    const started = performance.now();
    const before = await total();
    let after = before;
    await waitFor(async () => (after = await total()) - before >= 3, PATIENCE_MS, 'three ticks');
    const elapsedSeconds = (performance.now() - started) / 1000;
    // Three crons fire every second; the lock lets one of them tick each second, so the cluster
    // ticks, and no more than once per second of the window (+1 for the one that was under way
    // as it opened). A slow machine makes ticks late or skipped, never more frequent.
    expect(after - before).toBeGreaterThanOrEqual(3);
    expect(after - before).toBeLessThanOrEqual(elapsedSeconds + 1);

    // History has one row per version of each run: no change written twice, none lost.
    expect(await sql(noGaps)).toEqual([]);
    // Notifications are unique per user and event (the constraint holds; nothing to de-duplicate).
    const dup = await sql(`SELECT user_id, event_key FROM notifications GROUP BY 1, 2 HAVING count(*) > 1`);
    expect(dup).toEqual([]);
  }, 2 * PATIENCE_MS);

  it('keeps ticking after the lock holder is killed with SIGKILL', async () => {
    // The holder: the instance seen taking the lock, killed while it still holds it.
    const counts = await Promise.all(instances.map(acquired));
    let holder: InstanceProcess | undefined;
    await waitFor(
      async () => {
        const now = await Promise.all(instances.map(acquired));
        holder = instances[now.findIndex((count, i) => count > counts[i])];
        return holder !== undefined;
      },
      PATIENCE_MS,
      'an instance to take the lock',
    );
    const events = async () => Number((await sql<{ n: string }>('SELECT count(*) AS n FROM train_run_events'))[0].n);
    holder!.signal('SIGKILL');
    await holder!.exit;
    const survivors = instances.filter((instance) => instance !== holder);
    const start = await Promise.all(survivors.map(acquired));
    const eventsAtKill = await events();
    // The lock expires within its TTL (800 ms); a later second's tick is taken by a survivor.
    await waitFor(async () => (await Promise.all(survivors.map(acquired))).some((count, i) => count > start[i]), PATIENCE_MS, 'a survivor to tick');
    await waitFor(async () => (await events()) > eventsAtKill, PATIENCE_MS, 'new changes to be written', 250);
    instances.splice(instances.indexOf(holder!), 1);
    // Nothing lost or doubled across the takeover: one history row per version of every run.
    expect(await sql(noGaps)).toEqual([]);
  }, 3 * PATIENCE_MS);

  it('reports Redis down as not ready, keeps serving, and recovers when Redis returns', async () => {
    const [a, b] = instances;
    const client = await connectLive(b.url);
    sockets.push(client);
    for (const number of TRAINS) await client.emitWithAck('subscribe', { trainNumber: number });
    const received = collect(client, 'train.status');

    await redis.stop();
    await waitFor(async () => (await fetch(`${a.url}/health/ready`)).status === 503, PATIENCE_MS, 'readiness to fail');
    const ready = await (await fetch(`${a.url}/health/ready`)).json();
    expect(ready).toMatchObject({ status: 503, code: 'NOT_READY', checks: { database: { status: 'up' }, redis: { status: 'down' } } });
    expect((await fetch(`${a.url}/api/v1/trains/12951/status`)).status).toBe(200);
    expect((await fetch(`${b.url}/api/v1/stations/NDLS`)).status).toBe(200);
    // Both keep ticking without the lock (and without crashing) while Redis is away.
    const withoutLock = (instance: InstanceProcess) => instance.metric('tracker_lock_acquisitions_total', 'outcome="error"');
    const failed = await Promise.all([a, b].map(withoutLock));
    await waitFor(async () => (await Promise.all([a, b].map(withoutLock))).every((count, i) => count >= failed[i] + 2), PATIENCE_MS, 'ticks without the lock');
    expect(a.running && b.running).toBe(true);

    await redis.start();
    await waitFor(async () => (await fetch(`${a.url}/health/ready`)).status === 200, PATIENCE_MS, 'readiness to return');
    const count = received.length;
    await waitFor(() => received.length > count, PATIENCE_MS, 'broadcasts to resume');
  }, 4 * PATIENCE_MS);

  it('stops on SIGTERM with exit code 0 within 10 s, telling its sockets why, leaving no half-written tick', async () => {
    const instance = instances[instances.length - 1];
    const client = await connectLive(instance.url);
    sockets.push(client);
    await client.emitWithAck('subscribe', { trainNumber: '12951' });
    const notices = collect(client, 'server.shutdown');
    const started = Date.now();
    instance.signal('SIGTERM');
    const { code } = (await instance.exit)!;
    expect(code).toBe(0);
    // The shutdown deadline itself (the app gives up and exits 1 after 9 s), not a wait.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(notices).toEqual([{ reason: expect.stringContaining('restarting') }]);
    // Every current state has exactly its history: a tick was either committed whole or not at all.
    const torn = await sql(`
      SELECT r.id FROM train_runs r LEFT JOIN train_run_events e ON e.run_id = r.id AND e.version = r.version WHERE e.id IS NULL`);
    expect(torn).toEqual([]);
  }, 30_000);
});
