import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { testEnv } from './app.factory.js';
import { freePort, InstanceProcess } from './instance-process.js';
import { collect, connectLive } from './live-helpers.js';
import { RedisProcess, waitFor } from './redis-process.js';
import { prepareDatabase, withClient } from './test-database.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const TRAINS = ['12951', '12952', '12301', '12302', '12621', '12622', '12627', '12809', '12841', '12860', '12723', '22691'];

interface Status {
  train: { number: string };
  serviceDate: string;
  version: number;
}

/**
 * Several real instances on one PostgreSQL and one Redis (a redis-server of this test's own, so
 * stopping it touches nothing else). Simulated time runs 300x, so trains change every tick.
 */
describe('several instances', () => {
  const redis = new RedisProcess(17_000 + Math.floor(Math.random() * 1000));
  const instances: InstanceProcess[] = [];
  const sockets: Socket[] = [];
  let databaseUrl: string;
  const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
    withClient(databaseUrl, async (client) => (await client.query<T>(text, params)).rows);

  beforeAll(async () => {
    databaseUrl = await prepareDatabase('train_tracker_test_cluster');
    await redis.start();
    const env = {
      ...testEnv('train_tracker_test_cluster'),
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `cluster-${randomUUID().slice(0, 6)}:`,
      TRACKING_ENABLED: 'true',
      TRACKING_CRON: '* * * * * *',
      TRACKING_LOCK_TTL_MS: '1000',
      SIMULATION_SPEED: '300',
      SIMULATION_EPOCH_MS: String(Date.now()),
      LOG_LEVEL: 'warn',
    };
    for (let i = 0; i < 3; i++) instances.push(new InstanceProcess(await freePort(), env));
    await Promise.all(instances.map((instance) => instance.start()));
  }, 60_000);

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
      await fetch(`${instances[1].url}/api/v1/me/favorites/${number}`, { method: 'PUT', headers: { authorization: `Bearer ${registered.accessToken}` } });
    }

    const clients = await Promise.all(instances.map((instance) => connectLive(instance.url)));
    sockets.push(...clients);
    const received = clients.map((socket) => collect(socket, 'train.status'));
    for (const socket of clients) for (const number of TRAINS) expect(await socket.emitWithAck('subscribe', { trainNumber: number })).toMatchObject({ ok: true });

    await sleep(6000);
    const run = (status: Status) => `${status.train.number}:${status.serviceDate}`;
    const seen = received.map((statuses) => statuses.map((status) => `${run(status)}:${status.version}`));
    expect(seen.every((keys) => keys.length > 0)).toBe(true);
    for (const keys of seen) expect(new Set(keys).size).toBe(keys.length); // nothing twice
    // Every client saw the same changes; only a run's first or last version may be missing where
    // a client subscribed or the window closed a moment apart from the others.
    const versions = new Map<string, number[]>();
    for (const status of received.flat()) versions.set(run(status), [...(versions.get(run(status)) ?? []), status.version]);
    for (const keys of seen) {
      const missing = [...new Set(seen.flat())].filter((entry) => !keys.includes(entry));
      for (const entry of missing) {
        const [number, date, version] = entry.split(':');
        const all = versions.get(`${number}:${date}`)!;
        expect([Math.min(...all), Math.max(...all)]).toContain(Number(version));
      }
    }

    // Each notification created for the follower reached both of their sockets, once (a tick
    // may land between the two reads of the table, so compare against both).
    const ids = async () => (await sql<{ id: string }>('SELECT id FROM notifications WHERE user_id = $1', [registered.user.id])).map((row) => row.id);
    const before = await ids();
    expect(before.length).toBeGreaterThan(0);
    await sleep(1500);
    const after = await ids();
    for (const received of notified) {
      const got = received.map((notification) => notification.id);
      expect(new Set(got).size).toBe(got.length);
      expect(got).toEqual(expect.arrayContaining(before));
      for (const id of got) expect(after).toContain(id);
    }
  }, 30_000);

  it('ticks once per interval across the cluster and writes each change once', async () => {
    const acquired = () => Promise.all(instances.map((instance) => instance.metric('tracker_lock_acquisitions_total', 'outcome="acquired"')));
    const before = (await acquired()).reduce((a, b) => a + b, 0);
    await sleep(5000);
    const after = (await acquired()).reduce((a, b) => a + b, 0);
    // Three crons fire every second; only one of them may tick each second.
    expect(after - before).toBeGreaterThanOrEqual(3);
    expect(after - before).toBeLessThanOrEqual(6);

    // History has one row per version of each run: no change written twice, none lost.
    const gaps = await sql(`
      SELECT r.id FROM train_runs r JOIN train_run_events e ON e.run_id = r.id
      GROUP BY r.id, r.version HAVING count(*) <> r.version OR max(e.version) <> r.version`);
    expect(gaps).toEqual([]);
    // Notifications are unique per user and event (the constraint holds; nothing to de-duplicate).
    const dup = await sql(`SELECT user_id, event_key FROM notifications GROUP BY 1, 2 HAVING count(*) > 1`);
    expect(dup).toEqual([]);
  }, 30_000);

  it('keeps ticking after the lock holder is killed with SIGKILL', async () => {
    const acquired = (instance: InstanceProcess) => instance.metric('tracker_lock_acquisitions_total', 'outcome="acquired"');
    const counts = await Promise.all(instances.map(acquired));
    await sleep(1500);
    const now = await Promise.all(instances.map(acquired));
    const holder = instances[now.findIndex((count, i) => count > counts[i])] ?? instances[0];
    const events = async () => Number((await sql<{ n: string }>('SELECT count(*) AS n FROM train_run_events'))[0].n);
    holder.signal('SIGKILL');
    await holder.exit;
    const survivors = instances.filter((instance) => instance !== holder);
    const start = await Promise.all(survivors.map(acquired));
    const eventsAtKill = await events();
    // The lock expires within its TTL (1 s); the next second's tick is taken by a survivor.
    await waitFor(async () => (await Promise.all(survivors.map(acquired))).some((count, i) => count > start[i]), 3000, 'a survivor to tick');
    await waitFor(async () => (await events()) > eventsAtKill, 5000, 'new changes to be written');
    instances.splice(instances.indexOf(holder), 1);
    // Nothing lost or doubled across the takeover: one history row per version of every run.
    const gaps = await sql(`
      SELECT r.id FROM train_runs r JOIN train_run_events e ON e.run_id = r.id
      GROUP BY r.id, r.version HAVING count(*) <> r.version OR max(e.version) <> r.version`);
    expect(gaps).toEqual([]);
  }, 30_000);

  it('reports Redis down as not ready, keeps serving, and recovers when Redis returns', async () => {
    const [a, b] = instances;
    const client = await connectLive(b.url);
    sockets.push(client);
    for (const number of TRAINS) await client.emitWithAck('subscribe', { trainNumber: number });
    const received = collect(client, 'train.status');

    await redis.stop();
    await waitFor(async () => (await fetch(`${a.url}/health/ready`)).status === 503, 5000, 'readiness to fail');
    const ready = await (await fetch(`${a.url}/health/ready`)).json();
    expect(ready).toMatchObject({ status: 503, code: 'NOT_READY', checks: { database: { status: 'up' }, redis: { status: 'down' } } });
    expect((await fetch(`${a.url}/api/v1/trains/12951/status`)).status).toBe(200);
    expect((await fetch(`${b.url}/api/v1/stations/NDLS`)).status).toBe(200);
    await sleep(2000);
    expect(a.running && b.running).toBe(true);

    await redis.start();
    await waitFor(async () => (await fetch(`${a.url}/health/ready`)).status === 200, 10_000, 'readiness to return');
    const count = received.length;
    await waitFor(() => received.length > count, 10_000, 'broadcasts to resume');
  }, 40_000);

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
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(notices).toEqual([{ reason: expect.stringContaining('restarting') }]);
    // Every current state has exactly its history: a tick was either committed whole or not at all.
    const torn = await sql(`
      SELECT r.id FROM train_runs r LEFT JOIN train_run_events e ON e.run_id = r.id AND e.version = r.version WHERE e.id IS NULL`);
    expect(torn).toEqual([]);
  }, 30_000);
});
