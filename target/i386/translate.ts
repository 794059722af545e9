/**
 * The i386 translator (QEMU's target/i386/tcg/translate.c, much smaller):
 * prefixes, ModRM/SIB in 16- and 32-bit address modes, the one-byte and 0F
 * maps, lazy flags with inline conditions where CC_OP is known at translate
 * time. Common instructions become IR; system and rare ones call helpers.
 */
import { Cond, memop, type Temp } from '../../tcg/ir.js';
import type { IRBuilder, Label } from '../../tcg/builder.js';
import type { TranslateResult } from '../../tcg/cpu-exec.js';
import { HELPER_DEBUG, CF_COUNT_MASK, CF_NO_BP, GuestException } from '../../tcg/helpers.js';
import { PAGE_MASK, PAGE_BITS } from '../../softmmu/cputlb.js';
import type { X86CPU } from './cpu.js';
import * as S from './cpu-state.js';
import { CC, Excp } from './cpu-state.js';
import { H } from './helpers.js';

export const MAX_INSNS = 128;

const enum Jump { NEXT, JUMP, UPDATE_EXIT }

class UndefError { static readonly it = new UndefError(); }
class TooLong { static readonly it = new TooLong(); }

/** A decoded r/m operand: a register number or a linear address temp. */
interface RM { reg: number; addr: Temp }

export class Ctx {
  pc = 0;          // linear address of the instruction
  next = 0;        // linear address of the next byte to fetch
  isJmp = Jump.NEXT;
  ccOp: number = CC.DYNAMIC;
  page2: number | undefined;
  /** Instructions before this one in the TB, the TB's limit, debugger breakpoints (see flagsDeadAfter). */
  n = 0;
  maxInsns = 1;
  bps: Set<number> | null = null;
  // prefixes of the current instruction
  osz = 2;         // operand size log2 (1 or 2)
  asz32 = true;
  seg = -1;
  rep = 0;         // 0, 0xf2, 0xf3
  lock = false;
  readonly code32: boolean;
  readonly ss32: boolean;
  readonly addseg: boolean;
  readonly cpl: number;
  readonly pe: boolean;
  readonly vm: boolean;
  readonly csbase0: boolean;
  readonly mmuIdx: number;
  slotsUsed = 0;
  constructor(readonly cpu: X86CPU, readonly b: IRBuilder, readonly tbPc: number, readonly flags: number) {
    this.code32 = (flags & S.TBF_CODE32) !== 0;
    this.ss32 = (flags & S.TBF_SS32) !== 0;
    this.addseg = (flags & S.TBF_ADDSEG) !== 0;
    this.cpl = flags & S.TBF_CPL_MASK;
    this.pe = (flags & S.TBF_PE) !== 0;
    this.vm = (flags & S.TBF_VM) !== 0;
    this.csbase0 = (flags & S.TBF_CSBASE0) !== 0;
    this.mmuIdx = this.cpl === 3 ? S.MMU_USER : S.MMU_KERNEL;
  }

  /**
   * The next instruction will be translated into this TB, sets every
   * arithmetic flag without reading any, and cannot fault (register or
   * immediate operands): flags this instruction computes can never be seen,
   * not even by an interrupt (those come between TBs).
   */
  flagsDeadAfter(): boolean {
    const a = this.next;
    if (this.n + 1 >= this.maxInsns || ((a ^ this.tbPc) & PAGE_MASK) !== 0 || (((a + 1) ^ this.tbPc) & PAGE_MASK) !== 0) return false;
    if (this.bps?.has(a)) return false;
    const h = this.cpu.tlb.codeHost(a, this.cpu.fetchMmuIdx());
    if (h < 0) return false;
    const op = this.cpu.host.u8[h], m = this.cpu.host.u8[h + 1];
    if ((op & 0xc7) === 0x05 && op !== 0x15 && op !== 0x1d) return true;   // add/or/and/sub/xor/cmp eAX, imm
    if (m >> 6 !== 3) return false;
    if (op < 0x40 && (op & 0x04) === 0 && (op & 0x38) !== 0x10 && (op & 0x38) !== 0x18) return true; // ALU r/m, r (not adc/sbb)
    if (op === 0x84 || op === 0x85) return true;                                                      // test
    return op >= 0x80 && op <= 0x83 && op !== 0x82 && ((m >> 3) & 7) !== 2 && ((m >> 3) & 7) !== 3;  // ALU r/m, imm
  }

  // ---- fetch ----
  fetch8(): number {
    const a = this.next;
    if (((a - this.pc) >>> 0) >= 15) throw TooLong.it;
    const mmu = this.cpu.fetchMmuIdx();
    const h = this.cpu.tlb.codeHost(a, mmu);
    if (((a ^ this.tbPc) & PAGE_MASK) !== 0) this.page2 = this.cpu.tlb.lastCodePhys >>> PAGE_BITS;
    this.next = (a + 1) | 0;
    return h >= 0 ? this.cpu.host.u8[h] : this.cpu.tlb.codeIoRead(a, 1, mmu) & 0xff;
  }
  fetch16(): number { const l = this.fetch8(); return l | (this.fetch8() << 8); }
  fetch32(): number { const l = this.fetch16(); return (l | (this.fetch16() << 16)) | 0; }
  fetchS8(): number { return (this.fetch8() << 24) >> 24; }
  fetchImm(sz: number): number { return sz === 0 ? this.fetch8() : sz === 1 ? this.fetch16() : this.fetch32(); }
  fetchImmS(sz: number): number { return sz === 0 ? this.fetchS8() : sz === 1 ? (this.fetch16() << 16) >> 16 : this.fetch32(); }

  // ---- registers ----
  ldReg(n: number, sz = 2): Temp {
    const b = this.b;
    if (sz === 2) return b.ldEnv(S.R(n));
    if (sz === 1) return b.ext16u(b.ldEnv(S.R(n)));
    if (n < 4) return b.ext8u(b.ldEnv(S.R(n)));
    return b.ext8u(b.shri(b.ldEnv(S.R(n - 4)), 8));
  }
  stReg(n: number, sz: number, v: Temp): void {
    const b = this.b;
    if (sz === 2) { b.stEnv(S.R(n), v); return; }
    if (sz === 1) { b.stEnv(S.R(n), b.or(b.andi(b.ldEnv(S.R(n)), 0xffff0000), b.ext16u(v))); return; }
    if (n < 4) { b.stEnv(S.R(n), b.or(b.andi(b.ldEnv(S.R(n)), ~0xff), b.ext8u(v))); return; }
    b.stEnv(S.R(n - 4), b.or(b.andi(b.ldEnv(S.R(n - 4)), ~0xff00), b.shli(b.ext8u(v), 8)));
  }

  // ---- memory ----
  mop(sz: number, signed = false): number { return memop(sz, signed, this.mmuIdx); }
  ld(addr: Temp, sz: number): Temp { return this.b.qld(addr, this.mop(sz)); }
  st(addr: Temp, sz: number, v: Temp): void { this.b.qst(v, addr, this.mop(sz)); }

  /** Add the segment base of `seg` (override or default) to an offset. */
  addSeg(off: Temp, def: number): Temp {
    const seg = this.seg >= 0 ? this.seg : def;
    if (!this.addseg && (seg === S.DS || seg === S.ES || seg === S.SS)) return off;
    if (seg === S.CS && this.csbase0) return off;
    return this.b.add(off, this.b.ldEnv(S.SEG_BASE(seg)));
  }
  /** Linear address with no override applied (ES:EDI of string ops, SS of the stack). */
  addSegFixed(off: Temp, seg: number): Temp {
    if (!this.addseg && (seg === S.DS || seg === S.ES || seg === S.SS)) return off;
    return this.b.add(off, this.b.ldEnv(S.SEG_BASE(seg)));
  }

  /** Decode the memory operand of a ModRM byte: [offset temp, default segment]. */
  eaOffset(modrm: number): [Temp, number] {
    const b = this.b;
    const mod = modrm >>> 6, rm = modrm & 7;
    if (this.asz32) {
      let base = -1, index = -1, scale = 0, disp = 0, def = S.DS;
      if (rm === 4) {
        const sib = this.fetch8();
        scale = sib >>> 6; index = (sib >>> 3) & 7; base = sib & 7;
        if (index === 4) index = -1;
        if (base === 5 && mod === 0) { base = -1; disp = this.fetch32(); }
      } else if (rm === 5 && mod === 0) {
        disp = this.fetch32();
      } else base = rm;
      if (mod === 1) disp = this.fetchS8(); else if (mod === 2) disp = this.fetch32();
      if (base === 4 || base === 5) def = S.SS;
      let t: Temp = -1;
      if (base >= 0) t = b.ldEnv(S.R(base));
      if (index >= 0) { const i = b.shli(b.ldEnv(S.R(index)), scale); t = t < 0 ? i : b.add(t, i); }
      if (t < 0) return [b.const(disp), def];
      return [disp ? b.addi(t, disp) : t, def];
    }
    let disp = 0, t: Temp = -1, def = S.DS;
    if (mod === 0 && rm === 6) disp = this.fetch16();
    else {
      const r = (n: number) => b.ldEnv(S.R(n));
      switch (rm) {
        case 0: t = b.add(r(S.EBX), r(S.ESI)); break;
        case 1: t = b.add(r(S.EBX), r(S.EDI)); break;
        case 2: t = b.add(r(S.EBP), r(S.ESI)); def = S.SS; break;
        case 3: t = b.add(r(S.EBP), r(S.EDI)); def = S.SS; break;
        case 4: t = r(S.ESI); break;
        case 5: t = r(S.EDI); break;
        case 6: t = r(S.EBP); def = S.SS; break;
        default: t = r(S.EBX); break;
      }
      if (mod === 1) disp = this.fetchS8(); else if (mod === 2) disp = (this.fetch16() << 16) >> 16;
    }
    if (t < 0) return [b.const(disp & 0xffff), def];
    return [b.ext16u(disp ? b.addi(t, disp) : t), def];
  }

