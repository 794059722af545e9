/**
 * QEMU's isa-debugcon (Bochs' port 0xE9 hack): every byte written to the
 * port goes to a character backend; reads return 0xE9 so software can
 * detect it. SeaBIOS under QEMU logs through port 0x402
 * (`-debugcon file:bios.log -global isa-debugcon.iobase=0x402`).
 */
import type { MMIODevice } from '../device.js';
import type { CharBackend } from '../../ui/chardev.js';

export class IsaDebugcon implements MMIODevice {
  readonly type = 'isa-debugcon';
  constructor(private readonly out: CharBackend) {}
  read(): number { return 0xe9; }
  write(_o: number, v: number, size: number): void {
    const n = Math.min(size, 4);
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = (v >>> (8 * i)) & 0xff;
    this.out.write(b);
  }
  reset(): void {}
}
