/**
 * The terminal console (QEMU's `mon:stdio` mux chardev): guest serial and the
 * monitor share stdin/stdout. Ctrl-A is the escape: Ctrl-A x quits, Ctrl-A c
 * switches between serial and monitor, Ctrl-A h prints help, Ctrl-A Ctrl-A
 * sends a literal Ctrl-A. Stdin is raw when it is a TTY and plain when piped,
 * so tests can drive the guest through a pipe.
 */
import { CharMux, SerialFrontend } from './char-mux.js';

export type { MuxFrontend } from './char-mux.js';
/** The serial side of the stdio mux. */
export { SerialFrontend as MuxSerial };

export class StdioMux extends CharMux {
  readonly isTTY: boolean;
  private rawSet = false;
  onInput: () => void = () => {};

  constructor(private stdin: NodeJS.ReadStream = process.stdin, stdout: NodeJS.WriteStream = process.stdout) {
    super((b) => { if (!closed) stdout.write(b); });
    // Whoever read stdout went away (`tsemu ... | head`): drop the output and run on, as
    // QEMU does, instead of dying of an unhandled EPIPE.
    let closed = false;
    stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      closed = true;
    });
    this.isTTY = !!stdin.isTTY;
  }

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
}
