/**
 * The ARMv6/v7 DSP and SIMD-within-a-register instructions, executed whole
 * from their A32 encodings: halfword and dual multiplies, parallel
 * add/subtract with GE flags, saturation, packing, SEL, USAD8.
 */
import type { ArmCPU } from './cpu.js';
import * as S from './cpu-state.js';

const sx16 = (v: number): number => (v << 16) >> 16;
const hi16 = (v: number): number => v >> 16;
const setQ = (cpu: ArmCPU): void => cpu.setWord(S.QF, 1);

/** Add with the Q flag set when the signed 32-bit result overflows. */
function addQ(cpu: ArmCPU, a: number, b: number): number {
  const r = a + b;
  if (r > 0x7fffffff || r < -0x80000000) setQ(cpu);
  return r | 0;
}

function get64(cpu: ArmCPU, lo: number, hi: number): bigint {
  return (BigInt(cpu.reg(hi)) << 32n) | BigInt(cpu.reg(lo) >>> 0);
}
function set64(cpu: ArmCPU, lo: number, hi: number, v: bigint): void {
  v = BigInt.asUintN(64, v);
  cpu.setReg(lo, Number(v & 0xffffffffn) | 0);
  cpu.setReg(hi, Number(v >> 32n) | 0);
}

export function dspMultiply(cpu: ArmCPU, insn: number): void {
  const rd = (insn >>> 16) & 0xf, ra = (insn >>> 12) & 0xf, rm = (insn >>> 8) & 0xf, rn = insn & 0xf;
  const n = cpu.reg(rn), m = cpu.reg(rm);
  if ((insn & 0x0f900090) === 0x01000080) {
    // SMLA<x><y>, SMLAW<y>, SMULW<y>, SMLAL<x><y>, SMUL<x><y>
    const op1 = (insn >>> 21) & 3, nh = (insn >>> 5) & 1, mh = (insn >>> 6) & 1;
    const a = nh ? hi16(n) : sx16(n), b = mh ? hi16(m) : sx16(m);
    switch (op1) {
      case 0: cpu.setReg(rd, addQ(cpu, a * b, cpu.reg(ra))); return;
      case 1: {
        const p = Number((BigInt(n) * BigInt(b)) >> 16n) | 0;
        cpu.setReg(rd, nh ? p : addQ(cpu, p, cpu.reg(ra)));
        return;
      }
      case 2: set64(cpu, ra, rd, get64(cpu, ra, rd) + BigInt(a * b)); return;
      default: cpu.setReg(rd, (a * b) | 0); return;
    }
  }
  // Media signed multiplies: SMLAD/SMUAD/SMLSD/SMUSD, SMLALD/SMLSLD, SMMLA/SMMUL/SMMLS
  const op1 = (insn >>> 20) & 7, op2 = (insn >>> 5) & 7, swap = (insn >>> 5) & 1;
  const mm = swap ? ((m >>> 16) | (m << 16)) : m;
  const p1 = sx16(n) * sx16(mm), p2 = hi16(n) * hi16(mm);
  const sub = (op2 & 2) !== 0;
  if (op1 === 0) {
    const sum = sub ? p1 - p2 : p1 + p2;
    if (ra === 15) {
      if (sum > 0x7fffffff || sum < -0x80000000) setQ(cpu);
      cpu.setReg(rd, sum | 0);
    } else {
      const r = sum + cpu.reg(ra);
      if (r > 0x7fffffff || r < -0x80000000) setQ(cpu);
      cpu.setReg(rd, r | 0);
    }
    return;
  }
  if (op1 === 4) {
    set64(cpu, ra, rd, get64(cpu, ra, rd) + BigInt(sub ? p1 - p2 : p1 + p2));
    return;
  }
  // op1 == 5: most-significant-word multiplies; bit 5 rounds.
  const round = (insn >>> 5) & 1 ? 0x80000000n : 0n;
  const prod = BigInt(n) * BigInt(m);
  let r: bigint;
  if (op2 >= 6) r = (BigInt(cpu.reg(ra)) << 32n) - prod + round;        // SMMLS
  else if (ra === 15) r = prod + round;                                  // SMMUL
  else r = (BigInt(cpu.reg(ra)) << 32n) + prod + round;                  // SMMLA
  cpu.setReg(rd, Number(BigInt.asIntN(32, r >> 32n)));
}

