/**
 * The A32 (ARM state) decoder: one ARMv7-A instruction to IR, following the
 * encoding tables of the ARM ARM (A5.1-A5.7). Common instructions become IR;
 * rare and system ones call helpers (helpers.ts).
 */
import { Cond, type Temp } from '../../tcg/ir.js';
import { DisasContext, Jump } from './translate.js';
import { H } from './helpers.js';
import { Excp } from './cpu.js';
import * as S from './cpu-state.js';

export function translateA32(ctx: DisasContext, insn: number): void {
  const cond = insn >>> 28;
  if (cond === 0xf) { unconditional(ctx, insn); return; }
  if (cond !== 0xe) {
    ctx.condLabel = ctx.b.label();
    ctx.genCondBranch(cond, ctx.condLabel, true);
  }
  switch ((insn >>> 25) & 7) {
    case 0: case 1: dpMisc(ctx, insn); return;
    case 2: loadStore(ctx, insn); return;
    case 3: if (insn & 0x10) mediaInsn(ctx, insn); else loadStore(ctx, insn); return;
    case 4: blockTransfer(ctx, insn); return;
    case 5: branch(ctx, insn); return;
    default: coprocSvc(ctx, insn); return;
  }
}

const reg = (insn: number, bit: number): number => (insn >>> bit) & 0xf;

// ---------------------------------------------------------------- shifter

/** Immediate-shifted register operand; when `carry` is wanted returns the shifter carry-out temp (null = unchanged). */
function shiftImm(ctx: DisasContext, v: Temp, type: number, amt: number, carry: boolean): [Temp, Temp | null] {
  const b = ctx.b;
  switch (type) {
    case 0: // LSL
      if (amt === 0) return [v, null];
      return [b.shli(v, amt), carry ? b.andi(b.shri(v, 32 - amt), 1) : null];
    case 1: // LSR (0 encodes 32)
      if (amt === 0) return [b.const(0), carry ? b.shri(v, 31) : null];
      return [b.shri(v, amt), carry ? b.andi(b.shri(v, amt - 1), 1) : null];
    case 2: // ASR (0 encodes 32)
      if (amt === 0) { const r = b.sari(v, 31); return [r, carry ? b.andi(r, 1) : null]; }
      return [b.sari(v, amt), carry ? b.andi(b.shri(v, amt - 1), 1) : null];
    default: // ROR, or RRX when 0
      if (amt === 0) {
        const r = b.or(b.shli(b.ldEnv(S.CF), 31), b.shri(v, 1));
        return [r, carry ? b.andi(v, 1) : null];
      }
      return [b.rotri(v, amt), carry ? b.andi(b.shri(v, amt - 1), 1) : null];
  }
}

/**
 * LSL/LSR/ASR/ROR of `v` by the register amount `rs` (its low byte), shared
 * with T32. Without a carry-out it is inline (Linux's idle path alone runs
 * ~75 a tick); the flag-setting forms keep the helper, which also sets C.
 */
export function genShiftReg(ctx: DisasContext, v: Temp, rs: Temp, type: number, carry: boolean): Temp {
  const b = ctx.b;
  if (carry) return b.call(H.shiftRegCC, v, rs, b.const(type));
  const amt = b.andi(rs, 0xff), k32 = b.const(32);
  switch (type) {
    case 0: return b.movcond(Cond.LTU, amt, k32, b.shl(v, amt), b.const(0));
    case 1: return b.movcond(Cond.LTU, amt, k32, b.shr(v, amt), b.const(0));
    case 2: return b.sar(v, b.movcond(Cond.LTU, amt, k32, amt, b.const(31)));
    default: return b.rotr(v, b.andi(amt, 31));
  }
}

function operand2(ctx: DisasContext, insn: number, carry: boolean): [Temp, Temp | null] {
  const b = ctx.b;
  if (insn & (1 << 25)) {
    const rot = ((insn >>> 8) & 0xf) * 2;
    const imm8 = insn & 0xff;
    const v = rot === 0 ? imm8 : ((imm8 >>> rot) | (imm8 << (32 - rot))) | 0;
    return [b.const(v), carry && rot !== 0 ? b.const(v >>> 31) : null];
  }
  const rm = ctx.ldReg(insn & 0xf);
  const type = (insn >>> 5) & 3;
  if (insn & 0x10) {
    // register-shifted register: the amount is Rs[7:0]
    return [genShiftReg(ctx, rm, ctx.ldReg(reg(insn, 8)), type, carry), null];
  }
  return shiftImm(ctx, rm, type, (insn >>> 7) & 0x1f, carry);
}

