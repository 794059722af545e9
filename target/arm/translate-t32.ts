/**
 * The T32 (Thumb and Thumb-2) decoder: one ARMv7-A Thumb instruction to IR,
 * following the encoding tables of the ARM ARM (A6.2-A6.3). Instructions
 * that exist in A32 with the same semantics reuse the A32 whole-instruction
 * helpers with their fields re-packed into the A32 layout.
 */
import { Cond, type Temp } from '../../tcg/ir.js';
import { DisasContext, Jump } from './translate.js';
import { H } from './helpers.js';
import { Excp } from './cpu.js';
import * as S from './cpu-state.js';
import { genCoproc, genShiftReg } from './translate-a32.js';

export function translateT32(ctx: DisasContext, insn: number, is32: boolean): void {
  if (is32) t32(ctx, insn); else t16(ctx, insn);
}

// ---------------------------------------------------------------- shared pieces

/** Immediate-shifted register operand (DecodeImmShift + Shift_C); carry temp or null = unchanged. */
function shiftImm(ctx: DisasContext, v: Temp, type: number, amt: number, carry: boolean): [Temp, Temp | null] {
  const b = ctx.b;
  switch (type) {
    case 0:
      if (amt === 0) return [v, null];
      return [b.shli(v, amt), carry ? b.andi(b.shri(v, 32 - amt), 1) : null];
    case 1:
      if (amt === 0) return [b.const(0), carry ? b.shri(v, 31) : null];
      return [b.shri(v, amt), carry ? b.andi(b.shri(v, amt - 1), 1) : null];
    case 2:
      if (amt === 0) { const r = b.sari(v, 31); return [r, carry ? b.andi(r, 1) : null]; }
      return [b.sari(v, amt), carry ? b.andi(b.shri(v, amt - 1), 1) : null];
    default:
      if (amt === 0) {
        const r = b.or(b.shli(b.ldEnv(S.CF), 31), b.shri(v, 1));
        return [r, carry ? b.andi(v, 1) : null];
      }
      return [b.rotri(v, amt), carry ? b.andi(b.shri(v, amt - 1), 1) : null];
  }
}

/**
 * The data-processing operations shared by the 32-bit modified-immediate and
 * shifted-register forms (op = insn bits 24:21). Returns false when undefined.
 */
function dpOp(ctx: DisasContext, op: number, s: boolean, rn: number, rd: number, op2: Temp, carry: Temp | null): boolean {
  const b = ctx.b;
  const a = () => ctx.ldReg(rn);
  let res: Temp;
  let logical = false;
  let test = false;
  switch (op) {
    case 0x0: res = b.and(a(), op2); logical = true; test = rd === 15; break;   // AND / TST
    case 0x1: res = b.andc(a(), op2); logical = true; break;                    // BIC
    case 0x2: res = rn === 15 ? op2 : b.or(a(), op2); logical = true; break;    // ORR / MOV
    case 0x3: res = rn === 15 ? b.not(op2) : b.or(a(), b.not(op2)); logical = true; break; // ORN / MVN
    case 0x4: res = b.xor(a(), op2); logical = true; test = rd === 15; break;   // EOR / TEQ
    case 0x8: res = ctx.add(a(), op2, s, false); test = rd === 15; break;       // ADD / CMN
    case 0xa: res = ctx.add(a(), op2, s, true); break;                          // ADC
    case 0xb: res = ctx.sub(a(), op2, s, true); break;                          // SBC
    case 0xd: res = ctx.sub(a(), op2, s, false); test = rd === 15; break;       // SUB / CMP
    case 0xe: res = ctx.sub(op2, a(), s, false); break;                         // RSB
    default: return false;
  }
  if (test && !s) return false;
  if (s && logical) {
    ctx.setNZ(res);
    if (carry !== null) ctx.setC(carry);
  }
  if (test) return true;
  if (rd === 15) return false;
  ctx.stReg(rd, res);
  return true;
}

/** ThumbExpandImm_C: [value, carry-out or null when C is unchanged]. */
function thumbExpandImm(imm12: number): [number, boolean] {
  if ((imm12 >>> 10) === 0) {
    const i8 = imm12 & 0xff;
    switch ((imm12 >>> 8) & 3) {
      case 0: return [i8, false];
      case 1: return [(i8 << 16) | i8, false];
      case 2: return [((i8 << 24) | (i8 << 8)) | 0, false];
      default: return [((i8 << 24) | (i8 << 16) | (i8 << 8) | i8) | 0, false];
    }
  }
  const un = 0x80 | (imm12 & 0x7f), rot = imm12 >>> 7;
  return [((un >>> rot) | (un << (32 - rot))) | 0, true];
}

/** LDM/STM (IA or DB) with optional writeback; a loaded pc interworks. */
function ldmStm(ctx: DisasContext, rn: number, list: number, load: boolean, inc: boolean, wb: boolean): void {
  const b = ctx.b;
  if (list === 0 || rn === 15) { ctx.undef(); return; }
  let n = 0;
  for (let i = 0; i < 16; i++) if (list & (1 << i)) n++;
  const base = ctx.ldReg(rn);
  const start = inc ? 0 : -4 * n;
  const mop = ctx.memop(2, false, true);
  const newBase = wb ? b.addi(base, inc ? 4 * n : -4 * n) : -1;
  if (load) {
    const vals: Temp[] = [];
    let k = 0;
    for (let i = 0; i < 16; i++) if (list & (1 << i)) vals[i] = b.qld(b.addi(base, start + 4 * k++), mop);
    if (wb && !(list & (1 << rn))) ctx.stReg(rn, newBase);
    for (let i = 0; i < 15; i++) if (list & (1 << i)) ctx.stReg(i, vals[i]);
    if (list & 0x8000) ctx.genBx(vals[15]);
  } else {
    let k = 0;
    for (let i = 0; i < 16; i++) if (list & (1 << i)) b.qst(ctx.ldReg(i), b.addi(base, start + 4 * k++), mop);
    if (wb) ctx.stReg(rn, newBase);
  }
}