  modrm(modrm: number): RM {
    if ((modrm >>> 6) === 3) return { reg: modrm & 7, addr: -1 };
    const [off, def] = this.eaOffset(modrm);
    return { reg: -1, addr: this.addSeg(off, def) };
  }
  ldRM(o: RM, sz: number): Temp { return o.reg >= 0 ? this.ldReg(o.reg, sz) : this.ld(o.addr, sz); }
  stRM(o: RM, sz: number, v: Temp): void { if (o.reg >= 0) this.stReg(o.reg, sz, v); else this.st(o.addr, sz, v); }

  // ---- stack ----
  push(v: Temp, sz: number): void {
    const b = this.b;
    const esp = b.ldEnv(S.R(S.ESP));
    const n = b.addi(esp, -(1 << sz));
    const a = this.addSegFixed(this.ss32 ? n : b.ext16u(n), S.SS);
    this.st(a, sz, v);
    b.stEnv(S.R(S.ESP), this.ss32 ? n : b.or(b.andi(esp, 0xffff0000), b.ext16u(n)));
  }
  /** Load the top of stack (offset `skip` bytes further); the caller adjusts ESP with popAdjust. */
  peek(sz: number, skip = 0): Temp {
    const b = this.b;
    const esp = b.ldEnv(S.R(S.ESP));
    const o = skip ? b.addi(esp, skip) : esp;
    return this.ld(this.addSegFixed(this.ss32 ? o : b.ext16u(o), S.SS), sz);
  }
  popAdjust(bytes: number): void {
    const b = this.b;
    const esp = b.ldEnv(S.R(S.ESP));
    const n = b.addi(esp, bytes);
    b.stEnv(S.R(S.ESP), this.ss32 ? n : b.or(b.andi(esp, 0xffff0000), b.ext16u(n)));
  }
  pop(sz: number): Temp { const v = this.peek(sz); this.popAdjust(1 << sz); return v; }

  // ---- flags ----
  /**
   * Record the instruction's lazy flags. They reach the state block only at
   * the end of the instruction (flushCC), after its memory stores, so a store
   * that faults leaves the flags the instruction started with (an ADC to a
   * page that faults must read the same CF when it restarts).
   */
  setCC(op: number, dst: Temp, src: Temp = -1, src2: Temp = -1): void {
    this.pendingCC = [op, dst, src, src2];
    this.ccOp = op;
  }
  pendingCC: [number, Temp, Temp, Temp] | null = null;
  flushCC(): void {
    const p = this.pendingCC;
    if (p === null) return;
    this.pendingCC = null;
    const b = this.b;
    b.stEnvi(S.CC_OP, p[0]);
    b.stEnv(S.CC_DST, p[1]);
    if (p[2] >= 0) b.stEnv(S.CC_SRC, p[2]);
    if (p[3] >= 0) b.stEnv(S.CC_SRC2, p[3]);
  }
  /** The arithmetic flags as a value (helper unless CC_OP says EFLAGS). */
  eflags(): Temp {
    this.flushCC();
    if (this.ccOp === CC.EFLAGS) return this.b.ldEnv(S.CC_SRC);
    return this.b.call(H.ccCompute);
  }
  /** Store arithmetic flags `f` (CC_OP = EFLAGS). */
  setFlags(f: Temp): void {
    this.pendingCC = [CC.EFLAGS, this.b.const(0), f, -1];
    this.ccOp = CC.EFLAGS;
  }
  cf(): Temp {
    const [c, x, y] = this.cond(2);
    return this.b.setcond(c, x, y);
  }

  /** Condition code `cc` (Jcc low nibble) as a comparison that holds when the condition does. */
  cond(cc: number): [Cond, Temp, Temp] {
    this.flushCC();
    const b = this.b;
    const inv = (cc & 1) !== 0, base = cc >> 1;
    const op = this.ccOp;
    let r: [Cond, Temp, Temp] | null = null;
    if (op >= CC.ROLB && op < CC.COUNT && base === 1) {
      // lazy ROL/ROR: CF is the result's low (ROL) or top (ROR) bit
      const s = (op - CC.ROLB) % 3;
      r = [Cond.TSTNE, b.ldEnv(S.CC_DST), b.const(op >= CC.RORB ? [0x80, 0x8000, 0x80000000][s] | 0 : 1)];
    } else if (op >= CC.ADDB && op < CC.ROLB) {
      const kind = Math.floor((op - 1) / 3) * 3 + 1, s = (op - 1) % 3;
      const ext = (t: Temp) => (s === 0 ? b.ext8u(t) : s === 1 ? b.ext16u(t) : t);
      const sext = (t: Temp) => (s === 0 ? b.ext8s(t) : s === 1 ? b.ext16s(t) : t);
      const zero = () => b.const(0);
      if (kind === CC.SUBB && (base === 1 || base === 3 || base === 6 || base === 7)) {
        const dst = b.ldEnv(S.CC_DST), src = b.ldEnv(S.CC_SRC);
        const src1 = b.add(dst, src);
        switch (base) {
          case 1: r = [Cond.LTU, ext(src1), ext(src)]; break;
          case 3: r = [Cond.LEU, ext(src1), ext(src)]; break;
          case 6: r = [Cond.LT, sext(src1), sext(src)]; break;
          default: r = [Cond.LE, sext(src1), sext(src)]; break;
        }
      } else if (kind === CC.LOGICB && (base === 0 || base === 1 || base === 3 || base === 6 || base === 7)) {
        const dst = b.ldEnv(S.CC_DST);
        switch (base) {
          case 0: case 1: r = [Cond.NE, zero(), zero()]; break; // OF, CF clear
          case 3: r = [Cond.EQ, ext(dst), zero()]; break;
          case 6: r = [Cond.LT, sext(dst), zero()]; break;
          default: r = [Cond.LE, sext(dst), zero()]; break;
        }
      } else if (base === 1 && (kind === CC.ADCB || kind === CC.SBBB)) {
        // carry chains: CF = carry-in ? a <= b : a < b
        const dst = b.ldEnv(S.CC_DST), src = b.ldEnv(S.CC_SRC), c2 = b.ldEnv(S.CC_SRC2);
        const a = ext(kind === CC.ADCB ? dst : b.add(b.add(dst, src), c2)), v = ext(src);
        r = [Cond.NE, b.movcond(Cond.NE, c2, zero(), b.setcond(Cond.LEU, a, v), b.setcond(Cond.LTU, a, v)), zero()];
      } else if (base === 1 && kind !== CC.SUBB && kind !== CC.LOGICB && kind < CC.INCLB) {
        const src = b.ldEnv(S.CC_SRC);
        switch (kind) {
          case CC.ADDB: r = [Cond.LTU, ext(b.ldEnv(S.CC_DST)), ext(src)]; break;
          case CC.INCB: case CC.DECB: r = [Cond.TSTNE, src, b.const(1)]; break;
          case CC.SHLB: r = [Cond.TSTNE, src, b.const([0x80, 0x8000, 0x80000000][s] | 0)]; break;
          case CC.SARB: r = [Cond.TSTNE, src, b.const(1)]; break;
          default: r = [Cond.NE, src, zero()]; break; // MUL
        }
      } else if (base === 2 || base === 4) {
        const dst = b.ldEnv(S.CC_DST);
        r = base === 2 ? [Cond.EQ, ext(dst), zero()] : [Cond.LT, sext(dst), zero()];
      }
    }
    if (r === null) {
      const f = this.eflags();
      switch (base) {
        case 0: r = [Cond.TSTNE, f, b.const(S.OF)]; break;
        case 1: r = [Cond.TSTNE, f, b.const(S.CF)]; break;
        case 2: r = [Cond.TSTNE, f, b.const(S.ZF)]; break;
        case 3: r = [Cond.TSTNE, f, b.const(S.CF | S.ZF)]; break;
        case 4: r = [Cond.TSTNE, f, b.const(S.SF)]; break;
        case 5: r = [Cond.TSTNE, f, b.const(S.PF)]; break;
        case 6: r = [Cond.TSTNE, b.xor(f, b.shri(f, 4)), b.const(S.SF)]; break;
        default: r = [Cond.NE, b.or(b.andi(b.xor(f, b.shri(f, 4)), S.SF), b.andi(f, S.ZF)), b.const(0)]; break;
      }
    }
    if (inv) r[0] = invCond(r[0]);
    return r;
  }

  // ---- control flow ----
  /** EIP of a constant linear address. */
  eipOf(lin: number): Temp {
    if (this.csbase0) return this.b.const(lin);
    return this.b.sub(this.b.const(lin), this.b.ldEnv(S.SEG_BASE(S.CS)));
  }
  nextFlags(): number { return this.flags & ~(S.TBF_INHIBIT); }

  /** Jump to the linear address `lin` computed as next + displacement (wrapping IP in 16-bit code). */
  gotoLin(lin: number): void {
    this.flushCC();
    const b = this.b;
    if (!this.code32) {
      if (this.csbase0) lin &= 0xffff;
      else {
        const cb = b.ldEnv(S.SEG_BASE(S.CS));
        const pc = b.add(cb, b.ext16u(b.sub(b.const(lin), cb)));
        const fast = b.label();
        b.brcond(Cond.EQ, pc, b.const(lin), fast);
        b.stEnv(S.PC, pc);
        b.lookupTb(pc, b.const(this.nextFlags()));
        b.setLabel(fast);
      }
    }
    b.stEnvi(S.PC, lin);
    const nf = this.nextFlags();
    if (((lin ^ this.tbPc) & PAGE_MASK) === 0 && nf === this.flags && this.slotsUsed < 2 && (this.flags & S.TBF_TF) === 0) {
      b.gotoTb(this.slotsUsed++, lin);
    } else b.lookupTb(b.const(lin), b.const(nf));
    this.isJmp = Jump.JUMP;
  }
  /** Jump to EIP value `eip` (a temp, already sized). */
  jumpEip(eip: Temp): void {
    this.flushCC();
    const b = this.b;
    const pc = this.csbase0 ? eip : b.add(eip, b.ldEnv(S.SEG_BASE(S.CS)));
    b.stEnv(S.PC, pc);
    if (this.flags & S.TBF_TF) b.lookupTb(); else b.lookupTb(pc, b.const(this.nextFlags()));
    this.isJmp = Jump.JUMP;
  }

