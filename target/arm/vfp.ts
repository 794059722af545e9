/**
 * VFPv3 (+ VFPv4 fused multiply-add) as QEMU's cortex-a15 exposes it, minus
 * Advanced SIMD: every cp10/cp11 instruction is executed whole by one helper
 * (`vfpInsn`) that reads and writes the extension registers in the CPU state
 * block (d0-d31 at VFP_D; s2n/s2n+1 are the low/high halves of dn).
 * Arithmetic uses JS doubles, Math.fround for single precision (correctly
 * rounded for + - * / sqrt); the rounding mode is honoured by conversions to
 * integer, arithmetic always rounds to nearest. FPEXC.EN and CPACR are checked
 * per instruction, so the translator does not depend on TBF_VFP.
 */
import type { ArmCPU } from './cpu.js';
import { Excp } from './cpu.js';
import * as S from './cpu-state.js';

export const FPSID = 0x410430f0;
export const MVFR0 = 0x10110222;
/** QEMU's 0x11111111 without the Advanced SIMD fields (bits 8-23): NEON is not emulated, so Linux must not advertise it. */
export const MVFR1 = 0x11000011;
/** FPSCR in the state block (after d0-d31). */
export const FPSCR_OFF = S.VFP_D + 32 * 8;
const FPSCR_MASK = 0xfff7009f | 0;
export const FPEXC_EN = 1 << 30;

/** Is the cp10/11 space accessible at all (CPACR)? */
function cpacrOk(cpu: ArmCPU): boolean {
  const f = (cpu.cp15.cpacr >>> 20) & 3;
  return cpu.privileged ? (f & 1) !== 0 : f === 3;
}

export function vfpEnabled(cpu: ArmCPU): boolean {
  return cpacrOk(cpu) && (cpu.cp15.fpexc & FPEXC_EN) !== 0;
}

const IOC = 1, DZC = 2, IXC = 16;

class Vfp {
  constructor(private cpu: ArmCPU) {}
  get dv(): DataView { return this.cpu.host.dv; }
  private sAddr(n: number): number { return this.cpu.env + S.VFP_D + 4 * n; }
  dAddr(n: number): number { return this.cpu.env + S.VFP_D + 8 * n; }
  sBits(n: number): number { return this.dv.getUint32(this.sAddr(n), true) | 0; }
  setSBits(n: number, v: number): void { this.dv.setUint32(this.sAddr(n), v >>> 0, true); }
  s(n: number): number { return this.dv.getFloat32(this.sAddr(n), true); }
  setS(n: number, v: number): void {
    if (v !== v) { this.setSBits(n, 0x7fc00000); return; }
    this.dv.setFloat32(this.sAddr(n), v, true);
  }
  d(n: number): number { return this.dv.getFloat64(this.dAddr(n), true); }
  setD(n: number, v: number): void {
    if (v !== v) { this.dv.setUint32(this.dAddr(n), 0, true); this.dv.setUint32(this.dAddr(n) + 4, 0x7ff80000, true); return; }
    this.dv.setFloat64(this.dAddr(n), v, true);
  }
  get fpscr(): number { return this.cpu.word(FPSCR_OFF); }
  set fpscr(v: number) { this.cpu.setWord(FPSCR_OFF, v); }
  flag(f: number): void { this.fpscr = this.fpscr | f; }
}

const vfps = new WeakMap<ArmCPU, Vfp>();
function vfpOf(cpu: ArmCPU): Vfp {
  let v = vfps.get(cpu);
  if (!v) { v = new Vfp(cpu); vfps.set(cpu, v); }
  return v;
}

/** Round x (finite) to an integer with FPSCR rounding mode `rm` (0 RN, 1 RP, 2 RM, 3 RZ). */
function roundInt(x: number, rm: number): number {
  switch (rm) {
    case 0: {
      const f = Math.floor(x), diff = x - f;
      if (diff > 0.5) return f + 1;
      if (diff < 0.5) return f;
      return f % 2 === 0 ? f : f + 1;
    }
    case 1: return Math.ceil(x);
    case 2: return Math.floor(x);
    default: return Math.trunc(x);
  }
}