/** Load into rt (pc loads interwork), or store rt. size log2; signed for loads. */
function ldst(ctx: DisasContext, load: boolean, size: number, signed: boolean, rt: number, addr: Temp, mmu = ctx.mmuIdx): Temp {
  const b = ctx.b;
  if (load) return b.qld(addr, ctx.memop(size, signed, false, mmu));
  b.qst(ctx.ldReg(rt), addr, ctx.memop(size, false, false, mmu));
  return -1;
}

function branchImm(ctx: DisasContext, target: number, link: boolean): void {
  if (link) ctx.b.stEnvi(S.R(14), ctx.nextPc | 1);
  ctx.genGoto(target | 0, 0);
}

function condBranch(ctx: DisasContext, cond: number, target: number): void {
  const l = ctx.b.label();
  ctx.genCondBranch(cond, l, true);
  ctx.genGoto(target | 0, 0);
  ctx.condLabel = l;
}

function msr(ctx: DisasContext, r: boolean, fields: number, v: Temp): void {
  const b = ctx.b;
  let mask = 0;
  if (fields & 1) mask |= 0xff;
  if (fields & 2) mask |= 0xff00;
  if (fields & 4) mask |= 0xff0000;
  if (fields & 8) mask |= 0xff000000;
  if (r) { b.callVoid(H.spsrWrite, v, b.const(mask)); return; }
  b.callVoid(H.cpsrWrite, v, b.const(mask));
  if (mask & 0xff) ctx.isJmp = Jump.UPDATE_EXIT;
}

// ---------------------------------------------------------------- 16-bit

function t16(ctx: DisasContext, hw: number): void {
  const b = ctx.b;
  const setf = !ctx.inIt;
  const lo3 = (bit: number) => (hw >>> bit) & 7;
  switch (hw >>> 12) {
    case 0x0: case 0x1: {
      const op = (hw >>> 11) & 3;
      const rd = lo3(0), rm = lo3(3);
      if (op === 3) { // ADD/SUB register or 3-bit immediate
        const rn = rm;
        const o2 = hw & (1 << 10) ? b.const(lo3(6)) : ctx.ldReg(lo3(6));
        const r = hw & (1 << 9) ? ctx.sub(ctx.ldReg(rn), o2, setf, false) : ctx.add(ctx.ldReg(rn), o2, setf, false);
        ctx.stReg(rd, r);
        return;
      }
      const [r, c] = shiftImm(ctx, ctx.ldReg(rm), op, (hw >>> 6) & 0x1f, setf);
      if (setf) { ctx.setNZ(r); if (c !== null) ctx.setC(c); }
      ctx.stReg(rd, r);
      return;
    }
    case 0x2: case 0x3: { // MOV CMP ADD SUB imm8
      const rd = lo3(8), imm = b.const(hw & 0xff);
      switch ((hw >>> 11) & 3) {
        case 0: ctx.stReg(rd, imm); if (setf) ctx.setNZ(imm); return;
        case 1: ctx.sub(ctx.ldReg(rd), imm, true, false); return;
        case 2: ctx.stReg(rd, ctx.add(ctx.ldReg(rd), imm, setf, false)); return;
        default: ctx.stReg(rd, ctx.sub(ctx.ldReg(rd), imm, setf, false)); return;
      }
    }
    case 0x4: {
      if ((hw & 0xfc00) === 0x4000) { dp16(ctx, hw, setf); return; }
      if ((hw & 0xfc00) === 0x4400) { special16(ctx, hw); return; }
      // LDR literal
      const addr = b.const(((ctx.pcVal & ~3) + (hw & 0xff) * 4) | 0);
      ctx.stReg(lo3(8), b.qld(addr, ctx.memop(2)));
      return;
    }
    case 0x5: { // load/store register offset
      const rt = lo3(0), addr = b.add(ctx.ldReg(lo3(3)), ctx.ldReg(lo3(6)));
      const opB = (hw >>> 9) & 7;
      const sz = [2, 1, 0, 0, 2, 1, 0, 1][opB], load = opB >= 3, signed = opB === 3 || opB === 7;
      const v = ldst(ctx, load, sz, signed, rt, addr);
      if (load) ctx.stReg(rt, v);
      return;
    }
    case 0x6: case 0x7: case 0x8: { // LDR/STR(B/H) immediate
      const load = (hw & 0x800) !== 0;
      const sz = (hw >>> 12) === 6 ? 2 : (hw >>> 12) === 7 ? 0 : 1;
      const rt = lo3(0), addr = b.addi(ctx.ldReg(lo3(3)), ((hw >>> 6) & 0x1f) << sz);
      const v = ldst(ctx, load, sz, false, rt, addr);
      if (load) ctx.stReg(rt, v);
      return;
    }
    case 0x9: { // SP-relative
      const load = (hw & 0x800) !== 0, rt = lo3(8);
      const addr = b.addi(ctx.ldReg(13), (hw & 0xff) * 4);
      const v = ldst(ctx, load, 2, false, rt, addr);
      if (load) ctx.stReg(rt, v);
      return;
    }
    case 0xa: { // ADR, ADD rd, sp, #imm
      const rd = lo3(8), imm = (hw & 0xff) * 4;
      if (hw & 0x800) ctx.stReg(rd, b.addi(ctx.ldReg(13), imm));
      else ctx.stReg(rd, b.const(((ctx.pcVal & ~3) + imm) | 0));
      return;
    }
    case 0xb: misc16(ctx, hw); return;
    case 0xc: { // STM / LDM
      const rn = lo3(8), list = hw & 0xff, load = (hw & 0x800) !== 0;
      ldmStm(ctx, rn, list, load, true, !load || !(list & (1 << rn)));
      return;
    }
    case 0xd: {
      const cond = (hw >>> 8) & 0xf;
      if (cond === 0xe) { ctx.undef(); return; }              // UDF
      if (cond === 0xf) { // SVC: the SPSR gets the IT state of the next instruction (the return address)
        ctx.b.ops[ctx.insnStartOp + 2] = ctx.itNext;
        ctx.genException(Excp.SWI);
        return;
      }
      condBranch(ctx, cond, ctx.pcVal + (((hw & 0xff) << 24) >> 23));
      return;
    }
    default: // 0xe: B
      if (hw & 0x800) { ctx.undef(); return; }
      branchImm(ctx, ctx.pcVal + (((hw & 0x7ff) << 21) >> 20), false);
      return;
  }
}