  /** Raise exception `e` at this instruction. */
  exception(e: number, code = -1): void {
    this.b.callVoid(H.raise, this.b.const(e), this.b.const(code));
    this.b.lookupTb();
    this.isJmp = Jump.JUMP;
  }
  /** Store PC = the next instruction before a helper that may leave or look at it. */
  syncNext(): void { this.b.stEnvi(S.PC, this.next); }
  syncPc(): void { this.b.stEnvi(S.PC, this.pc); }
  /** End the TB after this instruction, back to cpu_exec (TB flags or interrupt state may have changed). */
  endTb(): void { this.isJmp = Jump.UPDATE_EXIT; }
}

function invCond(c: Cond): Cond {
  switch (c) {
    case Cond.EQ: return Cond.NE; case Cond.NE: return Cond.EQ;
    case Cond.LT: return Cond.GE; case Cond.GE: return Cond.LT;
    case Cond.LE: return Cond.GT; case Cond.GT: return Cond.LE;
    case Cond.LTU: return Cond.GEU; case Cond.GEU: return Cond.LTU;
    case Cond.LEU: return Cond.GTU; case Cond.GTU: return Cond.LEU;
    case Cond.TSTEQ: return Cond.TSTNE; default: return Cond.TSTEQ;
  }
}

// ---------------------------------------------------------------- ALU

/** op: 0 ADD 1 OR 2 ADC 3 SBB 4 AND 5 SUB 6 XOR 7 CMP. Returns the result (not stored). */
function alu(ctx: Ctx, op: number, sz: number, a: Temp, v: Temp): Temp {
  const b = ctx.b;
  let r: Temp;
  switch (op) {
    case 0: r = b.add(a, v); ctx.setCC(CC.ADDB + sz, r, v); break;
    case 1: r = b.or(a, v); ctx.setCC(CC.LOGICB + sz, r); break;
    case 2: { const c = ctx.cf(); r = b.add(b.add(a, v), c); ctx.setCC(CC.ADCB + sz, r, v, c); break; }
    case 3: { const c = ctx.cf(); r = b.sub(b.sub(a, v), c); ctx.setCC(CC.SBBB + sz, r, v, c); break; }
    case 4: r = b.and(a, v); ctx.setCC(CC.LOGICB + sz, r); break;
    case 6: r = b.xor(a, v); ctx.setCC(CC.LOGICB + sz, r); break;
    default: r = b.sub(a, v); ctx.setCC(CC.SUBB + sz, r, v); break;
  }
  return r;
}

function aluRM(ctx: Ctx, op: number, sz: number, o: RM, v: Temp): void {
  const a = ctx.ldRM(o, sz);
  const r = alu(ctx, op, sz, a, v);
  if (op !== 7) ctx.stRM(o, sz, r);
}

/**
 * Copy the lazy flags state (CC_OP, CC_DST, CC_SRC, CC_SRC2) into the saved
 * set starting at `to` (CC_P_* for lazy INC/DEC, CC_R_* for lazy ROL/ROR),
 * from which those ops take the flags they leave alone. Where `keepIf` is
 * non-zero at run time the saved set stays as it was (it is already the
 * right one: the current state is itself a lazy op of the same kind).
 */
function saveCCState(ctx: Ctx, to: number, keepIf: Temp | null): void {
  const b = ctx.b;
  [S.CC_OP, S.CC_DST, S.CC_SRC, S.CC_SRC2].forEach((from, i) => {
    const cur = b.ldEnv(from);
    b.stEnv(to + 4 * i, keepIf === null ? cur : b.movcond(Cond.NE, keepIf, b.const(0), b.ldEnv(to + 4 * i), cur));
  });
}

/** ROL (op 0) / ROR (op 1) of an `sz`-sized value by a constant count 1-31. */
function rotConst(ctx: Ctx, op: number, sz: number, a: Temp, c: number): Temp {
  const b = ctx.b, bits = 8 << sz, k = c % bits;
  if (k === 0) return a;
  const left = op === 0 ? k : bits - k;
  if (sz === 2) return b.rotr(a, b.const(32 - left));
  return b.andi(b.or(b.shl(a, b.const(left)), b.shr(b.andi(a, (1 << bits) - 1), b.const(bits - left))), (1 << bits) - 1);
}

/**
 * Lazy ROL/ROR flags over a state known only in env: a lazy INC/DEC is made
 * concrete first (rare); then a plain state is saved in CC_R_* and a lazy
 * rotate's is left there.
 */
function lazyRotateFromEnv(ctx: Ctx, op: number, sz: number, r: Temp): void {
  const b = ctx.b;
  const plain = b.label();
  b.brcond(Cond.GEU, b.addi(b.ldEnv(S.CC_OP), -CC.INCLB), b.const(6), plain);
  const f = b.call(H.ccCompute);
  b.stEnvi(S.CC_OP, CC.EFLAGS);
  b.stEnv(S.CC_SRC, f);
  b.setLabel(plain);
  const isRot = b.setcond(Cond.LTU, b.addi(b.ldEnv(S.CC_OP), -CC.ROLB), b.const(6));
  saveCCState(ctx, S.CC_R_OP, isRot);
  ctx.setCC((op === 0 ? CC.ROLB : CC.RORB) + sz, sz === 2 ? r : b.andi(r, (1 << (8 << sz)) - 1));
}

/** ROL (op 0) / ROR (op 1) of an `sz`-sized value by a count 0-31 in a temp (the result is masked to the size). */
function rotVar(ctx: Ctx, op: number, sz: number, a: Temp, c: Temp): Temp {
  const b = ctx.b, bits = 8 << sz;
  if (sz === 2) return op === 1 ? b.rotr(a, c) : b.rotr(a, b.andi(b.sub(b.const(32), c), 31));
  const m = (1 << bits) - 1, k = b.andi(c, bits - 1), am = b.andi(a, m), back = b.sub(b.const(bits), k);
  return b.andi(op === 0 ? b.or(b.shl(am, k), b.shr(am, back)) : b.or(b.shr(am, k), b.shl(am, back)), m);
}

/** Shifts SHL/SHR/SAR inline; ROL/ROR inline with lazy flags; RCL/RCR through a helper. `count` is a temp (unmasked). */
function shift(ctx: Ctx, op: number, sz: number, o: RM, count: Temp, constCount: number): void {
  const b = ctx.b;
  const a = ctx.ldRM(o, sz);
  if (op === 6) op = 4;
  const rotAfterRot = ctx.ccOp >= CC.ROLB && ctx.ccOp < CC.COUNT;
  if (op < 2 && ctx.flagsDeadAfter()) {
    // rol $5, %esi; xor %esi, %edi: the next instruction overwrites the flags, so only the value is computed.
    const r = constCount >= 0 ? rotConst(ctx, op, sz, a, constCount & 31) : rotVar(ctx, op, sz, a, b.andi(count, 31));
    ctx.stRM(o, sz, r);
    return;
  }
  if (op < 2 && constCount >= 0 && ctx.ccOp === CC.DYNAMIC && (constCount & 31) !== 0) {
    // At a TB start the flags state is unknown (see lazyRotateFromEnv).
    const r = rotConst(ctx, op, sz, a, constCount & 31);
    ctx.stRM(o, sz, r);
    lazyRotateFromEnv(ctx, op, sz, r);
    return;
  }
  if (op < 2 && constCount >= 0 && ctx.ccOp !== CC.DYNAMIC && (ctx.ccOp < CC.INCLB || rotAfterRot)) {
    // ROL/ROR by a constant (hashes are full of them): inline, with lazy flags that keep
    // the previous state for SF ZF AF PF. That state is known here: a plain one is saved in
    // CC_R_*; after another lazy rotate CC_R_* already holds it (rotates change only CF and OF).
    if ((constCount & 31) === 0) return;
    const bits = 8 << sz;
    const r = rotConst(ctx, op, sz, a, constCount & 31);
    ctx.stRM(o, sz, r);
    ctx.flushCC();
    if (!rotAfterRot) saveCCState(ctx, S.CC_R_OP, null);
    ctx.setCC((op === 0 ? CC.ROLB : CC.RORB) + sz, sz === 2 ? r : b.andi(r, (1 << bits) - 1));
    return;
  }
  if (op < 2 && constCount < 0) {
    // ROL/ROR by CL: as the constant form, behind a test of the count: a count of 0 (mod 32)
    // leaves the flags alone. The flags are written after the result, so a faulting store
    // keeps the old ones.
    const c = b.andi(count, 31);
    const r = rotVar(ctx, op, sz, a, c);
    ctx.stRM(o, sz, r);
    ctx.flushCC();
    const skip = b.label();
    b.brcond(Cond.EQ, c, b.const(0), skip);
    lazyRotateFromEnv(ctx, op, sz, r);
    ctx.flushCC();
    b.setLabel(skip);
    ctx.ccOp = CC.DYNAMIC;
    return;
  }
  if (op < 4) {
    // with a memory destination the flags are committed after the store (a faulting store keeps the old CF)
    const r = b.call(H.rotate, a, count, b.const(op | (sz << 4) | (o.reg < 0 ? 0x100 : 0)));
    ctx.stRM(o, sz, r);
    if (o.reg < 0) b.callVoid(H.commitFlags);
    ctx.ccOp = CC.DYNAMIC;
    return;
  }
  const c = b.andi(count, 31);
  if (constCount >= 0 && (constCount & 31) === 0) return;
  let r: Temp, src: Temp, cc: number;
  const c1 = b.addi(c, -1);
  if (op === 4) { r = b.shl(a, c); src = b.shl(a, c1); cc = CC.SHLB + sz; }
  else if (op === 5) { r = b.shr(a, c); src = b.shr(a, c1); cc = CC.SARB + sz; }
  else { const x = sz === 0 ? b.ext8s(a) : sz === 1 ? b.ext16s(a) : a; r = b.sar(x, c); src = b.sar(x, c1); cc = CC.SARB + sz; }
  ctx.stRM(o, sz, r);
  if (constCount >= 0) { ctx.setCC(cc, r, src); return; }
  // count 0 leaves the flags alone
  const z = b.const(0);
  const ccOp = b.movcond(Cond.EQ, c, z, b.ldEnv(S.CC_OP), b.const(cc));
  const dst = b.movcond(Cond.EQ, c, z, b.ldEnv(S.CC_DST), r);
  const s2 = b.movcond(Cond.EQ, c, z, b.ldEnv(S.CC_SRC), src);
  b.stEnv(S.CC_OP, ccOp); b.stEnv(S.CC_DST, dst); b.stEnv(S.CC_SRC, s2);
  ctx.ccOp = CC.DYNAMIC;
}