/** FPToFixed: saturating conversion to a 32- or 16-bit integer value (returned as the raw bits). */
function toInt(v: Vfp, x: number, rm: number, unsigned: boolean, bits = 32): number {
  if (x !== x) { v.flag(IOC); return 0; }
  const r = roundInt(x, rm);
  const lo = unsigned ? 0 : -(2 ** (bits - 1)), hi = unsigned ? 2 ** bits - 1 : 2 ** (bits - 1) - 1;
  if (r < lo) { v.flag(IOC); return lo | 0; }
  if (r > hi) { v.flag(IOC); return hi | 0; }
  if (r !== x) v.flag(IXC);
  return r | 0;
}

function vfpExpandImm(imm8: number): number {
  const b6 = (imm8 >>> 6) & 1;
  const exp = ((b6 ^ 1) << 7) | (b6 ? 0x7c : 0) | ((imm8 >>> 4) & 3);
  const bits = ((imm8 >>> 7) << 31) | (exp << 23) | ((imm8 & 0xf) << 19);
  const f = new DataView(new ArrayBuffer(4));
  f.setUint32(0, bits >>> 0);
  return f.getFloat32(0);
}

function undef(cpu: ArmCPU): never { cpu.raise(Excp.UDEF); }

/** Is this cp10/11 encoding a VMRS/VMSR of a system register other than FPSCR (allowed with FPEXC.EN = 0)? */
function isSysRegAccess(insn: number): boolean {
  return (insn & 0x0fe00f1f) === 0x0ee00a10 && ((insn >>> 16) & 0xf) !== 1;
}

/** Execute one VFP instruction (A32 encoding; T32 callers pass the low 28 bits under an AL condition). `pcv` = Align(PC, 4) operand value. Returns 1 when state the translator depends on may have changed. */
export function vfpInsn(cpu: ArmCPU, insn: number, pcv: number): number {
  if (!cpacrOk(cpu)) undef(cpu);
  if (isSysRegAccess(insn)) return sysReg(cpu, insn);
  if (!(cpu.cp15.fpexc & FPEXC_EN)) undef(cpu);
  const v = vfpOf(cpu);
  const top = (insn >>> 24) & 0xf;
  if (top === 0xc || top === 0xd) { loadStore(cpu, v, insn, pcv); return 0; }
  if (top !== 0xe) undef(cpu);
  if (insn & 0x10) { transfer(cpu, v, insn); return 0; }
  dataProc(cpu, v, insn);
  return 0;
}

function sysReg(cpu: ArmCPU, insn: number): number {
  const reg = (insn >>> 16) & 0xf, rt = (insn >>> 12) & 0xf;
  if (!cpu.privileged) undef(cpu);
  if (insn & (1 << 20)) { // VMRS
    let val: number;
    switch (reg) {
      case 0: val = FPSID; break;
      case 6: val = MVFR1; break;
      case 7: val = MVFR0; break;
      case 8: val = cpu.cp15.fpexc; break;
      default: undef(cpu);
    }
    if (rt === 15) undef(cpu);
    cpu.setReg(rt, val | 0);
    return 0;
  }
  const val = cpu.reg(rt);
  switch (reg) {
    case 0: return 0; // FPSID: writes ignored
    case 8: cpu.cp15.fpexc = val & FPEXC_EN; return 1;
    default: undef(cpu);
  }
}

