import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './redis-process.js';

const binaries = () => join('/usr/lib/postgresql', readdirSync('/usr/lib/postgresql').sort().pop()!, 'bin');

/**
 * A PostgreSQL server of the test's own (initdb in a temporary directory, its own port), so
 * stopping it never touches the shared one. PostgreSQL refuses to run as root: when the tests
 * run as root it runs as the `postgres` user.
 */
export class PostgresProcess {
  private readonly dir = mkdtempSync(join(tmpdir(), 'pg-test-'));

  constructor(readonly port: number) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private run(command: string, args: string[]) {
    const asRoot = process.getuid?.() === 0;
    const result = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', join(binaries(), command), ...args], { encoding: 'utf8' })
      : spawnSync(join(binaries(), command), args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  }

  async init(): Promise<void> {
    if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', this.dir]);
    else chownSync(this.dir, process.getuid!(), process.getgid!());
    this.run('initdb', ['-D', join(this.dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  }

  async start(): Promise<void> {
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(this.dir, 'log'), '-w', 'start']);
    await waitFor(() => spawnSync(join(binaries(), 'pg_isready'), ['-h', '127.0.0.1', '-p', String(this.port)]).status === 0, 10_000, 'postgres');
  }

  async stop(): Promise<void> {
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }

  destroy(): void {
    try {
      this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', 'stop']);
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