// ---------------------------------------------------------------- decoder

export function translateInsn(ctx: Ctx): void {
  const b = ctx.b;
  ctx.osz = ctx.code32 ? 2 : 1; ctx.asz32 = ctx.code32; ctx.seg = -1; ctx.rep = 0; ctx.lock = false;
  let op: number;
  for (;;) {
    op = ctx.fetch8();
    switch (op) {
      case 0x26: ctx.seg = S.ES; continue;
      case 0x2e: ctx.seg = S.CS; continue;
      case 0x36: ctx.seg = S.SS; continue;
      case 0x3e: ctx.seg = S.DS; continue;
      case 0x64: ctx.seg = S.FS; continue;
      case 0x65: ctx.seg = S.GS; continue;
      case 0x66: ctx.osz = ctx.code32 ? 1 : 2; continue;
      case 0x67: ctx.asz32 = !ctx.code32; continue;
      case 0xf0: ctx.lock = true; continue;
      case 0xf2: case 0xf3: ctx.rep = op; continue;
    }
    break;
  }
  const osz = ctx.osz;
  if (ctx.lock) lockCheck(ctx, op);
  if (op === 0x0f) { twoByte(ctx, ctx.fetch8()); return; }
  // ALU 00-3f
  if (op < 0x40 && (op & 7) < 6) {
    const aop = op >> 3, form = op & 7;
    const sz = form & 1 ? osz : 0;
    if (form < 4) {
      const m = ctx.fetch8();
      const reg = (m >>> 3) & 7;
      const o = ctx.modrm(m);
      if (form < 2) aluRM(ctx, aop, sz, o, ctx.ldReg(reg, sz));
      else {
        const r = alu(ctx, aop, sz, ctx.ldReg(reg, sz), ctx.ldRM(o, sz));
        if (aop !== 7) ctx.stReg(reg, sz, r);
      }
    } else {
      const imm = b.const(ctx.fetchImm(sz));
      const r = alu(ctx, aop, sz, ctx.ldReg(S.EAX, sz), imm);
      if (aop !== 7) ctx.stReg(S.EAX, sz, r);
    }
    return;
  }
  switch (op) {
    case 0x06: case 0x0e: case 0x16: case 0x1e: // PUSH sreg
      ctx.push(b.ldEnv(S.SEG_SEL(op >> 3)), osz); return;
    case 0x07: case 0x17: case 0x1f: { // POP sreg
      const v = ctx.peek(osz);
      ctx.syncPc();
      b.callVoid(H.loadSeg, b.const(op >> 3), v);
      ctx.popAdjust(1 << osz);
      if (op === 0x17) b.stEnvi(S.INHIBIT, 1);
      ctx.endTb();
      return;
    }
    case 0x27: case 0x2f: case 0x37: case 0x3f: // DAA DAS AAA AAS
      b.callVoid(H.bcd, b.const(op)); ctx.ccOp = CC.EFLAGS; return;
  }
  if (op >= 0x40 && op < 0x50) { // INC/DEC r
    incDec(ctx, op >= 0x48, osz, { reg: op & 7, addr: -1 });
    return;
  }
  if (op >= 0x50 && op < 0x58) { ctx.push(ctx.ldReg(op & 7, osz), osz); return; }
  if (op >= 0x58 && op < 0x60) { const v = ctx.pop(osz); ctx.stReg(op & 7, osz, v); return; }
  if (op >= 0x70 && op < 0x80) { const d = ctx.fetchS8(); jcc(ctx, op & 15, (ctx.next + d) | 0); return; }
  if (op >= 0x91 && op < 0x98) { // XCHG eAX, r
    const r = op & 7;
    const a = ctx.ldReg(S.EAX, osz), v = ctx.ldReg(r, osz);
    ctx.stReg(S.EAX, osz, v); ctx.stReg(r, osz, a);
    return;
  }
  if (op >= 0xb0 && op < 0xb8) { ctx.stReg(op & 7, 0, b.const(ctx.fetch8())); return; }
  if (op >= 0xb8 && op < 0xc0) { ctx.stReg(op & 7, osz, b.const(ctx.fetchImm(osz))); return; }
  if (op >= 0xd8 && op <= 0xdf) { fpu(ctx, op); return; }
  switch (op) {
    case 0x60: { // PUSHA
      const sp = ctx.ldReg(S.ESP, 2);
      const sz = 1 << osz;
      const esp = b.ldEnv(S.R(S.ESP));
      for (let i = 0; i < 8; i++) {
        const v = i === 4 ? sp : ctx.ldReg(i, osz);
        const o = b.addi(esp, -sz * (i + 1));
        ctx.st(ctx.addSegFixed(ctx.ss32 ? o : b.ext16u(o), S.SS), osz, v);
      }
      const n = b.addi(esp, -sz * 8);
      b.stEnv(S.R(S.ESP), ctx.ss32 ? n : b.or(b.andi(esp, 0xffff0000), b.ext16u(n)));
      return;
    }
    case 0x61: { // POPA
      const sz = 1 << osz;
      const vals: Temp[] = [];
      for (let i = 0; i < 8; i++) vals.push(ctx.peek(osz, sz * i));
      for (let i = 0; i < 8; i++) if (7 - i !== 4) ctx.stReg(7 - i, osz, vals[i]);
      ctx.popAdjust(sz * 8);
      return;
    }
    case 0x62: { // BOUND
      const m = ctx.fetch8();
      if ((m >>> 6) === 3) throw UndefError.it;
      const o = ctx.modrm(m);
      b.callVoid(H.bound, ctx.ldReg((m >>> 3) & 7, osz), o.addr, b.const(osz));
      return;
    }
    case 0x63: { // ARPL
      if (!ctx.pe || ctx.vm) throw UndefError.it;
      const m = ctx.fetch8();
      const o = ctx.modrm(m);
      const d = ctx.ldRM(o, 1);
      const r = b.call(H.arpl, d, ctx.ldReg((m >>> 3) & 7, 1));
      ctx.stRM(o, 1, r);
      ctx.ccOp = CC.EFLAGS;
      return;
    }
    case 0x68: ctx.push(b.const(ctx.fetchImm(osz)), osz); return;
    case 0x6a: ctx.push(b.const(ctx.fetchS8()), osz); return;
    case 0x69: case 0x6b: { // IMUL r, r/m, imm
      const m = ctx.fetch8();
      const o = ctx.modrm(m);
      const imm = op === 0x69 ? ctx.fetchImmS(osz) : ctx.fetchS8();
      imul(ctx, (m >>> 3) & 7, osz, ctx.ldRM(o, osz), b.const(imm));
      return;
    }
    case 0x6c: case 0x6d: case 0x6e: case 0x6f: // INS/OUTS
    case 0xa4: case 0xa5: case 0xa6: case 0xa7: case 0xaa: case 0xab: case 0xac: case 0xad: case 0xae: case 0xaf:
      stringOp(ctx, op); return;
    case 0x80: case 0x81: case 0x82: case 0x83: {
      const m = ctx.fetch8();
      const sz = op & 1 ? osz : 0;
      const o = ctx.modrm(m);
      const imm = op === 0x83 ? ctx.fetchS8() : ctx.fetchImm(sz);
      aluRM(ctx, (m >>> 3) & 7, sz, o, b.const(imm));
      return;
    }
    case 0x84: case 0x85: { // TEST
      const sz = op & 1 ? osz : 0;
      const m = ctx.fetch8();
      const o = ctx.modrm(m);
      ctx.setCC(CC.LOGICB + sz, b.and(ctx.ldRM(o, sz), ctx.ldReg((m >>> 3) & 7, sz)));
      return;
    }
    case 0x86: case 0x87: { // XCHG r/m, r
      const sz = op & 1 ? osz : 0;
      const m = ctx.fetch8();
      const o = ctx.modrm(m);
      const reg = (m >>> 3) & 7;
      const a = ctx.ldRM(o, sz), v = ctx.ldReg(reg, sz);
      ctx.stRM(o, sz, v); ctx.stReg(reg, sz, a);
      return;
    }
    case 0x88: case 0x89: case 0x8a: case 0x8b: {
      const sz = op & 1 ? osz : 0;
      const m = ctx.fetch8();
      const o = ctx.modrm(m);
      const reg = (m >>> 3) & 7;
      if (op < 0x8a) ctx.stRM(o, sz, ctx.ldReg(reg, sz)); else ctx.stReg(reg, sz, ctx.ldRM(o, sz));
      return;
    }
    case 0x8c: { // MOV r/m, sreg
      const m = ctx.fetch8();
      const sr = (m >>> 3) & 7;
      if (sr > 5) throw UndefError.it;
      const o = ctx.modrm(m);
      const v = b.ldEnv(S.SEG_SEL(sr));
      if (o.reg >= 0) ctx.stReg(o.reg, osz, v); else ctx.st(o.addr, 1, v);
      return;
    }
    case 0x8d: { // LEA
      const m = ctx.fetch8();
      if ((m >>> 6) === 3) throw UndefError.it;
      const [off] = ctx.eaOffset(m);
      ctx.stReg((m >>> 3) & 7, osz, off);
      return;
    }
    case 0x8e: { // MOV sreg, r/m
      const m = ctx.fetch8();
      const sr = (m >>> 3) & 7;
      if (sr === S.CS || sr > 5) throw UndefError.it;
      const o = ctx.modrm(m);
      const v = ctx.ldRM(o, 1);
      ctx.syncPc();
      b.callVoid(H.loadSeg, b.const(sr), v);
      if (sr === S.SS) b.stEnvi(S.INHIBIT, 1);
      ctx.endTb();
      return;
    }
    case 0x8f: { // POP r/m
      const m = ctx.fetch8();
      const v = ctx.peek(osz);
      if ((m >>> 6) === 3) { ctx.popAdjust(1 << osz); ctx.stReg(m & 7, osz, v); return; }
      // the address is computed with ESP already incremented, but a faulting store leaves ESP alone
      const esp0 = b.ldEnv(S.R(S.ESP));
      ctx.popAdjust(1 << osz);
      const o = ctx.modrm(m);
      b.stEnv(S.R(S.ESP), esp0);
      ctx.st(o.addr, osz, v);
      ctx.popAdjust(1 << osz);
      return;
    }
    case 0x90:
      if (ctx.rep === 0xf3) { /* PAUSE */ }
      return;
    case 0x98: // CBW/CWDE
      if (osz === 2) ctx.stReg(S.EAX, 2, b.ext16s(ctx.ldReg(S.EAX, 2)));
      else ctx.stReg(S.EAX, 1, b.ext8s(ctx.ldReg(S.EAX, 2)));
      return;
    case 0x99: // CWD/CDQ
      if (osz === 2) ctx.stReg(S.EDX, 2, b.sari(ctx.ldReg(S.EAX, 2), 31));
      else ctx.stReg(S.EDX, 1, b.sari(b.shli(ctx.ldReg(S.EAX, 2), 16), 31));
      return;
    case 0x9a: { // CALL far
      const off = ctx.fetchImm(osz), sel = ctx.fetch16();
      ctx.syncPc();
      b.callVoid(H.farCall, b.const(sel), b.const(off), b.const(osz | ((ctx.next - ctx.pc) << 4)));
      ctx.isJmp = Jump.JUMP; b.lookupTb();
      return;
    }
    case 0x9b: ctx.syncPc(); b.callVoid(H.fwait); return; // WAIT
    case 0x9c: // PUSHF
      ctx.syncPc();
      ctx.push(b.call(H.pushf, b.const(osz)), osz);
      return;
    case 0x9d: { // POPF
      const v = ctx.peek(osz);
      ctx.syncPc();
      b.callVoid(H.popf, v, b.const(osz));
      ctx.popAdjust(1 << osz);
      ctx.ccOp = CC.EFLAGS;
      ctx.endTb();
      return;
    }
    case 0x9e: { // SAHF
      const f = ctx.eflags();
      const ah = b.andi(b.shri(b.ldEnv(S.R(S.EAX)), 8), S.SF | S.ZF | S.AF | S.PF | S.CF);
      ctx.setFlags(b.or(b.andi(f, S.OF), ah));
      return;
    }
    case 0x9f: { // LAHF
      const f = b.ori(b.andi(ctx.eflags(), 0xd5), 2);
      ctx.stReg(4, 0, f);
      return;
    }
    case 0xa0: case 0xa1: case 0xa2: case 0xa3: { // MOV moffs
      const sz = op & 1 ? osz : 0;
      const off = ctx.asz32 ? ctx.fetch32() : ctx.fetch16();
      const a = ctx.addSeg(b.const(off), S.DS);
      if (op < 0xa2) ctx.stReg(S.EAX, sz, ctx.ld(a, sz)); else ctx.st(a, sz, ctx.ldReg(S.EAX, sz));
      return;
    }
    case 0xa8: case 0xa9: { // TEST eAX, imm
      const sz = op & 1 ? osz : 0;
      ctx.setCC(CC.LOGICB + sz, b.and(ctx.ldReg(S.EAX, sz), b.const(ctx.fetchImm(sz))));
      return;
    }
    case 0xc0: case 0xc1: case 0xd0: case 0xd1: case 0xd2: case 0xd3: {
      const sz = op & 1 ? osz : 0;
      const m = ctx.fetch8();
      const o = ctx.modrm(m);
      let cnt: Temp, cc = -1;
      if (op <= 0xc1) { cc = ctx.fetch8(); cnt = b.const(cc); }
      else if (op <= 0xd1) { cc = 1; cnt = b.const(1); }
      else cnt = ctx.ldReg(S.ECX, 0);
      shift(ctx, (m >>> 3) & 7, sz, o, cnt, cc);
      return;
    }
    case 0xc2: case 0xc3: { // RET near
      const n = op === 0xc2 ? ctx.fetch16() : 0;
      const eip = ctx.peek(osz);
      ctx.popAdjust((1 << osz) + n);
      ctx.jumpEip(eip);
      return;
    }
    case 0xc4: case 0xc5: { // LES/LDS
      const m = ctx.fetch8();
      if ((m >>> 6) === 3) throw UndefError.it;
      lxs(ctx, m, op === 0xc4 ? S.ES : S.DS);
      return;
    }
    case 0xc6: case 0xc7: {
      const sz = op & 1 ? osz : 0;
      const m = ctx.fetch8();
      if ((m >>> 3) & 7) throw UndefError.it; // only /0 is MOV
      const o = ctx.modrm(m);
      ctx.stRM(o, sz, b.const(ctx.fetchImm(sz)));
      return;
    }
    case 0xc8: { // ENTER
      const size = ctx.fetch16(), level = ctx.fetch8();
      b.callVoid(H.enter, b.const(size), b.const(level), b.const(osz));
      return;
    }
    case 0xc9: { // LEAVE
      const ebp = b.ldEnv(S.R(S.EBP));
      const esp = b.ldEnv(S.R(S.ESP));
      const o = ctx.ss32 ? ebp : b.ext16u(ebp);
      const v = ctx.ld(ctx.addSegFixed(o, S.SS), osz);
      const n = b.addi(o, 1 << osz);
      b.stEnv(S.R(S.ESP), ctx.ss32 ? n : b.or(b.andi(esp, 0xffff0000), b.ext16u(n)));
      ctx.stReg(S.EBP, osz, v);
      return;
    }
    case 0xca: case 0xcb: { // RET far
      const n = op === 0xca ? ctx.fetch16() : 0;
      ctx.syncPc();
      b.callVoid(H.farRet, b.const(n), b.const(osz));
      ctx.isJmp = Jump.JUMP; b.lookupTb();
      return;
    }
    case 0xcc: softInt(ctx, 3); return;
    case 0xcd: softInt(ctx, ctx.fetch8()); return;
    case 0xce: // INTO
      ctx.syncPc();
      b.callVoid(H.into, b.const(ctx.next));
      return;
    case 0xcf: // IRET
      ctx.syncPc();
      b.callVoid(H.iret, b.const(osz | ((ctx.next - ctx.pc) << 4)));
      ctx.ccOp = CC.EFLAGS;
      ctx.isJmp = Jump.JUMP; b.lookupTb();
      return;
    case 0xd4: case 0xd5: { // AAM/AAD
      const imm = ctx.fetch8();
      b.callVoid(H.bcd, b.const(op | (imm << 8)));
      ctx.ccOp = CC.EFLAGS;
      return;
    }
    case 0xd6: // SALC
      ctx.stReg(S.EAX, 0, b.neg(ctx.cf())); return;
    case 0xd7: { // XLAT
      const base = ctx.asz32 ? b.ldEnv(S.R(S.EBX)) : ctx.ldReg(S.EBX, 1);
      let off = b.add(base, ctx.ldReg(S.EAX, 0));
      if (!ctx.asz32) off = b.ext16u(off);
      ctx.stReg(S.EAX, 0, ctx.ld(ctx.addSeg(off, S.DS), 0));
      return;
    }
    case 0xe0: case 0xe1: case 0xe2: case 0xe3: { // LOOPNE LOOPE LOOP JCXZ
      const d = ctx.fetchS8();
      const target = (ctx.next + d) | 0;
      let cx = ctx.asz32 ? b.ldEnv(S.R(S.ECX)) : ctx.ldReg(S.ECX, 1);
      const taken = b.label();
      if (op === 0xe3) { b.brcond(Cond.EQ, cx, b.const(0), taken); }
      else {
        cx = b.addi(cx, -1);
        ctx.stReg(S.ECX, ctx.asz32 ? 2 : 1, cx);
        const cxv = ctx.asz32 ? cx : b.ext16u(cx);
        if (op === 0xe2) b.brcond(Cond.NE, cxv, b.const(0), taken);
        else {
          const skip = b.label();
          b.brcond(Cond.EQ, cxv, b.const(0), skip);
          const [c, x, y] = ctx.cond(op === 0xe1 ? 4 : 5); // ZF set / clear
          b.brcond(c, x, y, taken);
          b.setLabel(skip);
        }
      }
      ctx.gotoLin(ctx.next);
      b.setLabel(taken);
      ctx.gotoLin(target);
      return;
    }
    case 0xe4: case 0xe5: case 0xec: case 0xed: { // IN
      const sz = op & 1 ? osz : 0;
      const port = op < 0xe8 ? b.const(ctx.fetch8()) : ctx.ldReg(S.EDX, 1);
      ctx.syncPc();
      ctx.stReg(S.EAX, sz, b.call(H.inp, port, b.const(sz)));
      ctx.endTb();
      return;
    }
    case 0xe6: case 0xe7: case 0xee: case 0xef: { // OUT
      const sz = op & 1 ? osz : 0;
      const port = op < 0xe8 ? b.const(ctx.fetch8()) : ctx.ldReg(S.EDX, 1);
      ctx.syncPc();
      b.callVoid(H.outp, port, ctx.ldReg(S.EAX, sz), b.const(sz));
      ctx.endTb();
      return;
    }
    case 0xe8: { // CALL rel
      const d = ctx.fetchImmS(osz);
      let eip = ctx.eipOf(ctx.next);
      if (osz === 1) eip = b.ext16u(eip);
      ctx.push(eip, osz);
      let t = (ctx.next + d) | 0;
      if (osz === 1 && ctx.code32) t = (ctx.next + d) & 0xffff; // rare: 16-bit operand in 32-bit code
      ctx.gotoLin(t);
      return;
    }
    case 0xe9: { const d = ctx.fetchImmS(osz); ctx.gotoLin((ctx.next + d) | 0); return; }
    case 0xea: { // JMP far
      const off = ctx.fetchImm(osz), sel = ctx.fetch16();
      ctx.syncPc();
      b.callVoid(H.farJmp, b.const(sel), b.const(off), b.const(osz | ((ctx.next - ctx.pc) << 4)));
      ctx.isJmp = Jump.JUMP; b.lookupTb();
      return;
    }
    case 0xeb: { const d = ctx.fetchS8(); ctx.gotoLin((ctx.next + d) | 0); return; }
    case 0xf1: softInt(ctx, 1); return; // ICEBP
    case 0xf4: // HLT
      ctx.syncPc();
      b.callVoid(H.hlt, b.const(ctx.next));
      ctx.isJmp = Jump.JUMP; b.lookupTb();
      return;
    case 0xf5: { const f = ctx.eflags(); ctx.setFlags(b.xori(f, S.CF)); return; } // CMC
    case 0xf6: case 0xf7: group3(ctx, op & 1 ? osz : 0); return;
    case 0xf8: case 0xf9: { // CLC STC
      const f = b.andi(ctx.eflags(), ~S.CF);
      ctx.setFlags(op === 0xf9 ? b.ori(f, S.CF) : f);
      return;
    }
    case 0xfa: ctx.syncPc(); b.callVoid(H.cli); return;
    case 0xfb: ctx.syncPc(); b.callVoid(H.sti); ctx.endTb(); return;
    case 0xfc: case 0xfd: {
      const r = b.ldEnv(S.EFLAGS_REST);
      b.stEnv(S.EFLAGS_REST, op === 0xfd ? b.ori(r, S.DF) : b.andi(r, ~S.DF));
      return;
    }
    case 0xfe: case 0xff: group45(ctx, op); return;
  }
  throw UndefError.it;
}

