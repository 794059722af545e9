/**
 * The terminal console (QEMU's `mon:stdio` mux chardev): guest serial and the
 * monitor share stdin/stdout. Ctrl-A is the escape: Ctrl-A x quits, Ctrl-A c
 * switches between serial and monitor, Ctrl-A h prints help, Ctrl-A Ctrl-A
 * sends a literal Ctrl-A. Stdin is raw when it is a TTY and plain when piped,
 * so tests can drive the guest through a pipe.
 */
import type { CharBackend, CharReceiver } from './chardev.js';

const CTRL_A = 0x01;

export interface MuxFrontend {
  /** Bytes typed while this front end has the focus. */
  input(bytes: Uint8Array): void;
  /** Called when the focus moves to this front end. */
  focus?(): void;
}

/** The serial side of the mux: a CharBackend for a UART. */
export class MuxSerial implements CharBackend, MuxFrontend {
  private receiver: CharReceiver | null = null;
  private pending: number[] = [];
  constructor(private out: (b: Uint8Array) => void) {}
  write(bytes: Uint8Array): void { this.out(bytes); }
  setReceiver(r: CharReceiver | null): void { this.receiver = r; this.pump(); }
  input(bytes: Uint8Array): void { for (const b of bytes) this.pending.push(b); this.pump(); }
  /** Deliver queued input as the UART's FIFO frees up; the main loop calls this between slices. */
  pump(): void {
    if (!this.receiver || this.pending.length === 0) return;
    const n = Math.min(this.receiver.canReceive(), this.pending.length);
    if (n > 0) this.receiver.receive(Uint8Array.from(this.pending.splice(0, n)));
  }
  get hasPending(): boolean { return this.pending.length > 0; }
}

export class StdioMux {
  private escape = false;
  private frontends: MuxFrontend[] = [];
  focusIndex = 0;
  readonly isTTY: boolean;
  private rawSet = false;
  onQuit: () => void = () => {};
  onInput: () => void = () => {};

  constructor(private stdin: NodeJS.ReadStream = process.stdin, private stdout: NodeJS.WriteStream = process.stdout) {
    this.isTTY = !!stdin.isTTY;
  }

  add(f: MuxFrontend): void { this.frontends.push(f); }

  write(bytes: Uint8Array | string): void { this.stdout.write(bytes); }

  start(): void {
    if (this.isTTY) {
      this.stdin.setRawMode(true);
      this.rawSet = true;
    }
    this.stdin.on('data', (d: Buffer) => { this.feed(d); this.onInput(); });
    this.stdin.on('error', () => {});
    this.stdin.resume();
  }

  /** Put the terminal back the way we found it. */
  restore(): void {
    if (this.rawSet) { try { this.stdin.setRawMode(false); } catch { /* closed */ } this.rawSet = false; }
    this.stdin.pause();
  }

  feed(d: Uint8Array): void {
    let start = 0;
    const out: number[] = [];
    for (let i = 0; i < d.length; i++) {
      const c = d[i];
      if (this.escape) {
        this.escape = false;
        switch (c) {
          case 0x78: case 0x58: this.flush(out); this.write('QEMU: Terminated\r\n'); this.onQuit(); return; // x
          case 0x63: case 0x43: this.flush(out); this.switchFocus(); break;                              // c
          case 0x68: case 0x48: case 0x3f: this.flush(out); this.help(); break;                          // h
          case CTRL_A: out.push(CTRL_A); break;
          default: break; // unknown escapes are swallowed, as in QEMU
        }
        continue;
      }
      if (c === CTRL_A) { this.escape = true; continue; }
      out.push(c);
    }
    void start;
    this.flush(out);
  }

  private flush(out: number[]): void {
    if (out.length === 0) return;
    this.frontends[this.focusIndex]?.input(Uint8Array.from(out));
    out.length = 0;
  }

  switchFocus(): void {
    if (this.frontends.length < 2) return;
    this.focusIndex = (this.focusIndex + 1) % this.frontends.length;
    this.frontends[this.focusIndex].focus?.();
  }

  private help(): void {
    this.write(
      '\r\nC-a h    print this help\r\n' +
      'C-a x    exit emulator\r\n' +
      'C-a c    switch between console and monitor\r\n' +
      'C-a C-a  sends C-a\r\n');
  }
}
