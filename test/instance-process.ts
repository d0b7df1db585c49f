import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { waitFor } from './redis-process.js';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** One app instance as a real OS process, running the build (`dist/`) like production. */
export class InstanceProcess {
  private process: ChildProcess | null = null;
  output = '';
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | null = null;

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get running(): boolean {
    return this.process !== null && this.process.exitCode === null && this.process.signalCode === null;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process = child;
    child.stdout?.on('data', (chunk) => (this.output += chunk));
    child.stderr?.on('data', (chunk) => (this.output += chunk));
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    await waitFor(
      async () => {
        if (!this.running) throw new Error(`instance on port ${this.port} exited:\n${this.output}`);
        return fetch(`${this.url}/health/live`).then((response) => response.ok, () => false);
      },
      20_000,
      `instance on port ${this.port}`,
    );
  }

  signal(signal: NodeJS.Signals): void {
    this.process?.kill(signal);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.signal('SIGKILL');
    await this.exit;
  }

  /** A counter or gauge from this instance's /metrics, summed over its label sets. */
  async metric(name: string, labels = ''): Promise<number> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{${labels}`) || (labels === '' && line.startsWith(`${name} `)))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  }
}