// ---------------------------------------------------------------- data processing and misc

function dpMisc(ctx: DisasContext, insn: number): void {
  const imm = (insn >>> 25) & 1;
  const op1 = (insn >>> 20) & 0x1f;
  if (!imm) {
    if ((insn & 0x90) === 0x90) {
      const op2 = (insn >>> 5) & 3;
      if (op2 === 0) {
        if (op1 & 0x10) syncPrimitive(ctx, insn); else multiply(ctx, insn);
      } else {
        extraLoadStore(ctx, insn);
      }
      return;
    }
    if ((op1 & 0x19) === 0x10) {
      if (insn & 0x80) { ctx.b.callVoid(H.dspMul, ctx.b.const(insn)); return; } // SMLAxy family
      miscInsn(ctx, insn);
      return;
    }
  } else if ((op1 & 0x19) === 0x10) {
    if (op1 === 0x10) { movw(ctx, insn, false); return; }
    if (op1 === 0x14) { movw(ctx, insn, true); return; }
    // MSR immediate / hints
    if (op1 === 0x12 && ((insn >>> 16) & 0xf) === 0) { ctx.genHint(insn & 0xff); return; }
    const v = (() => { const rot = ((insn >>> 8) & 0xf) * 2, i8 = insn & 0xff; return rot ? ((i8 >>> rot) | (i8 << (32 - rot))) | 0 : i8; })();
    msr(ctx, insn, ctx.b.const(v));
    return;
  }
  dataProcessing(ctx, insn);
}

function dataProcessing(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  const op = (insn >>> 21) & 0xf;
  const s = (insn & (1 << 20)) !== 0;
  const rn = reg(insn, 16), rd = reg(insn, 12);
  const logical = op <= 1 || (op >= 8 && op <= 9) || op >= 12;
  const eret = s && rd === 15 && !(op >= 8 && op <= 11);
  const flags = s && !eret;
  const [op2, carry] = operand2(ctx, insn, flags && logical);
  let res: Temp;
  const a = () => ctx.ldReg(rn);
  switch (op) {
    case 0x0: case 0x8: res = b.and(a(), op2); break;
    case 0x1: case 0x9: res = b.xor(a(), op2); break;
    case 0x2: case 0xa: res = ctx.sub(a(), op2, flags, false); break;
    case 0x3: res = ctx.sub(op2, a(), flags, false); break;
    case 0x4: case 0xb: res = ctx.add(a(), op2, flags, false); break;
    case 0x5: res = ctx.add(a(), op2, flags, true); break;
    case 0x6: res = ctx.sub(a(), op2, flags, true); break;
    case 0x7: res = ctx.sub(op2, a(), flags, true); break;
    case 0xc: res = b.or(a(), op2); break;
    case 0xd: res = op2; break;
    case 0xe: res = b.andc(a(), op2); break;
    default: res = b.not(op2); break;
  }
  if (flags && logical) {
    ctx.setNZ(res);
    if (carry !== null) ctx.setC(carry);
  }
  if (op >= 8 && op <= 11) return; // TST TEQ CMP CMN: flags only
  if (eret) {
    b.callVoid(H.eret, res);
    b.lookupTb();
    ctx.isJmp = Jump.JUMP;
    return;
  }
  ctx.stRegBx(rd, res);
}

function movw(ctx: DisasContext, insn: number, top: boolean): void {
  const rd = reg(insn, 12);
  const imm16 = ((insn >>> 4) & 0xf000) | (insn & 0xfff);
  const b = ctx.b;
  if (top) ctx.stReg(rd, b.or(b.andi(ctx.ldReg(rd), 0xffff), b.const(imm16 << 16)));
  else ctx.stReg(rd, b.const(imm16));
}

