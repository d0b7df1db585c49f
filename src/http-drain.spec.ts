import { afterEach, describe, expect, it } from '@jest/globals';
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { HttpDrain } from './http-drain.js';

/** A gate the test opens: requests to /slow wait on it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

interface Harness {
  server: Server;
  port: number;
  drain: HttpDrain;
  /** Resolves when the server has received this many requests. */
  received: (count: number) => Promise<void>;
}

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => unknown, ignore?: (request: IncomingMessage) => boolean): Promise<Harness> {
  let count = 0;
  const waiters: Array<[number, () => void]> = [];
  const server = createServer((request, response) => {
    count += 1;
    waiters.filter(([n]) => n <= count).forEach(([, resolve]) => resolve());
    void handler(request, response);
  });
  const drain = new HttpDrain(server, { ignore });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const received = (n: number) => (count >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push([n, resolve])));
  return { server, port, drain, received };
}

function get(port: number, path: string, agent: Agent): Promise<{ status: number; connection?: string; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const outgoing = request({ host: '127.0.0.1', port, path, agent }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, connection: response.headers.connection, body }));
      response.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    outgoing.end();
  });
}

const closed = (socket: Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

describe('HttpDrain', () => {
  const servers: Server[] = [];
  const agents: Agent[] = [];
  const agent = () => {
    const made = new Agent({ keepAlive: true });
    agents.push(made);
    return made;
  };
  afterEach(() => {
    agents.splice(0).forEach((made) => made.destroy());
    servers.splice(0).forEach((server) => server.closeAllConnections());
  });

  it('finishes the requests in flight with Connection: close, closes idle keep-alive connections, refuses new ones', async () => {
    const slow = gate();
    const harness = await serve(async (request, response) => {
      if (request.url === '/slow') await slow.opened;
      response.end(`done ${request.url}`);
    });
    servers.push(harness.server);
    const idleAgent = agent();
    expect(await get(harness.port, '/warm', idleAgent)).toMatchObject({ status: 200, connection: 'keep-alive' });
    const idleSocket = Object.values(idleAgent.freeSockets).flat()[0]!;
    const busy = agent();
    const answers = Promise.all([get(harness.port, '/slow', busy), get(harness.port, '/slow', busy)]);
    await harness.received(3);

    const closing = harness.drain.close(new AbortController().signal);
    await closed(idleSocket);
    const refused = await new Promise<string>((resolve) => connect(harness.port, '127.0.0.1').once('error', (error: NodeJS.ErrnoException) => resolve(error.code!)));
    expect(refused).toBe('ECONNREFUSED');

    slow.open();
    expect(await answers).toEqual([
      { status: 200, connection: 'close', body: 'done /slow' },
      { status: 200, connection: 'close', body: 'done /slow' },
    ]);
    expect(await closing).toEqual({ cut: 0 });
  });

  it('cuts the connections of requests still running at the deadline', async () => {
    const harness = await serve(() => new Promise(() => undefined));
    servers.push(harness.server);
    const answer = get(harness.port, '/never', agent());
    await harness.received(1);
    const deadline = new AbortController();
    const closing = harness.drain.close(deadline.signal);
    deadline.abort();
    expect(await closing).toEqual({ cut: 1 });
    expect(await answer).toEqual({ error: 'ECONNRESET' });
  });

  it('does not wait for ignored requests (Socket.IO long polls), nor close upgraded connections', async () => {
    const harness = await serve(
      () => new Promise(() => undefined),
      (request) => request.url?.startsWith('/socket.io/') ?? false,
    );
    servers.push(harness.server);
    const upgraded: Socket[] = [];
    harness.server.on('upgrade', (_request, socket: Socket) => {
      upgraded.push(socket);
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    });
    const client = connect(harness.port, '127.0.0.1');
    const switched = new Promise<void>((resolve) => client.once('data', () => resolve()));
    client.write('GET /socket.io/?transport=websocket HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
    await switched;
    void get(harness.port, '/socket.io/?transport=polling', agent());
    await harness.received(1);

    expect(await harness.drain.close(new AbortController().signal)).toEqual({ cut: 0 });
    expect(upgraded).toHaveLength(1);
    expect(upgraded[0].destroyed).toBe(false);
    expect(client.destroyed).toBe(false);
    client.destroy();
  });
});