function dp16(ctx: DisasContext, hw: number, setf: boolean): void {
  const b = ctx.b;
  const rd = hw & 7, rm = (hw >>> 3) & 7;
  const op = (hw >>> 6) & 0xf;
  const a = () => ctx.ldReg(rd), m = () => ctx.ldReg(rm);
  let r: Temp;
  switch (op) {
    case 0x0: case 0x8: r = b.and(a(), m()); break;
    case 0x1: r = b.xor(a(), m()); break;
    case 0x2: case 0x3: case 0x4: case 0x7: { // LSL LSR ASR ROR by register
      const type = op === 2 ? 0 : op === 3 ? 1 : op === 4 ? 2 : 3;
      r = genShiftReg(ctx, a(), m(), type, setf);
      break;
    }
    case 0x5: ctx.stReg(rd, ctx.add(a(), m(), setf, true)); return;
    case 0x6: ctx.stReg(rd, ctx.sub(a(), m(), setf, true)); return;
    case 0x9: ctx.stReg(rd, ctx.sub(b.const(0), m(), setf, false)); return; // RSB #0
    case 0xa: ctx.sub(a(), m(), true, false); return;                      // CMP
    case 0xb: ctx.add(a(), m(), true, false); return;                      // CMN
    case 0xc: r = b.or(a(), m()); break;
    case 0xd: r = b.mul(m(), a()); break;
    case 0xe: r = b.andc(a(), m()); break;
    default: r = b.not(m()); break;
  }
  if (op === 0x8) { ctx.setNZ(r); return; } // TST
  if (setf) ctx.setNZ(r);
  ctx.stReg(rd, r);
}

function special16(ctx: DisasContext, hw: number): void {
  const b = ctx.b;
  const rd = (hw & 7) | ((hw >>> 4) & 8), rm = (hw >>> 3) & 0xf;
  switch ((hw >>> 8) & 3) {
    case 0: { // ADD (high registers)
      const r = b.add(ctx.ldReg(rd), ctx.ldReg(rm));
      if (rd === 15) ctx.genBranchReg(r); else ctx.stReg(rd, r);
      return;
    }
    case 1: ctx.sub(ctx.ldReg(rd), ctx.ldReg(rm), true, false); return; // CMP
    case 2: { // MOV
      const v = ctx.ldReg(rm);
      if (rd === 15) ctx.genBranchReg(v); else ctx.stReg(rd, v);
      return;
    }
    default: { // BX / BLX
      const target = ctx.ldReg(rm);
      if (hw & 0x80) {
        if (rm === 15) { ctx.undef(); return; }
        b.stEnvi(S.R(14), ctx.nextPc | 1);
      }
      ctx.genBx(target);
    }
  }
}

