/**
 * The x86 I/O port space (QEMU's `address_space_io`): 64 Ki byte-addressed
 * ports, each range owned by a device with the same read/write contract as
 * MMIO. IN/OUT helpers call `read`/`write`; a port nobody owns reads as all
 * ones and ignores writes, as on a PC's ISA bus.
 */
import type { MMIODevice } from '../hw/device.js';

interface PortRange { name: string; base: number; size: number; dev: MMIODevice }

export class IOPortSpace {
  private ranges: PortRange[] = [];
  /** Owner of each port, for O(1) dispatch. */
  private owner: (PortRange | undefined)[] = new Array(0x10000);
  /** Called for accesses to unowned ports (`-d unimp`). */
  onUnassigned: (port: number, write: boolean, size: number) => void = () => {};

  add(name: string, base: number, size: number, dev: MMIODevice): void {
    if (base < 0 || size <= 0 || base + size > 0x10000) throw new Error(`${name}: I/O ports 0x${base.toString(16)}+${size} out of range`);
    for (let p = base; p < base + size; p++) {
      const o = this.owner[p];
      if (o) throw new Error(`${name}: I/O port 0x${p.toString(16)} already belongs to ${o.name}`);
    }
    const r = { name, base, size, dev };
    this.ranges.push(r);
    for (let p = base; p < base + size; p++) this.owner[p] = r;
  }

  read(port: number, size: number, cpu = 0): number {
    port &= 0xffff;
    const r = this.owner[port];
    if (!r) { this.onUnassigned(port, false, size); return size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff; }
    return r.dev.read(port - r.base, size, cpu) >>> 0;
  }

  write(port: number, value: number, size: number, cpu = 0): void {
    port &= 0xffff;
    const r = this.owner[port];
    if (!r) { this.onUnassigned(port, true, size); return; }
    r.dev.write(port - r.base, value >>> 0, size, cpu);
  }

  /** For `info mtree`. */
  describe(): string[] {
    return [...this.ranges].sort((a, b) => a.base - b.base).map((r) =>
      `  ${r.base.toString(16).padStart(4, '0')}-${(r.base + r.size - 1).toString(16).padStart(4, '0')} (prio 0, i/o): ${r.name}`);
  }

  /** `info mtree` text for the I/O address space, QEMU's layout. */
  mtree(): string {
    const h = (n: number) => n.toString(16).padStart(16, '0');
    return ['address-space: I/O', `  ${h(0)}-${h(0xffff)} (prio 0, i/o): io`,
      ...[...this.ranges].sort((a, b) => a.base - b.base).map((r) => `    ${h(r.base)}-${h(r.base + r.size - 1)} (prio 0, i/o): ${r.name}`)].join('\n');
  }
}