/** LOCK is allowed only on read-modify-write instructions with a memory destination. */
function lockCheck(ctx: Ctx, op: number): void {
  const save = ctx.next;
  let ok = false;
  if (op === 0x0f) {
    const o2 = ctx.fetch8();
    const m = ctx.fetch8();
    ok = (m >>> 6) !== 3 && ([0xab, 0xb3, 0xbb, 0xb0, 0xb1, 0xc0, 0xc1, 0xc7].includes(o2) || (o2 === 0xba && ((m >>> 3) & 7) >= 5));
  } else {
    const m = ctx.fetch8(), r = (m >>> 3) & 7;
    if ((m >>> 6) !== 3) {
      if (op < 0x40 && (op & 7) < 2 && (op >> 3) !== 7) ok = true;
      else if (op >= 0x80 && op <= 0x83) ok = r !== 7;
      else if (op === 0x86 || op === 0x87) ok = true;
      else if (op === 0xf6 || op === 0xf7) ok = r === 2 || r === 3;
      else if (op === 0xfe || op === 0xff) ok = r <= 1;
    }
  }
  ctx.next = save;
  if (!ok) throw UndefError.it;
}

function jcc(ctx: Ctx, cc: number, target: number): void {
  const b = ctx.b;
  const [c, x, y] = ctx.cond(cc);
  const taken = b.label();
  b.brcond(c, x, y, taken);
  ctx.gotoLin(ctx.next);
  b.setLabel(taken);
  ctx.gotoLin(target);
}

