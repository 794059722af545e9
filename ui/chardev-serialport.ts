/**
 * A host serial device as a chardev (`-serial /dev/ttyUSB0`, `/dev/pts/N`),
 * through the `serialport` package (loaded only when used). The line runs
 * at 115200 8N1; QEMU sets the host line from what the guest programs into
 * its UART, which the PL011 model does not pass on yet.
 */
import { ConfigError } from '../machines/config.js';
import type { ByteStream } from './chardev-stream.js';

interface Port {
  write(b: Uint8Array): boolean;
  on(ev: 'data', f: (d: Buffer) => void): void;
  on(ev: 'close' | 'error', f: (e?: Error) => void): void;
  pause(): void;
  resume(): void;
  drain(cb: () => void): void;
  close(cb?: (e?: Error | null) => void): void;
  isOpen: boolean;
}

export class SerialPortStream implements ByteStream {
  onData: (bytes: Uint8Array) => void = () => {};
  onConnect: () => void = () => {};
  onDisconnect: () => void = () => {};
  private port: Port | null = null;

  constructor(readonly path: string, readonly what: string, readonly baudRate = 115200) {}

  get connected(): boolean { return !!this.port?.isOpen; }

  async open(): Promise<void> {
    let mod: { SerialPort: new (o: { path: string; baudRate: number; autoOpen?: boolean }, cb?: (e: Error | null) => void) => Port };
    try {
      mod = await import('serialport') as unknown as typeof mod;
    } catch (e) {
      throw new ConfigError(`tsemu: ${this.what}: host serial devices need the 'serialport' package (${(e as Error).message})`);
    }
    this.port = await new Promise<Port>((res, rej) => {
      const p: Port = new mod.SerialPort({ path: this.path, baudRate: this.baudRate }, (e) => {
        if (e) rej(new ConfigError(`tsemu: ${this.what}: Could not open '${this.path}': ${e.message.replace(/^Error: /, '')}`));
        else res(p);
      });
    });
    this.port.on('data', (d: Buffer) => this.onData(d));
    this.port.on('error', () => {});
    this.port.on('close', () => this.onDisconnect());
    this.onConnect();
  }

  write(bytes: Uint8Array | string): void {
    if (!this.port?.isOpen) return;
    this.port.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  pause(): void { this.port?.pause(); }
  resume(): void { this.port?.resume(); }

  async close(): Promise<void> {
    const p = this.port;
    if (!p?.isOpen) return;
    await new Promise<void>((res) => {
      const t = setTimeout(res, 500);
      p.drain(() => p.close(() => { clearTimeout(t); res(); }));
    });
  }
}
