/**
 * The wasm JIT (the "decide" step): counts TB executions, batches hot TBs
 * into modules, instantiates them against the shared Memory and funcref
 * table, links chains by writing table slots, and runs compiled TBs. Cold
 * TBs run in the interpreter (tier 0), as in QEMU-Wasm and Hybrid-QEMU.
 */
import v8 from 'node:v8';
import { buildModule, Bytes, I32, W, type FuncBody } from './encoder.js';
import { lowerTB, EXIT_FAULT, jtIndex, JT_PAGE_ENTRIES, JT_ENTRIES, JT_ENTRY_BYTES, EXIT_BUDGET, IMP_FIRST_HELPER, TYPE_TB, TYPE_SLOW_LD, TYPE_SLOW_ST, TYPE_HELPER, TYPE_REGION, type RegionTB } from './lower.js';
import { helperFns, helperNames } from '../helpers.js';
import { interpRun, EXIT_LOOKUP } from '../interp.js';
import { TBCache, type TB } from '../tb.js';
import type { ExecCPU } from '../cpu-exec.js';
import type { HostMemory } from '../../softmmu/host-memory.js';
import { ENV_BUDGET, ENV_LAST_TB, ENV_FAULT_PC, ENV_FAULT_EXTRA, ENV_FAULTED, ENV_SIZE } from '../exec-slots.js';
import { GuestException, DebugException } from '../helpers.js';
import { TLB_ENTRIES, TLB_ENTRY_BYTES } from '../../softmmu/cputlb.js';
import { MemOp } from '../ir.js';
import type { Logger } from '../../softmmu/log.js';
import { wasmToText } from './wat.js';

type TBFn = (env: number) => number;

/** Interpreted instructions of hot TBs waiting in the queue that make it compile at once (~2 ms). */
const WAIT_INSNS = 50_000;
/**
 * Table slots to start with (three per TB). Instantiating a module costs time
 * in proportion to the table it imports (~1.3 ms at 24 K slots, 0.2 ms at
 * 3 K: bench-mix's 18 modules spent 34 ms, now 10); the benchmarks fit in
 * 3 K, a Linux boot doubles it three times (50 ms in all).
 */
const TABLE_FIRST = 3 * 1024;

// V8 reads the branch hints lower.ts emits (slow paths unlikely) only with this flag;
// it must be set before the first module is compiled.
v8.setFlagsFromString('--experimental-wasm-branch-hinting');

export interface WasmStats {
  modules: number; compiled: number; compileNs: number;
  /** Guest instructions run in the interpreter while the JIT was on (cold and queued TBs). */
  interpInsns: number; wasmBytes: number; emitNs: number; v8CompileNs: number;
  /** Region functions holding a loop of several TBs, and the TBs in them. */
  regions: number; regionTBs: number;
}

export class WasmBackend {
  readonly table: WebAssembly.Table;
  private stubs: TBFn[];
  private queue: TB[] = [];
  private byId = new Map<number, TB>();
  private nextId = 1;
  /** The CPU whose code is running (imports need it; one CPU runs at a time). */
  private cpu: ExecCPU | null = null;
  private helperImports: ((a: number, b: number, c: number, d: number) => number)[] = [];
  readonly stats: WasmStats = { interpInsns: 0, modules: 0, compiled: 0, compileNs: 0, wasmBytes: 0, emitNs: 0, v8CompileNs: 0, regions: 0, regionTBs: 0 };
  /** Executions before a TB is compiled. */
  threshold = 128;
  batch = 128;
  /** Result of the last exec: the TB that ran last and instructions executed. */
  last: TB | null = null;
  insns = 0;
  private freeSlots: number[] = [];

  /** Bytes of HostMemory the jump table needs; the machine reserves them before creating memory. */
  static readonly JUMP_TABLE_BYTES = JT_ENTRIES * JT_ENTRY_BYTES + 16;