function loadStore(cpu: ArmCPU, v: Vfp, insn: number, pcv: number): void {
  const p = (insn >>> 24) & 1, u = (insn >>> 23) & 1, dbit = (insn >>> 22) & 1, w = (insn >>> 21) & 1, l = (insn >>> 20) & 1;
  const rn = (insn >>> 16) & 0xf, vd = (insn >>> 12) & 0xf, dp = (insn >>> 8) & 1, imm8 = insn & 0xff;
  if ((insn & 0x0fe00000) === 0x0c400000) { move64(cpu, v, insn); return; }
  const mmu = cpu.mmuIdx(), tlb = cpu.tlb;
  const base = rn === 15 ? pcv & ~3 : cpu.reg(rn);
  const first = dp ? (dbit << 4) | vd : (vd << 1) | dbit;
  const xfer = (addr: number, r: number, double: boolean): void => {
    if (double) {
      const a = v.dAddr(r);
      if (l) {
        const lo = tlb.load(addr, 4, mmu, true), hi = tlb.load(addr + 4, 4, mmu, true);
        v.dv.setUint32(a, lo >>> 0, true); v.dv.setUint32(a + 4, hi >>> 0, true);
      } else {
        tlb.store(addr, v.dv.getUint32(a, true), 4, mmu, true);
        tlb.store(addr + 4, v.dv.getUint32(a + 4, true), 4, mmu, true);
      }
    } else if (l) v.setSBits(r, tlb.load(addr, 4, mmu, true));
    else tlb.store(addr, v.sBits(r), 4, mmu, true);
  };
  if (p === 1 && w === 0) { // VLDR / VSTR
    const addr = (u ? base + imm8 * 4 : base - imm8 * 4) | 0;
    xfer(addr, first, dp === 1);
    return;
  }
  if (p === u) undef(cpu);
  if (rn === 15 && w) undef(cpu);
  const count = dp ? imm8 >>> 1 : imm8;
  if (count === 0 || first + count > (dp ? 32 : 32)) undef(cpu);
  let addr = (u ? base : base - imm8 * 4) | 0;
  for (let i = 0; i < count; i++) { xfer(addr, first + i, dp === 1); addr = (addr + (dp ? 8 : 4)) | 0; }
  if (w) cpu.setReg(rn, (u ? base + imm8 * 4 : base - imm8 * 4) | 0);
}

/** VMOV between two core registers and two singles or one double. */
function move64(cpu: ArmCPU, v: Vfp, insn: number): void {
  const toCore = (insn >>> 20) & 1, rt2 = (insn >>> 16) & 0xf, rt = (insn >>> 12) & 0xf, dp = (insn >>> 8) & 1;
  const m = insn & 0xf, mb = (insn >>> 5) & 1;
  if ((insn & 0xd0) !== 0x10) undef(cpu);
  if (dp) {
    const r = (mb << 4) | m;
    const a = v.dAddr(r);
    if (toCore) {
      cpu.setReg(rt, v.dv.getUint32(a, true) | 0);
      cpu.setReg(rt2, v.dv.getUint32(a + 4, true) | 0);
    } else {
      v.dv.setUint32(a, cpu.reg(rt) >>> 0, true);
      v.dv.setUint32(a + 4, cpu.reg(rt2) >>> 0, true);
    }
  } else {
    const r = (m << 1) | mb;
    if (r === 31) undef(cpu);
    if (toCore) { cpu.setReg(rt, v.sBits(r)); cpu.setReg(rt2, v.sBits(r + 1)); }
    else { v.setSBits(r, cpu.reg(rt)); v.setSBits(r + 1, cpu.reg(rt2)); }
  }
}

