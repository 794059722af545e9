/**
 * The softmmu TLB (QEMU's cputlb.c): per CPU and MMU index a direct-mapped
 * table of TLB_ENTRIES entries {read tag, write tag, code tag, addend}, kept in
 * the shared HostMemory so generated code can probe it inline. A tag equals
 * the page's virtual address on a hit; flag bits in the low bits force the
 * slow path (MMIO, pages holding translated code). host = vaddr + addend.
 */
import type { HostMemory } from './host-memory.js';
import { type AddressSpace, type MemoryRegion, readHost, writeHost, hex } from './memory.js';
import { GuestException, DebugException } from '../tcg/helpers.js';

export const PAGE_BITS = 12;
export const PAGE_SIZE = 1 << PAGE_BITS;
export const PAGE_MASK = ~(PAGE_SIZE - 1);
export const TLB_BITS = 12;
export const TLB_ENTRIES = 1 << TLB_BITS;
export const TLB_ENTRY_BYTES = 16;
/** Tag of an empty entry: never equal to a page-aligned address. */
export const TLB_INVALID = -1;
/** Accesses must go through the region's device. */
export const TLB_MMIO = 1 << 10;
/** The page holds translated code: writes must invalidate it first. */
export const TLB_NOTDIRTY = 1 << 11;

export const enum Access { READ = 0, WRITE = 1, EXEC = 2 }

/** A debugger watchpoint: `kind` bit 0 reads, bit 1 writes; `type` is gdb's Z type (2 write, 3 read, 4 access). */
export interface Watchpoint { addr: number; len: number; kind: number; type: number }
export const PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;

/** What a target's MMU walk returns for one page. */
export interface PageTranslation {
  paddr: number;   // physical address of the accessed byte
  prot: number;    // PROT_* bits allowed for this MMU index
}

/** The target-specific half: page-table walk and fault delivery. */
export interface MMUTarget {
  /** Translate or record the fault in the CPU state and throw GuestException. */
  pageTranslate(vaddr: number, access: Access, mmuIdx: number): PageTranslation;
  /** A physical access hit nothing (bus error): record the abort and throw GuestException. */
  busError(vaddr: number, access: Access, mmuIdx: number): never;
  /** An access that must be aligned was not. */
  alignmentFault(vaddr: number, access: Access, mmuIdx: number): never;
  log(mask: string, msg: string): void;
  /**
   * Optional: the region that stands for unassigned physical addresses instead
   * of a bus error (a PC's floating bus: x86 reads all ones, writes vanish).
   * It must cover the whole physical space (base 0, size 4 GiB).
   */
  readonly unassigned?: MemoryRegion;
}

/** Physical pages that hold translated code, shared by all CPUs of a machine. */
export class CodePages {
  readonly flags = new Uint8Array(1 << (32 - PAGE_BITS));
  tlbs: SoftTLB[] = [];
  /** Invalidates the TBs of a physical page; set by the TB cache. */
  onInvalidate: (ppage: number) => void = () => {};

  mark(ppage: number): void {
    if (this.flags[ppage]) return;
    this.flags[ppage] = 1;
    for (const t of this.tlbs) t.protectCodePage(ppage);
  }

  /** A write reached a code page: drop its TBs so the new code is retranslated. */
  written(ppage: number): void {
    if (!this.flags[ppage]) return;
    this.flags[ppage] = 0;
    this.onInvalidate(ppage);
    for (const t of this.tlbs) t.unprotectCodePage(ppage);
  }
}

export class SoftTLB {
  readonly base: number;           // byte offset of the table in HostMemory
  private i32: Int32Array;
  /** Per entry: the region and physical page behind it (the iotlb). */
  private readonly region: (MemoryRegion | null)[];
  private readonly ppage: Int32Array;
  /** Counters for `info jit` / profiling. */
  misses = 0;
  flushes = 0;
  /**
   * Debugger watchpoints (virtual addresses), null when there are none. Their
   * pages' read/write tags carry TLB_MMIO so accesses take the slow path,
   * which stops before an access that touches one (DebugException, with
   * `watchHit` set). Changing them needs a flush().
   */
  watchpoints: Watchpoint[] | null = null;
  watchHit: { wp: Watchpoint; addr: number } | null = null;

