import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { EventEmitter } from 'node:events';
import { from, isObservable, mergeAll, type Observable, of } from 'rxjs';
import type { Socket } from 'socket.io';
import { LiveIoAdapter } from './live-io.adapter.js';

/** A server-side socket as the adapter uses it: events in, emits out, and whether it is still connected. */
class FakeSocket extends EventEmitter {
  connected = true;
  sent: unknown[][] = [];
  override emit(event: string, ...args: unknown[]): boolean {
    if (['subscribe', 'ping', 'boom', 'stream'].includes(event)) return super.emit(event, ...args);
    this.sent.push([event, ...args]);
    return true;
  }
}

/** What Nest's WebSocketsController passes: a handler's result (value, promise or observable) as an observable. */
const transform = (result: unknown): Observable<unknown> =>
  from(
    (async () => {
      const value: unknown = await result;
      return isObservable(value) ? value : of(value);
    })(),
  ).pipe(mergeAll());
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('LiveIoAdapter.bindMessageHandlers', () => {
  let errors: unknown[];
  beforeEach(() => {
    errors = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((error: unknown) => {
      errors.push(error);
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  function bound(handlers: Array<Pick<MessageMappingProperties, 'message' | 'callback'> & { isAckHandledManually?: boolean }>) {
    const socket = new FakeSocket();
    const adapter = new LiveIoAdapter(undefined as never, { allowedOrigins: [], keyPrefix: 'test:' });
    adapter.bindMessageHandlers(
      socket as unknown as Socket,
      handlers.map((handler) => ({ methodName: String(handler.message), isAckHandledManually: false, ...handler })),
      transform,
    );
    return socket;
  }

  it("answers an event's ack with what its handler gives, and passes the handler the payload and the ack", async () => {
    const seen: unknown[] = [];
    const socket = bound([{ message: 'subscribe', callback: (data: unknown, ack: unknown) => (seen.push(data, typeof ack), Promise.resolve({ ok: true, data })) }]);
    const acks: unknown[] = [];
    socket.emit('subscribe', { trainNumber: '12951' }, (answer: unknown) => acks.push(answer));
    await settle();
    expect(seen).toEqual([{ trainNumber: '12951' }, 'function']);
    expect(acks).toEqual([{ ok: true, data: { trainNumber: '12951' } }]);
  });

  it('emits an { event, data } result as that event, and every value of an observable result', async () => {
    const socket = bound([
      { message: 'ping', callback: () => Promise.resolve({ event: 'pong', data: 1 }) },
      { message: 'stream', callback: () => of({ event: 'tick', data: 1 }, { event: 'tick', data: 2 }) },
    ]);
    socket.emit('ping', {});
    socket.emit('stream', {});
    await settle();
    expect(socket.sent).toEqual([
      ['pong', 1],
      ['tick', 1],
      ['tick', 2],
    ]);
  });

  it('sends nothing once the socket is gone, and leaves the ack to a handler that handles it itself', async () => {
    let release: (value: unknown) => void = () => undefined;
    const socket = bound([
      { message: 'subscribe', callback: () => new Promise((resolve) => (release = resolve)) },
      { message: 'ping', callback: () => Promise.resolve({ ok: true }), isAckHandledManually: true },
    ]);
    const acks: unknown[] = [];
    socket.emit('subscribe', {}, (answer: unknown) => acks.push(answer));
    socket.emit('ping', {}, (answer: unknown) => acks.push(answer));
    socket.connected = false;
    release({ ok: true });
    await settle();
    expect(acks).toEqual([]);
  });

  it('logs a handler that throws, and the socket keeps its events', async () => {
    let calls = 0;
    const boom = () => {
      if (calls++ === 0) throw new Error('sync');
      return Promise.reject(new Error('async'));
    };
    const socket = bound([{ message: 'boom', callback: boom }]);
    socket.emit('boom', {});
    socket.emit('boom', {});
    await settle();
    expect(errors.map((error) => (error as Error).message)).toEqual(['sync', 'async']);
    expect(calls).toBe(2);
  });
});