/** MSR (immediate or register) to CPSR or SPSR. */
function msr(ctx: DisasContext, insn: number, v: Temp): void {
  const b = ctx.b;
  const fields = (insn >>> 16) & 0xf;
  let mask = 0;
  if (fields & 1) mask |= 0xff;
  if (fields & 2) mask |= 0xff00;
  if (fields & 4) mask |= 0xff0000;
  if (fields & 8) mask |= 0xff000000;
  if (insn & (1 << 22)) {
    b.callVoid(H.spsrWrite, v, b.const(mask));
    return;
  }
  b.callVoid(H.cpsrWrite, v, b.const(mask));
  if (mask & 0xff) ctx.isJmp = Jump.UPDATE_EXIT; // mode or interrupt masks may have changed
}

function miscInsn(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  const op = (insn >>> 21) & 3, op2 = (insn >>> 4) & 7;
  const rd = reg(insn, 12), rm = insn & 0xf;
  switch (op2) {
    case 0:
      if (insn & (1 << 9)) { ctx.undef(); return; } // banked MRS/MSR need the Virtualization Extensions
      if (op & 1) { msr(ctx, insn, ctx.ldReg(rm)); return; }
      ctx.stReg(rd, b.call(insn & (1 << 22) ? H.spsrRead : H.cpsrRead));
      return;
    case 1:
      if (op === 1) { ctx.genBx(ctx.ldReg(rm)); return; }          // BX
      if (op === 3) { ctx.stReg(rd, b.clz(ctx.ldReg(rm))); return; } // CLZ
      break;
    case 2:
      if (op === 1) { ctx.genBx(ctx.ldReg(rm)); return; }           // BXJ: no Jazelle, acts as BX
      break;
    case 3:
      if (op === 1) {                                               // BLX (register)
        const target = ctx.ldReg(rm);
        b.stEnvi(S.R(14), ctx.nextPc);
        ctx.genBx(target);
        return;
      }
      break;
    case 5:
      b.callVoid(H.qaddsub, b.const(insn));
      return;
    case 7:
      if (op === 1) { b.callVoid(H.bkpt); b.lookupTb(); ctx.isJmp = Jump.JUMP; return; }
      if (op === 2) {                                               // HVC: PSCI
        b.stEnvi(S.R(15), ctx.nextPc);
        b.callVoid(H.hvc, b.const(((insn >>> 4) & 0xfff0) | (insn & 0xf)));
        ctx.isJmp = Jump.UPDATE_EXIT;
        return;
      }
      if (op === 3) {                                               // SMC
        b.stEnvi(S.R(15), ctx.nextPc);
        b.callVoid(H.smc);
        ctx.isJmp = Jump.UPDATE_EXIT;
        return;
      }
      break;
  }
  ctx.undef();
}

// ---------------------------------------------------------------- multiplies

function multiply(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  const op = (insn >>> 21) & 7, s = (insn & (1 << 20)) !== 0;
  const rd = reg(insn, 16), ra = reg(insn, 12), rm = reg(insn, 8), rn = insn & 0xf;
  const n = ctx.ldReg(rn), m = ctx.ldReg(rm);
  switch (op) {
    case 0: case 1: { // MUL, MLA
      let r = b.mul(n, m);
      if (op === 1) r = b.add(r, ctx.ldReg(ra));
      ctx.stReg(rd, r);
      if (s) ctx.setNZ(r);
      return;
    }
    case 2: { // UMAAL
      if (s) break;
      const [lo, hi] = b.mulu2(n, m);
      const zero = b.const(0);
      const [l1, h1] = b.add2(lo, hi, ctx.ldReg(ra), zero);
      const [l2, h2] = b.add2(l1, h1, ctx.ldReg(rd), zero);
      ctx.stReg(ra, l2); ctx.stReg(rd, h2);
      return;
    }
    case 3: { // MLS
      if (s) break;
      ctx.stReg(rd, b.sub(ctx.ldReg(ra), b.mul(n, m)));
      return;
    }
    default: { // UMULL UMLAL SMULL SMLAL
      let [lo, hi] = op & 2 ? b.muls2(n, m) : b.mulu2(n, m);
      if (op & 1) [lo, hi] = b.add2(lo, hi, ctx.ldReg(ra), ctx.ldReg(rd));
      ctx.stReg(ra, lo); ctx.stReg(rd, hi);
      if (s) { b.stEnv(S.NF, hi); b.stEnv(S.ZF, b.or(lo, hi)); }
      return;
    }
  }
  ctx.undef();
}

