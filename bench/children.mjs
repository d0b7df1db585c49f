// Child processes of the benchmarks and the request/reply protocol they speak over IPC.
// Parent: `const child = await startChild('bench/instance.mjs', { env })`, then
// `await child.call('tick', { bump })`. Child: `serve({ tick: async ({ bump }) => ... })`.
// Every child started here is killed when the parent exits, however it exits.
import { fork, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

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

/** This process's limit of open files (each socket is one): soft and hard, from /proc (Linux). */
export function openFilesLimit() {
  try {
    const [, soft, hard] = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8')) ?? [];
    const parse = (value) => (value === 'unlimited' ? Infinity : Number(value));
    return soft ? { soft: parse(soft), hard: parse(hard) } : null;
  } catch {
    return null;
  }
}

/** The prlimit(1) argument giving `openFiles` open files: the soft limit, and the hard one when it must grow. */
const nofile = (openFiles) => `--nofile=${openFiles}:${Math.max(openFiles, openFilesLimit()?.hard ?? 0)}`;

/**
 * Whether a child can be given `openFiles` open files: within this process's soft limit, or
 * raised by prlimit(1) (util-linux): up to the hard limit always, past it only with
 * CAP_SYS_RESOURCE (root outside a container), which is tried.
 * @param {number} openFiles
 * @returns {{ ok: true, raise: boolean } | { ok: false, reason: string }}
 */
export function canOpenFiles(openFiles) {
  const limit = openFilesLimit();
  if (!limit || openFiles <= limit.soft) return { ok: true, raise: false };
  if (spawnSync('prlimit', [nofile(openFiles), 'true'], { stdio: 'ignore' }).status === 0) return { ok: true, raise: true };
  return { ok: false, reason: `needs ${openFiles} open files per process; the limit here is ${limit.soft} (hard ${limit.hard}), and prlimit cannot raise it: raise it (ulimit -n, LimitNOFILE, docker --ulimit nofile=…)` };
}

/**
 * Forks a script (with --expose-gc, so it can collect before reporting memory) and waits for
 * its `ready` message. With `openFiles` above this process's limit, the child runs under
 * `prlimit --nofile` (see canOpenFiles).
 * @param {string} script path of the script
 * @param {{ args?: string[], env?: Record<string, string>, timeoutMs?: number, openFiles?: number }} [options]
 * @returns {Promise<Child>}
 */
export function startChild(script, { args = [], env = {}, timeoutMs = 60_000, openFiles } = {}) {
  const files = openFiles === undefined ? { ok: true, raise: false } : canOpenFiles(openFiles);
  if (!files.ok) return Promise.reject(new Error(`${script}: ${files.reason}`));
  // fork runs `execPath ...execArgv script ...args`: prlimit sets the limit, then runs node.
  const launch = files.raise ? { execPath: 'prlimit', execArgv: [nofile(openFiles), process.execPath, '--expose-gc'] } : { execArgv: ['--expose-gc'] };
  const child = fork(script, args, { env: { ...process.env, ...env }, ...launch, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
  const memory = process.memoryUsage();
  let openFiles = null;
  try {
    openFiles = readdirSync('/proc/self/fd').length;
  } catch {
    // not Linux
  }
  return { rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external, openFiles, cpuMicros: cpu.user + cpu.system };
}

/**
 * IPC handlers that profile this process's CPU between two calls (node:inspector, as
 * `--cpu-prof` does, but over a chosen window): `profileStart`, then `profileStop {file}` writes
 * the .cpuprofile there (bench/cpu-profile.mjs); `allocationStart`, `allocationStop {file}` sample
 * allocations the same way; `heapSnapshot {file}` writes a heap snapshot.
 */
export async function profilerHandlers() {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  return {
    profileStart: () => session.post('Profiler.start'),
    async profileStop({ file }) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      return { file };
    },
    /** Sampled allocations (by stack) between the two calls, into `file` (.heapprofile): what a request allocates. */
    allocationStart: () => session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }),
    async allocationStop({ file }) {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      writeFileSync(file, JSON.stringify(profile));
      return { file };
    },
    /** A heap snapshot into `file` (to see what a connection keeps alive). */
    async heapSnapshot({ file }) {
      const chunks = [];
      const collect = (message) => chunks.push(message.params.chunk);
      session.on('HeapProfiler.addHeapSnapshotChunk', collect);
      await session.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      session.off('HeapProfiler.addHeapSnapshotChunk', collect);
      writeFileSync(file, chunks.join(''));
      return { file };
    },
  };
}