function misc16(ctx: DisasContext, hw: number): void {
  const b = ctx.b;
  const op = (hw >>> 5) & 0x7f;
  if ((op & 0x78) === 0) { // ADD/SUB sp, sp, #imm7*4
    const imm = (hw & 0x7f) * 4;
    ctx.stReg(13, b.addi(ctx.ldReg(13), hw & 0x80 ? -imm : imm));
    return;
  }
  if ((hw & 0x0500) === 0x0100) { // CBZ / CBNZ
    const rn = hw & 7, off = (((hw >>> 9) & 1) << 6) | (((hw >>> 3) & 0x1f) << 1);
    const l = b.label();
    b.brcondi(hw & 0x800 ? Cond.EQ : Cond.NE, ctx.ldReg(rn), 0, l);
    ctx.genGoto((ctx.pcVal + off) | 0, 0);
    ctx.condLabel = l;
    return;
  }
  if ((op & 0x78) === 0x10) { // SXTH SXTB UXTH UXTB
    const v = ctx.ldReg((hw >>> 3) & 7);
    const r = [b.ext16s(v), b.ext8s(v), b.ext16u(v), b.ext8u(v)][(hw >>> 6) & 3];
    ctx.stReg(hw & 7, r);
    return;
  }
  if ((op & 0x70) === 0x20) { // PUSH
    ldmStm(ctx, 13, (hw & 0xff) | (hw & 0x100 ? 0x4000 : 0), false, false, true);
    return;
  }
  if ((op & 0x70) === 0x60) { // POP
    ldmStm(ctx, 13, (hw & 0xff) | (hw & 0x100 ? 0x8000 : 0), true, true, true);
    return;
  }
  if (op === 0x33) { // CPS
    const imod = hw & 0x10 ? 3 : 2;
    b.callVoid(H.cps, b.const((imod << 18) | ((hw & 4) << 6) | ((hw & 2) << 6) | ((hw & 1) << 6)));
    ctx.isJmp = Jump.UPDATE_EXIT;
    return;
  }
  if (op === 0x32) { // SETEND
    if (hw & 8) { ctx.cpu.log('unimp', 'SETEND BE: big-endian data not supported'); ctx.undef(); }
    return;
  }
  if ((op & 0x78) === 0x50) { // REV REV16 (HLT) REVSH
    const rd = hw & 7, rm = (hw >>> 3) & 7;
    switch ((hw >>> 6) & 3) {
      case 0: ctx.stReg(rd, b.bswap32(ctx.ldReg(rm))); return;
      case 1: b.callVoid(H.media, b.const(0xe6bf0fb0 | (rd << 12) | rm)); return;
      case 3: b.callVoid(H.media, b.const(0xe6ff0fb0 | (rd << 12) | rm)); return;
      default: ctx.undef(); return;
    }
  }
  if ((op & 0x78) === 0x70) { // BKPT
    b.callVoid(H.bkpt); b.lookupTb(); ctx.isJmp = Jump.JUMP;
    return;
  }
  if ((op & 0x78) === 0x78) { // IT, hints
    if (hw & 0xf) {
      if (ctx.inIt) { ctx.undef(); return; }
      ctx.itNext = hw & 0xff;
      return;
    }
    ctx.genHint((hw >>> 4) & 0xf);
    return;
  }
  ctx.undef();
}

// ---------------------------------------------------------------- 32-bit

function t32(ctx: DisasContext, insn: number): void {
  const hw1 = insn >>> 16, hw2 = insn & 0xffff;
  const op1 = (hw1 >>> 11) & 3, op2 = (hw1 >>> 4) & 0x7f;
  if (op1 === 1) {
    if ((op2 & 0x64) === 0) { ldmT32(ctx, insn); return; }
    if ((op2 & 0x64) === 4) { dualExclTable(ctx, insn); return; }
    if ((op2 & 0x60) === 0x20) { dpShiftedReg(ctx, insn); return; }
    coproc(ctx, insn);
    return;
  }
  if (op1 === 2) {
    if (hw2 & 0x8000) { branchMisc(ctx, insn); return; }
    if (op2 & 0x20) plainImm(ctx, insn); else modImm(ctx, insn);
    return;
  }
  // op1 == 3
  if ((op2 & 0x71) === 0) { loadStoreSingle(ctx, insn); return; }
  if ((op2 & 0x67) === 1 || (op2 & 0x67) === 3 || (op2 & 0x67) === 5) { loadStoreSingle(ctx, insn); return; }
  if ((op2 & 0x70) === 0x20) { dpReg(ctx, insn); return; }
  if ((op2 & 0x78) === 0x30) { mulAcc(ctx, insn); return; }
  if ((op2 & 0x78) === 0x38) { longMulDiv(ctx, insn); return; }
  if (op2 & 0x40) { coproc(ctx, insn); return; }
  ctx.undef(); // NEON element/structure loads and stores
}

function ldmT32(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  const op = (insn >>> 23) & 3, w = (insn >>> 21) & 1, load = (insn >>> 20) & 1, rn = (insn >>> 16) & 0xf;
  if (op === 0 || op === 3) { // SRS / RFE
    const p = op === 0 ? 1 : 0, u = op === 3 ? 1 : 0;
    if (!ctx.priv) { ctx.undef(); return; }
    if (load) {
      b.callVoid(H.rfe, b.const(0xf8100a00 | (p << 24) | (u << 23) | (w << 21) | (rn << 16)));
      b.lookupTb();
      ctx.isJmp = Jump.JUMP;
    } else {
      b.callVoid(H.srs, b.const(0xf84d0500 | (p << 24) | (u << 23) | (w << 21) | (insn & 0x1f)));
    }
    return;
  }
  const list = insn & 0xffff;
  if (list & 0x2000 || (!load && (list & 0x8000)) || (load && (list & 0xc000) === 0xc000)) { ctx.undef(); return; }
  ldmStm(ctx, rn, list, load !== 0, op === 1, w !== 0);
}

