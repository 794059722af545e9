/**
 * The ARM translator's shared half (QEMU's DisasContext and the gen_* helpers
 * of target/arm/translate.c): register access, flags in split form,
 * condition codes, branches and the per-block loop. The A32 decoder lives in
 * translate-a32.ts; frontends only emit IR.
 */
import { Cond, memop } from '../../tcg/ir.js';
import type { IRBuilder, Label } from '../../tcg/builder.js';
import type { Temp } from '../../tcg/ir.js';
import type { TranslateResult } from '../../tcg/cpu-exec.js';
import { PAGE_MASK, PAGE_BITS } from '../../softmmu/cputlb.js';
import type { ArmCPU } from './cpu.js';
import * as S from './cpu-state.js';
import { translateA32 } from './translate-a32.js';
import { translateT32 } from './translate-t32.js';
import { H } from './helpers.js';
import { Excp } from './cpu.js';
import { HELPER_DEBUG, CF_COUNT_MASK, CF_NO_BP } from '../../tcg/helpers.js';

export const enum Jump {
  /** Fall through to the next instruction. */
  NEXT,
  /** The instruction emitted its own TB exit. */
  JUMP,
  /** State the translator depends on changed: store pc = next insn and look the next TB up. */
  UPDATE_EXIT,
  /** Context synchronization (ISB): end the TB and chain to the next instruction. */
  END_TB,
}

/** Most guest instructions per TB: bounds the latency of interrupts and `stop`. */
export const MAX_INSNS = 128;

export class DisasContext {
  pc = 0;
  isJmp = Jump.NEXT;
  condLabel: Label = -1;
  /** Length in bytes of the instruction being translated (2 or 4 in Thumb). */
  insnLen = 4;
  /** Thumb: IT state (ITSTATE[7:0]) of the instruction being translated. */
  it = 0;
  /** Thumb: IT state for the next instruction (the IT instruction sets it). */
  itNext = 0;
  /** Thumb: index in the builder's op stream of the current INSN_START (its IT operand can be patched). */
  insnStartOp = 0;
  readonly thumb: boolean;
  readonly priv: boolean;
  readonly mmuIdx: number;
  constructor(readonly cpu: ArmCPU, readonly b: IRBuilder, readonly tbPc: number, readonly flags: number) {
    this.thumb = (flags & S.TBF_THUMB) !== 0;
    this.priv = (flags & S.TBF_PRIV) !== 0;
    this.mmuIdx = this.priv ? S.MMU_PL1 : S.MMU_PL0;
  }

  /** TB flags after a branch from here: the same state with no IT block. */
  nextFlags(): number { return this.flags & ~(0xff << S.TBF_IT_SHIFT); }

  /** Value of r15 as an operand: the instruction's address + 8 (A32) or + 4 (T32). */
  get pcVal(): number { return (this.pc + (this.thumb ? 4 : 8)) | 0; }
  get nextPc(): number { return (this.pc + this.insnLen) | 0; }
  /** Thumb: inside an IT block (16-bit data processing then leaves the flags alone). */
  get inIt(): boolean { return (this.it & 0xf) !== 0; }

  ldReg(n: number): Temp {
    return n === 15 ? this.b.const(this.pcVal) : this.b.ldEnv(S.R(n));
  }
  /** r15 read for address computations in Thumb: Align(PC, 4). */
  ldRegAligned(n: number): Temp {
    return n === 15 ? this.b.const(this.pcVal & ~3) : this.b.ldEnv(S.R(n));
  }

  /** Write a register other than pc. */
  stReg(n: number, v: Temp): void { this.b.stEnv(S.R(n), v); }

  /** BXWritePC: interworking branch to a computed address. */
  genBx(v: Temp): void {
    const b = this.b;
    const rest = b.ldEnv(S.CPSR_REST);
    const t = b.shli(b.andi(v, 1), 5);
    b.stEnv(S.CPSR_REST, b.or(b.andi(rest, ~S.CPSR_T), t));
    // ARM state requires a word-aligned target; Thumb a halfword-aligned one.
    const pcv = b.movcond(Cond.NE, b.andi(v, 1), b.const(0), b.andi(v, ~1), b.andi(v, ~3));
    b.stEnv(S.R(15), pcv);
    b.lookupTb(pcv, b.or(b.const(this.nextFlags() & ~S.TBF_THUMB), b.andi(v, 1)));
    this.isJmp = Jump.JUMP;
  }

