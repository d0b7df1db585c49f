// Child processes of the benchmarks and the request/reply protocol they speak over IPC.
// Parent: `const child = await startChild('bench/instance.mjs', { env })`, then
// `await child.call('tick', { bump })`. Child: `serve({ tick: async ({ bump }) => ... })`.
// Every child started here is killed when the parent exits, however it exits.
import { fork } from 'node:child_process';

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();

function killAll() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** The wall clock with sub-millisecond resolution, comparable between processes. */
export const now = () => performance.timeOrigin + performance.now();

/**
 * @typedef {object} Child
 * @property {number} pid
 * @property {Record<string, unknown>} ready what the child sent with its `ready` message
 * @property {(type: string, payload?: object, timeoutMs?: number) => Promise<any>} call
 * @property {() => Promise<void>} stop asks the child to close, kills it if it does not exit in 5 s
 */

/**
 * Forks a script (with --expose-gc, so it can collect before reporting memory) and waits for
 * its `ready` message.
 * @param {string} script path of the script
 * @param {{ args?: string[], env?: Record<string, string>, timeoutMs?: number }} [options]
 * @returns {Promise<Child>}
 */
export function startChild(script, { args = [], env = {}, timeoutMs = 60_000 } = {}) {
  const child = fork(script, args, { env: { ...process.env, ...env }, execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  const pending = new Map();
  let nextId = 0;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.once('exit', (code, signal) => {
    children.delete(child);
    for (const { reject } of pending.values()) reject(new Error(`${script} exited (${code ?? signal})`));
    pending.clear();
  });
  child.on('message', (message) => {
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.ok) waiting.resolve(message.result);
    else waiting.reject(new Error(`${script}: ${message.error}`));
  });

  /** @type {Child['call']} */
  const call = (type, payload = {}, callTimeoutMs = 120_000) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${script}: no answer to ${type} within ${callTimeoutMs} ms`));
      }, callTimeoutMs);
      pending.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      child.send({ ...payload, id, type });
    });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.send({ id: 0, type: 'close' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited before it was ready (${code ?? signal})`));
    });
    child.on('message', (message) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve({ pid: child.pid, ready: message, call, stop });
    });
  });
}

/**
 * Child side: answers the parent's requests with the handler of their type, and exits when
 * told to close (after `onClose`) or when the parent goes away.
 * @param {Record<string, (message: any) => unknown>} handlers
 * @param {{ onClose?: () => Promise<void> | void }} [options]
 */
export function serve(handlers, { onClose } = {}) {
  const close = async () => {
    const timer = setTimeout(() => process.exit(0), 4000);
    await Promise.resolve(onClose?.()).catch(() => undefined);
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (message) => {
    if (message.type === 'close') return close();
    const handler = handlers[message.type];
    try {
      if (!handler) throw new Error(`unknown message ${message.type}`);
      process.send({ id: message.id, ok: true, result: await handler(message) });
    } catch (error) {
      process.send({ id: message.id, ok: false, error: error instanceof Error ? error.stack : String(error) });
    }
  });
}

/**
 * Memory and CPU of this process. With `gc`, collects garbage first so RSS compares across
 * samples; without, for CPU windows, where forced collections would be counted as work.
 */
export function usage({ gc = true } = {}) {
  if (gc) {
    globalThis.gc?.();
    globalThis.gc?.();
  }
  const cpu = process.cpuUsage();
  return { rss: process.memoryUsage().rss, cpuMicros: cpu.user + cpu.system };
}