function satS(v: number, bits: number): [number, boolean] {
  const max = 2 ** (bits - 1) - 1, min = -(2 ** (bits - 1));
  if (v > max) return [max, true];
  if (v < min) return [min, true];
  return [v, false];
}
function satU(v: number, bits: number): [number, boolean] {
  const max = 2 ** bits - 1;
  if (v > max) return [max, true];
  if (v < 0) return [0, true];
  return [v, false];
}

/** SSAT, USAT, SSAT16, USAT16. */
export function saturate(cpu: ArmCPU, insn: number): void {
  const u = (insn >>> 22) & 1, rd = (insn >>> 12) & 0xf, rn = insn & 0xf;
  const v = cpu.reg(rn);
  if (((insn >>> 4) & 0xf) === 3) { // 16-bit forms
    const bits = ((insn >>> 16) & 0xf) + (u ? 0 : 1);
    const [lo, ql] = u ? satU(sx16(v), bits) : satS(sx16(v), bits);
    const [hi, qh] = u ? satU(hi16(v), bits) : satS(hi16(v), bits);
    if (ql || qh) cpu.setWord(S.QF, 1);
    cpu.setReg(rd, (lo & 0xffff) | (hi << 16));
    return;
  }
  const bits = ((insn >>> 16) & 0x1f) + (u ? 0 : 1);
  const sh = (insn >>> 6) & 1, imm = (insn >>> 7) & 0x1f;
  const op = sh ? v >> (imm === 0 ? 31 : imm) : v << imm;
  const [r, q] = u ? satU(op, bits) : satS(op, bits);
  if (q) cpu.setWord(S.QF, 1);
  cpu.setReg(rd, r | 0);
}

/** QADD, QSUB, QDADD, QDSUB. */
export function qAddSub(cpu: ArmCPU, insn: number): void {
  const op = (insn >>> 21) & 3, rn = (insn >>> 16) & 0xf, rd = (insn >>> 12) & 0xf, rm = insn & 0xf;
  let n = cpu.reg(rn);
  let q = false;
  if (op & 2) { const [d, qd] = satS(n * 2, 32); n = d; q = qd; }
  const [r, qr] = satS(op & 1 ? cpu.reg(rm) - n : cpu.reg(rm) + n, 32);
  if (q || qr) cpu.setWord(S.QF, 1);
  cpu.setReg(rd, r | 0);
}