  constructor(
    readonly host: HostMemory,
    readonly as: AddressSpace,
    readonly nIdx: number,
    readonly target: MMUTarget,
    readonly code: CodePages,
    readonly cpuIndex: number,
  ) {
    this.base = host.reserve(nIdx * TLB_ENTRIES * TLB_ENTRY_BYTES, 64);
    this.i32 = new Int32Array(0);
    this.region = new Array(nIdx * TLB_ENTRIES).fill(null);
    this.ppage = new Int32Array(nIdx * TLB_ENTRIES);
    code.tlbs.push(this);
  }

  /** Must be called after HostMemory.create(). */
  init(): void {
    this.i32 = this.host.i32;
    this.flush();
  }

  /** Called after a full flush (the TB jump cache must forget virtual mappings too). */
  onFlush: () => void = () => {};

  /**
   * `permissionsOnly`: the mappings stay and only access rights changed (ARM's
   * DACR, written on every Linux kernel entry and exit). The jump caches keep
   * their TBs then: like QEMU's chained TBs, code already found is entered
   * without a new fetch-permission check, and Linux never runs code whose
   * domain it just closed. Clearing them there cost idle guests most of their
   * host CPU (every lookup fell back to the TB hash).
   */
  flush(permissionsOnly = false): void {
    if (!permissionsOnly) this.onFlush();
    const w = this.base >> 2;
    this.i32.fill(TLB_INVALID, w, w + this.nIdx * TLB_ENTRIES * 4);
    this.flushes++;
  }

  /** Drop every entry mapping virtual page `vaddr` in all MMU indexes. */
  /** Called when one virtual page is flushed. */
  onFlushPage: (vaddr: number) => void = () => {};

  flushPage(vaddr: number): void {
    this.onFlushPage(vaddr); // jump caches key TBs by virtual pc: a remapped page must not be entered through them
    const page = vaddr & PAGE_MASK;
    const slot = (vaddr >>> PAGE_BITS) & (TLB_ENTRIES - 1);
    for (let m = 0; m < this.nIdx; m++) {
      const w = (this.base >> 2) + (m * TLB_ENTRIES + slot) * 4;
      const i = this.i32;
      if ((i[w] & PAGE_MASK) === page || (i[w + 1] & PAGE_MASK) === page || (i[w + 2] & PAGE_MASK) === page) {
        i[w] = i[w + 1] = i[w + 2] = TLB_INVALID;
      }
    }
  }

  protectCodePage(ppage: number): void {
    const i = this.i32, n = this.nIdx * TLB_ENTRIES;
    for (let e = 0; e < n; e++) {
      const w = (this.base >> 2) + e * 4;
      if (this.ppage[e] === ppage && i[w + 1] !== TLB_INVALID) i[w + 1] |= TLB_NOTDIRTY;
    }
  }

  unprotectCodePage(ppage: number): void {
    const i = this.i32, n = this.nIdx * TLB_ENTRIES;
    for (let e = 0; e < n; e++) {
      const w = (this.base >> 2) + e * 4;
      if (this.ppage[e] === ppage && i[w + 1] !== TLB_INVALID) i[w + 1] &= ~TLB_NOTDIRTY;
    }
  }