// ---------------------------------------------------------------- synchronization, loads and stores

function syncPrimitive(ctx: DisasContext, insn: number): void {
  if (insn & (1 << 23)) {
    // LDREX/STREX{,D,B,H}: bits 11:8 must be 1111 (1110 for STREX is the A32 base, both decode)
    ctx.b.callVoid(H.exclusive, ctx.b.const(insn));
    return;
  }
  if ((insn & 0x0fb00ff0) === 0x01000090) { ctx.b.callVoid(H.swp, ctx.b.const(insn)); return; }
  ctx.undef();
}

function loadStore(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  const p = (insn >>> 24) & 1, u = (insn >>> 23) & 1, byte = (insn >>> 22) & 1, w = (insn >>> 21) & 1, load = (insn >>> 20) & 1;
  const rn = reg(insn, 16), rt = reg(insn, 12);
  let off: Temp;
  if (insn & (1 << 25)) off = shiftImm(ctx, ctx.ldReg(insn & 0xf), (insn >>> 5) & 3, (insn >>> 7) & 0x1f, false)[0];
  else off = b.const(insn & 0xfff);
  const base = ctx.ldReg(rn);
  const offAddr = u ? b.add(base, off) : b.sub(base, off);
  const addr = p ? offAddr : base;
  const mmu = !p && w ? S.MMU_PL0 : ctx.mmuIdx; // LDRT/STRT
  const mop = ctx.memop(byte ? 0 : 2, false, false, mmu);
  const wb = !p || w;
  if (load) {
    const v = b.qld(addr, mop);
    if (wb) ctx.stReg(rn, offAddr);
    ctx.stRegBx(rt, v);
  } else {
    b.qst(ctx.ldReg(rt), addr, mop);
    if (wb) ctx.stReg(rn, offAddr);
  }
}

function extraLoadStore(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  const p = (insn >>> 24) & 1, u = (insn >>> 23) & 1, i = (insn >>> 22) & 1, w = (insn >>> 21) & 1, load = (insn >>> 20) & 1;
  const rn = reg(insn, 16), rt = reg(insn, 12), op2 = (insn >>> 5) & 3;
  const off = i ? b.const(((insn >>> 4) & 0xf0) | (insn & 0xf)) : ctx.ldReg(insn & 0xf);
  const base = ctx.ldReg(rn);
  const offAddr = u ? b.add(base, off) : b.sub(base, off);
  const addr = p ? offAddr : base;
  const unpriv = !p && w;
  const mmu = unpriv ? S.MMU_PL0 : ctx.mmuIdx;
  const wb = !p || w;
  if (op2 === 1) { // STRH / LDRH
    if (load) { const v = b.qld(addr, ctx.memop(1, false, false, mmu)); if (wb) ctx.stReg(rn, offAddr); ctx.stRegBx(rt, v); }
    else { b.qst(ctx.ldReg(rt), addr, ctx.memop(1, false, false, mmu)); if (wb) ctx.stReg(rn, offAddr); }
    return;
  }
  if (load) { // LDRSB / LDRSH
    const v = b.qld(addr, ctx.memop(op2 === 2 ? 0 : 1, true, false, mmu));
    if (wb) ctx.stReg(rn, offAddr);
    ctx.stRegBx(rt, v);
    return;
  }
  if (unpriv || (rt & 1) || rt === 14) { ctx.undef(); return; }
  const mop = ctx.memop(2, false, true);
  const addr2 = b.addi(addr, 4);
  if (op2 === 2) { // LDRD
    const lo = b.qld(addr, mop), hi = b.qld(addr2, mop);
    if (wb) ctx.stReg(rn, offAddr);
    ctx.stReg(rt, lo); ctx.stReg(rt + 1, hi);
  } else {         // STRD
    b.qst(ctx.ldReg(rt), addr, mop);
    b.qst(ctx.ldReg(rt + 1), addr2, mop);
    if (wb) ctx.stReg(rn, offAddr);
  }
}

