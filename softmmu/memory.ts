/**
 * Memory regions and the guest-physical address space (QEMU's MemoryRegion /
 * AddressSpace, flattened: regions do not nest, aliases are resolved when
 * added). RAM and ROM live in HostMemory and are reached through the TLB's
 * addend; MMIO goes to a device. A ROM device (flash) is direct-read while in
 * "romd" mode and MMIO otherwise.
 */
import type { MMIODevice } from '../hw/device.js';
import type { HostMemory } from './host-memory.js';

export type RegionKind = 'ram' | 'rom' | 'romd' | 'mmio';

export class MemoryRegion {
  /** For romd regions: true while reads may bypass the device. */
  romd = true;
  constructor(
    readonly name: string,
    readonly base: number,
    readonly size: number,
    readonly kind: RegionKind,
    /** Host offset of the backing store (ram/rom/romd), -1 for pure MMIO. */
    readonly hostOffset: number,
    readonly dev: MMIODevice | null,
    /** Offset added to the access before it reaches the device (aliases of part of a device). */
    readonly devOffset = 0,
  ) {}
  get end(): number { return this.base + this.size; }
  /** Reads can use the TLB fast path. */
  get directRead(): boolean { return this.kind === 'ram' || this.kind === 'rom' || (this.kind === 'romd' && this.romd); }
  /** Writes can use the TLB fast path. */
  get directWrite(): boolean { return this.kind === 'ram'; }
}

export class AddressSpace {
  regions: MemoryRegion[] = [];
  /** Called when a mapping changes so every CPU drops its TLB. */
  onMapChange: () => void = () => {};

  constructor(readonly name: string, readonly host: HostMemory) {}

  add(r: MemoryRegion): MemoryRegion {
    for (const o of this.regions) {
      if (r.base < o.end && o.base < r.end) {
        throw new Error(`region '${r.name}' [0x${hex(r.base)}-0x${hex(r.end - 1)}] overlaps '${o.name}' [0x${hex(o.base)}-0x${hex(o.end - 1)}]`);
      }
    }
    this.regions.push(r);
    this.regions.sort((a, b) => a.base - b.base);
    return r;
  }

  addRam(name: string, base: number, size: number, kind: 'ram' | 'rom' = 'ram'): MemoryRegion {
    return this.add(new MemoryRegion(name, base, size, kind, this.host.reserve(size), null));
  }

  addMmio(name: string, base: number, size: number, dev: MMIODevice, devOffset = 0): MemoryRegion {
    return this.add(new MemoryRegion(name, base, size, 'mmio', -1, dev, devOffset));
  }

  find(addr: number): MemoryRegion | undefined {
    const rs = this.regions;
    let lo = 0, hi = rs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = rs[mid];
      if (addr < r.base) hi = mid - 1;
      else if (addr >= r.end) lo = mid + 1;
      else return r;
    }
    return undefined;
  }

  /** Physical read for loaders, DMA and the monitor; undefined when nothing is mapped. */
  read(addr: number, size: number, cpu = 0): number | undefined {
    const r = this.find(addr);
    if (!r) return undefined;
    if (r.directRead) {
      const h = r.hostOffset + (addr - r.base);
      return readHost(this.host, h, size);
    }
    if (!r.dev) return undefined;
    return r.dev.read(addr - r.base + r.devOffset, size, cpu) >>> 0;
  }

  /** Physical write; returns false when nothing is mapped there. */
  write(addr: number, value: number, size: number, cpu = 0): boolean {
    const r = this.find(addr);
    if (!r) return false;
    if (r.kind === 'ram') {
      writeHost(this.host, r.hostOffset + (addr - r.base), value, size);
      return true;
    }
    if (r.kind === 'rom') return true; // writes to ROM are ignored, as on hardware
    if (!r.dev) return false;
    r.dev.write(addr - r.base + r.devOffset, value >>> 0, size, cpu);
    return true;
  }

  /** Copy bytes into RAM/ROM regardless of ROM write protection (loaders). */
  load(addr: number, data: Uint8Array): void {
    let off = 0;
    while (off < data.length) {
      const r = this.find(addr + off);
      if (!r || r.hostOffset < 0) throw new Error(`cannot load ${data.length} bytes at 0x${hex(addr)}: no RAM/ROM at 0x${hex(addr + off)}`);
      const n = Math.min(data.length - off, r.end - (addr + off));
      this.host.u8.set(data.subarray(off, off + n), r.hostOffset + (addr + off - r.base));
      off += n;
    }
  }

  /** `info mtree` text, QEMU's layout. */
  mtree(): string {
    const lines = [`address-space: ${this.name}`, `  0000000000000000-ffffffffffffffff (prio 0, i/o): system`];
    for (const r of this.regions) {
      const kind = r.kind === 'mmio' ? 'i/o' : r.kind === 'romd' ? 'romd' : r.kind;
      lines.push(`    ${hex16(r.base)}-${hex16(r.end - 1)} (prio 0, ${kind}): ${r.name}`);
    }
    return lines.join('\n');
  }
}

export function readHost(h: HostMemory, off: number, size: number): number {
  switch (size) {
    case 1: return h.u8[off];
    case 2: return (off & 1) === 0 ? h.u16[off >> 1] : h.dv.getUint16(off, true);
    case 4: return (off & 3) === 0 ? h.i32[off >> 2] >>> 0 : h.dv.getUint32(off, true);
    default: throw new Error(`bad access size ${size}`);
  }
}

export function writeHost(h: HostMemory, off: number, v: number, size: number): void {
  switch (size) {
    case 1: h.u8[off] = v; return;
    case 2: if ((off & 1) === 0) h.u16[off >> 1] = v; else h.dv.setUint16(off, v, true); return;
    case 4: if ((off & 3) === 0) h.i32[off >> 2] = v; else h.dv.setUint32(off, v >>> 0, true); return;
    default: throw new Error(`bad access size ${size}`);
  }
}

export const hex = (v: number): string => (v >>> 0).toString(16);
const hex16 = (v: number): string => (v >>> 0).toString(16).padStart(16, '0');
