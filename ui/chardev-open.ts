/**
 * Opens the stream chardevs (sockets, host serial devices) named on the
 * command line and wires front ends to them: a UART backend, the HMP monitor,
 * or both muxed (`mon:`). Keeps what must be waited for before the machine
 * starts (servers with `wait=on`) and closes everything at exit.
 */
import { ConfigError } from '../machines/config.js';
import type { CharBackend } from './chardev.js';
import type { MuxFrontend } from './stdio-mux.js';
import { parseChardevSpec, type ChardevSpec } from './chardev-spec.js';
import type { SocketStream } from './chardev-socket.js';
import { StreamMux, StreamSerial, type ByteStream } from './chardev-stream.js';

export type OpenStream = ByteStream & { open(): Promise<void> };

/** A monitor front end: takes typed bytes, greets a new connection. */
export interface MonitorFrontend extends MuxFrontend { banner(): void }

export class ChardevSet {
  readonly streams: OpenStream[] = [];
  /** Servers with wait=on: the machine starts when each has had a client. */
  private waits: SocketStream[] = [];
  /** Input pumps for the main loop's `pollers`. */
  readonly pumps: (() => void)[] = [];
  /** Wake the main loop after input (set once the loop exists). */
  kick: () => void = () => {};
  /** Ctrl-A x on a muxed stream. */
  quit: () => void = () => {};
  private muxes: { mux: StreamMux; stream: ByteStream }[] = [];

  /** True when the spec needs a stream (socket, host serial device, new pty). */
  static isStream(spec: ChardevSpec): boolean { return spec.kind === 'socket' || spec.kind === 'serial' || spec.kind === 'pty'; }

  parse(spec: string, what: string): ChardevSpec { return parseChardevSpec(spec, what); }

  /** Listen or connect now (errors are configuration errors); `label` names a new pty as QEMU does. */
  async openStream(spec: ChardevSpec, what: string, label = what): Promise<OpenStream> {
    // Each kind's module (node:net, node:child_process, serialport) loads only when a run uses it.
    let s: OpenStream;
    if (spec.kind === 'socket') {
      const ss = new (await import('./chardev-socket.js')).SocketStream(spec, what);
      await ss.open();
      if (spec.server) {
        if (spec.wait) this.waits.push(ss);
        else if (spec.transport === 'tcp' && spec.port === 0) process.stderr.write(`tsemu: ${what}: listening on ${ss.address}\n`);
      }
      s = ss;
    } else if (spec.kind === 'serial') {
      const sp = new (await import('./chardev-serialport.js')).SerialPortStream(spec.path, what);
      await sp.open();
      s = sp;
    } else if (spec.kind === 'pty') {
      const pt = new (await import('./chardev-pty.js')).PtyStream(what);
      await pt.open();
      // QEMU's words, so scripts that scrape them work here too.
      process.stderr.write(`char device redirected to ${pt.path} (label ${label})\n`);
      s = pt;
    } else {
      throw new ConfigError(`tsemu: ${what}: not a stream backend`);
    }
    this.streams.push(s);
    return s;
  }

  /** A UART backend on a stream; with `mux` the stream also carries a monitor (attached later). */
  serial(stream: ByteStream, mux: boolean): CharBackend {
    if (!mux) {
      const ser = new StreamSerial((b) => stream.write(b), stream);
      stream.onData = (b) => { ser.input(b); this.kick(); };
      this.pumps.push(() => ser.pump());
      return ser;
    }
    const m = new StreamMux(stream);
    const ser = new StreamSerial((b) => stream.write(b), stream);
    m.add(ser);
    m.onQuit = () => this.quit();
    stream.onData = (b) => { m.feed(b); this.kick(); };
    this.pumps.push(() => ser.pump());
    this.muxes.push({ mux: m, stream });
    return ser;
  }

  /** The monitor made by `make` on the muxed stream of an earlier `serial(stream, true)`. */
  attachMuxMonitor(stream: ByteStream, make: (out: (s: string) => void) => MonitorFrontend): void {
    const entry = this.muxes.find((e) => e.stream === stream);
    if (!entry) return;
    entry.mux.add(make((s) => stream.write(s)));
  }

  /** The monitor alone on a stream: greeted with the banner on every connection. */
  monitor(stream: ByteStream, make: (out: (s: string) => void) => MonitorFrontend): void {
    const mon = make((s) => stream.write(s));
    stream.onData = (b) => { mon.input(b); this.kick(); };
    stream.onConnect = () => mon.banner();
    if (stream.connected) mon.banner();
  }

  /**
   * Print QEMU's waiting line for each wait=on server and resolve when all have had a client.
   * With -serial tcp::4444,server the machine starts only once somebody is there.
   */
  async waitForClients(): Promise<void> {
    for (const w of this.waits) {
      if (!w.connected) process.stderr.write(`QEMU waiting for connection on: disconnected:${w.address}\n`);
      await w.firstClient;
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.streams.map((s) => s.close().catch(() => {})));
  }
}