function blockTransfer(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  const p = (insn >>> 24) & 1, u = (insn >>> 23) & 1, user = (insn >>> 22) & 1, w = (insn >>> 21) & 1, load = (insn >>> 20) & 1;
  const rn = reg(insn, 16), list = insn & 0xffff;
  if (list === 0 || rn === 15) { ctx.undef(); return; }
  if (user) {
    if (!ctx.priv) { ctx.undef(); return; }
    b.callVoid(H.ldmStmUser, b.const(insn));
    if (load && (list & 0x8000)) { b.lookupTb(); ctx.isJmp = Jump.JUMP; }
    return;
  }
  let n = 0;
  for (let i = 0; i < 16; i++) if (list & (1 << i)) n++;
  const base = ctx.ldReg(rn);
  const start = u ? (p ? 4 : 0) : (p ? -4 * n : -4 * n + 4);
  const mop = ctx.memop(2, false, true);
  const newBase = w ? b.addi(base, u ? 4 * n : -4 * n) : -1;
  if (load) {
    const vals: Temp[] = [];
    let k = 0;
    for (let i = 0; i < 16; i++) if (list & (1 << i)) vals[i] = b.qld(b.addi(base, start + 4 * k++), mop);
    if (w) ctx.stReg(rn, newBase);
    for (let i = 0; i < 15; i++) if (list & (1 << i)) ctx.stReg(i, vals[i]);
    if (list & 0x8000) ctx.genBx(vals[15]);
  } else {
    let k = 0;
    for (let i = 0; i < 16; i++) if (list & (1 << i)) b.qst(ctx.ldReg(i), b.addi(base, start + 4 * k++), mop);
    if (w) ctx.stReg(rn, newBase);
  }
}

// ---------------------------------------------------------------- branches

function branch(ctx: DisasContext, insn: number): void {
  const off = (insn << 8) >> 6;
  if (insn & (1 << 24)) ctx.b.stEnvi(S.R(14), ctx.nextPc);
  ctx.genGoto((ctx.pcVal + off) | 0, 0);
}

// ---------------------------------------------------------------- media

function mediaInsn(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  const op1 = (insn >>> 20) & 0x1f, op2 = (insn >>> 5) & 7;
  const rd = reg(insn, 12), rn = reg(insn, 16), rm = insn & 0xf;
  if (op1 === 0x1f && op2 === 7) { ctx.undef(); return; } // UDF
  switch (op1 >> 3) {
    case 0: // parallel add/subtract
      if ((op1 & 3) === 0 || op2 === 5 || op2 === 6) { ctx.undef(); return; }
      b.callVoid(H.media, b.const(insn));
      return;
    case 1: { // packing, unpacking, saturation, reversal
      const o = op1 & 7;
      if ((o & 2) && (op2 & 1) === 0) { b.callVoid(H.sat, b.const(insn)); return; }    // SSAT / USAT
      if ((o === 2 || o === 6) && op2 === 1) { b.callVoid(H.sat, b.const(insn)); return; } // SSAT16 / USAT16
      if (op2 === 3 && o !== 0 && o !== 4) {                                           // SXTB, SXTH, UXTB, UXTH (+A)
        const rot = ((insn >>> 10) & 3) * 8;
        let v = b.rotri(ctx.ldReg(rm), rot);
        switch (o) {
          case 2: v = b.ext8s(v); break;
          case 3: v = b.ext16s(v); break;
          case 6: v = b.ext8u(v); break;
          case 7: v = b.ext16u(v); break;
          default: ctx.undef(); return;
        }
        if (rn !== 15) v = b.add(ctx.ldReg(rn), v);
        ctx.stReg(rd, v);
        return;
      }
      if (o === 3 && op2 === 1) { ctx.stReg(rd, b.bswap32(ctx.ldReg(rm))); return; }     // REV
      if ((o === 0 && (op2 & 1) === 0) || (o === 0 && op2 === 5) || (op2 === 3) ||
          (o === 3 && op2 === 5) || (o === 7 && (op2 === 1 || op2 === 5))) {
        b.callVoid(H.media, b.const(insn));                                             // PKH, SEL, *XTB16, REV16, RBIT, REVSH
        return;
      }
      ctx.undef();
      return;
    }
    case 2: { // signed multiplies, divide
      if (op1 === 0x11 && op2 === 0) { divide(ctx, insn, true); return; }
      if (op1 === 0x13 && op2 === 0) { divide(ctx, insn, false); return; }
      if ((op1 === 0x10 || op1 === 0x14) && op2 < 4) { b.callVoid(H.dspMul, b.const(insn)); return; }
      if (op1 === 0x15 && (op2 <= 1 || op2 >= 6)) { b.callVoid(H.dspMul, b.const(insn)); return; }
      ctx.undef();
      return;
    }
    default: { // USAD8, bitfield
      if (op1 === 0x18 && op2 === 0) { b.callVoid(H.media, b.const(insn)); return; }
      const lsb = (insn >>> 7) & 0x1f, hi = (insn >>> 16) & 0x1f;
      if ((op1 & 0x1e) === 0x1c && (op2 & 3) === 0) {                 // BFC / BFI
        if (hi < lsb) { ctx.undef(); return; }
        const width = hi - lsb + 1;
        const mask = (width === 32 ? -1 : ((1 << width) - 1) << lsb) | 0;
        const src = rm === 15 ? b.const(0) : b.andi(b.shli(ctx.ldReg(rm), lsb), mask);
        ctx.stReg(rd, b.or(b.andi(ctx.ldReg(rd), ~mask), src));
        return;
      }
      if ((op1 & 0x1e) === 0x1a && (op2 & 3) === 2 || (op1 & 0x1e) === 0x1e && (op2 & 3) === 2) { // SBFX / UBFX
        const width = hi + 1;
        if (lsb + width > 32) { ctx.undef(); return; }
        const v = ctx.ldReg(rm);
        const sh = b.shli(v, 32 - lsb - width);
        ctx.stReg(rd, (op1 & 0x1e) === 0x1a ? b.sari(sh, 32 - width) : b.shri(sh, 32 - width));
        return;
      }
      ctx.undef();
    }
  }
}

