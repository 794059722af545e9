/**
 * Emits IR for one translation block. Frontends call the typed methods; each
 * value-producing method returns a fresh temp, so the IR is close to SSA and
 * the optimizer's job stays simple.
 */
import { Op, Cond, OP_WORDS, type Temp } from './ir.js';

export type Label = number;

export class IRBuilder {
  ops: number[] = [];
  nTemps = 0;
  nLabels = 0;

  reset(): void {
    this.ops.length = 0;
    this.nTemps = 0;
    this.nLabels = 0;
  }

  emit(op: Op, a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0): void {
    this.ops.push(op, a, b, c, d, e, f, g);
  }

  get length(): number { return this.ops.length / OP_WORDS; }

  temp(): Temp { return this.nTemps++; }
  label(): Label { return this.nLabels++; }

  const(v: number): Temp { const d = this.temp(); this.emit(Op.MOVI, d, v | 0); return d; }
  mov(a: Temp): Temp { const d = this.temp(); this.emit(Op.MOV, d, a); return d; }
  movTo(d: Temp, a: Temp): void { this.emit(Op.MOV, d, a); }
  moviTo(d: Temp, v: number): void { this.emit(Op.MOVI, d, v | 0); }

  private bin(op: Op, a: Temp, b: Temp): Temp { const d = this.temp(); this.emit(op, d, a, b); return d; }
  private un(op: Op, a: Temp): Temp { const d = this.temp(); this.emit(op, d, a); return d; }

  add(a: Temp, b: Temp): Temp { return this.bin(Op.ADD, a, b); }
  sub(a: Temp, b: Temp): Temp { return this.bin(Op.SUB, a, b); }
  and(a: Temp, b: Temp): Temp { return this.bin(Op.AND, a, b); }
  andc(a: Temp, b: Temp): Temp { return this.bin(Op.ANDC, a, b); }
  or(a: Temp, b: Temp): Temp { return this.bin(Op.OR, a, b); }
  xor(a: Temp, b: Temp): Temp { return this.bin(Op.XOR, a, b); }
  shl(a: Temp, b: Temp): Temp { return this.bin(Op.SHL, a, b); }
  shr(a: Temp, b: Temp): Temp { return this.bin(Op.SHR, a, b); }
  sar(a: Temp, b: Temp): Temp { return this.bin(Op.SAR, a, b); }
  rotr(a: Temp, b: Temp): Temp { return this.bin(Op.ROTR, a, b); }
  mul(a: Temp, b: Temp): Temp { return this.bin(Op.MUL, a, b); }
  divu(a: Temp, b: Temp): Temp { return this.bin(Op.DIVU, a, b); }
  divs(a: Temp, b: Temp): Temp { return this.bin(Op.DIVS, a, b); }
  remu(a: Temp, b: Temp): Temp { return this.bin(Op.REMU, a, b); }
  rems(a: Temp, b: Temp): Temp { return this.bin(Op.REMS, a, b); }

  addi(a: Temp, v: number): Temp { return v === 0 ? a : this.add(a, this.const(v)); }
  andi(a: Temp, v: number): Temp { return this.and(a, this.const(v)); }
  ori(a: Temp, v: number): Temp { return this.or(a, this.const(v)); }
  xori(a: Temp, v: number): Temp { return this.xor(a, this.const(v)); }
  shli(a: Temp, v: number): Temp { return v === 0 ? a : this.shl(a, this.const(v)); }
  shri(a: Temp, v: number): Temp { return v === 0 ? a : this.shr(a, this.const(v)); }
  sari(a: Temp, v: number): Temp { return v === 0 ? a : this.sar(a, this.const(v)); }
  rotri(a: Temp, v: number): Temp { return (v & 31) === 0 ? a : this.rotr(a, this.const(v & 31)); }

