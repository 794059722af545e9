/**
 * IR → one WebAssembly function per TB (the "emit" step; tcg/wasm/backend.ts
 * decides what to compile, encoder.ts writes bytes). Temps become i32
 * locals (except copies of constants and guest registers: forward.ts);
 * env words are loads and stores at constant offsets from the env
 * parameter; guest loads and stores probe the softmmu TLB inline and call the
 * slow path only on a miss; goto_tb is a tail call through the TB's table slot.
 */
import { Op, Cond, OP_WORDS, MemOp } from '../ir.js';
import { Bytes, W, I32, I64, type FuncBody } from './encoder.js';
import { HELPER_NEXT_PC, HELPER_NEXT_FLAGS } from '../helpers.js';
import { ENV_BUDGET, ENV_LAST_TB, ENV_FAULT_PC, ENV_FAULT_EXTRA, ENV_FAULTED } from '../exec-slots.js';
import { PAGE_MASK, PAGE_BITS, TLB_BITS, TLB_ENTRY_BYTES } from '../../softmmu/cputlb.js';
import { findTlbGroups } from './tlb-groups.js';
import { forwardTemps, FWD_NONE, FWD_CONST, FWD_LOCAL } from './forward.js';

export const EXIT_BUDGET = 4;
/** A memory access faulted: the exception is recorded, state written back. */
export const EXIT_FAULT = 5;
/** Function indexes of the imports every module declares, in order. */
export const IMP_SLOW_LD = 0, IMP_SLOW_ST = 1, IMP_FIRST_HELPER = 2;
export const TYPE_TB = 0, TYPE_SLOW_LD = 1, TYPE_SLOW_ST = 2, TYPE_HELPER = 3, TYPE_REGION = 4;

/** One TB of a region: its IR and where it lives in the backend's tables. */
export interface RegionTB {
  code: Int32Array;
  nTemps: number;
  icount: number;
  id: number;
  slot: number;             // first of the TB's chain slots in the table
  pc: number;
  flags: number;
  /** Pcs its indirect branches were seen to reach (they stay in the region when they are members). */
  indirect?: number[];
  /** MMU index of its fetch and host offset of its pc when translated (see TB). */
  fetchMmu?: number;
  hostPc?: number;
  /** The function is an entry point for this member too (its TB function tail-calls in). */
  entry?: boolean;
}

/**
 * A lowered region. When members other than the head are entries, the
 * function takes (env, member index, member icount) and each entry's own
 * TB function is a stub that tail-calls it (see WasmBackend).
 */
export interface LoweredRegion extends FuncBody {
  /** The members in the order the function numbers them. */
  order: RegionTB[];
  multiEntry: boolean;
}

export interface LowerInput {
  /** The TBs compiled into this function; the function is entered at tbs[0]. */
  tbs: RegionTB[];
  tlbDelta: number;         // TLB base - env base (bytes)
  tlbIdxBytes: number;      // bytes per MMU index table
  helperImport: (helperId: number) => number; // function index of a helper import
  jumpTable: number;        // HostMemory offset of the (pc, flags) -> table slot hash
  /** The state block's address when only one CPU runs this code: a constant in every access. */
  fixedEnv?: number | null;
  /** The guest pc's slot: on entry to every member it holds that member's pc. */
  pcSlot?: number | null;
}

/**
 * The jump table: JT_ENTRIES entries of {pc, flags, slot, 0}. Indexed by 6
 * bits of page and the 10-bit word offset in the page, so the TBs of one page
 * never collide and a page's entries are one contiguous run.
 */
export const JT_BITS = 16, JT_ENTRIES = 1 << JT_BITS, JT_ENTRY_BYTES = 16, JT_PAGE_ENTRIES = 1024;
export const jtIndex = (pc: number): number => (((pc >>> 12) & 63) << 10) | ((pc >>> 2) & 1023);

const BINOP: W[] = [];
BINOP[Op.ADD] = W.i32_add; BINOP[Op.SUB] = W.i32_sub; BINOP[Op.AND] = W.i32_and; BINOP[Op.OR] = W.i32_or;
BINOP[Op.XOR] = W.i32_xor; BINOP[Op.SHL] = W.i32_shl; BINOP[Op.SHR] = W.i32_shr_u; BINOP[Op.SAR] = W.i32_shr_s;
BINOP[Op.ROTR] = W.i32_rotr; BINOP[Op.MUL] = W.i32_mul;