function divide(ctx: DisasContext, insn: number, signed: boolean): void {
  const rd = reg(insn, 16), rm = reg(insn, 8), rn = insn & 0xf;
  const n = ctx.ldReg(rn), m = ctx.ldReg(rm);
  ctx.stReg(rd, signed ? ctx.b.divs(n, m) : ctx.b.divu(n, m));
}

// ---------------------------------------------------------------- coprocessor, SVC

/** cp10/cp11 (VFP): executed whole by the vfp helper (vfp.ts); shared with the T32 decoder. */
export function genVfp(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  b.callVoid(H.vfp, b.const(insn | 0), b.const(ctx.pcVal));
  // VMSR FPEXC (and the other system registers): enable state may change.
  if ((insn & 0x0ff00f1f) === 0x0ee00a10 && ((insn >>> 16) & 0xf) !== 1) ctx.isJmp = Jump.UPDATE_EXIT;
}

function coprocSvc(ctx: DisasContext, insn: number): void {
  if (((insn >>> 24) & 0xf) === 0xf) { ctx.genException(Excp.SWI); return; }
  genCoproc(ctx, insn);
}

/**
 * The coprocessor space in its A32 encoding (T32 shares the low 28 bits and
 * calls this with the A32 form): VFP, MCRR/MRRC and MRC/MCR on p14/p15.
 */
/**
 * CP15 writes after which the rest of the TB stays valid: Linux writes DACR
 * and cache maintenance registers on every kernel entry and exit, and ending
 * the TB there (with flags the JIT cannot know) sent each one back through
 * cpu_exec's lookup.
 */
function mcrKeepsTb(insn: number): boolean {
  if (((insn >>> 8) & 0xf) !== 15 || ((insn >>> 21) & 7) !== 0) return false;
  const crn = (insn >>> 16) & 0xf, crm = insn & 0xf, opc2 = (insn >>> 5) & 7;
  switch (crn) {
    case 3: return true;                              // DACR: permissions only (SoftTLB.flush(true))
    case 5: case 6: case 9: case 10: case 12: return true; // fault status/address, PMU, memory attributes, VBAR
    case 7: return !(crm === 0 && opc2 === 4);        // cache/predictor maintenance, barriers, ATS; not CP15 WFI
    case 13: return opc2 !== 0;                       // CONTEXTIDR and thread IDs (not FCSEIDR)
    default: return false;
  }
}