  /** Walk the MMU and install the entry for vaddr; returns the entry index. */
  fill(vaddr: number, access: Access, mmuIdx: number): number {
    this.misses++;
    const tr = this.target.pageTranslate(vaddr, access, mmuIdx);
    const r = this.as.find(tr.paddr) ?? this.target.unassigned;
    if (!r) this.target.busError(vaddr, access, mmuIdx);
    const page = vaddr & PAGE_MASK;
    const ppage = (tr.paddr >>> PAGE_BITS);
    const slot = (vaddr >>> PAGE_BITS) & (TLB_ENTRIES - 1);
    const e = mmuIdx * TLB_ENTRIES + slot;
    const w = (this.base >> 2) + e * 4;
    const i = this.i32;
    // Pages straddling a region boundary would map past it; only whole pages inside a region are direct.
    const whole = (tr.paddr & PAGE_MASK) >>> 0 >= r.base && ((tr.paddr & PAGE_MASK) >>> 0) + PAGE_SIZE <= r.end;
    const rd = r.directRead && whole, wr = r.directWrite && whole;
    i[w] = tr.prot & PROT_READ ? (rd ? page : page | TLB_MMIO) : TLB_INVALID;
    i[w + 1] = tr.prot & PROT_WRITE ? (wr ? page | (this.code.flags[ppage] ? TLB_NOTDIRTY : 0) : page | TLB_MMIO) : TLB_INVALID;
    i[w + 2] = tr.prot & PROT_EXEC ? (rd ? page : page | TLB_MMIO) : TLB_INVALID;
    if (this.watchpoints !== null) {
      for (const wp of this.watchpoints) {
        if (((wp.addr & PAGE_MASK) >>> 0) > ((page >>> 0) + PAGE_SIZE - 1) || ((wp.addr + wp.len - 1) >>> 0) < (page >>> 0)) continue;
        if (wp.kind & 1 && i[w] !== TLB_INVALID) i[w] |= TLB_MMIO;
        if (wp.kind & 2 && i[w + 1] !== TLB_INVALID) i[w + 1] |= TLB_MMIO;
      }
    }
    // addend: host offset of this page minus its virtual address (mod 2^32)
    i[w + 3] = r.hostOffset >= 0 ? (r.hostOffset + ((tr.paddr & PAGE_MASK) - r.base) - page) | 0 : 0;
    this.region[e] = r;
    this.ppage[e] = ppage;
    return e;
  }

  /** Entry index for an access, filling on a miss (checks the tag for `access`). */
  private entry(vaddr: number, access: Access, mmuIdx: number): number {
    const slot = (vaddr >>> PAGE_BITS) & (TLB_ENTRIES - 1);
    const e = mmuIdx * TLB_ENTRIES + slot;
    const tag = this.i32[(this.base >> 2) + e * 4 + access];
    if (tag !== TLB_INVALID && (tag & PAGE_MASK) === (vaddr & PAGE_MASK)) return e;
    return this.fill(vaddr, access, mmuIdx);
  }

  /** The slow path of a load; `size` in bytes. Returns the zero-extended value. */
  load(vaddr: number, size: number, mmuIdx: number, align: boolean): number {
    if (vaddr & (size - 1)) {
      if (align) this.target.alignmentFault(vaddr, Access.READ, mmuIdx);
      if (((vaddr & ~PAGE_MASK) + size) > PAGE_SIZE) {
        // Crosses a page: byte by byte, little-endian; both pages are checked before any effect.
        let v = 0;
        for (let k = 0; k < size; k++) v |= this.load((vaddr + k) | 0, 1, mmuIdx, false) << (8 * k);
        return v >>> 0;
      }
    }
    const e = this.entry(vaddr, Access.READ, mmuIdx);
    const w = (this.base >> 2) + e * 4;
    const tag = this.i32[w];
    if ((tag & TLB_MMIO) === 0) return readHost(this.host, (vaddr + this.i32[w + 3]) >>> 0, size);
    if (this.watchpoints !== null) this.checkWatch(vaddr, size, 1);
    return this.ioRead(e, vaddr, size, mmuIdx);
  }

  store(vaddr: number, value: number, size: number, mmuIdx: number, align: boolean): void {
    if (vaddr & (size - 1)) {
      if (align) this.target.alignmentFault(vaddr, Access.WRITE, mmuIdx);
      if (((vaddr & ~PAGE_MASK) + size) > PAGE_SIZE) {
        // Probe both pages first so a fault on the second leaves memory untouched.
        this.entry(vaddr, Access.WRITE, mmuIdx);
        this.entry((vaddr + size - 1) | 0, Access.WRITE, mmuIdx);
        for (let k = 0; k < size; k++) this.store((vaddr + k) | 0, (value >>> (8 * k)) & 0xff, 1, mmuIdx, false);
        return;
      }
    }
    const e = this.entry(vaddr, Access.WRITE, mmuIdx);
    const w = (this.base >> 2) + e * 4;
    let tag = this.i32[w + 1];
    if (tag & TLB_NOTDIRTY) {
      this.code.written(this.ppage[e]);
      tag = this.i32[w + 1];
    }
    if ((tag & TLB_MMIO) === 0) { writeHost(this.host, (vaddr + this.i32[w + 3]) >>> 0, value, size); return; }
    if (this.watchpoints !== null) this.checkWatch(vaddr, size, 2);
    this.ioWrite(e, vaddr, value, size, mmuIdx);
  }

