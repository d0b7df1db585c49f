// A local nginx in front of one app instance, with the micro-cache of docker-compose.yml (issue
// #16 part 2): the `configs.nginx` text is read from docker-compose.yml, so the bench measures
// the configuration that is shipped, with the upstream, the port and the cache directory
// replaced. nginx comes from the system's packages (Debian: `apt-get install nginx-light`);
// without an `nginx` on PATH (or in /usr/sbin) the bench skips this line.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './stats.mjs';

const COMPOSE_FILE = fileURLToPath(new URL('../docker-compose.yml', import.meta.url));

/** The nginx executable, or null when none is installed. */
export function nginxBinary() {
  for (const candidate of ['nginx', '/usr/sbin/nginx', '/usr/local/sbin/nginx']) {
    try {
      execFileSync(candidate, ['-v'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

/** The server configuration of docker-compose's nginx (its `configs.nginx.content`), as nginx reads it. */
export function composeNginxConfig() {
  const text = readFileSync(COMPOSE_FILE, 'utf8');
  const match = /\n {2}nginx:\n {4}content: \|\n((?: {6}.*\n|\n)+)/.exec(text);
  if (!match) throw new Error('docker-compose.yml: no configs.nginx.content block');
  // Compose interpolates `$$` to `$`.
  return match[1].replace(/^ {6}/gm, '').replaceAll('$$', '$');
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/**
 * Starts nginx as docker-compose configures it, proxying to the app at 127.0.0.1:`upstreamPort`.
 * @param {number} upstreamPort
 * @returns {Promise<{ url: string, stop: () => Promise<void> } | null>} null when nginx is not installed
 */
export async function startNginxProxy(upstreamPort) {
  const nginx = nginxBinary();
  if (!nginx) return null;
  const dir = mkdtempSync(join(tmpdir(), 'bench-nginx-'));
  for (const sub of ['cache', 'temp']) mkdirSync(join(dir, sub));
  // Workers run as an unprivileged user when nginx is started as root: they must write the cache.
  for (const path of [dir, join(dir, 'cache'), join(dir, 'temp')]) chmodSync(path, 0o777);
  const port = await freePort();
  const server = composeNginxConfig()
    .replace(/server app:3000;/, `server 127.0.0.1:${upstreamPort};`)
    .replace(/listen 80;/, `listen 127.0.0.1:${port};`)
    .replace(/proxy_cache_path \S+/, `proxy_cache_path ${join(dir, 'cache')}`);
  if (!server.includes(`127.0.0.1:${upstreamPort}`) || !server.includes(`listen 127.0.0.1:${port}`)) {
    throw new Error('docker-compose.yml nginx config: upstream `server app:3000;` or `listen 80;` not found');
  }
  const temp = join(dir, 'temp');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes auto;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
${server}
}
`,
  );
  const child = spawn(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGQUIT'); // graceful: workers finish, then the master exits
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
      await stop();
      throw new Error(`nginx exited (${child.exitCode}): ${log.slice(-1000)}`);
    }
    if (await fetch(`${url}/health/live`).then((response) => response.ok, () => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error('nginx did not answer within 10 s');
    }
    await sleep(100);
  }
  return { url, stop };
}