  /** BranchWritePC: a computed branch that stays in the current state. */
  genBranchReg(v: Temp): void {
    const pcv = this.b.andi(v, this.thumb ? ~1 : ~3);
    this.b.stEnv(S.R(15), pcv);
    this.b.lookupTb(pcv, this.b.const(this.nextFlags()));
    this.isJmp = Jump.JUMP;
  }

  /** Write a register; pc writes become interworking branches (ARMv7 A32 ALUWritePC / LoadWritePC). */
  stRegBx(n: number, v: Temp): void {
    if (n === 15) this.genBx(v); else this.stReg(n, v);
  }

  /** Direct branch to a constant target through chain slot `slot`. */
  genGoto(dest: number, slot: number): void {
    const b = this.b;
    b.stEnvi(S.R(15), dest);
    const nf = this.nextFlags();
    if (((dest ^ this.tbPc) & PAGE_MASK) === 0 && nf === this.flags) b.gotoTb(slot, dest); else b.lookupTb(b.const(dest), b.const(nf));
    this.isJmp = Jump.JUMP;
  }

  /** Raise an exception at this instruction (the pc is restored from insn_start). */
  genException(e: Excp): void {
    this.b.callVoid(H.raise, this.b.const(e));
    this.b.lookupTb(); // never reached; keeps the block well-formed
    this.isJmp = Jump.JUMP;
  }

  undef(): void { this.genException(Excp.UDEF); }

  /** NOP-compatible hints (A32 and T32 share them): WFI sleeps, YIELD/WFE give other CPUs a turn. */
  genHint(op: number): void {
    const b = this.b;
    switch (op) {
      case 3: // WFI
        // Leave through a normal exit: a throw out of compiled code costs V8 a stack walk.
        b.stEnvi(S.R(15), this.nextPc);
        b.callVoid(H.wfi);
        b.exitTb(3);
        this.isJmp = Jump.JUMP;
        return;
      case 1: case 2: // YIELD, WFE
        this.isJmp = Jump.UPDATE_EXIT;
        return;
      default: return; // NOP, SEV, DBG
    }
  }

  // ---- flags ----
  setNZ(res: Temp): void { this.b.stEnv(S.NF, res); this.b.stEnv(S.ZF, res); }
  setC(c: Temp): void { this.b.stEnv(S.CF, c); }

  /** a + b (+ carry-in when `adc`), setting NZCV when `s`. */
  add(a: Temp, b2: Temp, s: boolean, adc: boolean): Temp {
    const b = this.b;
    if (!adc) {
      const res = b.add(a, b2);
      if (s) {
        this.setC(b.setcond(Cond.LTU, res, a));
        b.stEnv(S.VF, b.andc(b.xor(res, a), b.xor(a, b2)));
        this.setNZ(res);
      }
      return res;
    }
    const zero = b.const(0);
    const cf = b.ldEnv(S.CF);
    const [lo, hi] = b.add2(a, zero, cf, zero);
    const [res, carry] = b.add2(lo, hi, b2, zero);
    if (s) {
      this.setC(carry);
      b.stEnv(S.VF, b.andc(b.xor(res, a), b.xor(a, b2)));
      this.setNZ(res);
    }
    return res;
  }

  /** a - b (- !carry when `sbc`), setting NZCV when `s`. */
  sub(a: Temp, b2: Temp, s: boolean, sbc: boolean): Temp {
    const b = this.b;
    if (!sbc) {
      const res = b.sub(a, b2);
      if (s) {
        this.setC(b.setcond(Cond.GEU, a, b2));
        b.stEnv(S.VF, b.and(b.xor(res, a), b.xor(a, b2)));
        this.setNZ(res);
      }
      return res;
    }
    // a + ~b + C
    const zero = b.const(0);
    const nb = b.not(b2);
    const cf = b.ldEnv(S.CF);
    const [lo, hi] = b.add2(a, zero, cf, zero);
    const [res, carry] = b.add2(lo, hi, nb, zero);
    if (s) {
      this.setC(carry);
      b.stEnv(S.VF, b.and(b.xor(res, a), b.xor(a, b2)));
      this.setNZ(res);
    }
    return res;
  }