  constructor(private host: HostMemory, private cache: TBCache, private log: Logger, private jumpTable: number) {
    this.table = new WebAssembly.Table({ element: 'anyfunc', initial: 0 });
    // Chain stubs: an unlinked slot returns its exit number to cpu_exec.
    const stubMod = buildModule({
      types: [{ params: [I32], results: [I32] }],
      imports: [],
      funcs: [0, 1, 2].map((n) => ({ type: 0, body: { locals: [], code: new Bytes().i32(n) } })),
      exports: [{ name: 's0', func: 0 }, { name: 's1', func: 1 }, { name: 's2', func: 2 }],
    });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(stubMod as Uint8Array<ArrayBuffer>), {});
    // s0/s1: an unlinked exit returns its number; s2: a TB's own slot when it has no code
    // (a jump-table hit on a dead TB) sends cpu_exec to look the pc up.
    this.stubs = [inst.exports.s0 as TBFn, inst.exports.s1 as TBFn, inst.exports.s2 as TBFn];
    for (let i = 0; i < helperFns.length; i++) this.helperImports.push(this.wrapHelper(i));
    cache.onInvalidate = (tb) => this.forget(tb);
    cache.onUnlinkAll = () => this.unlinkAll();
    cache.onFlush = () => this.reset();
    cache.onJumpCacheClear = () => this.clearJumpTable();
    cache.onJumpCachePageClear = (va) => {
      const i32 = this.host.i32, w = (this.jumpTable >> 2) + jtIndex(va & ~0xfff) * 4;
      for (let k = 0; k < JT_PAGE_ENTRIES; k++) { i32[w + k * 4] = 1; i32[w + k * 4 + 1] = -1; }
    };
    this.clearJumpTable();
  }

  private wrapHelper(id: number) {
    const fn = helperFns[id];
    return (a: number, b: number, c: number, d: number): number => (fn(this.cpu, a, b, c, d) as number) | 0;
  }

  private slowLd = (_env: number, addr: number, mop: number, pc: number): number => {
    const cpu = this.cpu!;
    this.noteFault(cpu, pc, mop >>> 16);
    const sz = mop & MemOp.SIZE_MASK;
    let v: number;
    try {
      v = cpu.tlb.load(addr, 1 << sz, (mop >> MemOp.MMU_SHIFT) & 0xf, (mop & MemOp.ALIGN) !== 0);
    } catch (e) {
      return this.faulted(cpu, e);
    }
    if (mop & MemOp.SIGN) v = sz === 0 ? (v << 24) >> 24 : sz === 1 ? (v << 16) >> 16 : v;
    return v | 0;
  };

  private slowSt = (_env: number, addr: number, val: number, mop: number, pc: number): void => {
    const cpu = this.cpu!;
    this.noteFault(cpu, pc, mop >>> 16);
    const sz = mop & MemOp.SIZE_MASK;
    try {
      cpu.tlb.store(addr, sz === 2 ? val : val & ((1 << (8 << sz)) - 1), 1 << sz, (mop >> MemOp.MMU_SHIFT) & 0xf, (mop & MemOp.ALIGN) !== 0);
    } catch (e) {
      this.faulted(cpu, e);
    }
  };

  /** Drop a TB's compiled function (its code stays valid; links into it stay until unlinked). */
  private uncompile(h: TB): void {
    if (!h.valid || !h.wasmFn) return;
    h.wasmFn = null;
    this.unpublish(h);
    this.table.set(h.slot + 2, this.stubs[2]);
    h.execCount = 0;
  }

  /** The slow path raised a guest exception: flag it for the compiled code, which leaves through its fault exit. */
  private faulted(cpu: ExecCPU, e: unknown): number {
    // A debugger watchpoint leaves the same way (state written back), then cpu_exec sees a DebugException.
    if (e === DebugException.it) this.debugFault = true;
    else if (e !== GuestException.it) throw e;
    this.host.i32[(cpu.env + ENV_FAULTED) >> 2] = 1;
    return 0;
  }

  private noteFault(cpu: ExecCPU, pc: number, extra: number): void {
    const w = cpu.env >> 2, i32 = this.host.i32;
    i32[w + (ENV_FAULT_PC >> 2)] = pc;
    i32[w + (ENV_FAULT_EXTRA >> 2)] = extra;
  }

  private debugFault = false;

  /** Run a TB (compiled if hot); sets `last` and `insns`. */
  exec(cpu: ExecCPU, tb: TB, budget: number): number {
    const fn = tb.wasmFn as TBFn | null;
    if (fn === null) {
      if (tb.execCount >= this.threshold) {
        if (tb.execCount === this.threshold) this.enqueue(tb);
        // Hot code waiting for its batch runs ~40x slower here: once the wait has cost
        // about what a compile does, compile now.
        else if ((this.waitingInsns += tb.icount) > WAIT_INSNS) this.flushQueue();
      }
      this.last = tb;
      this.insns = tb.icount;
      this.stats.interpInsns += tb.icount;
      return interpRun(cpu, tb);
    }
    const i32 = this.host.i32;
    const w = cpu.env >> 2;
    // Jump-table entries are dropped on TLB flushes; put back the ones cpu_exec keeps coming here for.
    const jw = (this.jumpTable >> 2) + jtIndex(tb.pc) * (JT_ENTRY_BYTES >> 2);
    if (i32[jw] !== tb.pc || i32[jw + 2] !== tb.slot + 2 || i32[jw + 1] !== (tb.flags | (this.jtGen << 24))) this.publish(tb);
    i32[w + (ENV_BUDGET >> 2)] = budget;
    this.cpu = cpu;
    let r: number;
    try {
      r = fn(cpu.env);
    } catch (e) {
      // An exception from a helper or the slow path inside compiled code: both left the insn's pc in env.
      this.faultFromEnv(cpu);
      throw e;
    }
    if (r === EXIT_FAULT) {
      i32[w + (ENV_FAULTED >> 2)] = 0;
      this.faultFromEnv(cpu);
      this.last = null;
      this.insns = budget - i32[w + (ENV_BUDGET >> 2)];
      if (this.debugFault) { this.debugFault = false; throw DebugException.it; }
      throw GuestException.it;
    }
    const left = i32[w + (ENV_BUDGET >> 2)];
    const last = this.byId.get(i32[w + (ENV_LAST_TB >> 2)]) ?? tb;
    this.insns = budget - left;
    if (r === EXIT_BUDGET) {
      // The last TB returned at its entry without running; cpu_exec looks the pc up again.
      this.last = null;
      return EXIT_LOOKUP;
    }
    this.last = last;
    return r;
  }

  /** Prepare the helper-side fault pc before a call can throw (compiled code stores it in env). */
  faultFromEnv(cpu: ExecCPU): void {
    const i32 = this.host.i32, w = cpu.env >> 2;
    cpu.faultPc = i32[w + (ENV_FAULT_PC >> 2)];
    cpu.faultExtra = i32[w + (ENV_FAULT_EXTRA >> 2)];
  }

  link(from: TB, n: number, to: TB): void {
    if (from.slot >= 0 && to.wasmFn && !(from.linked & (1 << n))) {
      this.table.set(from.slot + n, to.wasmFn as TBFn);
      from.linked |= 1 << n;
      this.linkedSlots.push(from.slot + n);
      this.linkedOwners.push(from);
    }
  }
  private linkedSlots: number[] = [];
  private linkedOwners: TB[] = [];

  private enqueue(tb: TB): void {
    if (this.queue.length === 0) this.queuedSince = process.hrtime.bigint();
    this.queue.push(tb);
    if (this.queue.length >= this.batch) this.flushQueue();
  }
  private queuedSince = 0n;
  /** Instructions interpreted in queued TBs since the last compile. */
  private waitingInsns = 0;

  /**
   * Called between slices: compile what waits once enough has gathered or it
   * has waited long enough. Every instance makes later table writes and grows
   * dearer in V8 (each keeps a dispatch table for the shared table), so
   * fewer, larger modules win.
   */
  maybeFlushQueue(): void {
    if (this.queue.length === 0) return;
    if (this.queue.length >= 16 || process.hrtime.bigint() - this.queuedSince > 20_000_000n) this.flushQueue();
  }

  /** Compile everything queued into one module. */
  flushQueue(): void {
    const tbs = this.queue.filter((t) => t.valid && !t.wasmFn);
    this.queue = [];
    this.waitingInsns = 0;
    if (tbs.length === 0) return;
    const t0 = process.hrtime.bigint();
    const helperIdx = new Map<number, number>();
    const helperImp = (id: number) => {
      let k = helperIdx.get(id);
      if (k === undefined) { k = IMP_FIRST_HELPER + helperIdx.size; helperIdx.set(id, k); }
      return k;
    };
    const cpuEnvDelta = this.tlbDelta;
    // A TB compiled again (its regions rebuilt) keeps its id: older code still names it in exits.
    for (const tb of tbs) { if (tb.id === 0) tb.id = this.nextId++; if (tb.slot < 0) tb.slot = this.allocSlots(); }
    const inBatch = new Set(tbs);
    // One function per region: the first unassigned TB of the batch heads it, and every
    // batch member of the loop enters through it (a stub tail-calls in at its index), so
    // a loop's code is compiled once, not once per member.
    const funcs: { type: number; body: FuncBody }[] = [];
    const fnOf = new Map<TB, number>();
    const names: string[] = [];
    const stubs: { tb: TB; fn: number; k: number; icount: number }[] = [];
    const assigned = new Set<TB>();
    // Inner loops first (their TBs ran most while they waited): an outer loop's region then
    // calls into theirs instead of holding their code as ordinary members, whose back edges
    // would go through the dispatch.
    tbs.sort((x, y) => y.execCount - x.execCount);
    for (let i = 0; i < tbs.length; i++) {
      const tb = tbs[i];
      if (assigned.has(tb)) continue;
      const members = this.region(tb, (m) => assigned.has(m) || m.wasmFn !== null);
      // Loop members not hot enough to be queued yet are compiled with their loop.
      for (const m of members) {
        if (inBatch.has(m) || m.wasmFn) continue;
        if (m.id === 0) m.id = this.nextId++;
        if (m.slot < 0) m.slot = this.allocSlots();
        inBatch.add(m);
        tbs.push(m);
      }
      const entries = members.filter((m) => inBatch.has(m) && !assigned.has(m));
      for (const m of entries) assigned.add(m);
      if (members.length > 1) { this.stats.regions++; this.stats.regionTBs += members.length; }
      // Whatever enters this function holds each member's code: they are dropped with it.
      for (const m of members) for (const h of entries) if (m !== h && !(m.inRegions ??= []).includes(h)) m.inRegions.push(h);
      const of = new Map<RegionTB, TB>();
      const low = lowerTB({
        tbs: members.map((m) => {
          const r: RegionTB = {
            code: m.code, nTemps: m.nTemps, icount: m.icount, id: m.id, slot: m.slot, pc: m.pc, flags: m.flags,
            fetchMmu: m.fetchMmu, hostPc: m.hostPc,
            indirect: m.indirect?.map((t) => t.pc), entry: entries.includes(m),
          };
          of.set(r, m);
          return r;
        }),
        jumpTable: this.jumpTable, fixedEnv: this.fixedEnv, pcSlot: this.pcSlot, tlbDelta: cpuEnvDelta, tlbIdxBytes: TLB_ENTRIES * TLB_ENTRY_BYTES, helperImport: helperImp,
      });
      const fn = funcs.length;
      funcs.push({ type: low.multiEntry ? TYPE_REGION : TYPE_TB, body: low });
      names.push(`${members.length > 1 ? 'loop' : 'tb'}_${tb.pc.toString(16)}`);
      if (!low.multiEntry) fnOf.set(tb, fn);
      else low.order.forEach((r, k) => { if (r.entry) stubs.push({ tb: of.get(r)!, fn, k, icount: r.icount }); });
    }
    const helperList = [...helperIdx.entries()].sort((a, b) => a[1] - b[1]);
    const nImports = IMP_FIRST_HELPER + helperList.length;
    for (const st of stubs) {
      fnOf.set(st.tb, funcs.length);
      const code = new Bytes().get(0).i32(st.k).i32(st.icount).u8(W.return_call).u32(nImports + st.fn);
      funcs.push({ type: TYPE_TB, body: { locals: [], code } });
      names.push(`entry_${st.tb.pc.toString(16)}`);
    }
    const bytes = buildModule({
      types: [
        { params: [I32], results: [I32] },
        { params: [I32, I32, I32, I32], results: [I32] },
        { params: [I32, I32, I32, I32, I32], results: [] },
        { params: [I32, I32, I32, I32], results: [I32] },
        { params: [I32, I32, I32], results: [I32] },
      ],
      imports: [
        { module: 'e', name: 'ld', kind: 'func', type: TYPE_SLOW_LD },
        { module: 'e', name: 'st', kind: 'func', type: TYPE_SLOW_ST },
        ...helperList.map(([id]) => ({ module: 'h', name: String(id), kind: 'func' as const, type: TYPE_HELPER })),
        { module: 'e', name: 'mem', kind: 'memory' },
        { module: 'e', name: 'tab', kind: 'table' },
      ],
      funcs,
      exports: tbs.map((tb, i) => ({ name: `t${i}`, func: nImports + fnOf.get(tb)! })),
      importedFuncs: nImports,
      names,
    });
    const h: Record<string, WebAssembly.ImportValue> = {};
    for (const [id] of helperList) h[String(id)] = this.helperImports[id] ?? (this.helperImports[id] = this.wrapHelper(id));
    const t1 = process.hrtime.bigint();
    this.stats.emitNs += Number(t1 - t0);
    this.stats.wasmBytes += bytes.length;
    const imports = { e: { ld: this.slowLd, st: this.slowSt, mem: this.host.memory, tab: this.table }, h };
    const gen = this.generation;
    const install = (mod: WebAssembly.Module) => {
      if (gen !== this.generation) return; // the cache was flushed meanwhile: slots were reassigned
      const inst = new WebAssembly.Instance(mod, imports);
      tbs.forEach((tb, i) => {
        if (!tb.valid) return;
        tb.wasmFn = inst.exports[`t${i}`] as TBFn;
        this.byId.set(tb.id, tb);
        this.table.set(tb.slot + 2, tb.wasmFn as TBFn);
        this.publish(tb);
      });
      this.stats.modules++;
      this.stats.compiled += tbs.length;
    };
    if (this.async) {
      // V8 compiles on a background thread while the interpreter keeps running the guest.
      this.pending++;
      WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>).then((mod) => {
        this.pending--;
        this.stats.v8CompileNs += 0;
        install(mod);
      }, (e) => { this.pending--; throw e; });
    } else {
      const mod = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
      this.stats.v8CompileNs += Number(process.hrtime.bigint() - t1);
      install(mod);
    }
    this.stats.compileNs += Number(process.hrtime.bigint() - t0);
    if (this.log.enabled('out_asm')) {
      for (const tb of tbs) if (this.log.inRange(tb.pc)) this.log.write(`OUT: [tb ${tb.id} pc=0x${(tb.pc >>> 0).toString(16)} size=${tb.icount} insns]\n`);
      this.log.write(wasmToText(bytes, helperList.map(([id]) => helperNames[id])) + '\n');
    }
  }

  /** Compile modules off the main thread (default); synchronous compiles make runs repeatable for tests. */
  async = false;
  pending = 0;
  private generation = 0;

  /** Most TBs compiled into one region function. */
  maxRegion = 16;

  /**
   * The TBs to compile together with `head`: those on a cycle through it,
   * following its chained successors and the targets its indirect branches
   * were seen to take (as cpu_exec observed them; on other pages too) with the
   * same flags — a loop, with the paths around it. Otherwise the head alone.
   * TBs `taken` (compiled already, or into an inner loop's region) stay out.
   */
  private region(head: TB, taken: (m: TB) => boolean): TB[] {
    const succ = (m: TB) => (m.indirect ? [...m.jmp, ...m.indirect] : m.jmp);
    const fits = (n: TB | null): n is TB => n !== null && n.valid && n.flags === head.flags && (n === head || (!taken(n) && n.hostPc >= 0));
    const fwd = [head];
    const seen = new Set(fwd);
    for (let i = 0; i < fwd.length && fwd.length < 4 * this.maxRegion; i++) {
      for (const n of succ(fwd[i])) if (fits(n) && !seen.has(n)) { seen.add(n); fwd.push(n); }
    }
    // Keep what leads back to the head; loop exits and what follows them stay outside.
    const back = new Set([head]);
    for (let grew = true; grew;) {
      grew = false;
      for (const m of fwd) if (!back.has(m) && succ(m).some((n) => n !== null && back.has(n))) { back.add(m); grew = true; }
    }
    return fwd.filter((m) => back.has(m)).slice(0, this.maxRegion);
  }

  /**
   * The state block's address when the machine has one CPU: compiled code then
   * addresses guest state and the TLB at constant offsets (no env register, one
   * add less per memory access). null: code takes env as its parameter.
   */
  fixedEnv: number | null = null;
  /** The CPUs' pc word (see ExecCPU.pcSlot): region members start with it known. */
  pcSlot: number | null = null;

  /** CPUs lay out their TLB right after the state block; compiled code relies on it. */
  tlbDelta = ENV_SIZE;

  /** Three table slots per TB: its two chain exits and itself (the jump table's target). */
  private allocSlots(): number {
    let s = this.freeSlots.pop();
    if (s === undefined) {
      // Growing a table copies it and every instance's view of it: double it.
      if (this.nextSlot + 3 > this.table.length) this.table.grow(Math.max(TABLE_FIRST, this.table.length), this.stubs[2]);
      s = this.nextSlot;
      this.nextSlot += 3;
    }
    this.table.set(s, this.stubs[0]);
    this.table.set(s + 1, this.stubs[1]);
    this.table.set(s + 2, this.stubs[2]);
    return s;
  }
  private nextSlot = 0;

  /** Enter a compiled TB in the jump table so indirect branches find it without leaving wasm. */
  private publish(tb: TB): void {
    const w = (this.jumpTable >> 2) + jtIndex(tb.pc) * (JT_ENTRY_BYTES >> 2);
    const i32 = this.host.i32;
    i32[w] = tb.pc; i32[w + 1] = tb.flags | (this.jtGen << 24); i32[w + 2] = tb.slot + 2;
  }

  private unpublish(tb: TB): void {
    const w = (this.jumpTable >> 2) + jtIndex(tb.pc) * (JT_ENTRY_BYTES >> 2);
    const i32 = this.host.i32;
    if (i32[w + 2] === tb.slot + 2) i32[w] = 1; // pc 1 never matches an aligned pc
  }

  /** The generation stamped into every jump-table entry; it lives in the word after the table. */
  private get jtGen(): number { return this.host.i32[(this.jumpTable + JT_ENTRIES * JT_ENTRY_BYTES) >> 2]; }

  /**
   * Forget every jump-table entry (TLB flushes change what a virtual pc
   * means): bump the generation the entries are stamped with, and really
   * clear the table only when the 8-bit generation wraps.
   */
  clearJumpTable(): void {
    const i32 = this.host.i32;
    const g = (this.jumpTable + JT_ENTRIES * JT_ENTRY_BYTES) >> 2;
    i32[g] = (i32[g] + 1) & 0xff;
    if (i32[g] !== 0) return;
    const w = this.jumpTable >> 2;
    for (let k = 0; k < JT_ENTRIES; k++) i32[w + k * 4] = 1;
  }

  /** A TB died: unlink every slot (cheap at invalidation rates) and recycle its slots. */
  private forget(tb: TB): void {
    // Regions that inlined this TB's code are stale too.
    const heads = tb.inRegions;
    tb.inRegions = null;
    if (heads) for (const h of heads) this.uncompile(h);
    if (tb.slot < 0) return;
    this.byId.delete(tb.id);
    this.unpublish(tb);
    this.table.set(tb.slot + 2, this.stubs[2]);
    this.freeSlots.push(tb.slot);
    tb.slot = -1;
    tb.wasmFn = null;
  }

  /** Cut every chain (after invalidations). */
  unlinkAll(): void {
    for (const s of this.linkedSlots) this.table.set(s, this.stubs[s % 3]);
    for (const tb of this.linkedOwners) tb.linked = 0;
    this.linkedSlots = [];
    this.linkedOwners = [];
  }

  /** The whole code cache was flushed: every slot is free again. */
  private reset(): void {
    this.generation++;
    for (const tb of this.byId.values()) { tb.wasmFn = null; tb.slot = -1; tb.linked = 0; }
    this.byId.clear();
    this.queue = [];
    this.unlinkAll();
    this.freeSlots = [];
    this.nextSlot = 0;
    const i32 = this.host.i32, w = this.jumpTable >> 2;
    for (let k = 0; k < JT_ENTRIES; k++) i32[w + k * 4] = 1;
  }
}