export function genCoproc(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  const cp = (insn >>> 8) & 0xf;
  if (cp === 10 || cp === 11) { genVfp(ctx, insn); return; }
  if ((insn & 0x0fe00000) === 0x0c400000) { // MCRR / MRRC
    if (cp !== 15) { ctx.undef(); return; }
    b.callVoid(H.cp64, b.const(insn));
    if (!(insn & (1 << 20))) ctx.isJmp = Jump.UPDATE_EXIT;
    return;
  }
  if ((insn & 0x0f000010) === 0x0e000010 && (cp === 15 || cp === 14)) { // MRC / MCR
    const rt = reg(insn, 12);
    if (insn & (1 << 20)) {
      const v = b.call(H.mrc, b.const(insn));
      if (rt === 15) { // APSR_nzcv form
        b.stEnv(S.NF, v);
        b.stEnv(S.ZF, b.andi(b.not(v), 0x40000000));
        b.stEnv(S.CF, b.andi(b.shri(v, 29), 1));
        b.stEnv(S.VF, b.shli(v, 3));
      } else ctx.stReg(rt, v);
    } else {
      b.stEnvi(S.R(15), ctx.pc);
      b.callVoid(H.mcr, b.const(insn), ctx.ldReg(rt));
      // SCTLR, TTBR, TLB maintenance, timers: later code may translate or fetch differently.
      if (!mcrKeepsTb(insn)) ctx.isJmp = Jump.UPDATE_EXIT;
    }
    return;
  }
  ctx.undef(); // LDC/STC, CDP, NEON; other coprocessors do not exist
}

// ---------------------------------------------------------------- unconditional space

function unconditional(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  if ((insn & 0x0ff10020) === 0x01000000) { // CPS
    b.callVoid(H.cps, b.const(insn));
    ctx.isJmp = Jump.UPDATE_EXIT;
    return;
  }
  if ((insn & 0x0ffffdff) === 0x01010000) { // SETEND
    if (insn & 0x200) { ctx.cpu.log('unimp', 'SETEND BE: big-endian data not supported'); ctx.undef(); }
    return;
  }
  if ((insn & 0x0ff000f0) === 0x05700010 && ((insn >>> 8) & 0xfff) === 0xff0) { b.callVoid(H.clrex); return; } // CLREX
  if ((insn & 0x0fffff00) === 0x057ff000) { // DSB / DMB / ISB
    const op = (insn >>> 4) & 0xf;
    if (op === 4 || op === 5) return;
    if (op === 6) { ctx.isJmp = Jump.END_TB; return; }
  }
  if ((insn & 0x0d300000) === 0x05100000 || (insn & 0x0d300000) === 0x04100000 || (insn & 0x0d700010) === 0x07500000 ||
      (insn & 0x0d700010) === 0x06500000 || (insn & 0x0d700010) === 0x07100000 || (insn & 0x0d700010) === 0x06100000) {
    // PLD, PLDW, PLI (immediate and register): hints, no effect
    if ((insn & 0x0e500000) === 0x04500000 || (insn & 0x0e500000) === 0x04100000 || (insn & 0x0f700000) === 0x06500000 ||
        (insn & 0x0f700000) === 0x06100000 || (insn & 0x0f700000) === 0x07500000 || (insn & 0x0f700000) === 0x07100000 ||
        (insn & 0x0f700000) === 0x05500000 || (insn & 0x0f700000) === 0x05100000) return;
  }
  if ((insn & 0x0e5fffe0) === 0x084d0500) { b.callVoid(H.srs, b.const(insn)); return; }   // SRS
  if ((insn & 0x0e50ffff) === 0x08100a00) {                                                 // RFE
    b.callVoid(H.rfe, b.const(insn));
    b.lookupTb();
    ctx.isJmp = Jump.JUMP;
    return;
  }
  if ((insn & 0x0e000000) === 0x0a000000) { // BLX (immediate): to Thumb
    const off = ((insn << 8) >> 6) | ((insn >>> 23) & 2);
    b.stEnvi(S.R(14), ctx.nextPc);
    const rest = b.ldEnv(S.CPSR_REST);
    b.stEnv(S.CPSR_REST, b.ori(rest, S.CPSR_T));
    b.stEnvi(S.R(15), (ctx.pcVal + off) | 0);
    b.lookupTb();
    ctx.isJmp = Jump.JUMP;
    return;
  }
  ctx.undef();
}

