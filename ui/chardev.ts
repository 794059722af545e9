/**
 * A character backend (QEMU's Chardev): the host side of a UART or a
 * monitor. A device front end writes guest bytes with `write`, and receives
 * host input through the handler it installs with `setReceiver`.
 * `canReceive` lets the front end apply back-pressure (a full RX FIFO).
 */
export interface CharBackend {
  write(bytes: Uint8Array): void;
  setReceiver(r: CharReceiver | null): void;
}

export interface CharReceiver {
  /** How many bytes the front end can take now. */
  canReceive(): number;
  receive(bytes: Uint8Array): void;
}

/** A backend that drops output and never produces input (`-serial null`). */
export class NullChar implements CharBackend {
  write(): void {}
  setReceiver(): void {}
}

/** Keeps bytes written to it; tests and the monitor's `screendump` read `text`. */
export class BufferChar implements CharBackend {
  chunks: Buffer[] = [];
  receiver: CharReceiver | null = null;
  private pending: number[] = [];
  write(bytes: Uint8Array): void { this.chunks.push(Buffer.from(bytes)); }
  setReceiver(r: CharReceiver | null): void { this.receiver = r; }
  get text(): string { return Buffer.concat(this.chunks).toString('latin1'); }
  /** Queue host input; delivered as the front end can take it (see `pump`). */
  send(s: string | Uint8Array): void {
    const b = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
    for (const x of b) this.pending.push(x);
    this.pump();
  }
  pump(): void {
    if (!this.receiver || this.pending.length === 0) return;
    const n = Math.min(this.receiver.canReceive(), this.pending.length);
    if (n > 0) this.receiver.receive(Uint8Array.from(this.pending.splice(0, n)));
  }
}