function softInt(ctx: Ctx, n: number): void {
  const b = ctx.b;
  ctx.syncPc();
  b.callVoid(H.softInt, b.const(n), b.const(ctx.next), b.const(ctx.pc === ctx.next - 1 && n === 1 ? 1 : 0));
  b.lookupTb();
  ctx.isJmp = Jump.JUMP;
}

function lxs(ctx: Ctx, m: number, seg: number): void {
  const b = ctx.b, osz = ctx.osz;
  const o = ctx.modrm(m);
  const off = ctx.ld(o.addr, osz);
  const sel = ctx.ld(b.addi(o.addr, 1 << osz), 1);
  ctx.syncPc();
  b.callVoid(H.loadSeg, b.const(seg), sel);
  ctx.stReg((m >>> 3) & 7, osz, off);
  if (seg === S.SS) b.stEnvi(S.INHIBIT, 1);
  ctx.endTb();
}

/** INC/DEC: CF is kept. With CC_OP unknown here, save the flags state instead of computing CF. */
function incDec(ctx: Ctx, dec: boolean, sz: number, o: RM): void {
  const b = ctx.b;
  if (ctx.ccOp >= CC.INCLB && ctx.ccOp < CC.INCLB + 6) {
    // After another lazy INC/DEC (inc esi; dec ebx): CF still comes from the state in CC_P_*.
    const v = b.addi(ctx.ldRM(o, sz), dec ? -1 : 1);
    ctx.stRM(o, sz, v);
    ctx.setCC((dec ? CC.DECLB : CC.INCLB) + sz, v);
    return;
  }
  if (ctx.ccOp !== CC.DYNAMIC) {
    const c = ctx.cf();
    const v = b.addi(ctx.ldRM(o, sz), dec ? -1 : 1);
    ctx.stRM(o, sz, v);
    ctx.setCC((dec ? CC.DECB : CC.INCB) + sz, v, c);
    return;
  }
  const v = b.addi(ctx.ldRM(o, sz), dec ? -1 : 1);
  ctx.stRM(o, sz, v);
  const old = b.ldEnv(S.CC_OP);
  const lazy = b.setcond(Cond.LTU, b.addi(old, -CC.INCLB), b.const(6));
  saveCCState(ctx, S.CC_P_OP, lazy);
  ctx.setCC((dec ? CC.DECLB : CC.INCLB) + sz, v);
}

function imul(ctx: Ctx, reg: number, sz: number, a: Temp, v: Temp): void {
  const b = ctx.b;
  if (sz === 2) {
    const [lo, hi] = b.muls2(a, v);
    ctx.stReg(reg, 2, lo);
    ctx.setCC(CC.MULB + 2, lo, b.sub(hi, b.sari(lo, 31)));
  } else {
    const r = b.mul(b.ext16s(a), b.ext16s(v));
    ctx.stReg(reg, 1, r);
    ctx.setCC(CC.MULB + 1, r, b.sub(r, b.ext16s(r)));
  }
}

function group3(ctx: Ctx, sz: number): void {
  const b = ctx.b;
  const m = ctx.fetch8();
  const o = ctx.modrm(m);
  const op = (m >>> 3) & 7;
  switch (op) {
    case 0: case 1: { // TEST imm
      const imm = ctx.fetchImm(sz);
      ctx.setCC(CC.LOGICB + sz, b.and(ctx.ldRM(o, sz), b.const(imm)));
      return;
    }
    case 2: ctx.stRM(o, sz, b.not(ctx.ldRM(o, sz))); return;
    case 3: { // NEG
      const a = ctx.ldRM(o, sz);
      const r = b.neg(a);
      ctx.stRM(o, sz, r);
      ctx.setCC(CC.SUBB + sz, r, a); // 0 - a: src1 = 0
      // SUB's CF is src1 < src with src1 = dst + src = 0: CF = (a != 0) as wanted
      return;
    }
    case 4: case 5: { // MUL / IMUL
      const v = ctx.ldRM(o, sz);
      if (sz === 0) {
        const al = ctx.ldReg(S.EAX, 0);
        const r = op === 4 ? b.mul(al, v) : b.mul(b.ext8s(al), b.ext8s(v));
        ctx.stReg(S.EAX, 1, r);
        ctx.setCC(CC.MULB, r, op === 4 ? b.andi(r, 0xff00) : b.sub(r, b.ext8s(r)));
      } else if (sz === 1) {
        const ax = ctx.ldReg(S.EAX, 1);
        const r = op === 4 ? b.mul(ax, v) : b.mul(b.ext16s(ax), b.ext16s(v));
        ctx.stReg(S.EAX, 1, r);
        ctx.stReg(S.EDX, 1, b.shri(r, 16));
        ctx.setCC(CC.MULB + 1, r, op === 4 ? b.shri(r, 16) : b.sub(r, b.ext16s(r)));
      } else {
        const eax = ctx.ldReg(S.EAX, 2);
        const [lo, hi] = op === 4 ? b.mulu2(eax, v) : b.muls2(eax, v);
        ctx.stReg(S.EAX, 2, lo);
        ctx.stReg(S.EDX, 2, hi);
        ctx.setCC(CC.MULB + 2, lo, op === 4 ? hi : b.sub(hi, b.sari(lo, 31)));
      }
      return;
    }
    default: { // DIV / IDIV
      const v = ctx.ldRM(o, sz);
      if (sz === 2) {
        // Inline when the dividend fits in EAX (EDX zero, or EAX's sign for IDIV): a 32-bit
        // division. Zero and -1 divisors and 64-bit dividends (#DE cases among them) take the helper.
        const eax = ctx.ldReg(S.EAX, 2), edx = ctx.ldReg(S.EDX, 2);
        const slow = b.label(), done = b.label();
        b.brcond(Cond.EQ, v, b.const(0), slow);
        if (op === 7) {
          b.brcond(Cond.EQ, v, b.const(-1), slow);
          b.brcond(Cond.NE, edx, b.sari(eax, 31), slow);
        } else b.brcond(Cond.NE, edx, b.const(0), slow);
        const q = op === 7 ? b.divs(eax, v) : b.divu(eax, v), r = op === 7 ? b.rems(eax, v) : b.remu(eax, v);
        ctx.stReg(S.EAX, 2, q);
        ctx.stReg(S.EDX, 2, r);
        b.br(done);
        b.setLabel(slow);
        b.callVoid(H.div, v, b.const(sz | (op === 7 ? 4 : 0)));
        b.setLabel(done);
        return;
      }
      b.callVoid(H.div, v, b.const(sz | (op === 7 ? 4 : 0)));
      return;
    }
  }
}