  private checkWatch(vaddr: number, size: number, kind: number): void {
    const a = vaddr >>> 0;
    for (const wp of this.watchpoints!) {
      if ((wp.kind & kind) !== 0 && a < ((wp.addr + wp.len) >>> 0) && ((a + size) >>> 0) > (wp.addr >>> 0)) {
        this.watchHit = { wp, addr: Math.max(a, wp.addr >>> 0) };
        throw DebugException.it;
      }
    }
  }

  /** Translate a code address: returns the host offset of the byte, or -1 when it is MMIO. Fills `lastCodePhys`. */
  lastCodePhys = 0;
  codeHost(vaddr: number, mmuIdx: number): number {
    const e = this.entry(vaddr, Access.EXEC, mmuIdx);
    this.lastCodePhys = ((this.ppage[e] << PAGE_BITS) | (vaddr & ~PAGE_MASK)) >>> 0;
    const w = (this.base >> 2) + e * 4;
    if (this.i32[w + 2] & TLB_MMIO) return -1;
    return (vaddr + this.i32[w + 3]) >>> 0;
  }

  /** Read code through the device when it is not direct (flash in command mode). */
  codeIoRead(vaddr: number, size: number, mmuIdx: number): number {
    const e = this.entry(vaddr, Access.EXEC, mmuIdx);
    return this.ioRead(e, vaddr, size, mmuIdx);
  }

  private ioRead(e: number, vaddr: number, size: number, mmuIdx: number): number {
    const r = this.region[e]!;
    const paddr = ((this.ppage[e] << PAGE_BITS) | (vaddr & ~PAGE_MASK)) >>> 0;
    if (paddr < r.base || paddr + size > r.end) {
      const v = this.as.read(paddr, size, this.cpuIndex);
      if (v === undefined) this.target.busError(vaddr, Access.READ, mmuIdx);
      return v;
    }
    if (r.directRead) return readHost(this.host, r.hostOffset + paddr - r.base, size);
    if (!r.dev) this.target.busError(vaddr, Access.READ, mmuIdx);
    return r.dev.read(paddr - r.base + r.devOffset, size, this.cpuIndex) >>> 0;
  }

  private ioWrite(e: number, vaddr: number, value: number, size: number, mmuIdx: number): void {
    const r = this.region[e]!;
    const paddr = ((this.ppage[e] << PAGE_BITS) | (vaddr & ~PAGE_MASK)) >>> 0;
    if (paddr < r.base || paddr + size > r.end || r.kind !== 'mmio' && r.kind !== 'romd') {
      if (!this.as.write(paddr, value, size, this.cpuIndex)) this.target.busError(vaddr, Access.WRITE, mmuIdx);
      return;
    }
    if (!r.dev) this.target.busError(vaddr, Access.WRITE, mmuIdx);
    r.dev.write(paddr - r.base + r.devOffset, value >>> 0, size, this.cpuIndex);
  }

  /** `info tlb`: the valid entries. */
  dump(): string {
    const out: string[] = [];
    for (let m = 0; m < this.nIdx; m++) {
      for (let s = 0; s < TLB_ENTRIES; s++) {
        const e = m * TLB_ENTRIES + s, w = (this.base >> 2) + e * 4, i = this.i32;
        if (i[w] === TLB_INVALID && i[w + 1] === TLB_INVALID && i[w + 2] === TLB_INVALID) continue;
        const tag = [i[w], i[w + 1], i[w + 2]].find((t) => t !== TLB_INVALID)!;
        const flags = (i[w] !== TLB_INVALID ? 'r' : '-') + (i[w + 1] !== TLB_INVALID ? 'w' : '-') + (i[w + 2] !== TLB_INVALID ? 'x' : '-');
        out.push(`mmu${m} ${hex(tag & PAGE_MASK).padStart(8, '0')} -> ${hex(this.ppage[e] << PAGE_BITS).padStart(8, '0')} ${flags} ${this.region[e]?.name ?? ''}`);
      }
    }
    return out.join('\n');
  }
}
