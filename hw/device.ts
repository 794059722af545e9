/**
 * The contract every memory-mapped device model follows (the way QEMU's
 * MemoryRegionOps and rp2040js peripherals do): offsets are relative to the
 * device's base, sizes are 1, 2 or 4 bytes, values are unsigned 32-bit.
 * A device never throws on a guest access; unknown registers are logged
 * through `log.unimp` / `log.guestError` and read as zero.
 */
export interface MMIODevice {
  /** Short type name as used in machine YAML (`pl011`, `gic-v2`, ...). */
  readonly type: string;
  /** `cpu` is the index of the CPU making the access (banked registers such as the GIC CPU interface); 0 otherwise. */
  read(offset: number, size: number, cpu: number): number;
  write(offset: number, value: number, size: number, cpu: number): void;
  reset(): void;
  /** Plain fields describing the device state, for `info qtree` and snapshots. */
  state?(): Record<string, unknown>;
}

/** An interrupt line: a device drives it, a controller or CPU listens. */
export class IRQLine {
  level = false;
  constructor(private handler: (level: boolean) => void = () => {}) {}
  connect(handler: (level: boolean) => void): void {
    this.handler = handler;
    handler(this.level);
  }
  set(level: boolean): void {
    if (level === this.level) return;
    this.level = level;
    this.handler(level);
  }
  raise(): void { this.set(true); }
  lower(): void { this.set(false); }
  pulse(): void { this.set(true); this.set(false); }
}

/** Where device diagnostics go; the main loop wires these to `-d unimp,guest_errors` and `-D`. */
export interface DeviceLog {
  unimp(msg: string): void;
  guestError(msg: string): void;
}

export const nullLog: DeviceLog = { unimp() {}, guestError() {} };