function group45(ctx: Ctx, opc: number): void {
  const b = ctx.b, osz = ctx.osz;
  const m = ctx.fetch8();
  const op = (m >>> 3) & 7;
  if (opc === 0xfe && op > 1) throw UndefError.it;
  const sz = opc === 0xfe ? 0 : osz;
  if (op === 3 || op === 5) { // far CALL/JMP m16:xx
    if ((m >>> 6) === 3) throw UndefError.it;
    const o = ctx.modrm(m);
    const off = ctx.ld(o.addr, osz);
    const sel = ctx.ld(b.addi(o.addr, 1 << osz), 1);
    ctx.syncPc();
    b.callVoid(op === 3 ? H.farCall : H.farJmp, sel, off, b.const(osz | ((ctx.next - ctx.pc) << 4)));
    ctx.isJmp = Jump.JUMP; b.lookupTb();
    return;
  }
  if (op === 7) throw UndefError.it;
  const o = ctx.modrm(m);
  switch (op) {
    case 0: case 1: incDec(ctx, op === 1, sz, o); return;
    case 2: { // CALL near r/m
      const t = ctx.ldRM(o, osz);
      let eip = ctx.eipOf(ctx.next);
      if (osz === 1) eip = b.ext16u(eip);
      ctx.push(eip, osz);
      ctx.jumpEip(t);
      return;
    }
    case 4: ctx.jumpEip(ctx.ldRM(o, osz)); return;
    default: ctx.push(ctx.ldRM(o, osz), osz); return; // PUSH
  }
}

function stringOp(ctx: Ctx, op: number): void {
  const b = ctx.b;
  const sz = op & 1 ? ctx.osz : 0;
  const seg = ctx.seg >= 0 ? ctx.seg : S.DS;
  // packed: opcode | size << 8 | addr32 << 10 | rep (0, 2 = F2, 3 = F3) << 11 | seg << 13
  const rep = ctx.rep === 0xf3 ? 3 : ctx.rep === 0xf2 ? 2 : 0;
  ctx.syncPc();
  const more = b.call(H.string, b.const(op | (sz << 8) | (ctx.asz32 ? 1 << 10 : 0) | (rep << 11) | (seg << 13)));
  ctx.ccOp = CC.DYNAMIC;
  if (rep) {
    // one chunk per TB: the instruction repeats through the pc until ECX runs out
    const pc = b.movcond(Cond.NE, more, b.const(0), b.const(ctx.pc), b.const(ctx.next));
    b.stEnv(S.PC, pc);
    b.lookupTb();
    ctx.isJmp = Jump.JUMP;
  } else if (op < 0x70) ctx.endTb();
}

/** D8-DF: the x87 (x87.ts) through one helper; CR0.EM or TS gives #NM first. */
function fpu(ctx: Ctx, opcode: number): void {
  const b = ctx.b;
  const m = ctx.fetch8();
  let ea: Temp, seg = S.DS;
  if ((m >>> 6) !== 3) {
    const [off, def] = ctx.eaOffset(m);
    seg = ctx.seg >= 0 ? ctx.seg : def;
    ea = ctx.addSeg(off, def);
  } else ea = b.const(-1);
  if (ctx.flags & S.TBF_FPU_TRAP) { ctx.exception(Excp.NM); return; }
  const op = ((opcode & 7) << 8) | m | (ctx.osz === 1 ? 0x800 : 0) | (!ctx.pe || ctx.vm ? 0x1000 : 0);
  ctx.syncPc();
  b.callVoid(H.x87, b.const(op | (seg << 16) | ((m >>> 6) !== 3 ? 1 << 20 : 0)), ea);
  ctx.ccOp = CC.DYNAMIC;
}

// ---------------------------------------------------------------- 0F map

function twoByte(ctx: Ctx, op: number): void {
  const b = ctx.b, osz = ctx.osz;
  if (op >= 0x80 && op < 0x90) { const d = ctx.fetchImmS(osz); jcc(ctx, op & 15, osz === 1 && ctx.code32 ? (ctx.next + d) & 0xffff : (ctx.next + d) | 0); return; }
  if (op >= 0x90 && op < 0xa0) { // SETcc
    const m = ctx.fetch8();
    const o = ctx.modrm(m);
    const [c, x, y] = ctx.cond(op & 15);
    ctx.stRM(o, 0, b.setcond(c, x, y));
    return;
  }
  if (op >= 0x40 && op < 0x50) { // CMOVcc
    const m = ctx.fetch8();
    const o = ctx.modrm(m);
    const v = ctx.ldRM(o, osz);
    const reg = (m >>> 3) & 7;
    const [c, x, y] = ctx.cond(op & 15);
    ctx.stReg(reg, osz, b.movcond(c, x, y, v, ctx.ldReg(reg, osz)));
    return;
  }
  if (op >= 0xc8 && op < 0xd0) { const r = op & 7; ctx.stReg(r, 2, b.bswap32(ctx.ldReg(r, 2))); return; }
  switch (op) {
    case 0x00: group6(ctx); return;
    case 0x01: group7(ctx); return;
    case 0x02: case 0x03: { // LAR / LSL
      if (!ctx.pe || ctx.vm) throw UndefError.it;
      const m = ctx.fetch8();
      const o = ctx.modrm(m);
      const sel = ctx.ldRM(o, 1);
      const reg = (m >>> 3) & 7;
      const r = b.call(op === 2 ? H.lar : H.lsl, sel, ctx.ldReg(reg, 2));
      ctx.stReg(reg, osz, r);
      ctx.ccOp = CC.EFLAGS;
      return;
    }
    case 0x06: ctx.syncPc(); b.callVoid(H.clts); ctx.endTb(); return;
    case 0x08: case 0x09: ctx.syncPc(); b.callVoid(H.privCheck); return; // INVD WBINVD
    case 0x0b: throw UndefError.it; // UD2
    case 0x0d: case 0x18: case 0x19: case 0x1a: case 0x1b: case 0x1c: case 0x1d: case 0x1e: case 0x1f: { // prefetch / hint NOPs
      const m = ctx.fetch8();
      if ((m >>> 6) !== 3) ctx.eaOffset(m);
      return;
    }
    case 0x20: case 0x21: case 0x22: case 0x23: { // MOV to/from CRn/DRn
      const m = ctx.fetch8();
      const n = (m >>> 3) & 7, r = m & 7;
      ctx.syncPc();
      if (op === 0x20) ctx.stReg(r, 2, b.call(H.readCr, b.const(n)));
      else if (op === 0x21) ctx.stReg(r, 2, b.call(H.readDr, b.const(n)));
      else if (op === 0x22) { b.callVoid(H.writeCr, b.const(n), ctx.ldReg(r, 2)); ctx.syncNext(); ctx.endTb(); }
      else { b.callVoid(H.writeDr, b.const(n), ctx.ldReg(r, 2)); ctx.endTb(); }
      return;
    }
    case 0x30: ctx.syncPc(); b.callVoid(H.wrmsr); return;
    case 0x31: ctx.syncPc(); b.callVoid(H.rdtsc); return;
    case 0x32: ctx.syncPc(); b.callVoid(H.rdmsr); return;
    case 0x34: ctx.syncPc(); b.callVoid(H.sysenter); ctx.isJmp = Jump.JUMP; b.lookupTb(); return;
    case 0x35: ctx.syncPc(); b.callVoid(H.sysexit); ctx.isJmp = Jump.JUMP; b.lookupTb(); return;
    case 0xa0: case 0xa8: ctx.push(b.ldEnv(S.SEG_SEL(op === 0xa0 ? S.FS : S.GS)), osz); return;
    case 0xa1: case 0xa9: {
      const seg = op === 0xa1 ? S.FS : S.GS;
      const v = ctx.peek(osz);
      ctx.syncPc();
      b.callVoid(H.loadSeg, b.const(seg), v);
      ctx.popAdjust(1 << osz);
      ctx.endTb();
      return;
    }
    case 0xa2: b.callVoid(H.cpuid); return;
    case 0xa3: case 0xab: case 0xb3: case 0xbb: bitTest(ctx, (op >> 3) & 3, -1); return;
    case 0xba: {
      const save = ctx.next;
      const m = ctx.fetch8();
      if (((m >>> 3) & 7) < 4) throw UndefError.it;
      ctx.next = save;
      bitTest(ctx, (m >>> 3) & 3, 1);
      return;
    }
    case 0xa4: case 0xa5: case 0xac: case 0xad: { // SHLD/SHRD
      const m = ctx.fetch8();
      const o = ctx.modrm(m);
      const cnt = op & 1 ? ctx.ldReg(S.ECX, 0) : b.const(ctx.fetch8());
      const a = ctx.ldRM(o, osz);
      const r = b.call(H.shd, a, ctx.ldReg((m >>> 3) & 7, osz), cnt, b.const(osz | (op >= 0xac ? 4 : 0) | (o.reg < 0 ? 0x100 : 0)));
      ctx.stRM(o, osz, r);
      if (o.reg < 0) b.callVoid(H.commitFlags);
      ctx.ccOp = CC.DYNAMIC;
      return;
    }
    case 0xaf: { // IMUL r, r/m
      const m = ctx.fetch8();
      const o = ctx.modrm(m);
      const reg = (m >>> 3) & 7;
      imul(ctx, reg, osz, ctx.ldReg(reg, osz), ctx.ldRM(o, osz));
      return;
    }
    case 0xae: { // fences, FXSAVE etc.
      const m = ctx.fetch8();
      const sub = (m >>> 3) & 7;
      if ((m >>> 6) === 3 && sub >= 5) return; // LFENCE MFENCE SFENCE
      if ((m >>> 6) !== 3 && sub <= 1) { // FXSAVE FXRSTOR
        const o = ctx.modrm(m);
        ctx.syncPc();
        b.callVoid(H.fxsave, o.addr, b.const(sub));
        return;
      }
      throw UndefError.it;
    }
    case 0xb0: case 0xb1: { // CMPXCHG
      const sz = op & 1 ? osz : 0;
      const m = ctx.fetch8();
      const o = ctx.modrm(m);
      const d = ctx.ldRM(o, sz);
      const acc = ctx.ldReg(S.EAX, sz);
      const src = ctx.ldReg((m >>> 3) & 7, sz);
      const r = b.sub(acc, d);
      ctx.setCC(CC.SUBB + sz, r, d);
      const eq = sz === 0 ? b.ext8u(r) : sz === 1 ? b.ext16u(r) : r;
      ctx.stRM(o, sz, b.movcond(Cond.EQ, eq, b.const(0), src, d));
      if (o.reg !== S.EAX) ctx.stReg(S.EAX, sz, b.movcond(Cond.EQ, eq, b.const(0), acc, d));
      return;
    }
    case 0xb2: case 0xb4: case 0xb5: { // LSS LFS LGS
      const m = ctx.fetch8();
      if ((m >>> 6) === 3) throw UndefError.it;
      lxs(ctx, m, op === 0xb2 ? S.SS : op === 0xb4 ? S.FS : S.GS);
      return;
    }
    case 0xb6: case 0xb7: case 0xbe: case 0xbf: { // MOVZX / MOVSX
      const m = ctx.fetch8();
      const o = ctx.modrm(m);
      const ssz = op & 1 ? 1 : 0;
      let v = ctx.ldRM(o, ssz);
      if (op >= 0xbe) v = ssz === 0 ? b.ext8s(v) : b.ext16s(v);
      ctx.stReg((m >>> 3) & 7, osz, v);
      return;
    }
    case 0xbc: case 0xbd: { // BSF / BSR
      const m = ctx.fetch8();
      const o = ctx.modrm(m);
      const v = ctx.ldRM(o, osz);
      const reg = (m >>> 3) & 7;
      let idx: Temp;
      if (op === 0xbd) idx = b.sub(b.const(31), b.clz(v));
      else idx = b.sub(b.const(31), b.clz(b.and(v, b.neg(v))));
      ctx.stReg(reg, osz, b.movcond(Cond.EQ, v, b.const(0), ctx.ldReg(reg, osz), idx));
      ctx.setCC(CC.LOGICB + osz, v);
      return;
    }
    case 0xc0: case 0xc1: { // XADD
      const sz = op & 1 ? osz : 0;
      const m = ctx.fetch8();
      const o = ctx.modrm(m);
      const reg = (m >>> 3) & 7;
      const d = ctx.ldRM(o, sz), s = ctx.ldReg(reg, sz);
      const r = b.add(d, s);
      ctx.stRM(o, sz, r);
      if (o.reg !== reg || o.reg < 0) ctx.stReg(reg, sz, d);
      ctx.setCC(CC.ADDB + sz, r, s);
      return;
    }
    case 0xc7: { // CMPXCHG8B
      const m = ctx.fetch8();
      if ((m >>> 6) === 3 || ((m >>> 3) & 7) !== 1) throw UndefError.it;
      const o = ctx.modrm(m);
      b.callVoid(H.cmpxchg8b, o.addr);
      ctx.ccOp = CC.EFLAGS;
      return;
    }
  }
  throw UndefError.it;
}

