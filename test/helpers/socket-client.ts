/**
 * A test's end of a tsemu socket chardev: connects, collects what arrives
 * (latin1), waits for text. Also reads the ports tsemu bound for `:0` specs
 * from its stderr.
 */
import * as net from 'node:net';
import type { Guest } from './guest.js';

export class SockClient {
  sock!: net.Socket;
  data = '';
  closed = false;
  private waiters: (() => void)[] = [];

  static async connect(target: number | string, host = '127.0.0.1'): Promise<SockClient> {
    const c = new SockClient();
    c.sock = typeof target === 'number' ? net.connect(target, host) : net.connect(target);
    await new Promise<void>((res, rej) => { c.sock.once('connect', () => res()); c.sock.once('error', rej); });
    c.attach();
    return c;
  }

  /** Wrap an accepted socket (tsemu in client mode). */
  static of(s: net.Socket): SockClient { const c = new SockClient(); c.sock = s; c.attach(); return c; }

  private attach(): void {
    this.sock.on('data', (d: Buffer) => { this.data += d.toString('latin1'); this.notify(); });
    this.sock.on('close', () => { this.closed = true; this.notify(); });
    this.sock.on('error', () => {});
  }

  private notify(): void { for (const w of this.waiters.splice(0)) w(); }

  /** Wait until the data (from `from` on) matches; returns the index after the match. */
  async waitFor(pattern: RegExp | string, timeoutMs = 30_000, from = 0): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hay = this.data.slice(from);
      const m = typeof pattern === 'string' ? (hay.includes(pattern) ? [pattern] : null) : hay.match(pattern);
      if (m) return from + hay.indexOf(m[0]) + m[0].length;
      if (this.closed) throw new Error(`connection closed before ${pattern}; got ${JSON.stringify(this.data.slice(-1000))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for ${pattern}; got ${JSON.stringify(this.data.slice(-1000))}`);
      await new Promise<void>((r) => { const t = setTimeout(r, Math.min(left, 200)); this.waiters.push(() => { clearTimeout(t); r(); }); });
    }
  }

  async waitClosed(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('connection still open');
      await new Promise<void>((r) => { const t = setTimeout(r, 100); this.waiters.push(() => { clearTimeout(t); r(); }); });
    }
  }

  send(s: string | Uint8Array): void { this.sock.write(typeof s === 'string' ? Buffer.from(s, 'latin1') : s); }
  close(): void { this.sock.destroy(); }
}

/** Wait until tsemu's stderr matches. */
export async function waitStderr(g: Guest, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = g.err.match(pattern);
    if (m) return m;
    if (g.proc.exitCode !== null) throw new Error(`tsemu exited (${g.proc.exitCode}) before ${pattern}\n--- stderr ---\n${g.err}`);
    if (Date.now() > deadline) throw new Error(`timeout waiting for ${pattern} on stderr\n${g.err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The port tsemu bound for the option whose spec had port 0 (`-serial tcp:127.0.0.1:0,server,wait=off`). */
export async function boundPort(g: Guest, option: string): Promise<number> {
  const esc = option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = await waitStderr(g, new RegExp(`${esc}[^\\n]*: listening on (?:tcp|telnet):127\\.0\\.0\\.1:(\\d+)`));
  return parseInt(m[1], 10);
}