const CMP: Record<number, W> = {
  [Cond.EQ]: W.i32_eq, [Cond.NE]: W.i32_ne, [Cond.LT]: W.i32_lt_s, [Cond.GE]: W.i32_ge_s,
  [Cond.LE]: W.i32_le_s, [Cond.GT]: W.i32_gt_s, [Cond.LTU]: W.i32_lt_u, [Cond.GEU]: W.i32_ge_u,
  [Cond.LEU]: W.i32_le_u, [Cond.GTU]: W.i32_gt_u,
};

/**
 * Lower a region: one or more TBs in one wasm function. Branches between
 * members stay inside the function, so guest registers stay in locals
 * across them and V8 optimizes the loop as a whole (the Hybrid-QEMU trace
 * idea). Members are laid out in depth-first order from the head, each
 * after the end of its own `block`: a forward branch is a `br` out of the
 * blocks in between, a back edge to the head (or a member to itself) is a
 * `br` to a `loop`, and only back edges to other members go through a
 * `br_table` dispatch at the top. Leaving the region writes the cached
 * state back and tail-calls on.
 *
 * The instruction budget lives in a local too: every member transition
 * subtracts the next member's count, and function entries and back edges
 * (the only ways to run on without bound) return when it is spent.
 */
export function lowerTB(inp: LowerInput): LoweredRegion {
  const tbs = orderMembers(inp.tbs);
  const multiEntry = tbs.some((t, k) => k > 0 && t.entry);
  const P = multiEntry ? 3 : 1; // parameters: env[, member index, its icount]
  const c = new LowerBytes();
  const ENV = 0;
  const FIX = inp.fixedEnv ?? null;
  // With one CPU the state block's address is a constant folded into every access.
  const envBase = () => (FIX === null ? c.get(ENV) : c.i32(0));
  const eo = (off: number) => (FIX === null ? off : FIX + off);
  const ldEnv = (off: number) => envBase().mem(W.i32_load, 2, eo(off));
  const nT = Math.max(...tbs.map((t) => t.nTemps));
  const T = (t: number) => P + t;
  // scratch: address, TLB entry, dispatch index, instruction budget
  const A = P + nT, E = P + 1 + nT, IDX = P + 2 + nT, BUD = P + 3 + nT;
  // Guest state words the region touches live in locals; env is written back
  // only where someone else may look (helpers, the slow path, exits).
  const slotLocal = new Map<number, number>();
  const written = new Set<number>();
  for (const tb of tbs) {
    const code = tb.code;
    for (let i = 0; i < code.length; i += OP_WORDS) {
      if (code[i] === Op.LD_ENV || code[i] === Op.ST_ENV) {
        const off = code[i + 2];
        if (!slotLocal.has(off)) slotLocal.set(off, P + 4 + nT + slotLocal.size);
        if (code[i] === Op.ST_ENV) written.add(off);
      }
    }
  }
  const X64 = P + 4 + nT + slotLocal.size;
  // Accesses at constant offsets from a register the region never writes share one TLB
  // probe; G[j] holds the group's addend, or 1 when the probe failed (addends are even).
  const { groups, member: groupOf } = findTlbGroups(tbs.map((t) => t.code), tbs.map((t) => t.nTemps),
    (off) => slotLocal.has(off) && !written.has(off));
  // Indexed groups have a second local, N[j]: how many aligned slots of their size lie between
  // the base and the end of its page (0 when the probe failed).
  const G = groups.map((_, j) => X64 + 1 + j);
  const N: number[] = [];
  for (let j = 0, n = X64 + 1 + groups.length; j < groups.length; j++) N.push(groups[j].indexed ? n++ : -1);
  const locals: [number, number][] = [[nT + 4 + slotLocal.size, I32], [1, I64], [groups.length + N.filter((x) => x >= 0).length, I32]];
  const tlbBase = (mmu: number) => eo(inp.tlbDelta + mmu * inp.tlbIdxBytes);
  // E = ((addr >>> 12) & (TLB_ENTRIES-1)) * 16 (+ env when it is not a constant); `addr` pushes the address
  const tlbEntry = (addr: () => void) => {
    if (FIX === null) c.get(ENV);
    addr();
    c.i32(PAGE_BITS - Math.log2(TLB_ENTRY_BYTES)).op(W.i32_shr_u).i32(((1 << TLB_BITS) - 1) * TLB_ENTRY_BYTES).op(W.i32_and);
    if (FIX === null) c.op(W.i32_add);
    c.set(E);
  };
  const probeGroups = () => {
    groups.forEach((g, j) => {
      const base = tlbBase(g.mmu), reg = slotLocal.get(g.slot)!;
      if (g.indexed) {
        c.i32(0).set(N[j]);
        // the base aligned to the access size
        c.get(reg).tee(A);
        if (g.align > 1) c.i32(g.align - 1).op(W.i32_and).op(W.i32_eqz);
        else c.op(W.drop).i32(1);
      } else {
        c.i32(1).set(G[j]);
        // the group's lowest and highest byte on one page, the base aligned to the widest access
        c.get(reg).i32(g.lo).op(W.i32_add).tee(A).get(A).i32(g.span).op(W.i32_add).op(W.i32_xor)
          .i32(PAGE_MASK).op(W.i32_and).op(W.i32_eqz);
        if (g.align > 1) c.get(reg).i32(g.align - 1).op(W.i32_and).op(W.i32_eqz).op(W.i32_and);
      }
      c.op(W.if_).u8(0x40);
      tlbEntry(() => c.get(A));
      // plain RAM for every kind of access in the group: the tags are the bare page
      const tagOk = (word: number) => c.get(E).mem(W.i32_load, 2, base + word).get(A).i32(PAGE_MASK).op(W.i32_and).op(W.i32_eq);
      if (g.loads) tagOk(0);
      if (g.stores) { tagOk(4); if (g.loads) c.op(W.i32_and); }
      c.op(W.if_).u8(0x40).get(E).mem(W.i32_load, 2, base + 12).set(G[j]);
      if (g.indexed) c.i32(1 << PAGE_BITS).get(A).i32(~PAGE_MASK).op(W.i32_and).op(W.i32_sub).i32(Math.log2(g.align)).op(W.i32_shr_u).set(N[j]);
      c.op(W.end);
      c.op(W.end);
    });
  };
  const storeBudget = () => { envBase().get(BUD).mem(W.i32_store, 2, eo(ENV_BUDGET)); };
  const loadBudget = () => { ldEnv(ENV_BUDGET).set(BUD); };
  // Both come out the same every time in a region (and there are many exits and
  // helper calls): emit once, then copy the bytes.
  const once = (emit: () => void) => {
    let bytes: Uint8Array | null = null;
    return () => {
      if (bytes !== null) { c.bytes(bytes); return; }
      const at = c.n;
      emit();
      bytes = c.buf.slice(at);
    };
  };
  const writeBack = once(() => {
    for (const off of written) envBase().get(slotLocal.get(off)!).mem(W.i32_store, 2, eo(off));
    storeBudget();
  });
  const reload = once(() => { for (const [off, l] of slotLocal) ldEnv(off).set(l); loadBudget(); probeGroups(); });
  // Branch hints: slow paths (TLB misses, faults, spent budgets) are unlikely.
  const hints: number[] = [];
  const likely = () => { hints.push(c.n, 1); };
  const unlikely = () => { hints.push(c.n, 0); };
  const member = memberLookup(tbs);
  const succ = tbs.map((t) => regionSuccessors(t, member));
  const targets = succ.map((x) => x.goto);
  const selfLoop = targets.map((ts, k) => ts.includes(k));
  // How each branch between members is made: forward out of blocks, to a member's own
  // loop, to the head's loop, or (back edges to other members) through the dispatch.
  const edgeKind = (k: number, j: number): 'fwd' | 'self' | 'head' | 'dispatch' =>
    j > k ? 'fwd' : j === k && selfLoop[k] ? 'self' : j === 0 ? 'head' : 'dispatch';
  const kinds = succ.flatMap((x, k) => [...x.goto, ...x.ind].filter((j) => j >= 0).map((j) => edgeKind(k, j)));
  // Entering at another member than the head goes through the dispatch too.
  const dispatch = multiEntry || kinds.includes('dispatch');
  const headLoop = dispatch || kinds.includes('head');

  // Prologue: pay for the entry TB's instructions, leave when the slice is spent.
  loadBudget();
  c.get(BUD).i32(0).op(W.i32_le_s); unlikely(); c.op(W.if_).u8(0x40).i32(EXIT_BUDGET).op(W.return_).op(W.end);
  if (multiEntry) c.get(BUD).get(2).op(W.i32_sub).set(BUD).get(1).set(IDX);
  else c.get(BUD).i32(tbs[0].icount).op(W.i32_sub).set(BUD);
  for (const [off, l] of slotLocal) ldEnv(off).set(l);
  probeGroups();
  // open[] names every block/loop between the current position and the function body, innermost last.
  const open: string[] = [];
  // Memory-access faults leave through one shared exit: the slow path records the
  // exception and returns; the code branches here, writes the state back once and returns.
  c.op(W.block).u8(0x40); open.push('fault');
  if (headLoop) { c.op(W.loop).u8(0x40); open.push('loop'); }
  for (let k = tbs.length - 1; k >= 1; k--) { c.op(W.block).u8(0x40); open.push(`case${k}`); }
  if (dispatch) {
    // The head is the usual target; other members go through a br_table.
    c.op(W.block).u8(0x40); open.push('case0');
    c.get(IDX).op(W.i32_eqz); likely(); c.op(W.br_if).u32(0);
    c.get(IDX).op(W.br_table).u32(tbs.length);
    for (let k = 0; k < tbs.length; k++) c.u32(depthOf(`case${k}`));
    c.u32(depthOf('case0')); // default
    c.op(W.end); open.pop();
  }
  function depthOf(name: string): number { return open.length - 1 - open.lastIndexOf(name); }

  // Every way into a member (entry, branch, checked indirect branch) has set the pc to the
  // member's own: saying so at its start kills the pc's phi at each merge and the stores
  // of constant pcs before branches inside the region.
  const pcLocal = inp.pcSlot != null ? slotLocal.get(inp.pcSlot) : undefined;
  for (let k = 0; k < tbs.length; k++) {
    if (k > 0) { c.op(W.end); if (open.pop() !== `case${k}`) throw new Error('wasm backend: region blocks out of order'); }
    if (selfLoop[k]) { c.op(W.loop).u8(0x40); open.push(`self${k}`); }
    if (pcLocal !== undefined && (headLoop || selfLoop[k])) c.i32(tbs[k].pc).set(pcLocal);
    emitTB(tbs[k], k);
    if (selfLoop[k]) { c.op(W.end); open.pop(); }
  }
  if (headLoop) { c.op(W.end); open.pop(); }
  c.op(W.unreachable);
  c.op(W.end); open.pop();
  writeBack();
  c.i32(EXIT_FAULT).op(W.return_);
  return { locals, code: c, hints, order: tbs, multiEntry };

  /** Leave the region with EXIT_BUDGET (env's pc already names the next TB) when the slice is spent. */
  function budgetCheck(): void {
    c.get(BUD).i32(0).op(W.i32_le_s); unlikely(); c.op(W.if_).u8(0x40);
    writeBack();
    c.i32(EXIT_BUDGET).op(W.return_).op(W.end);
  }

  /** A branch from member k to member j: pay for j and go there. */
  function branchTo(k: number, j: number): void {
    c.get(BUD).i32(tbs[j].icount).op(W.i32_sub).set(BUD);
    switch (edgeKind(k, j)) {
      case 'fwd': c.op(W.br).u32(depthOf(`case${j}`)); break;
      case 'self': c.op(W.br).u32(depthOf(`self${k}`)); break;
      default: if (dispatch) c.i32(j).set(IDX); c.op(W.br).u32(depthOf('loop'));
    }
  }

  /**
   * An indirect branch (a switch through a jump table, a return) whose
   * targets were seen to be members: when pc and flags name one, branch to it
   * inside the function; anything else falls through to the jump-table lookup.
   */
  function indirectInRegion(k: number, PC: number, FL: number): void {
    const all = [...new Set(succ[k].ind)].sort((x, y) => tbs[x].pc - tbs[y].pc);
    const samePage = (j: number) => ((tbs[j].pc ^ tbs[k].pc) & PAGE_MASK) === 0;
    const cands = all.filter(samePage);
    c.op(W.block).u8(0x40); open.push('ind');
    c.get(FL).i32(tbs[0].flags).op(W.i32_ne).op(W.br_if).u32(depthOf('ind'));
    // Members on other pages: the TLB must still map their page where they were translated
    // from (a changed mapping or a flush sends the branch to the jump table).
    for (const j of all.filter((x) => !samePage(x))) {
      const m = tbs[j];
      c.get(PC).i32(m.pc).op(W.i32_eq).op(W.if_).u8(0x40); open.push('if');
      const entry = inp.tlbDelta + (m.fetchMmu ?? 0) * inp.tlbIdxBytes + (((m.pc >>> PAGE_BITS) & ((1 << TLB_BITS) - 1)) * TLB_ENTRY_BYTES);
      envBase().mem(W.i32_load, 2, eo(entry + 8)).i32(m.pc & PAGE_MASK).op(W.i32_eq);
      envBase().mem(W.i32_load, 2, eo(entry + 12)).i32(((m.hostPc ?? 0) - m.pc) | 0).op(W.i32_eq).op(W.i32_and);
      c.op(W.if_).u8(0x40); open.push('if');
      budgetCheck();
      branchTo(k, j);
      c.op(W.end); open.pop();
      c.op(W.end); open.pop();
    }
    if (cands.length) {
      c.get(PC).i32(tbs[k].pc).op(W.i32_xor).i32(PAGE_MASK).op(W.i32_and).op(W.br_if).u32(depthOf('ind'));
      dispatchTo(k, PC, cands, 'ind');
    }
    c.op(W.end); open.pop();
  }

  /** Branch to whichever of the members `cands` has pc PC; when none has, leave block `out`. */
  function dispatchTo(k: number, PC: number, cands: number[], out: string): void {
    budgetCheck();
    const lo = tbs[cands[0]].pc, span = tbs[cands[cands.length - 1]].pc - lo;
    // The widest shift that keeps the candidates apart: x86 targets are byte-aligned but rarely
    // closer than a few bytes, and each case checks the exact pc anyway.
    let shift = 0;
    for (let s = 6; s > 0 && shift === 0; s--) {
      const seen = new Set<number>();
      for (const j of cands) seen.add((tbs[j].pc - lo) >>> s);
      if (seen.size === cands.length) shift = s;
    }
    if (cands.length <= 3 || (span >>> shift) >= 1024) {
      for (const j of cands) {
        c.get(PC).i32(tbs[j].pc).op(W.i32_eq).op(W.if_).u8(0x40); open.push('if');
        branchTo(k, j);
        c.op(W.end); open.pop();
      }
    } else {
      // br_table over (pc - lowest) >> shift; each case checks the exact pc (the shift drops low bits).
      for (let i = cands.length - 1; i >= 0; i--) { c.op(W.block).u8(0x40); open.push(`c${i}`); }
      const n = (span >>> shift) + 1;
      c.get(PC).i32(lo).op(W.i32_sub).i32(shift).op(W.i32_shr_u).op(W.br_table).u32(n);
      for (let x = 0; x < n; x++) {
        const i = cands.findIndex((j) => (tbs[j].pc - lo) >>> shift === x);
        c.u32(i >= 0 ? depthOf(`c${i}`) : depthOf(out));
      }
      c.u32(depthOf(out));
      for (let i = 0; i < cands.length; i++) {
        c.op(W.end); open.pop();
        c.get(PC).i32(tbs[cands[i]].pc).op(W.i32_ne).op(W.br_if).u32(depthOf(out));
        branchTo(k, cands[i]);
      }
    }
  }

  function emitTB(tb: RegionTB, k: number): void {
    const code = tb.code;
    // Forward-only labels become nested blocks opened at the TB's start.
    const labelPos = new Map<number, number>();
    for (let i = 0; i < code.length; i += OP_WORDS) if (code[i] === Op.LABEL) labelPos.set(code[i + 1], i);
    const order = [...labelPos.entries()].sort((a, b) => a[1] - b[1]).map(([l]) => l);
    for (let j = order.length - 1; j >= 0; j--) { c.op(W.block).u8(0x40); open.push(`L${k}.${order[j]}`); }
    const depth = (l: number, at: number): number => {
      if ((labelPos.get(l) ?? -1) <= at) throw new Error('wasm backend: backward branch in IR');
      return depthOf(`L${k}.${l}`);
    };
    const exitAs = () => envBase().i32(tb.id).mem(W.i32_store, 2, eo(ENV_LAST_TB));

    let insnPc = 0, insnExtra = 0;
    const fw = forwardTemps(code, tb.nTemps, (off) => slotLocal.get(off)!, T);
    c.fwdKind = fw.kind; c.fwdVal = fw.val; c.tempBase = P;
    const get = (t: number) => (t < 0 ? c.i32(0) : c.tget(t));
    for (let i = 0; i < code.length; i += OP_WORDS) {
      const op = code[i] as Op, a1 = code[i + 1], a2 = code[i + 2], a3 = code[i + 3], a4 = code[i + 4], a5 = code[i + 5], a6 = code[i + 6];
      switch (op) {
        case Op.MOVI: if (fw.kind[a1] !== FWD_CONST) c.i32(a2).set(T(a1)); break;
        case Op.MOV: if (fw.kind[a1] === FWD_NONE) c.tget(a2).set(T(a1)); break;
        case Op.ADD: case Op.SUB: case Op.AND: case Op.OR: case Op.XOR: case Op.SHL: case Op.SHR: case Op.SAR: case Op.ROTR: case Op.MUL: {
          c.tget(a2).tget(a3).op(BINOP[op]).set(T(a1));
          break;
        }
        case Op.ANDC: c.tget(a2).tget(a3).i32(-1).op(W.i32_xor).op(W.i32_and).set(T(a1)); break;
        case Op.NOT: c.tget(a2).i32(-1).op(W.i32_xor).set(T(a1)); break;
        case Op.NEG: c.i32(0).tget(a2).op(W.i32_sub).set(T(a1)); break;
        case Op.CLZ: c.tget(a2).op(W.i32_clz).set(T(a1)); break;
        case Op.EXT8S: c.tget(a2).op(W.i32_extend8_s).set(T(a1)); break;
        case Op.EXT16S: c.tget(a2).op(W.i32_extend16_s).set(T(a1)); break;
        case Op.EXT8U: c.tget(a2).i32(0xff).op(W.i32_and).set(T(a1)); break;
        case Op.EXT16U: c.tget(a2).i32(0xffff).op(W.i32_and).set(T(a1)); break;
        case Op.BSWAP32:
          c.tget(a2).i32(0xff00ff00 | 0).op(W.i32_and).i32(8).op(W.i32_rotl);
          c.tget(a2).i32(0x00ff00ff).op(W.i32_and).i32(8).op(W.i32_rotr).op(W.i32_or).set(T(a1));
          break;
        case Op.DIVU: case Op.REMU:
          c.tget(a3).op(W.i32_eqz).op(W.if_).u8(I32);
          if (op === Op.DIVU) c.i32(0); else c.tget(a2);
          c.op(W.else_).tget(a2).tget(a3).op(op === Op.DIVU ? W.i32_div_u : W.i32_rem_u).op(W.end).set(T(a1));
          break;
        case Op.DIVS:
          c.tget(a3).op(W.i32_eqz).op(W.if_).u8(I32).i32(0).op(W.else_);
          c.tget(a2).i32(0x80000000 | 0).op(W.i32_eq).tget(a3).i32(-1).op(W.i32_eq).op(W.i32_and);
          c.op(W.if_).u8(I32).tget(a2).op(W.else_).tget(a2).tget(a3).op(W.i32_div_s).op(W.end);
          c.op(W.end).set(T(a1));
          break;
        case Op.REMS:
          c.tget(a3).op(W.i32_eqz).op(W.if_).u8(I32).tget(a2).op(W.else_).tget(a2).tget(a3).op(W.i32_rem_s).op(W.end).set(T(a1));
          break;
        case Op.MULU2: case Op.MULS2: {
          const ext = op === Op.MULU2 ? W.i64_extend_i32_u : W.i64_extend_i32_s;
          c.tget(a3).op(ext).tget(a4).op(ext).op(W.i64_mul).tee(X64).op(W.i32_wrap_i64).set(T(a1));
          c.get(X64).u8(W.i64_const).s64(32n).op(W.i64_shr_u).op(W.i32_wrap_i64).set(T(a2));
          break;
        }
        case Op.ADD2: case Op.SUB2: {
          const pair = (lo: number, hi: number) => {
            c.tget(lo).op(W.i64_extend_i32_u).tget(hi).op(W.i64_extend_i32_u).u8(W.i64_const).s64(32n).op(W.i64_shl).op(W.i64_or);
          };
          pair(a3, a4); pair(a5, a6);
          c.op(op === Op.ADD2 ? W.i64_add : W.i64_sub).tee(X64).op(W.i32_wrap_i64).set(T(a1));
          c.get(X64).u8(W.i64_const).s64(32n).op(W.i64_shr_u).op(W.i32_wrap_i64).set(T(a2));
          break;
        }
        case Op.SETCOND: cmp(c, a4, a2, a3); c.set(T(a1)); break;
        case Op.MOVCOND: c.tget(a4).tget(a5); cmp(c, a6, a2, a3); c.op(W.select).set(T(a1)); break;
        case Op.LD_ENV: if (fw.kind[a1] !== FWD_LOCAL) c.get(slotLocal.get(a2)!).set(T(a1)); break;
        case Op.ST_ENV: c.tget(a1).set(slotLocal.get(a2)!); break;
        case Op.QLD: case Op.QST: {
          const mop = a3;
          const sz = mop & MemOp.SIZE_MASK, mmu = mop >> MemOp.MMU_SHIFT;
          const ldOp = sz === 2 ? W.i32_load : sz === 1 ? W.i32_load16_u : W.i32_load8_u;
          const stOp = sz === 2 ? W.i32_store : sz === 1 ? W.i32_store16 : W.i32_store8;
          const grp = groupOf[k][i / OP_WORDS];
          if (grp >= 0) {
            if (groups[grp].indexed) {
              // (addr - base) rotated right by log2(size) is a slot number only when the offset is
              // aligned; below N it is on the base's page.
              c.tget(a2).get(slotLocal.get(groups[grp].slot)!).op(W.i32_sub);
              if (sz > 0) c.i32(sz).op(W.i32_rotr);
              c.get(N[grp]).op(W.i32_lt_u); likely();
            } else {
              // The group's probe passed: this access is on its page.
              c.get(G[grp]).i32(1).op(W.i32_and).op(W.i32_eqz); likely();
            }
            c.op(W.if_).u8(op === Op.QLD ? I32 : 0x40); open.push('grp');
            c.tget(a2).get(G[grp]).op(W.i32_add);
            if (op === Op.QLD) c.mem(ldOp, sz, 0); else c.tget(a1).mem(stOp, sz, 0);
            c.op(W.else_);
          }
          const base = tlbBase(mmu);
          tlbEntry(() => c.tget(a2).tee(A));
          c.get(E).mem(W.i32_load, 2, base + (op === Op.QLD ? 0 : 4)).get(A).i32(PAGE_MASK | ((1 << sz) - 1)).op(W.i32_and).op(W.i32_eq);
          const slowMop = mop | (insnExtra << 16);
          likely();
          // The slow path may run devices that request an exit (they spend the budget in env).
          if (op === Op.QLD) {
            c.op(W.if_).u8(I32);
            c.get(A).get(E).mem(W.i32_load, 2, base + 12).op(W.i32_add).mem(ldOp, sz, 0);
            c.op(W.else_); storeBudget();
            envBase().get(A).i32(slowMop).i32(insnPc).u8(W.call).u32(IMP_SLOW_LD);
            loadBudget();
            ldEnv(ENV_FAULTED); unlikely(); c.op(W.br_if).u32(open.length).op(W.end);
            if (grp >= 0) { c.op(W.end); open.pop(); }
            if (mop & MemOp.SIGN) { if (sz === 0) c.op(W.i32_extend8_s); else if (sz === 1) c.op(W.i32_extend16_s); }
            c.set(T(a1));
          } else {
            c.op(W.if_).u8(0x40);
            c.get(A).get(E).mem(W.i32_load, 2, base + 12).op(W.i32_add).tget(a1).mem(stOp, sz, 0);
            c.op(W.else_); storeBudget();
            envBase().get(A).tget(a1).i32(slowMop).i32(insnPc).u8(W.call).u32(IMP_SLOW_ST);
            loadBudget();
            ldEnv(ENV_FAULTED); unlikely(); c.op(W.br_if).u32(open.length).op(W.end);
            if (grp >= 0) { c.op(W.end); open.pop(); }
          }
          break;
        }
        case Op.BR: c.op(W.br).u32(depth(a1, i)); break;
        case Op.BRCOND: cmp(c, a3, a1, a2); c.op(W.br_if).u32(depth(a4, i)); break;
        case Op.LABEL:
          if (open[open.length - 1] !== `L${k}.${a1}`) throw new Error('wasm backend: labels out of order');
          open.pop();
          c.op(W.end);
          break;
        case Op.CALL:
          writeBack();
          envBase().i32(insnPc).mem(W.i32_store, 2, eo(ENV_FAULT_PC));
          envBase().i32(insnExtra).mem(W.i32_store, 2, eo(ENV_FAULT_EXTRA));
          get(a3); get(a4); get(a5); get(a6);
          c.u8(W.call).u32(inp.helperImport(a1));
          if (a2 >= 0) c.set(T(a2)); else c.op(W.drop);
          reload(); // helpers may change any guest state
          break;
        case Op.INSN_START: insnPc = a1; insnExtra = a2; break;
        case Op.GOTO_TB: {
          const j = targets[k][a1];
          if (j >= 0) {
            // A back edge is the only way round, so the place to stop when the slice is spent.
            if (j <= k) budgetCheck();
            branchTo(k, j);
            break;
          }
          writeBack(); exitAs(); envBase().i32(tb.slot + a1).u8(W.return_call_indirect).u32(TYPE_TB).u32(0); break;
        }
        case Op.LOOKUP_TB: {
          if (a1 >= 0 && a2 >= 0 && succ[k].ind.length > 0) indirectInRegion(k, T(a1), T(a2));
          writeBack(); exitAs();
          // The next pc and flags: from the IR where the translator knew them; else (mode
          // changes, exception returns) asked of the CPU, which answers -1 when cpu_exec must
          // look first (an interrupt may now be deliverable).
          const PC = a1 >= 0 ? T(a1) : A, FL = a2 >= 0 ? T(a2) : IDX;
          if (a1 < 0) c.i32(0).i32(0).i32(0).i32(0).u8(W.call).u32(inp.helperImport(HELPER_NEXT_PC)).set(A);
          if (a2 < 0) {
            c.i32(0).i32(0).i32(0).i32(0).u8(W.call).u32(inp.helperImport(HELPER_NEXT_FLAGS)).tee(IDX)
              .i32(0).op(W.i32_lt_s).op(W.if_).u8(0x40).i32(2).op(W.return_).op(W.end);
          }
          // E = jumpTable + jtIndex(pc) * 16; hit when both pc and flags match
          // jtIndex(pc) * 16 = ((pc >>> 12) & 63) << 14 | (pc & 0xffc) << 2
          c.get(PC).i32(12).op(W.i32_shr_u).i32(63).op(W.i32_and).i32(14).op(W.i32_shl)
            .get(PC).i32(0xffc).op(W.i32_and).i32(2).op(W.i32_shl).op(W.i32_or).set(E);
          // flags in the entry carry the table's generation in bits 24-31 (see WasmBackend.clearJumpTable)
          c.get(E).mem(W.i32_load, 2, inp.jumpTable).get(PC).op(W.i32_eq)
            .get(E).mem(W.i32_load, 2, inp.jumpTable + 4).get(FL)
            .i32(0).mem(W.i32_load, 2, inp.jumpTable + JT_ENTRIES * JT_ENTRY_BYTES).i32(24).op(W.i32_shl).op(W.i32_or)
            .op(W.i32_eq).op(W.i32_and);
          likely(); c.op(W.if_).u8(0x40); envBase().get(E).mem(W.i32_load, 2, inp.jumpTable + 8).u8(W.return_call_indirect).u32(TYPE_TB).u32(0).op(W.end);
          c.i32(2).op(W.return_);
          break;
        }
        case Op.EXIT_TB: writeBack(); exitAs(); c.i32(3).op(W.return_); break;
        default: throw new Error(`wasm backend: op ${op} not supported`);
      }
    }
    if (open[open.length - 1]?.startsWith(`L${k}.`)) throw new Error('wasm backend: unclosed label');
    c.op(W.unreachable);
  }
}