function dualExclTable(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  const op1 = (insn >>> 23) & 3, op2 = (insn >>> 20) & 3, op3 = (insn >>> 4) & 0xf;
  const rn = (insn >>> 16) & 0xf, rt = (insn >>> 12) & 0xf, rt2 = (insn >>> 8) & 0xf;
  if (op1 === 0 && op2 < 2) { // STREX / LDREX word
    const addr = b.addi(ctx.ldReg(rn), (insn & 0xff) * 4);
    if (op2 === 1) b.callVoid(H.exclusiveT32, b.const((0 << 8) | (1 << 4) | rt), addr, b.const(0));
    else b.callVoid(H.exclusiveT32, b.const((0 << 8) | (rt2 << 12) | rt), addr, b.const(0));
    return;
  }
  if (op1 === 1 && op2 < 2) {
    if (op2 === 1 && op3 < 2) { // TBB / TBH
      let idx = ctx.ldReg(insn & 0xf);
      if (op3 === 1) idx = b.shli(idx, 1);
      const off = b.qld(b.add(ctx.ldReg(rn), idx), ctx.memop(op3));
      const target = b.add(b.const(ctx.pcVal), b.shli(off, 1));
      ctx.genBranchReg(target);
      return;
    }
    const size = [1, 2, -1, 3][op3 - 4];
    if (op3 < 4 || op3 > 7 || size === -1 || size === undefined) { ctx.undef(); return; }
    // size code: 0 word, 1 byte, 2 half, 3 doubleword
    const addr = ctx.ldReg(rn);
    if (op2 === 1) b.callVoid(H.exclusiveT32, b.const((size << 8) | (1 << 4) | rt), addr, b.const(rt2));
    else b.callVoid(H.exclusiveT32, b.const((size << 8) | ((insn & 0xf) << 12) | rt), addr, b.const(rt2));
    return;
  }
  // LDRD / STRD (immediate, literal)
  const p = (insn >>> 24) & 1, u = (insn >>> 23) & 1, w = (insn >>> 21) & 1, load = (insn >>> 20) & 1;
  if (!p && !w) { ctx.undef(); return; }
  const imm = (insn & 0xff) * 4;
  const base = rn === 15 ? b.const(ctx.pcVal & ~3) : ctx.ldReg(rn);
  const offAddr = b.addi(base, u ? imm : -imm);
  const addr = p ? offAddr : base;
  const mop = ctx.memop(2, false, true);
  if (load) {
    const lo = b.qld(addr, mop), hi = b.qld(b.addi(addr, 4), mop);
    if (w) ctx.stReg(rn, offAddr);
    ctx.stReg(rt, lo); ctx.stReg(rt2, hi);
  } else {
    b.qst(ctx.ldReg(rt), addr, mop);
    b.qst(ctx.ldReg(rt2), b.addi(addr, 4), mop);
    if (w) ctx.stReg(rn, offAddr);
  }
}

function dpShiftedReg(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  const op = (insn >>> 21) & 0xf, s = (insn & (1 << 20)) !== 0;
  const rn = (insn >>> 16) & 0xf, rd = (insn >>> 8) & 0xf, rm = insn & 0xf;
  const type = (insn >>> 4) & 3, amt = ((insn >>> 10) & 0x1c) | ((insn >>> 6) & 3);
  if (op === 6) { // PKHBT / PKHTB
    if (s || (type & 1)) { ctx.undef(); return; }
    b.callVoid(H.media, b.const(0xe6800010 | (rn << 16) | (rd << 12) | (amt << 7) | ((type >> 1) << 6) | rm));
    return;
  }
  const logical = op <= 4;
  const [op2, carry] = shiftImm(ctx, ctx.ldReg(rm), type, amt, s && logical);
  if (!dpOp(ctx, op, s, rn, rd, op2, carry)) ctx.undef();
}

function modImm(ctx: DisasContext, insn: number): void {
  const op = (insn >>> 21) & 0xf, s = (insn & (1 << 20)) !== 0;
  const rn = (insn >>> 16) & 0xf, rd = (insn >>> 8) & 0xf;
  const imm12 = ((insn >>> 15) & 0x800) | ((insn >>> 4) & 0x700) | (insn & 0xff);
  const [v, rot] = thumbExpandImm(imm12);
  const carry = s && rot && op <= 4 ? ctx.b.const(v >>> 31) : null;
  if (!dpOp(ctx, op, s, rn, rd, ctx.b.const(v), carry)) ctx.undef();
}

