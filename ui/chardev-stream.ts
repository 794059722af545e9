/**
 * Byte streams behind chardevs (a socket connection, a host serial port) and
 * the front ends that sit on them; the UART front end and the Ctrl-A mux are
 * the shared ones from char-mux.ts.
 */
import { CharMux, SerialFrontend } from './char-mux.js';

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

/** A UART's backend on a stream (flow control pauses the stream while the guest is behind). */
export { SerialFrontend as StreamSerial };

/** QEMU's mux chardev on a stream (`mon:tcp:...`). */
export class StreamMux extends CharMux {
  constructor(stream: ByteStream) { super((b) => stream.write(b)); }
}