/** 8/16/32-bit transfers: VMOV core<->single, VMOV.32 core<->scalar, VMRS/VMSR FPSCR. */
function transfer(cpu: ArmCPU, v: Vfp, insn: number): void {
  const l = (insn >>> 20) & 1, c = (insn >>> 8) & 1, a = (insn >>> 21) & 7, rt = (insn >>> 12) & 0xf;
  const vn = (insn >>> 16) & 0xf, nb = (insn >>> 7) & 1;
  if (c === 0 && a === 0) { // VMOV Rt <-> Sn
    const n = (vn << 1) | nb;
    if (l) cpu.setReg(rt, v.sBits(n)); else v.setSBits(n, cpu.reg(rt));
    return;
  }
  if (c === 0 && a === 7) { // VMRS / VMSR FPSCR (the others went to sysReg)
    if (vn !== 1) undef(cpu);
    if (l) {
      const f = v.fpscr;
      if (rt === 15) {
        cpu.setWord(S.NF, f & 0x80000000);
        cpu.setWord(S.ZF, (f >>> 30) & 1 ? 0 : 1);
        cpu.setWord(S.CF, (f >>> 29) & 1);
        cpu.setWord(S.VF, ((f >>> 28) & 1) << 31);
      } else cpu.setReg(rt, f);
    } else v.fpscr = cpu.reg(rt) & FPSCR_MASK;
    return;
  }
  if (c === 1 && (insn & 0x00400060) === 0) { // VMOV.32 Dn[x] <-> Rt
    if (l && ((insn >>> 23) & 1)) undef(cpu);
    const d = (nb << 4) | vn, x = (insn >>> 21) & 1;
    if (l) cpu.setReg(rt, v.sBits(d * 2 + x)); else v.setSBits(d * 2 + x, cpu.reg(rt));
    return;
  }
  undef(cpu); // 8/16-bit lanes, VDUP: Advanced SIMD
}

