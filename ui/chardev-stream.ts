/**
 * Byte streams behind chardevs (a socket connection, a host serial port) and
 * the front ends that sit on them: a UART backend with an input queue the
 * main loop pumps (the MuxSerial pattern, plus flow control on the stream),
 * and a Ctrl-A mux that shares one stream between a UART and the monitor
 * (`mon:tcp:...`).
 */
import type { CharBackend, CharReceiver } from './chardev.js';
import type { MuxFrontend } from './stdio-mux.js';

export interface ByteStream {
  /** Send to the peer; dropped when nobody is connected (as QEMU does). */
  write(bytes: Uint8Array | string): void;
  /** Input from the peer. */
  onData: (bytes: Uint8Array) => void;
  /** A peer connected (server: a client was accepted; client: the connection is up). */
  onConnect: () => void;
  onDisconnect: () => void;
  readonly connected: boolean;
  /** Stop/restart reading input (back-pressure). */
  pause(): void;
  resume(): void;
  /** Flush what was written and close. */
  close(): Promise<void>;
}

/** Above this many queued input bytes the stream is paused until the guest catches up. */
const HIGH_WATER = 4096;

/** A UART's backend on a stream: input is queued and pumped into the RX FIFO between slices. */
export class StreamSerial implements CharBackend, MuxFrontend {
  private receiver: CharReceiver | null = null;
  private pending: number[] = [];
  private paused = false;
  /** Where guest output goes (the stream, or the mux in front of it). */
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

const CTRL_A = 0x01;

/**
 * QEMU's mux chardev on a stream: Ctrl-A c switches between the front ends
 * (serial, monitor), Ctrl-A h helps, Ctrl-A Ctrl-A sends Ctrl-A, Ctrl-A x quits.
 */
export class StreamMux {
  private escape = false;
  private frontends: MuxFrontend[] = [];
  focusIndex = 0;
  onQuit: () => void = () => {};

  constructor(private stream: ByteStream) {}

  add(f: MuxFrontend): void { this.frontends.push(f); }
  write(bytes: Uint8Array | string): void { this.stream.write(bytes); }

  feed(d: Uint8Array): void {
    const out: number[] = [];
    for (const c of d) {
      if (this.escape) {
        this.escape = false;
        switch (c) {
          case 0x78: case 0x58: this.flush(out); this.write('QEMU: Terminated\r\n'); this.onQuit(); return;
          case 0x63: case 0x43: this.flush(out); this.switchFocus(); break;
          case 0x68: case 0x48: case 0x3f: this.flush(out); this.help(); break;
          case CTRL_A: out.push(CTRL_A); break;
          default: break;
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
    this.write('\r\nC-a h    print this help\r\nC-a x    exit emulator\r\n' +
      'C-a c    switch between console and monitor\r\nC-a C-a  sends C-a\r\n');
  }
}
