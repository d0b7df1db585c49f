import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type IncomingHttpHeaders, Agent, request } from 'node:http';
import { connect } from 'node:net';
import pg from 'pg';
import { testEnv } from './app.factory.js';
import { newAccount } from './builders/users.js';
import { freePort, InstanceProcess } from './instance-process.js';
import { waitFor } from './redis-process.js';
import { prepareDatabase } from './test-database.js';

/** A database of this file's own: it locks a table, which must not hold up other files' logins. */
const DATABASE = 'train_tracker_test_shutdown';
const LOGINS = 20;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request over the agent's connections; rejects on a connection error (ECONNRESET …). */
function send(agent: Agent, url: string, method: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const outgoing = request(url, { method, agent, headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: text }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

/** Whether a new TCP connection to the port is refused. */
const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });

/**
 * SIGTERM with requests in flight, against a real process started from dist/ as in production.
 * The logins are held in flight deterministically: the test locks the refresh_tokens table, so
 * each login waits inside the server, on its insert, until the test lets it go.
 */
describe('SIGTERM with requests in flight', () => {
  let databaseUrl: string;
  let instance: InstanceProcess;
  const locker = () => new pg.Client({ connectionString: databaseUrl });

  beforeAll(async () => {
    databaseUrl = await prepareDatabase(DATABASE);
    instance = new InstanceProcess(await freePort(), {
      ...testEnv(DATABASE),
      // A connection for every login held in flight, and the request log to read.
      DB_POOL_SIZE: String(LOGINS + 5),
      LOG_LEVEL: 'info',
    });
    await instance.start();
  }, 60_000);

  afterAll(async () => {
    await instance?.stop();
  });

  it('stops accepting, finishes every in-flight request with its full response, closes keep-alive connections, exits 0', async () => {
    const account = newAccount();
    const agent = new Agent({ keepAlive: true, maxSockets: LOGINS + 1 });
    expect((await send(agent, `${instance.url}/api/v1/auth/register`, 'POST', account)).status).toBe(201);
    // An idle keep-alive connection, left open by its agent after this request.
    const idleAgent = new Agent({ keepAlive: true });
    const idle = await send(idleAgent, `${instance.url}/health/live`, 'GET');
    expect(idle.headers.connection).toBe('keep-alive');
    const idleSocket = Object.values(idleAgent.freeSockets).flat()[0]!;
    const idleClosed = new Promise<void>((resolve) => idleSocket.once('close', () => resolve()));

    const lock = locker();
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE refresh_tokens IN ACCESS EXCLUSIVE MODE');
      const logins = Array.from({ length: LOGINS }, () =>
        send(agent, `${instance.url}/api/v1/auth/login`, 'POST', { email: account.email, password: account.password }).then(
          (answer): Answer | { error: string } => answer,
          (error: NodeJS.ErrnoException) => ({ error: error.code ?? error.message }),
        ),
      );
      // Every login has been read, checked (argon2) and is waiting on the locked table.
      await waitFor(
        async () =>
          Number(
            (
              await lock.query<{ waiting: string }>(
                `SELECT count(*) AS waiting FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                  WHERE c.relname = 'refresh_tokens' AND NOT l.granted`,
              )
            ).rows[0].waiting,
          ) === LOGINS,
        20_000,
        `${LOGINS} logins to wait on the refresh_tokens table`,
        25,
      );

      instance.signal('SIGTERM');
      // New connections are refused while the logins are still in flight (the table is locked).
      await waitFor(() => refused(instance.port), 5000, 'new connections to be refused');
      // An idle keep-alive connection is closed at once; it has nothing to finish.
      await idleClosed;

      await lock.query('COMMIT');
      const answers = await Promise.all(logins);
      // Every login gets its whole response, and the connection is not kept for another request.
      expect(answers.map((answer) => ('error' in answer ? answer.error : answer.status))).toEqual(Array(LOGINS).fill(200));
      for (const { headers, body } of answers as Answer[]) {
        expect(headers.connection).toBe('close');
        expect(JSON.parse(body)).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String), user: { email: account.email } });
      }
    } finally {
      await lock.end();
      agent.destroy();
      idleAgent.destroy();
    }

    expect(await instance.exit).toEqual({ code: 0, signal: null });
    expect(instance.output).toContain('SIGTERM received');
    expect(instance.output).not.toContain('request aborted');
  }, 60_000);
});
