// The reference for the fan-out benchmark: a plain Socket.IO server (the app's version, default
// options) on node:http with the app's protocol: namespace /live, `subscribe` joins the room
// `train:<number>` and acks. Over IPC:
//   broadcast {events: [{number, payload}]}  emits each payload as `train.status` to its room,
//                                            answering with the time of each emit;
//   stats {gc}                               RSS and CPU time of this process;
//   profileStart, profileStop, heapSnapshot  as bench/instance.mjs.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { now, profilerHandlers, serve, usage } from './children.mjs';

const http = createServer();
const io = new Server(http);
const live = io.of('/live');
live.on('connection', (socket) => {
  socket.on('subscribe', (payload, ack) => {
    socket.join(`train:${payload?.trainNumber}`);
    if (typeof ack === 'function') ack({ ok: true, status: null });
  });
});

await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));

serve(
  {
    broadcast({ events }) {
      /** @type {Array<[string, number, number]>} */
      const published = [];
      for (const { number, payload } of events) {
        published.push([number, payload.version, now()]);
        live.to(`train:${number}`).emit('train.status', payload);
      }
      return { published };
    },
    stats: ({ gc }) => usage({ gc }),
    ...(await profilerHandlers()),
  },
  { onClose: () => new Promise((resolve) => io.close(() => resolve())) },
);
process.send({ type: 'ready', port: http.address().port });