  /** Branch to `l` when ARM condition `cond` holds (or fails, with `invert`). */
  genCondBranch(cond: number, l: Label, invert: boolean): void {
    const b = this.b;
    let c: Cond, v: Temp;
    switch (cond >> 1) {
      case 0: c = Cond.EQ; v = b.ldEnv(S.ZF); break;                  // EQ: Z set
      case 1: c = Cond.NE; v = b.ldEnv(S.CF); break;                  // CS
      case 2: c = Cond.LT; v = b.ldEnv(S.NF); break;                  // MI
      case 3: c = Cond.LT; v = b.ldEnv(S.VF); break;                  // VS
      case 4: c = Cond.NE; v = b.and(b.neg(b.ldEnv(S.CF)), b.ldEnv(S.ZF)); break; // HI: C && !Z
      case 5: c = Cond.GE; v = b.xor(b.ldEnv(S.VF), b.ldEnv(S.NF)); break;        // GE: N == V
      case 6: c = Cond.NE; v = b.andc(b.ldEnv(S.ZF), b.sari(b.xor(b.ldEnv(S.VF), b.ldEnv(S.NF)), 31)); break; // GT
      default: if (!invert) b.br(l); return;                          // AL
    }
    let inv = (cond & 1) !== 0;
    if (invert) inv = !inv;
    b.brcond(inv ? invertCondTcg(c) : c, v, b.const(0), l);
  }

  memop(size: number, signed = false, align = false, mmuIdx = this.mmuIdx): number {
    return memop(size, signed, mmuIdx, align || (this.flags & S.TBF_ALIGN) !== 0);
  }
}

function invertCondTcg(c: Cond): Cond {
  switch (c) {
    case Cond.EQ: return Cond.NE;
    case Cond.NE: return Cond.EQ;
    case Cond.LT: return Cond.GE;
    case Cond.GE: return Cond.LT;
    default: throw new Error('invertCondTcg');
  }
}

export function translateBlock(cpu: ArmCPU, b: IRBuilder, pc: number, flags: number, cflags = 0): TranslateResult {
  const ctx = new DisasContext(cpu, b, pc, flags);
  const maxInsns = (cflags & CF_COUNT_MASK) || MAX_INSNS;
  // Debugger breakpoints: a TB ends before one, and a TB starting at one raises a debug exit.
  const bps = cflags & CF_NO_BP || cpu.breakpoints.size === 0 ? null : cpu.breakpoints;
  if (bps !== null && bps.has(pc)) {
    b.insnStart(pc, (flags >>> S.TBF_IT_SHIFT) & 0xff); // the IT state, for restoreState
    b.callVoid(HELPER_DEBUG);
    b.lookupTb(); // never reached
    return { size: ctx.thumb ? 2 : 4, icount: 1 };
  }
  if (ctx.thumb) return translateThumbBlock(ctx, cpu, b, pc, flags, maxInsns, bps);
  const mmu = cpu.fetchMmuIdx();
  let n = 0;
  ctx.pc = pc;
  for (;;) {
    const h = cpu.tlb.codeHost(ctx.pc, mmu);
    const insn = (h >= 0 ? cpu.host.dv.getUint32(h, true) : cpu.tlb.codeIoRead(ctx.pc, 4, mmu)) >>> 0;
    b.insnStart(ctx.pc, 0);
    ctx.condLabel = -1;
    translateA32(ctx, insn);
    n++;
    if (ctx.condLabel >= 0) {
      // The instruction was conditional: its "not executed" path continues here.
      if (ctx.isJmp === Jump.NEXT) {
        b.setLabel(ctx.condLabel);
      } else if (ctx.isJmp === Jump.JUMP) {
        b.setLabel(ctx.condLabel);
        ctx.genGoto(ctx.nextPc, 1);
      } else {
        b.setLabel(ctx.condLabel);
      }
    }
    ctx.pc = ctx.nextPc;
    if (ctx.isJmp !== Jump.NEXT) break;
    if ((ctx.pc & ~PAGE_MASK) === 0 || n >= maxInsns) break;
    if (bps !== null && bps.has(ctx.pc)) break;
  }
  if (ctx.isJmp === Jump.NEXT || ctx.isJmp === Jump.END_TB) ctx.genGoto(ctx.pc, 0);
  else if (ctx.isJmp === Jump.UPDATE_EXIT) { b.stEnvi(S.R(15), ctx.pc); b.lookupTb(); }
  return { size: (ctx.pc - pc) >>> 0, icount: n };
}

