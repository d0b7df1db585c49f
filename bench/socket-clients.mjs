// A load-generator process: many Socket.IO clients, or many polling HTTP clients. Over IPC:
//   connect {url, numbers, firstClient, concurrency}  one socket per entry of `numbers`, each
//       subscribed to that train; resolves once every subscription is acked;
//   take {payloads}      the `train.status` receipts since the last take (client, train,
//       version, time), and with `payloads` one payload per (train, version) seen;
//   disconnect           closes every socket;
//   poll {url, numbers, firstClient, total, periodMs}  one keep-alive HTTP client per entry,
//       each GETting its train's status every periodMs, start times spread over the period
//       by global client index;
//   pollStats {reset}    requests, errors, new connections and latencies since the last reset;
//   stopPoll             stops polling and closes the connections.
import { Agent, get } from 'node:http';
import { io } from 'socket.io-client';
import { now, serve } from './children.mjs';

/** @type {import('socket.io-client').Socket[]} */
let sockets = [];
let closing = false;
let dropped = 0;
/** Flat: client, train number, version, receipt time; four entries per receipt. */
let receipts = [];
/** First payload seen of each `${number}:${version}`, for the bare server to replay. */
const payloads = new Map();

function open(url, number, client) {
  return new Promise((resolve, reject) => {
    // forceNew: one connection per client (io() would otherwise multiplex them all over one).
    const socket = io(`${url}/live`, { transports: ['websocket'], forceNew: true, reconnection: false });
    const fail = (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`client ${client}: no subscription within 30 s`)), 30_000);
    socket.on('train.status', (payload) => {
      const at = now();
      const key = `${payload.train.number}:${payload.version}`;
      receipts.push(client, payload.train.number, payload.version, at);
      if (!payloads.has(key)) payloads.set(key, payload);
    });
    socket.on('disconnect', () => (closing ? undefined : dropped++));
    socket.once('connect_error', fail);
    socket.once('connect', () =>
      socket.emit('subscribe', { trainNumber: number }, (ack) => {
        if (!ack?.ok) return fail(new Error(`client ${client}: subscribe refused: ${JSON.stringify(ack)}`));
        clearTimeout(timer);
        resolve(socket);
      }),
    );
  });
}

/** Runs `task(i)` for i in 0…count-1, at most `concurrency` at a time, so the server is not flooded. */
async function inBatches(count, concurrency, task) {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

// Polling state.
let pollers = [];
const noPolls = () => ({ requests: 0, errors: 0, connections: 0, latencies: [] });
let polls = noPolls();

function startPolling({ url, numbers, firstClient, total, periodMs }) {
  const started = performance.now();
  pollers = numbers.map((number, i) => {
    // One connection per client, kept alive between polls, as a browser tab or app would.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const poller = { agent, timer: null, stopped: false };
    const offset = ((firstClient + i) / total) * periodMs;
    let round = 0;
    const request = () => {
      if (poller.stopped) return;
      const sent = performance.now();
      const outgoing = get(`${url}/api/v1/trains/${number}/status`, { agent }, (response) => {
        if (!outgoing.reusedSocket) polls.connections++;
        response.resume();
        response.on('end', () => {
          polls.requests++;
          if (response.statusCode !== 200) polls.errors++;
          polls.latencies.push(performance.now() - sent);
        });
      }).on('error', () => {
        polls.requests++;
        polls.errors++;
      });
      // Fixed rate: the next poll is due a period after this one was due, however long it took.
      round++;
      poller.timer = setTimeout(request, started + offset + round * periodMs - performance.now());
    };
    poller.timer = setTimeout(request, offset);
    return poller;
  });
}

function stopPolling() {
  for (const poller of pollers) {
    poller.stopped = true;
    clearTimeout(poller.timer);
    poller.agent.destroy();
  }
  pollers = [];
}

serve(
  {
    async connect({ url, numbers, firstClient, concurrency = 25 }) {
      closing = false;
      const started = now();
      const opened = new Array(numbers.length);
      await inBatches(numbers.length, concurrency, async (i) => {
        opened[i] = await open(url, numbers[i], firstClient + i);
      });
      sockets.push(...opened);
      // Collect the garbage of the set-up now rather than during the measured ticks.
      globalThis.gc?.();
      return { connected: opened.length, ms: now() - started };
    },
    take({ payloads: withPayloads = false }) {
      const taken = receipts;
      receipts = [];
      return { receipts: taken, dropped, payloads: withPayloads ? Object.fromEntries(payloads) : undefined };
    },
    disconnect() {
      closing = true;
      for (const socket of sockets) socket.close();
      sockets = [];
      payloads.clear();
      return { dropped };
    },
    poll(options) {
      polls = noPolls();
      startPolling(options);
      return { pollers: pollers.length };
    },
    pollStats({ reset = false }) {
      const result = polls;
      if (reset) polls = noPolls();
      return result;
    },
    stopPoll() {
      stopPolling();
      return { stopped: true };
    },
  },
  {
    onClose: () => {
      closing = true;
      stopPolling();
      for (const socket of sockets) socket.close();
    },
  },
);
process.send({ type: 'ready' });