function plainImm(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  const op = (insn >>> 20) & 0x1f, rn = (insn >>> 16) & 0xf, rd = (insn >>> 8) & 0xf;
  const imm12 = ((insn >>> 15) & 0x800) | ((insn >>> 4) & 0x700) | (insn & 0xff);
  const lsb = ((insn >>> 10) & 0x1c) | ((insn >>> 6) & 3), w5 = insn & 0x1f;
  switch (op) {
    case 0x00: case 0x0a: { // ADDW / SUBW / ADR
      const base = rn === 15 ? b.const(ctx.pcVal & ~3) : ctx.ldReg(rn);
      ctx.stReg(rd, b.addi(base, op === 0 ? imm12 : -imm12));
      return;
    }
    case 0x04: ctx.stReg(rd, b.const(((insn >>> 4) & 0xf000) | imm12)); return; // MOVW
    case 0x0c: // MOVT
      ctx.stReg(rd, b.or(b.andi(ctx.ldReg(rd), 0xffff), b.const(((((insn >>> 4) & 0xf000) | imm12) << 16) | 0)));
      return;
    case 0x10: case 0x12: case 0x18: case 0x1a: { // SSAT, SSAT16, USAT, USAT16
      const u = op >= 0x18 ? 1 : 0, sh = (op >>> 1) & 1;
      if (sh && lsb === 0) { b.callVoid(H.sat, b.const(0xe6a00f30 | (u << 22) | ((insn & 0xf) << 16) | (rd << 12) | rn)); return; }
      b.callVoid(H.sat, b.const(0xe6a00010 | (u << 22) | (w5 << 16) | (rd << 12) | (lsb << 7) | (sh << 6) | rn));
      return;
    }
    case 0x14: case 0x1c: { // SBFX / UBFX
      const width = w5 + 1;
      if (lsb + width > 32) { ctx.undef(); return; }
      const sh = b.shli(ctx.ldReg(rn), 32 - lsb - width);
      ctx.stReg(rd, op === 0x14 ? b.sari(sh, 32 - width) : b.shri(sh, 32 - width));
      return;
    }
    case 0x16: { // BFI / BFC
      if (w5 < lsb) { ctx.undef(); return; }
      const width = w5 - lsb + 1;
      const mask = (width === 32 ? -1 : ((1 << width) - 1) << lsb) | 0;
      const src = rn === 15 ? b.const(0) : b.andi(b.shli(ctx.ldReg(rn), lsb), mask);
      ctx.stReg(rd, b.or(b.andi(ctx.ldReg(rd), ~mask), src));
      return;
    }
  }
  ctx.undef();
}

function branchMisc(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  const op = (insn >>> 20) & 0x7f, op1 = (insn >>> 12) & 7;
  const sBit = (insn >>> 26) & 1, j1 = (insn >>> 13) & 1, j2 = (insn >>> 11) & 1;
  if (op1 & 5) { // B.W, BL, BLX
    const i1 = (j1 ^ sBit) ^ 1, i2 = (j2 ^ sBit) ^ 1;
    let off = (sBit << 24) | (i1 << 23) | (i2 << 22) | (((insn >>> 16) & 0x3ff) << 12) | ((insn & 0x7ff) << 1);
    off = (off << 7) >> 7;
    if ((op1 & 5) === 1) { branchImm(ctx, ctx.pcVal + off, false); return; }
    if (op1 & 1) { branchImm(ctx, ctx.pcVal + off, true); return; }
    // BLX to ARM state
    if (insn & 1) { ctx.undef(); return; }
    b.stEnvi(S.R(14), ctx.nextPc | 1);
    b.stEnv(S.CPSR_REST, b.andi(b.ldEnv(S.CPSR_REST), ~S.CPSR_T));
    const dest = ((ctx.pcVal & ~3) + off) | 0;
    b.stEnvi(S.R(15), dest);
    b.lookupTb(b.const(dest), b.const(ctx.nextFlags() & ~S.TBF_THUMB));
    ctx.isJmp = Jump.JUMP;
    return;
  }
  if ((op1 & 5) === 0 && (op & 0x38) !== 0x38) { // B<c>.W
    const cond = (insn >>> 22) & 0xf;
    let off = (sBit << 20) | (j2 << 19) | (j1 << 18) | (((insn >>> 16) & 0x3f) << 12) | ((insn & 0x7ff) << 1);
    off = (off << 11) >> 11;
    condBranch(ctx, cond, ctx.pcVal + off);
    return;
  }
  if (op1 === 2 && op === 0x7f) { ctx.undef(); return; } // UDF
  if ((op1 & 5) !== 0) { ctx.undef(); return; }
  const rn = (insn >>> 16) & 0xf;
  switch (op) {
    case 0x38: case 0x39: // MSR (register)
      if (insn & 0x20) { ctx.undef(); return; }
      msr(ctx, (op & 1) !== 0, (insn >>> 8) & 0xf, ctx.ldReg(rn));
      return;
    case 0x3a: { // CPS, hints
      if ((insn & 0x700) === 0) { ctx.genHint(insn & 0xff); return; }
      const imod = (insn >>> 9) & 3, m = (insn >>> 8) & 1;
      b.callVoid(H.cps, b.const((imod << 18) | (m << 17) | (((insn >>> 5) & 7) << 6) | (insn & 0x1f)));
      ctx.isJmp = Jump.UPDATE_EXIT;
      return;
    }
    case 0x3b: { // CLREX, DSB, DMB, ISB
      const o = (insn >>> 4) & 0xf;
      if (o === 2) { b.callVoid(H.clrex); return; }
      if (o === 4 || o === 5) return;
      if (o === 6) { ctx.isJmp = Jump.END_TB; return; }
      ctx.undef();
      return;
    }
    case 0x3c: ctx.genBx(ctx.ldReg(rn)); return; // BXJ
    case 0x3d: { // SUBS pc, lr, #imm8 (ERET)
      if (!ctx.priv) { ctx.undef(); return; }
      b.callVoid(H.eret, b.sub(ctx.ldReg(rn), b.const(insn & 0xff)));
      b.lookupTb();
      ctx.isJmp = Jump.JUMP;
      return;
    }
    case 0x3e: case 0x3f: // MRS
      if (insn & 0x20) { ctx.undef(); return; }
      if (op & 1) ctx.stReg((insn >>> 8) & 0xf, b.call(H.spsrRead));
      else ctx.stReg((insn >>> 8) & 0xf, b.andi(b.call(H.cpsrRead), ~(S.CPSR_T | S.CPSR_IT_MASK | S.CPSR_J))); // execution state bits read as zero
      return;
    case 0x7e: // HVC
      b.stEnvi(S.R(15), ctx.nextPc);
      b.callVoid(H.hvc, b.const(((insn >>> 4) & 0xf000) | (insn & 0xfff)));
      ctx.isJmp = Jump.UPDATE_EXIT;
      return;
    case 0x7f: // SMC
      b.stEnvi(S.R(15), ctx.nextPc);
      b.callVoid(H.smc);
      ctx.isJmp = Jump.UPDATE_EXIT;
      return;
  }
  ctx.undef();
}

