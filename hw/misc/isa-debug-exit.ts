/**
 * QEMU's isa-debug-exit (hw/misc/debugexit.c): an I/O port range (default
 * 0x501, 2 ports; test kernels use iobase=0xf4,iosize=0x04) where any write
 * of value v ends the emulator with exit status (v << 1) | 1, so a guest test
 * can report pass/fail through the process status. Reads return 0.
 */
import type { MMIODevice } from '../device.js';

export class IsaDebugExit implements MMIODevice {
  readonly type = 'isa-debug-exit';
  constructor(private readonly exit: (status: number) => void) {}
  read(): number { return 0; }
  write(_offset: number, value: number, size: number): void {
    const v = size >= 4 ? value >>> 0 : value & (size === 2 ? 0xffff : 0xff);
    // exit() takes an int: the shell sees the low 8 bits, as with QEMU.
    this.exit(((v << 1) | 1) & 0xff);
  }
  reset(): void {}
  state(): Record<string, unknown> { return {}; }
}
