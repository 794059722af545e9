/**
 * Device access to guest RAM by guest-physical address (QEMU's dma_memory_rw
 * on address_space_memory): what a bus-mastering device such as virtio uses
 * to read descriptors and move data. Only RAM is reachable; an address that
 * is not RAM is the guest's mistake, reported as a DmaError for the device to
 * turn into its own error state, never a host crash. Writes drop translated
 * code on the pages they touch, since they bypass the TLB's code-page check.
 */
import type { AddressSpace } from './memory.js';
import type { HostMemory } from './host-memory.js';
import type { CodePages } from './cputlb.js';

const PAGE_BITS = 12;

export class DmaError extends Error {
  constructor(readonly addr: number, readonly len: number) {
    super(`guest-physical 0x${addr.toString(16)}+0x${len.toString(16)} is not RAM`);
    this.name = 'DmaError';
  }
}

/** A run of guest RAM as host offsets: `len` bytes at `host.u8[off]`. */
export interface HostRange { off: number; len: number }

export class Dma {
  constructor(readonly as: AddressSpace, readonly host: HostMemory, private readonly code?: CodePages) {}

  /**
   * Where [addr, addr+len) lives in HostMemory, split where RAM regions
   * meet. Throws DmaError unless every byte is RAM (ROM is not a DMA target).
   */
  map(addr: number, len: number): HostRange[] {
    const out: HostRange[] = [];
    let a = addr, left = len;
    if (!Number.isSafeInteger(addr) || addr < 0 || addr + len > 2 ** 32) throw new DmaError(addr, len);
    while (left > 0) {
      const r = this.as.find(a);
      if (!r || r.kind !== 'ram') throw new DmaError(addr, len);
      const n = Math.min(left, r.end - a);
      const off = r.hostOffset + (a - r.base);
      const last = out[out.length - 1];
      if (last && last.off + last.len === off) last.len += n; else out.push({ off, len: n });
      a += n;
      left -= n;
    }
    return out;
  }

  /** One contiguous host offset for a small structure (a ring field, a descriptor). */
  private one(addr: number, len: number): number {
    const r = this.map(addr, len);
    if (r.length !== 1) throw new DmaError(addr, len);
    return r[0].off;
  }

  u16(addr: number): number { return this.host.dv.getUint16(this.one(addr, 2), true); }
  u32(addr: number): number { return this.host.dv.getUint32(this.one(addr, 4), true); }
  /** A 64-bit field as a number; above 2^53 it cannot be a 32-bit guest's address anyway. */
  u64(addr: number): number {
    const off = this.one(addr, 8);
    return this.host.dv.getUint32(off, true) + this.host.dv.getUint32(off + 4, true) * 2 ** 32;
  }

  setU16(addr: number, v: number): void { const off = this.one(addr, 2); this.host.dv.setUint16(off, v, true); this.written(addr, 2); }
  setU32(addr: number, v: number): void { const off = this.one(addr, 4); this.host.dv.setUint32(off, v >>> 0, true); this.written(addr, 4); }

  read(addr: number, len: number): Uint8Array {
    const buf = new Uint8Array(len);
    let at = 0;
    for (const r of this.map(addr, len)) { buf.set(this.host.u8.subarray(r.off, r.off + r.len), at); at += r.len; }
    return buf;
  }

  write(addr: number, data: Uint8Array): void {
    let at = 0;
    for (const r of this.map(addr, data.length)) { this.host.u8.set(data.subarray(at, at + r.len), r.off); at += r.len; }
    this.written(addr, data.length);
  }

  /** The device wrote [addr, addr+len) behind the TLB's back: retranslate code there. */
  written(addr: number, len: number): void {
    if (!this.code || len <= 0) return;
    for (let p = addr >>> PAGE_BITS, last = (addr + len - 1) >>> PAGE_BITS; p <= last; p++) this.code.written(p);
  }
}
