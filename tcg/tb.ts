/**
 * Translation blocks and their cache (QEMU's TranslationBlock, tb_jmp_cache
 * and the physical-address hash). A TB is keyed by (virtual pc, physical pc,
 * flags); writes to a physical page that holds code invalidate its TBs.
 */
import { PAGE_BITS } from '../softmmu/cputlb.js';

export class TB {
  /** Direct successors for goto_tb slots 0 and 1, filled on first use (chaining). */
  jmp: (TB | null)[] = [null, null];
  /**
   * Successors seen after an indirect branch (lookup_tb) that stayed on the
   * page with the same flags: a switch's cases, a return to the caller. The
   * wasm backend compiles them into this TB's region when they loop back.
   */
  indirect: TB[] | null = null;
  /**
   * Where the code was when translated: the MMU index of the fetch and the
   * host offset of the pc (-1: not RAM). A region that reaches this TB from
   * another page checks the TLB still maps it there.
   */
  fetchMmu = 0;
  hostPc = -1;
  valid = true;
  execCount = 0;
  /** Backend-specific compiled form (the interpreter's label table). */
  compiled: unknown = null;
  /** wasm backend: id, first of two chain slots in the table, compiled function, linked-slot mask. */
  id = 0;
  slot = -1;
  wasmFn: unknown = null;
  linked = 0;
  /** Heads of the compiled regions whose functions contain this TB's code. */
  inRegions: TB[] | null = null;
  constructor(
    readonly pc: number,
    readonly phys: number,
    readonly flags: number,
    readonly size: number,        // guest bytes covered
    readonly icount: number,      // guest instructions
    readonly code: Int32Array,    // IR ops
    readonly nTemps: number,
    /** Physical page of the TB's last bytes when the translator saw them on another page. */
    private readonly page2?: number,
  ) {}
  get page0(): number { return this.phys >>> PAGE_BITS; }
  get page1(): number { return this.page2 ?? ((this.phys + this.size - 1) >>> 0) >>> PAGE_BITS; }
}

const JC_BITS = 12;

export class TBCache {
  private hash = new Map<number, TB[]>();
  private byPage = new Map<number, TB[]>();
  /** Per CPU jump caches, indexed by virtual pc bits. */
  jmpCaches: (TB | null)[][] = [];
  count = 0;
  flushCount = 0;
  invalidations = 0;
  translatedInsns = 0;
  guestBytes = 0;
  translateNs = 0;
  /** Limit on live TBs before a whole flush, like QEMU's code buffer filling up. */
  maxTBs = 1 << 16;
  /** Backend hooks: a TB died, all chains must be cut, the cache was flushed. */
  onInvalidate: (tb: TB) => void = () => {};
  onUnlinkAll: () => void = () => {};
  onFlush: () => void = () => {};
  onJumpCacheClear: () => void = () => {};

  /** A CPU's virtual mappings changed: its jump cache (and any backend jump table) must forget them. */
  clearJumpCache(cpu: number): void {
    this.jmpCache(cpu).fill(null);
    this.onJumpCacheClear();
  }

  jmpCache(cpu: number): (TB | null)[] {
    while (this.jmpCaches.length <= cpu) this.jmpCaches.push(new Array(1 << JC_BITS).fill(null));
    return this.jmpCaches[cpu];
  }

  /**
   * Jump-cache hash (also the wasm jump table's): the page picks a run of 64
   * slots and the offset a slot within it, so a page's entries can be
   * dropped without scanning the table (QEMU's TB_JMP_PAGE idea).
   */
  static jcIndex(pc: number): number { return (((pc >>> 12) & 63) << 6) | (((pc >>> 2) ^ (pc >>> 8)) & 63); }
  static jcPageStart(pc: number): number { return ((pc >>> 12) & 63) << 6; }

  /** Forget a CPU's jump-cache entries for one virtual page (TLBIMVA). */
  clearJumpCachePage(cpu: number, vaddr: number): void {
    this.jmpCache(cpu).fill(null, TBCache.jcPageStart(vaddr), TBCache.jcPageStart(vaddr) + 64);
    this.onJumpCachePageClear(vaddr);
  }
  onJumpCachePageClear: (vaddr: number) => void = () => {};

  lookup(phys: number, pc: number, flags: number): TB | null {
    const l = this.hash.get(phys);
    if (!l) return null;
    for (const tb of l) if (tb.pc === pc && tb.flags === flags && tb.valid) return tb;
    return null;
  }

  insert(tb: TB): void {
    if (this.count >= this.maxTBs) this.flush();
    let l = this.hash.get(tb.phys);
    if (!l) this.hash.set(tb.phys, (l = []));
    l.push(tb);
    this.addPage(tb.page0, tb);
    if (tb.page1 !== tb.page0) this.addPage(tb.page1, tb);
    this.count++;
    this.translatedInsns += tb.icount;
    this.guestBytes += tb.size;
  }

  /** Set by the machine: the page now holds code, so writes to it must come back here. */
  onCodePage: (ppage: number) => void = () => {};

  private addPage(p: number, tb: TB): void {
    let l = this.byPage.get(p);
    if (!l) { this.byPage.set(p, (l = [])); this.onCodePage(p); }
    l.push(tb);
  }

  /** Drop every TB on a physical page (a guest write hit code). */
  invalidatePage(ppage: number): void {
    const l = this.byPage.get(ppage);
    if (!l) return;
    this.byPage.delete(ppage);
    for (const tb of l) {
      if (!tb.valid) continue;
      tb.valid = false;
      this.onInvalidate(tb);
      this.invalidations++;
      this.count--;
      const h = this.hash.get(tb.phys);
      if (h) { const i = h.indexOf(tb); if (i >= 0) h.splice(i, 1); if (h.length === 0) this.hash.delete(tb.phys); }
    }
    // Chains into dead TBs must be cut; cheap enough at this rate to clear all jump caches and links.
    this.unlinkAll();
  }

  private unlinkAll(): void {
    for (const jc of this.jmpCaches) jc.fill(null);
    for (const l of this.hash.values()) for (const tb of l) { tb.jmp[0] = null; tb.jmp[1] = null; }
    this.onUnlinkAll();
  }

  flush(): void {
    for (const l of this.hash.values()) for (const tb of l) tb.valid = false;
    this.hash.clear();
    this.byPage.clear();
    for (const jc of this.jmpCaches) jc.fill(null);
    this.count = 0;
    this.flushCount++;
    this.onFlush();
  }
}