function dataProc(cpu: ArmCPU, v: Vfp, insn: number): void {
  const dp = (insn >>> 8) & 1;
  const D = (insn >>> 22) & 1, vd = (insn >>> 12) & 0xf, vn = (insn >>> 16) & 0xf, N = (insn >>> 7) & 1;
  const vm = insn & 0xf, M = (insn >>> 5) & 1, op = (insn >>> 6) & 1;
  const rd = dp ? (D << 4) | vd : (vd << 1) | D;
  const rn = dp ? (N << 4) | vn : (vn << 1) | N;
  const rm = dp ? (M << 4) | vm : (vm << 1) | M;
  const get = dp ? (r: number) => v.d(r) : (r: number) => v.s(r);
  const set = dp ? (r: number, x: number) => v.setD(r, x) : (r: number, x: number) => v.setS(r, Math.fround(x));
  const rnd = dp ? (x: number) => x : Math.fround;
  const opc1 = (insn >>> 20) & 0xb;
  if ((insn >>> 4) & 1) undef(cpu);
  switch (opc1) {
    case 0x0: { const p = rnd(get(rn) * get(rm)); set(rd, op ? get(rd) - p : get(rd) + p); return; }        // VMLA / VMLS
    case 0x1: { const p = rnd(get(rn) * get(rm)); set(rd, op ? -get(rd) - p : -get(rd) + p); return; }      // VNMLA / VNMLS
    case 0x2: {                                                                                              // VMUL / VNMUL
      set(rd, get(rn) * get(rm));
      if (op) { const hw = dp ? rd * 2 + 1 : rd; v.setSBits(hw, v.sBits(hw) ^ 0x80000000); } // FPNeg(FPMul()): NaNs too
      return;
    }
    case 0x3: set(rd, op ? get(rn) - get(rm) : get(rn) + get(rm)); return;                                   // VADD / VSUB
    case 0x8: {                                                                                              // VDIV
      if (op) undef(cpu);
      const m = get(rm), n = get(rn);
      if (m === 0 && n === n && n !== 0 && Number.isFinite(n)) v.flag(DZC);
      set(rd, n / m);
      return;
    }
    case 0x9: { const p = get(rn) * get(rm); set(rd, op ? -get(rd) - p : -get(rd) + p); return; }           // VFNMA / VFNMS
    case 0xa: { const p = get(rn) * get(rm); set(rd, op ? get(rd) - p : get(rd) + p); return; }             // VFMA / VFMS
    case 0xb: break;
    default: undef(cpu);
  }
  if (!op) { // VMOV immediate
    if (insn & 0xa0) undef(cpu);
    set(rd, vfpExpandImm(((insn >>> 12) & 0xf0) | (insn & 0xf)));
    return;
  }
  const opc2 = vn, opc3 = (insn >>> 6) & 3;
  switch (opc2) {
    case 0: // VMOV register / VABS
      if (dp) {
        const hi = v.sBits(rm * 2 + 1), lo = v.sBits(rm * 2);
        v.setSBits(rd * 2, lo); v.setSBits(rd * 2 + 1, opc3 === 3 ? hi & 0x7fffffff : hi);
      } else v.setSBits(rd, opc3 === 3 ? v.sBits(rm) & 0x7fffffff : v.sBits(rm));
      return;
    case 1:
      if (opc3 === 1) { // VNEG
        if (dp) { const lo = v.sBits(rm * 2), hi = v.sBits(rm * 2 + 1); v.setSBits(rd * 2, lo); v.setSBits(rd * 2 + 1, hi ^ 0x80000000); }
        else v.setSBits(rd, v.sBits(rm) ^ 0x80000000);
      } else { // VSQRT
        const m = get(rm);
        if (m < 0) v.flag(IOC);
        set(rd, Math.sqrt(m));
      }
      return;
    case 4: case 5: { // VCMP / VCMPE (with zero when opc2 = 5)
      const a = get(rd), b = opc2 === 5 ? 0 : get(rm);
      let nzcv: number;
      if (a !== a || b !== b) { nzcv = 0x3; if (N) v.flag(IOC); }
      else if (a === b) nzcv = 0x6;
      else if (a < b) nzcv = 0x8;
      else nzcv = 0x2;
      v.fpscr = (v.fpscr & 0x0fffffff) | (nzcv << 28);
      return;
    }
    case 7: { // VCVT double <-> single
      if (opc3 !== 3) undef(cpu);
      if (dp) { const sd = (vd << 1) | D; v.setS(sd, Math.fround(v.d((M << 4) | vm))); }
      else { const dd = (D << 4) | vd; v.setD(dd, v.s((vm << 1) | M)); }
      return;
    }
    case 8: { // VCVT int -> float
      const sm = (vm << 1) | M;
      const bits = v.sBits(sm);
      set(rd, N ? bits : bits >>> 0);
      return;
    }
    case 12: case 13: { // VCVT(R) float -> int
      const sd = (vd << 1) | D;
      const rm2 = N ? 3 : (v.fpscr >>> 22) & 3;
      v.setSBits(sd, toInt(v, get(rm), rm2, opc2 === 12));
      return;
    }
    case 10: case 11: case 14: case 15: { // VCVT fixed-point (Dd/Sd is both source and destination)
      const toFixed = (opc2 & 4) !== 0, unsigned = (opc2 & 1) !== 0, size = N ? 32 : 16;
      const fracBits = size - (((insn & 0xf) << 1) | M);
      if (fracBits < 0) undef(cpu);
      const r = dp ? (D << 4) | vd : (vd << 1) | D;
      const lowWord = dp ? r * 2 : r;
      if (toFixed) {
        const x = get(r) * 2 ** fracBits;
        let res = toInt(v, x, 3, unsigned, size);
        if (size === 16) res = unsigned ? res & 0xffff : (res << 16) >> 16;
        if (dp) { v.setSBits(lowWord, res); v.setSBits(lowWord + 1, res < 0 && !unsigned ? -1 : 0); }
        else v.setSBits(lowWord, res);
      } else {
        let bits = v.sBits(lowWord);
        if (size === 16) bits = unsigned ? bits & 0xffff : (bits << 16) >> 16;
        else if (unsigned) bits = bits >>> 0;
        set(r, bits / 2 ** fracBits);
      }
      return;
    }
    default: undef(cpu); // VCVTB/VCVTT (half precision) not emulated
  }
}
