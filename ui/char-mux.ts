/**
 * QEMU's mux chardev, independent of where the bytes come from (stdio, a
 * socket): several front ends (a UART, the monitor) share one connection.
 * Ctrl-A is the escape: Ctrl-A x quits, Ctrl-A c switches the front end that
 * gets input, Ctrl-A h prints help, Ctrl-A Ctrl-A sends a literal Ctrl-A.
 * Also the UART front end that queues input until the guest's FIFO has room.
 */
import type { CharBackend, CharReceiver } from './chardev.js';

const CTRL_A = 0x01;

export interface MuxFrontend {
  /** Bytes typed while this front end has the focus. */
  input(bytes: Uint8Array): void;
  /** Called when the focus moves to this front end. */
  focus?(): void;
}

/** Above this many queued input bytes a flow-controlled source is paused until the guest catches up. */
const HIGH_WATER = 4096;

/** A UART's backend: guest output goes to `out`; input is queued and pumped into the RX FIFO between slices. */
export class SerialFrontend implements CharBackend, MuxFrontend {
  private receiver: CharReceiver | null = null;
  private pending: number[] = [];
  private paused = false;
  constructor(private out: (b: Uint8Array) => void, private flow?: { pause(): void; resume(): void }) {}
  write(bytes: Uint8Array): void { this.out(bytes); }
  setReceiver(r: CharReceiver | null): void { this.receiver = r; this.pump(); }
  input(bytes: Uint8Array): void {
    for (const b of bytes) this.pending.push(b);
    this.pump();
    if (!this.paused && this.pending.length > HIGH_WATER && this.flow) { this.paused = true; this.flow.pause(); }
  }
  /** Deliver queued input as the UART's FIFO frees up; the main loop calls this between slices. */
  pump(): void {
    if (this.receiver && this.pending.length > 0) {
      const n = Math.min(this.receiver.canReceive(), this.pending.length);
      if (n > 0) this.receiver.receive(Uint8Array.from(this.pending.splice(0, n)));
    }
    if (this.paused && this.pending.length < HIGH_WATER / 2) { this.paused = false; this.flow?.resume(); }
  }
  get hasPending(): boolean { return this.pending.length > 0; }
}

export class CharMux {
  private escape = false;
  private frontends: MuxFrontend[] = [];
  focusIndex = 0;
  onQuit: () => void = () => {};

  constructor(private sink: (bytes: Uint8Array | string) => void) {}

  add(f: MuxFrontend): void { this.frontends.push(f); }
  write(bytes: Uint8Array | string): void { this.sink(bytes); }

  feed(d: Uint8Array): void {
    const out: number[] = [];
    for (const c of d) {
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
