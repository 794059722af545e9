/**
 * QEMU's socket chardev: `tcp:`/`telnet:`/`unix:`, as a server (one client at
 * a time; more are turned away while one is connected) or a client. Telnet
 * mode announces WILL ECHO, WILL SUPPRESS-GO-AHEAD and binary mode, as QEMU
 * does, and strips IAC sequences from the input. Output written while no
 * peer is connected is dropped.
 */
import * as net from 'node:net';
import { existsSync, lstatSync, unlinkSync } from 'node:fs';
import { ConfigError } from '../machines/config.js';
import { describeSocket, type SocketSpec } from './chardev-spec.js';
import type { ByteStream } from './chardev-stream.js';

const IAC = 0xff, SB = 0xfa, SE = 0xf0, WILL = 0xfb, DO = 0xfd;
const TELNET_INIT = Uint8Array.of(IAC, WILL, 0x01, IAC, WILL, 0x03, IAC, WILL, 0x00, IAC, DO, 0x00);

export class SocketStream implements ByteStream {
  onData: (bytes: Uint8Array) => void = () => {};
  onConnect: () => void = () => {};
  onDisconnect: () => void = () => {};
  private server: net.Server | null = null;
  private conn: net.Socket | null = null;
  private isPaused = false;
  private closing = false;
  /** The port actually bound (differs from the spec's with port 0). */
  port: number;
  private resolveFirst!: () => void;
  /** Resolves when the first client has connected (server) or at once (client). */
  readonly firstClient: Promise<void>;
  // telnet input state: 0 data, 1 after IAC, 2 option byte to skip, 3 in SB, 4 IAC in SB
  private tstate = 0;
  private lastCR = false;

  constructor(readonly spec: SocketSpec, readonly what: string) {
    this.port = spec.port;
    this.firstClient = new Promise((r) => { this.resolveFirst = r; });
  }

  get connected(): boolean { return !!this.conn && !this.conn.destroyed; }

  /** `tcp:127.0.0.1:4444,server=on` with the bound port. */
  get address(): string { return describeSocket(this.spec, this.port); }

  /** Listen (server) or connect (client); a failure is a configuration error, as in QEMU. */
  async open(): Promise<void> {
    const s = this.spec;
    if (s.server) {
      if (s.transport === 'unix' && existsSync(s.path)) {
        try { if (lstatSync(s.path).isSocket()) unlinkSync(s.path); } catch { /* bind reports it */ }
      }
      const server = net.createServer((c) => this.accept(c));
      await new Promise<void>((res, rej) => {
        server.once('error', (e: NodeJS.ErrnoException) => rej(new ConfigError(`tsemu: ${this.what}: Failed to bind socket: ${errText(e)}`)));
        if (s.transport === 'unix') server.listen(s.path, () => res());
        else server.listen(s.port, s.host, () => res());
      });
      server.on('error', () => {});
      const a = server.address();
      if (a && typeof a === 'object') this.port = a.port;
      this.server = server;
    } else {
      const c = s.transport === 'unix' ? net.connect(s.path) : net.connect(s.port, s.host);
      await new Promise<void>((res, rej) => {
        c.once('connect', () => res());
        c.once('error', (e: NodeJS.ErrnoException) => {
          const where = s.transport === 'unix' ? s.path : `${s.host}:${s.port}`;
          rej(new ConfigError(`tsemu: ${this.what}: Failed to connect to '${where}': ${errText(e)}`));
        });
      });
      this.attach(c);
    }
  }

  private accept(c: net.Socket): void {
    if (this.connected || this.closing) { c.destroy(); return; }
    this.attach(c);
  }

  private attach(c: net.Socket): void {
    this.conn = c;
    this.tstate = 0;
    this.lastCR = false;
    c.setNoDelay(true);
    c.on('data', (d: Buffer) => {
      const b = this.spec.telnet ? this.stripTelnet(d) : d;
      if (b.length) this.onData(b);
    });
    c.on('error', () => {});
    c.on('close', () => {
      if (this.conn !== c) return;
      this.conn = null;
      this.onDisconnect();
    });
    if (this.isPaused) c.pause();
    if (this.spec.telnet) c.write(TELNET_INIT);
    this.resolveFirst();
    this.onConnect();
  }

  write(bytes: Uint8Array | string): void {
    const c = this.conn;
    if (!c || c.destroyed || !c.writable) return;
    let b = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    if (this.spec.telnet && b.includes(IAC)) {
      const out: number[] = [];
      for (const x of b) { out.push(x); if (x === IAC) out.push(IAC); }
      b = Uint8Array.from(out);
    }
    c.write(b);
  }

  pause(): void { this.isPaused = true; this.conn?.pause(); }
  resume(): void { this.isPaused = false; this.conn?.resume(); }

  /** Input with telnet commands removed; IAC IAC is a data 0xff, CR NUL a CR. */
  private stripTelnet(d: Uint8Array): Uint8Array {
    const out: number[] = [];
    for (const x of d) {
      switch (this.tstate) {
        case 0:
          if (x === IAC) { this.tstate = 1; continue; }
          if (x === 0 && this.lastCR) { this.lastCR = false; continue; }
          this.lastCR = x === 0x0d;
          out.push(x);
          continue;
        case 1:
          if (x === IAC) { out.push(IAC); this.tstate = 0; this.lastCR = false; }
          else if (x >= WILL && x <= 0xfe) this.tstate = 2;
          else if (x === SB) this.tstate = 3;
          else this.tstate = 0;
          continue;
        case 2: this.tstate = 0; continue;
        case 3: if (x === IAC) this.tstate = 4; continue;
        case 4: this.tstate = x === SE ? 0 : 3; continue;
      }
    }
    return Uint8Array.from(out);
  }

  /** End the connection after what was written has gone out (bounded wait), stop listening. */
  async close(): Promise<void> {
    this.closing = true;
    const c = this.conn;
    if (c && !c.destroyed) {
      await new Promise<void>((res) => {
        const t = setTimeout(() => { c.destroy(); res(); }, 500);
        c.once('close', () => { clearTimeout(t); res(); });
        c.end();
      });
    }
    if (this.server) {
      this.server.close();
      if (this.spec.transport === 'unix') { try { unlinkSync(this.spec.path); } catch { /* gone */ } }
      this.server = null;
    }
  }
}

function errText(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'EADDRINUSE': return 'Address already in use';
    case 'ECONNREFUSED': return 'Connection refused';
    case 'ENOENT': return 'No such file or directory';
    case 'EACCES': return 'Permission denied';
    case 'EADDRNOTAVAIL': return 'Cannot assign requested address';
  }
  return e.message;
}