/**
 * A TB's branches to region members: per goto_tb exit number the member it
 * reaches (-1: it leaves the region), and the members its indirect branches
 * were seen to reach.
 */
function regionSuccessors(tb: RegionTB, member: (pc: number, flags: number) => number): { goto: number[]; ind: number[] } {
  const t = [-1, -1];
  const code = tb.code;
  for (let i = 0; i < code.length; i += OP_WORDS) if (code[i] === Op.GOTO_TB && code[i + 2] !== -1) t[code[i + 1]] = member(code[i + 2], tb.flags);
  return { goto: t, ind: (tb.indirect ?? []).map((pc) => member(pc, tb.flags)).filter((j) => j >= 0) };
}

/** The index of the member with this pc and flags (-1: none). */
function memberLookup(tbs: RegionTB[]): (pc: number, flags: number) => number {
  const idx = new Map<string, number>();
  tbs.forEach((t, k) => idx.set(`${t.pc}:${t.flags}`, k));
  return (pc, flags) => idx.get(`${pc}:${flags}`) ?? -1;
}

/** The members in depth-first (reverse post-) order from the head, so most branches between them go forward. */
function orderMembers(tbs: RegionTB[]): RegionTB[] {
  if (tbs.length <= 2) return tbs;
  const member = memberLookup(tbs);
  const seen = new Set<number>(), post: number[] = [];
  const visit = (k: number) => {
    seen.add(k);
    const x = regionSuccessors(tbs[k], member);
    for (const j of [...x.goto, ...x.ind]) if (j >= 0 && !seen.has(j)) visit(j);
    post.push(k);
  };
  visit(0);
  const order = post.reverse();
  for (let k = 0; k < tbs.length; k++) if (!seen.has(k)) order.push(k);
  return order.map((k) => tbs[k]);
}

/** Push `a cond b` for temps a and b. */
function cmp(c: LowerBytes, cond: number, a: number, b: number): void {
  if (cond === Cond.TSTEQ || cond === Cond.TSTNE) {
    c.tget(a).tget(b).op(W.i32_and);
    if (cond === Cond.TSTEQ) c.op(W.i32_eqz); else c.i32(0).op(W.i32_ne);
    return;
  }
  c.tget(a).tget(b).op(CMP[cond]);
}

/**
 * The function body, with reads of IR temps: a temp forwarded for the TB
 * being emitted (tcg/wasm/forward.ts) is read as its constant or source local.
 */
class LowerBytes extends Bytes {
  fwdKind: Uint8Array = new Uint8Array(0);
  fwdVal: Int32Array = new Int32Array(0);
  tempBase = 0;
  tget(t: number): this {
    const k = this.fwdKind[t];
    return k === FWD_CONST ? this.i32(this.fwdVal[t]) : this.get(k === FWD_LOCAL ? this.fwdVal[t] : this.tempBase + t);
  }
}