  not(a: Temp): Temp { return this.un(Op.NOT, a); }
  neg(a: Temp): Temp { return this.un(Op.NEG, a); }
  clz(a: Temp): Temp { return this.un(Op.CLZ, a); }
  ext8s(a: Temp): Temp { return this.un(Op.EXT8S, a); }
  ext8u(a: Temp): Temp { return this.un(Op.EXT8U, a); }
  ext16s(a: Temp): Temp { return this.un(Op.EXT16S, a); }
  ext16u(a: Temp): Temp { return this.un(Op.EXT16U, a); }
  bswap32(a: Temp): Temp { return this.un(Op.BSWAP32, a); }

  /** [lo, hi] of the unsigned / signed 64-bit product. */
  mulu2(a: Temp, b: Temp): [Temp, Temp] { const l = this.temp(), h = this.temp(); this.emit(Op.MULU2, l, h, a, b); return [l, h]; }
  muls2(a: Temp, b: Temp): [Temp, Temp] { const l = this.temp(), h = this.temp(); this.emit(Op.MULS2, l, h, a, b); return [l, h]; }
  add2(al: Temp, ah: Temp, bl: Temp, bh: Temp): [Temp, Temp] { const l = this.temp(), h = this.temp(); this.emit(Op.ADD2, l, h, al, ah, bl, bh); return [l, h]; }
  sub2(al: Temp, ah: Temp, bl: Temp, bh: Temp): [Temp, Temp] { const l = this.temp(), h = this.temp(); this.emit(Op.SUB2, l, h, al, ah, bl, bh); return [l, h]; }

  setcond(c: Cond, a: Temp, b: Temp): Temp { const d = this.temp(); this.emit(Op.SETCOND, d, a, b, c); return d; }
  movcond(c: Cond, c1: Temp, c2: Temp, v1: Temp, v2: Temp): Temp { const d = this.temp(); this.emit(Op.MOVCOND, d, c1, c2, v1, v2, c); return d; }

  ldEnv(off: number): Temp { const d = this.temp(); this.emit(Op.LD_ENV, d, off); return d; }
  stEnv(off: number, a: Temp): void { this.emit(Op.ST_ENV, a, off); }
  stEnvi(off: number, v: number): void { this.stEnv(off, this.const(v)); }

  qld(addr: Temp, mop: number): Temp { const d = this.temp(); this.emit(Op.QLD, d, addr, mop); return d; }
  qst(val: Temp, addr: Temp, mop: number): void { this.emit(Op.QST, val, addr, mop); }

  br(l: Label): void { this.emit(Op.BR, l); }
  brcond(c: Cond, a: Temp, b: Temp, l: Label): void { this.emit(Op.BRCOND, a, b, c, l); }
  brcondi(c: Cond, a: Temp, v: number, l: Label): void { this.brcond(c, a, this.const(v), l); }
  setLabel(l: Label): void { this.emit(Op.LABEL, l); }

  /** Call helper `id`; returns the result temp (or -1 with `noResult`). */
  call(id: number, a: Temp = -1, b: Temp = -1, c: Temp = -1, e: Temp = -1): Temp {
    const d = this.temp(); this.emit(Op.CALL, id, d, a, b, c, e); return d;
  }
  callVoid(id: number, a: Temp = -1, b: Temp = -1, c: Temp = -1, e: Temp = -1): void {
    this.emit(Op.CALL, id, -1, a, b, c, e);
  }

  insnStart(pc: number, extra = 0): void { this.emit(Op.INSN_START, pc | 0, extra); }
  /** `dest` is the constant guest pc of the successor (with unchanged TB flags), or -1 when unknown. */
  gotoTb(slot: number, dest = -1): void { this.emit(Op.GOTO_TB, slot, dest); }
  /**
   * End the TB; the next one is looked up by the pc in env. When the frontend
   * knows the next pc and TB flags as values it passes them, so a backend can
   * search its jump table without going back to cpu_exec.
   */
  lookupTb(pc: Temp = -1, flags: Temp = -1): void { this.emit(Op.LOOKUP_TB, pc, flags); }
  exitTb(code: number): void { this.emit(Op.EXIT_TB, code); }
}