function loadStoreSingle(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  const signed = (insn >>> 24) & 1, size = (insn >>> 21) & 3, load = (insn >>> 20) & 1;
  const rn = (insn >>> 16) & 0xf, rt = (insn >>> 12) & 0xf;
  if (size === 3 || (!load && signed)) { ctx.undef(); return; }
  let addr: Temp, wbAddr: Temp = -1;
  let mmu = ctx.mmuIdx;
  if (rn === 15) { // literal
    if (!load) { ctx.undef(); return; }
    const imm = insn & 0xfff;
    addr = b.const(((ctx.pcVal & ~3) + ((insn & (1 << 23)) ? imm : -imm)) | 0);
  } else if (insn & (1 << 23)) { // imm12
    addr = b.addi(ctx.ldReg(rn), insn & 0xfff);
  } else if ((insn & 0x800) === 0) { // register
    if (insn & 0x7c0) { ctx.undef(); return; }
    addr = b.add(ctx.ldReg(rn), b.shli(ctx.ldReg(insn & 0xf), (insn >>> 4) & 3));
  } else { // imm8: P U W
    const p = (insn >>> 10) & 1, u = (insn >>> 9) & 1, w = (insn >>> 8) & 1, imm = insn & 0xff;
    if (!p && !w) { ctx.undef(); return; }
    const base = ctx.ldReg(rn);
    const off = b.addi(base, u ? imm : -imm);
    if (p && u && !w) mmu = S.MMU_PL0; // LDRT / STRT family
    addr = p ? off : base;
    if (w) wbAddr = off;
  }
  if (load && rt === 15 && size !== 2) return; // PLD, PLI: hints
  const v = ldst(ctx, load !== 0, size, signed !== 0, rt, addr, mmu);
  if (wbAddr >= 0) ctx.stReg(rn, wbAddr);
  if (load) {
    if (rt === 15) ctx.genBx(v); else ctx.stReg(rt, v);
  }
}

function dpReg(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  const op1 = (insn >>> 20) & 0xf, op2 = (insn >>> 4) & 0xf;
  const rn = (insn >>> 16) & 0xf, rd = (insn >>> 8) & 0xf, rm = insn & 0xf;
  if ((insn & 0xf000) !== 0xf000) { ctx.undef(); return; }
  if (op2 === 0 && op1 < 8) { // LSL LSR ASR ROR (register)
    const s = (op1 & 1) !== 0;
    const r = genShiftReg(ctx, ctx.ldReg(rn), ctx.ldReg(rm), op1 >> 1, s);
    if (s) ctx.setNZ(r);
    ctx.stReg(rd, r);
    return;
  }
  if (op1 < 6 && (op2 & 8)) { // extends
    const rot = ((insn >>> 4) & 3) * 8;
    if (op1 === 2 || op1 === 3) { // SXTAB16 / UXTAB16
      b.callVoid(H.media, b.const(0xe6800070 | ((op1 === 3 ? 4 : 0) << 20) | (rn << 16) | (rd << 12) | ((rot >> 3) << 10) | rm));
      return;
    }
    let v = b.rotri(ctx.ldReg(rm), rot);
    switch (op1) {
      case 0: v = b.ext16s(v); break;
      case 1: v = b.ext16u(v); break;
      case 4: v = b.ext8s(v); break;
      default: v = b.ext8u(v); break;
    }
    if (rn !== 15) v = b.add(ctx.ldReg(rn), v);
    ctx.stReg(rd, v);
    return;
  }
  if ((op1 & 8) && (op2 & 8) === 0) { // parallel add/subtract
    const kind = op2 & 3, unsigned = (op2 & 4) !== 0;
    const a32op2 = [4, 0, 1, -1, 7, 3, 2, -1][op1 & 7];
    if (kind === 3 || a32op2 < 0) { ctx.undef(); return; }
    const a32op1 = (unsigned ? 4 : 0) + kind + 1;
    b.callVoid(H.media, b.const(0xe6000f10 | (a32op1 << 20) | (rn << 16) | (rd << 12) | (a32op2 << 5) | rm));
    return;
  }
  if ((op1 & 0xc) === 8 && (op2 & 0xc) === 8) { // misc
    const o = op2 & 3;
    switch (op1 & 3) {
      case 0: // QADD QDADD QSUB QDSUB
        b.callVoid(H.qaddsub, b.const(0xe1000050 | ([0, 2, 1, 3][o] << 21) | (rn << 16) | (rd << 12) | rm));
        return;
      case 1:
        switch (o) {
          case 0: ctx.stReg(rd, b.bswap32(ctx.ldReg(rm))); return;
          case 1: b.callVoid(H.media, b.const(0xe6bf0fb0 | (rd << 12) | rm)); return;
          case 2: b.callVoid(H.media, b.const(0xe6ff0f30 | (rd << 12) | rm)); return;
          default: b.callVoid(H.media, b.const(0xe6ff0fb0 | (rd << 12) | rm)); return;
        }
      case 2:
        if (o === 0) { b.callVoid(H.media, b.const(0xe6800fb0 | (rn << 16) | (rd << 12) | rm)); return; } // SEL
        break;
      default:
        if (o === 0) { ctx.stReg(rd, b.clz(ctx.ldReg(rm))); return; }
        break;
    }
  }
  ctx.undef();
}