/** CPSR_REST with the IT bits replaced by ITSTATE `it`. */
function storeIt(ctx: DisasContext, it: number): void {
  const b = ctx.b;
  const bits = ((it & 3) << 25) | ((it & 0xfc) << 8);
  b.stEnv(S.CPSR_REST, b.ori(b.andi(b.ldEnv(S.CPSR_REST), ~S.CPSR_IT_MASK), bits));
}

/** ITAdvance(): the IT state after one instruction of the block. */
function itAdvance(it: number): number {
  if ((it & 0xf) === 0) return 0;
  if ((it & 7) === 0) return 0;
  return (it & 0xe0) | ((it << 1) & 0x1f);
}

/** End a Thumb TB continuing at `dest` with IT state `it` (stored to the CPSR when inside a block). */
function thumbExit(ctx: DisasContext, dest: number, it: number, slot: number): void {
  if (it === 0) { ctx.genGoto(dest, slot); return; }
  const b = ctx.b;
  storeIt(ctx, it);
  b.stEnvi(S.R(15), dest);
  b.lookupTb(b.const(dest), b.const(ctx.nextFlags() | (it << S.TBF_IT_SHIFT)));
  ctx.isJmp = Jump.JUMP;
}

function translateThumbBlock(ctx: DisasContext, cpu: ArmCPU, b: IRBuilder, pc: number, flags: number, maxInsns: number, bps: Set<number> | null): TranslateResult {
  const mmu = cpu.fetchMmuIdx();
  let page2: number | undefined;
  const fetch16 = (a: number): number => {
    const h = cpu.tlb.codeHost(a, mmu);
    // A 32-bit instruction's second half may sit on another page: the TB must know its physical page.
    if (((a ^ pc) & PAGE_MASK) !== 0) page2 = cpu.tlb.lastCodePhys >>> PAGE_BITS;
    return (h >= 0 ? cpu.host.dv.getUint16(h, true) : cpu.tlb.codeIoRead(a, 2, mmu)) & 0xffff;
  };
  let it = (flags >>> S.TBF_IT_SHIFT) & 0xff;
  // Like QEMU: the CPSR's IT bits are zero while a TB runs; insn_start carries them for
  // exceptions and the TB's exits store them when a block continues in the next TB.
  if (it !== 0) storeIt(ctx, 0);
  let n = 0;
  ctx.pc = pc;
  for (;;) {
    const hw1 = fetch16(ctx.pc);
    const is32 = (hw1 >>> 11) >= 0x1d;
    // A 32-bit instruction whose second half is on the next page starts its own TB.
    if (is32 && (ctx.pc & ~PAGE_MASK) === (~PAGE_MASK & -2) && n > 0) break;
    const insn = is32 ? ((hw1 << 16) | fetch16((ctx.pc + 2) | 0)) >>> 0 : hw1;
    ctx.insnLen = is32 ? 4 : 2;
    ctx.insnStartOp = b.ops.length;
    b.insnStart(ctx.pc, it);
    ctx.it = it;
    ctx.itNext = itAdvance(it);
    ctx.condLabel = -1;
    if ((it & 0xf) !== 0) {
      const cond = it >>> 4;
      if (cond < 0xe) {
        ctx.condLabel = b.label();
        ctx.genCondBranch(cond, ctx.condLabel, true);
      }
    }
    translateT32(ctx, insn, is32);
    n++;
    it = ctx.itNext;
    if (ctx.condLabel >= 0) {
      b.setLabel(ctx.condLabel);
      // Not executed: continue with the next instruction (an IT block may go on, e.g. after a skipped UDF).
      if (ctx.isJmp === Jump.JUMP) thumbExit(ctx, ctx.nextPc, it, 1);
    }
    ctx.pc = ctx.nextPc;
    if (ctx.isJmp !== Jump.NEXT) break;
    if (((ctx.pc ^ pc) & PAGE_MASK) !== 0 || n >= maxInsns) break;
    if (bps !== null && bps.has(ctx.pc)) break;
  }
  if (ctx.isJmp === Jump.NEXT || ctx.isJmp === Jump.END_TB) {
    thumbExit(ctx, ctx.pc, it, 0);
  } else if (ctx.isJmp === Jump.UPDATE_EXIT) {
    if (it !== 0) storeIt(ctx, it);
    b.stEnvi(S.R(15), ctx.pc); b.lookupTb();
  }
  return { size: (ctx.pc - pc) >>> 0, icount: n, page2 };
}
