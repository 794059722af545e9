/**
 * `-serial pty` / `-monitor pty`: a new pseudo-terminal whose slave side a
 * person opens with screen, minicom or picocom, as QEMU prints it ("char
 * device redirected to /dev/pts/N"). Node cannot allocate a pty without a
 * native module (no ioctl for unlockpt/ptsname), so Debian's `socat` holds
 * the master side and relays it over a pipe; without socat this backend is a
 * clear configuration error. The slave is raw with echo off, so bytes pass
 * unchanged both ways.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ConfigError } from '../machines/config.js';
import type { ByteStream } from './chardev-stream.js';

export class PtyStream implements ByteStream {
  onData: (bytes: Uint8Array) => void = () => {};
  onConnect: () => void = () => {};
  onDisconnect: () => void = () => {};
  /** The slave device, e.g. /dev/pts/3, once open() resolved. */
  path = '';
  private proc: ChildProcess | null = null;

  constructor(readonly what: string) {}

  get connected(): boolean { return this.proc !== null && this.proc.exitCode === null; }

  async open(): Promise<void> {
    const p = spawn('socat', ['-d', '-d', 'STDIO', 'PTY,raw,echo=0'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.path = await new Promise<string>((res, rej) => {
      let err = '';
      const t = setTimeout(() => rej(new ConfigError(`tsemu: ${this.what}: socat did not report its pty`)), 5000);
      p.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(t);
        rej(new ConfigError(`tsemu: ${this.what}: the pty backend needs socat (apt-get install socat): ${e.code === 'ENOENT' ? 'not found' : e.message}`));
      });
      p.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /PTY is (\S+)/.exec(err);
        if (m) { clearTimeout(t); res(m[1]); }
      });
      p.on('exit', (code) => { clearTimeout(t); rej(new ConfigError(`tsemu: ${this.what}: socat exited (${code}): ${err.trim().split('\n').pop() ?? ''}`)); });
    });
    this.proc = p;
    p.removeAllListeners('exit');
    p.on('exit', () => this.onDisconnect());
    p.stdout!.on('data', (d: Buffer) => this.onData(d));
    p.stdin!.on('error', () => {});
    this.onConnect();
  }

  write(bytes: Uint8Array | string): void {
    if (!this.connected) return;
    this.proc!.stdin!.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  pause(): void { this.proc?.stdout?.pause(); }
  resume(): void { this.proc?.stdout?.resume(); }

  async close(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((res) => {
      const t = setTimeout(() => { p.kill('SIGKILL'); res(); }, 500);
      p.on('exit', () => { clearTimeout(t); res(); });
      p.stdin!.end();
      p.kill('SIGTERM');
    });
  }
}