function mulAcc(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  const op1 = (insn >>> 20) & 7, op2 = (insn >>> 4) & 3;
  const rn = (insn >>> 16) & 0xf, ra = (insn >>> 12) & 0xf, rd = (insn >>> 8) & 0xf, rm = insn & 0xf;
  if ((insn >>> 6) & 3) { ctx.undef(); return; }
  const regs = (rd << 16) | (ra << 12) | (rm << 8) | rn;
  switch (op1) {
    case 0: {
      const p = b.mul(ctx.ldReg(rn), ctx.ldReg(rm));
      if (op2 === 0) { ctx.stReg(rd, ra === 15 ? p : b.add(p, ctx.ldReg(ra))); return; }
      if (op2 === 1) { ctx.stReg(rd, b.sub(ctx.ldReg(ra), p)); return; }
      break;
    }
    case 1: { // SMLA<x><y> / SMUL<x><y>
      const n = (op2 >> 1) & 1, m = op2 & 1;
      b.callVoid(H.dspMul, b.const(0xe1000080 | ((ra === 15 ? 3 : 0) << 21) | regs | (m << 6) | (n << 5)));
      return;
    }
    case 2: case 4: // SMLAD / SMUAD, SMLSD / SMUSD
      if (op2 > 1) break;
      b.callVoid(H.dspMul, b.const(0xe7000010 | regs | (op1 === 4 ? 0x40 : 0) | (op2 << 5)));
      return;
    case 3: // SMLAW<y> / SMULW<y>
      if (op2 > 1) break;
      b.callVoid(H.dspMul, b.const(0xe1200080 | regs | (op2 << 6) | (ra === 15 ? 0x20 : 0)));
      return;
    case 5: case 6: // SMMLA / SMMUL, SMMLS
      if (op2 > 1) break;
      b.callVoid(H.dspMul, b.const(0xe7500010 | regs | (op1 === 6 ? 0xc0 : 0) | (op2 << 5)));
      return;
    default: // USAD8 / USADA8
      if (op2 !== 0) break;
      b.callVoid(H.media, b.const(0xe7800010 | regs));
      return;
  }
  ctx.undef();
}

function longMulDiv(ctx: DisasContext, insn: number): void {
  const b = ctx.b;
  const op1 = (insn >>> 20) & 7, op2 = (insn >>> 4) & 0xf;
  const rn = (insn >>> 16) & 0xf, rlo = (insn >>> 12) & 0xf, rhi = (insn >>> 8) & 0xf, rm = insn & 0xf;
  const n = () => ctx.ldReg(rn), m = () => ctx.ldReg(rm);
  if (op2 === 0xf && (op1 === 1 || op1 === 3)) { // SDIV / UDIV
    ctx.stReg(rhi, op1 === 1 ? b.divs(n(), m()) : b.divu(n(), m()));
    return;
  }
  const regs = (rhi << 16) | (rlo << 12) | (rm << 8) | rn;
  if (op2 === 0 && (op1 === 0 || op1 === 2 || op1 === 4 || op1 === 6)) { // SMULL UMULL SMLAL UMLAL
    let [lo, hi] = op1 & 2 ? b.mulu2(n(), m()) : b.muls2(n(), m());
    if (op1 & 4) [lo, hi] = b.add2(lo, hi, ctx.ldReg(rlo), ctx.ldReg(rhi));
    ctx.stReg(rlo, lo); ctx.stReg(rhi, hi);
    return;
  }
  if (op1 === 4 && (op2 & 0xc) === 8) { // SMLAL<x><y>
    b.callVoid(H.dspMul, b.const(0xe1400080 | regs | ((op2 & 1) << 6) | (((op2 >> 1) & 1) << 5)));
    return;
  }
  if ((op1 === 4 || op1 === 5) && (op2 & 0xe) === 0xc) { // SMLALD / SMLSLD
    b.callVoid(H.dspMul, b.const(0xe7400010 | regs | (op1 === 5 ? 0x40 : 0) | ((op2 & 1) << 5)));
    return;
  }
  if (op1 === 6 && op2 === 6) { // UMAAL
    const [lo, hi] = b.mulu2(n(), m());
    const zero = b.const(0);
    const [l1, h1] = b.add2(lo, hi, ctx.ldReg(rlo), zero);
    const [l2, h2] = b.add2(l1, h1, ctx.ldReg(rhi), zero);
    ctx.stReg(rlo, l2); ctx.stReg(rhi, h2);
    return;
  }
  ctx.undef();
}

/** Coprocessor space: the low 28 bits match A32, so it is translated in its A32 form. */
function coproc(ctx: DisasContext, insn: number): void {
  if ((insn >>> 28) !== 0xe) { ctx.undef(); return; } // MCR2 etc., NEON data processing
  genCoproc(ctx, ((insn & 0x0fffffff) | 0xe0000000) | 0);
}