/** Parallel add/subtract (S, Q, SH, U, UQ, UH prefixes), packing, extend-16, SEL, REV16, RBIT, REVSH, USAD8. */
export function media(cpu: ArmCPU, insn: number): void {
  const rn = (insn >>> 16) & 0xf, rd = (insn >>> 12) & 0xf, rm = insn & 0xf;
  const n = cpu.reg(rn), m = cpu.reg(rm);
  const op1 = (insn >>> 20) & 7, op2 = (insn >>> 5) & 7;
  const group = (insn >>> 23) & 3;
  if (group === 0) { cpu.setReg(rd, parallel(cpu, op1, op2, n, m)); return; }
  if (group === 3) { // USAD8 / USADA8: rd is bits 19:16, ra bits 15:12, rm bits 11:8
    const a = cpu.reg(insn & 0xf), b = cpu.reg((insn >>> 8) & 0xf);
    let s = 0;
    for (let i = 0; i < 32; i += 8) s += Math.abs(((a >>> i) & 0xff) - ((b >>> i) & 0xff));
    const ra = (insn >>> 12) & 0xf;
    cpu.setReg((insn >>> 16) & 0xf, (ra === 15 ? s : s + cpu.reg(ra)) | 0);
    return;
  }
  // group 1: packing, unpacking, reversal
  if (op1 === 0 && (op2 & 1) === 0) { // PKHBT / PKHTB
    const imm = (insn >>> 7) & 0x1f;
    if (insn & 0x40) cpu.setReg(rd, (n & 0xffff0000) | ((m >> (imm === 0 ? 31 : imm)) & 0xffff));
    else cpu.setReg(rd, (n & 0xffff) | ((m << imm) & 0xffff0000));
    return;
  }
  if (op2 === 5 && op1 === 0) { // SEL
    const ge = cpu.word(S.GE);
    let r = 0;
    for (let i = 0; i < 4; i++) r |= ((ge >> i) & 1 ? n : m) & (0xff << (8 * i));
    cpu.setReg(rd, r);
    return;
  }
  if (op2 === 3 && (op1 === 0 || op1 === 4)) { // SXTB16/SXTAB16/UXTB16/UXTAB16
    const rot = ((insn >>> 10) & 3) * 8;
    const v = rot ? (m >>> rot) | (m << (32 - rot)) : m;
    let lo = v & 0xff, hi = (v >>> 16) & 0xff;
    if (op1 === 0) { lo = (lo << 24) >> 24; hi = (hi << 24) >> 24; }
    if (rn !== 15) { lo += n; hi += n >> 16; }
    cpu.setReg(rd, (lo & 0xffff) | (hi << 16));
    return;
  }
  if (op2 === 5 && op1 === 3) { cpu.setReg(rd, ((m >>> 8) & 0x00ff00ff) | ((m << 8) & 0xff00ff00)); return; } // REV16
  if (op2 === 5 && op1 === 7) { cpu.setReg(rd, (((m & 0xff) << 24) >> 16) | ((m >>> 8) & 0xff)); return; } // REVSH
  if (op2 === 1 && op1 === 7) { // RBIT
    let r = 0;
    for (let i = 0; i < 32; i++) r |= ((m >>> i) & 1) << (31 - i);
    cpu.setReg(rd, r);
    return;
  }
  throw new Error(`media: unhandled encoding ${(insn >>> 0).toString(16)}`);
}

function parallel(cpu: ArmCPU, prefix: number, op: number, n: number, m: number): number {
  const signed = prefix <= 3;
  const kind = prefix & 3; // 1: modular with GE, 2: saturating, 3: halving
  const width = op >= 4 ? 8 : 16;
  const lanes = 32 / width;
  const mask = (1 << width) - 1;
  const lane = (v: number, i: number) => {
    const x = (v >>> (i * width)) & mask;
    return signed ? (x << (32 - width)) >> (32 - width) : x;
  };
  let r = 0, ge = 0;
  for (let i = 0; i < lanes; i++) {
    let a = lane(n, i), b: number, add: boolean;
    if (width === 8) { b = lane(m, i); add = op === 4; }
    else if (op === 0) { b = lane(m, i); add = true; }
    else if (op === 3) { b = lane(m, i); add = false; }
    else if (op === 1) { b = lane(m, 1 - i); add = i === 1; } // ASX: lo = n.lo - m.hi, hi = n.hi + m.lo
    else { b = lane(m, 1 - i); add = i === 0; }              // SAX: lo = n.lo + m.hi, hi = n.hi - m.lo
    let v = add ? a + b : a - b;
    if (kind === 1) {
      const g = signed ? v >= 0 : add ? v >= (1 << width) : v >= 0;
      if (g) ge |= (width === 16 ? 3 : 1) << (i * (width / 8));
    } else if (kind === 2) {
      v = signed ? satS(v, width)[0] : satU(v, width)[0];
    } else if (kind === 3) {
      v = v >> 1;
    }
    r |= (v & mask) << (i * width);
    a = 0;
  }
  if (kind === 1) cpu.setWord(S.GE, ge);
  return r | 0;
}