/** BT/BTS/BTR/BTC (kind 0-3); imm >= 0: the 0F BA form with an 8-bit immediate. */
function bitTest(ctx: Ctx, kind: number, imm: number): void {
  const b = ctx.b, osz = ctx.osz;
  const m = ctx.fetch8();
  const bits = 8 << osz;
  let o: RM;
  let bit: Temp;
  if (imm >= 0) {
    o = ctx.modrm(m);
    bit = b.const(ctx.fetch8() & (bits - 1));
  } else if ((m >>> 6) === 3) {
    o = { reg: m & 7, addr: -1 };
    bit = b.andi(ctx.ldReg((m >>> 3) & 7, osz), bits - 1);
  } else {
    const [off, def] = ctx.eaOffset(m);
    let idx = ctx.ldReg((m >>> 3) & 7, osz);
    if (osz === 1) idx = b.ext16s(idx);
    // the bit offset addresses memory beyond the operand: (idx >> log2(bits)) * bytes
    const byteOff = b.shli(b.sari(idx, osz === 2 ? 5 : 4), osz);
    let a = b.add(off, byteOff);
    if (!ctx.asz32) a = b.ext16u(a);
    o = { reg: -1, addr: ctx.addSeg(a, def) };
    bit = b.andi(idx, bits - 1);
  }
  const v = ctx.ldRM(o, osz);
  const cf = b.andi(b.shr(v, bit), 1);
  const f = b.andi(ctx.eflags(), ~S.CF);
  const mask = b.shl(b.const(1), bit);
  if (kind === 1) ctx.stRM(o, osz, b.or(v, mask));
  else if (kind === 2) ctx.stRM(o, osz, b.andc(v, mask));
  else if (kind === 3) ctx.stRM(o, osz, b.xor(v, mask));
  ctx.setFlags(b.or(f, cf));
}

function group6(ctx: Ctx): void {
  const b = ctx.b;
  const m = ctx.fetch8();
  const op = (m >>> 3) & 7;
  if (!ctx.pe || ctx.vm) throw UndefError.it;
  const o = ctx.modrm(m);
  ctx.syncPc();
  switch (op) {
    case 0: case 1: { // SLDT STR
      const v = b.ldEnv(S.SEG_SEL(op === 0 ? S.LDTR : S.TR));
      if (o.reg >= 0) ctx.stReg(o.reg, ctx.osz, v); else ctx.st(o.addr, 1, v);
      return;
    }
    case 2: case 3: b.callVoid(op === 2 ? H.lldt : H.ltr, ctx.ldRM(o, 1)); return;
    case 4: case 5: b.callVoid(H.verrw, ctx.ldRM(o, 1), b.const(op - 4)); ctx.ccOp = CC.EFLAGS; return;
  }
  throw UndefError.it;
}

function group7(ctx: Ctx): void {
  const b = ctx.b;
  const m = ctx.fetch8();
  const op = (m >>> 3) & 7;
  if ((m >>> 6) === 3) {
    if (op === 4) { ctx.stReg(m & 7, ctx.osz, b.call(H.readCr, b.const(0x10))); return; } // SMSW r
    if (op === 6) { ctx.syncPc(); b.callVoid(H.lmsw, ctx.ldReg(m & 7, 1)); ctx.endTb(); return; }
    throw UndefError.it;
  }
  const o = ctx.modrm(m);
  ctx.syncPc();
  switch (op) {
    case 0: case 1: // SGDT SIDT
      b.callVoid(H.sdt, o.addr, b.const(op | (ctx.osz << 4)));
      return;
    case 2: case 3: // LGDT LIDT
      b.callVoid(H.ldt, o.addr, b.const(op | (ctx.osz << 4)));
      return;
    case 4: ctx.st(o.addr, 1, b.call(H.readCr, b.const(0x10))); return;
    case 6: b.callVoid(H.lmsw, ctx.ld(o.addr, 1)); ctx.endTb(); return;
    case 7: b.callVoid(H.invlpg, o.addr); ctx.endTb(); return;
  }
  throw UndefError.it;
}

// ---------------------------------------------------------------- block loop

export function translateBlock(cpu: X86CPU, b: IRBuilder, pc: number, flags: number, cflags = 0): TranslateResult {
  const ctx = new Ctx(cpu, b, pc, flags);
  let maxInsns = (cflags & CF_COUNT_MASK) || MAX_INSNS;
  if (flags & (S.TBF_INHIBIT | S.TBF_TF)) maxInsns = 1;
  const bps = cflags & CF_NO_BP || cpu.breakpoints.size === 0 ? null : cpu.breakpoints;
  if (bps !== null && bps.has(pc)) {
    b.insnStart(pc, 0);
    b.callVoid(HELPER_DEBUG);
    b.lookupTb();
    return { size: 1, icount: 1 };
  }
  let n = 0;
  ctx.next = pc;
  ctx.maxInsns = maxInsns;
  ctx.bps = bps;
  for (;;) {
    ctx.pc = ctx.next;
    ctx.n = n;
    const mark = b.ops.length, temps = b.nTemps, labels = b.nLabels, cc = ctx.ccOp, slots = ctx.slotsUsed;
    b.insnStart(ctx.pc, 0);
    if (n === 0 && (flags & S.TBF_INHIBIT)) b.stEnvi(S.INHIBIT, 0);
    try {
      translateInsn(ctx);
      ctx.flushCC();
    } catch (e) {
      ctx.pendingCC = null;
      if (e === UndefError.it || e === TooLong.it) {
        b.ops.length = mark; b.nTemps = temps; b.nLabels = labels; ctx.ccOp = cc; ctx.slotsUsed = slots;
        b.insnStart(ctx.pc, 0);
        ctx.next = (ctx.pc + 1) | 0;
        if (e === TooLong.it) ctx.exception(Excp.GP, 0); else ctx.exception(Excp.UD);
      } else if (e === GuestException.it && n > 0) {
        // Fetching this instruction faulted: end the TB before it; the next TB raises the fault.
        b.ops.length = mark; b.nTemps = temps; b.nLabels = labels; ctx.ccOp = cc; ctx.slotsUsed = slots;
        ctx.next = ctx.pc;
        ctx.isJmp = Jump.NEXT;
        break;
      } else throw e;
    }
    n++;
    if (flags & S.TBF_TF && ctx.isJmp !== Jump.JUMP) {
      // single-step trap after the instruction
      if (ctx.isJmp === Jump.NEXT || ctx.isJmp === Jump.UPDATE_EXIT) ctx.syncNext();
      b.callVoid(H.singleStep);
      b.lookupTb();
      ctx.isJmp = Jump.JUMP;
    }
    if (ctx.isJmp !== Jump.NEXT) break;
    if (((ctx.next ^ pc) & PAGE_MASK) !== 0 || n >= maxInsns) break;
    if (bps !== null && bps.has(ctx.next)) break;
  }
  if (ctx.isJmp === Jump.NEXT) {
    if (flags & S.TBF_INHIBIT) { ctx.syncNext(); b.lookupTb(); }
    else ctx.gotoLin(ctx.next);
  } else if (ctx.isJmp === Jump.UPDATE_EXIT) {
    ctx.syncNext();
    b.lookupTb();
  }
  return { size: (ctx.next - pc) >>> 0, icount: n, page2: ctx.page2 };
}

/** Decode one instruction for the disassembler: its length (throws nothing). */
export function insnLength(cpu: X86CPU, pc: number, flags: number, b: IRBuilder): number {
  const ctx = new Ctx(cpu, b, pc, flags);
  ctx.next = ctx.pc = pc;
  try { translateInsn(ctx); } catch { return Math.max(1, (ctx.next - pc) >>> 0); }
  return (ctx.next - pc) >>> 0;
}

export type { Label };
