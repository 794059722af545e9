/**
 * The x87 FPU as a helper module the i386 translator calls (QEMU's
 * target/i386/tcg/fpu_helper.c, in spirit): one entry point `x87Exec` for
 * every D8-DF escape opcode, plus `x87Wait` (FWAIT), `fxsave`/`fxrstor`.
 *
 * Precision. Registers hold IEEE doubles (float64), not 80-bit extended
 * values, so:
 * - results are rounded to 53 bits whatever CW.PC says (PC=53, which Linux
 *   and most C code never change from... the default is PC=64: then
 *   hardware keeps 11 more bits between operations, and a chain of
 *   operations can differ in the last bit of the double result);
 * - the exponent range is float64's: values that are finite in extended
 *   precision (|x| > 1.8e308 or < 4.9e-324) overflow to ±Inf or flush to
 *   0 here, and OE/UE are raised at the operation instead of at the store;
 * - FLD m80 rounds the 64-bit significand to 53 bits (to nearest even);
 *   FSTP m80 stores the double exactly (no loss); FILD m64 of magnitudes
 *   above 2^53 rounds;
 * - arithmetic always rounds to nearest (JS arithmetic): CW.RC is honoured
 *   by FRNDINT, FIST/FISTP and FBSTP, not by FADD/FMUL/...;
 * - PE (inexact) and C1 (rounded up) are not tracked for arithmetic; PE is
 *   set by FIST/FRNDINT when they round, and by the transcendental ops;
 * - NaN payloads are not kept: every NaN is stored as the "real indefinite"
 *   QNaN (sign 1, top fraction bit set), and SNaNs are treated as QNaNs
 *   (FUCOM raises no IE for them, loads do not quieten them with IE);
 * - FSIN/FCOS/FPTAN/FPATAN/F2XM1/FYL2X/FYL2XP1 use Math.* (correctly
 *   rounded or nearly: they may differ from hardware in the last bit);
 * - FPREM/FPREM1 finish in one step (C2 = 0) for any exponent difference,
 *   where hardware stops after reducing by 2^63 and sets C2 = 1.
 *
 * Denormal operands (DE) are not reported. Everything else follows the SDM:
 * stack overflow/underflow (IE+SF, C1), masked responses (the QNaN / integer
 * indefinite), unmasked exceptions set ES and B and leave the destination
 * alone, and the next waiting FPU instruction returns X87_MF so the CPU can
 * raise #MF (vector 16).
 */

/** Memory callbacks the CPU supplies (virtual addresses, through its MMU; they may throw a guest fault). */
export interface X87Mem {
  ld8(a: number): number;
  ld16(a: number): number;
  ld32(a: number): number;
  st8(a: number, v: number): void;
  st16(a: number, v: number): void;
  st32(a: number, v: number): void;
}

// Status word
export const SW_IE = 0x0001, SW_DE = 0x0002, SW_ZE = 0x0004, SW_OE = 0x0008, SW_UE = 0x0010, SW_PE = 0x0020;
export const SW_SF = 0x0040, SW_ES = 0x0080, SW_C0 = 0x0100, SW_C1 = 0x0200, SW_C2 = 0x0400, SW_C3 = 0x4000, SW_B = 0x8000;
const SW_CC = SW_C0 | SW_C1 | SW_C2 | SW_C3;
// Control word
export const CW_DEFAULT = 0x037f;
const RC_NEAREST = 0, RC_DOWN = 1, RC_UP = 2, RC_ZERO = 3;

/** x87Exec results besides a value: nothing to do, raise #MF, raise #UD, raise #NM is the CPU's business. */
export const X87_NONE = -1;
export const X87_MF = -2;
export const X87_UD = -3;

// EFLAGS bits FCOMI sets
const CF = 0x001, PF = 0x004, ZF = 0x040;

/** Opcode modifiers in `op` beyond (opcode & 7) << 8 | modrm. */
export const X87_OP16 = 0x800;   // 16-bit operand size: FSTENV/FLDENV/FSAVE/FRSTOR use the 14-byte environment
export const X87_REAL = 0x1000;  // real or virtual-8086 mode: the real-mode environment layout

export class X87State {
  /** Physical registers R0-R7; ST(i) is R[(top + i) & 7]. */
  readonly regs = new Float64Array(8);
  /** Empty flags per physical register (the tag word keeps only empty / not empty; the rest is derived). */
  readonly empty = new Uint8Array(8).fill(1);
  top = 0;
  cw = CW_DEFAULT;
  /** Status word without TOP (bits 11-13 come from `top`). */
  swBits = 0;
  fip = 0; fcs = 0; fdp = 0; fds = 0; fop = 0;
  mxcsr = 0x1f80;

  get sw(): number { return (this.swBits & ~0x3800) | ((this.top & 7) << 11); }
  set sw(v: number) { this.swBits = v & ~0x3800; this.top = (v >> 11) & 7; }

  /** The full tag word: 00 valid, 01 zero, 10 special (NaN, infinity; never denormal: a double is normal in extended precision), 11 empty. */
  get tagWord(): number {
    let t = 0;
    for (let r = 0; r < 8; r++) t |= this.tagOf(r) << (r * 2);
    return t;
  }
  set tagWord(t: number) { for (let r = 0; r < 8; r++) this.empty[r] = ((t >> (r * 2)) & 3) === 3 ? 1 : 0; }

  tagOf(r: number): number {
    if (this.empty[r]) return 3;
    const v = this.regs[r];
    if (v === 0) return 1;
    return Number.isFinite(v) ? 0 : 2;
  }

  reset(): void {   // FNINIT
    this.cw = CW_DEFAULT;
    this.swBits = 0;
    this.top = 0;
    this.empty.fill(1);
    this.fip = this.fcs = this.fdp = this.fds = this.fop = 0;
  }

  st(i: number): number { return this.regs[(this.top + i) & 7]; }
  isEmpty(i: number): boolean { return this.empty[(this.top + i) & 7] === 1; }
  setSt(i: number, v: number): void { const r = (this.top + i) & 7; this.regs[r] = v; this.empty[r] = 0; }
}

// ---------------------------------------------------------------- conversions

const f64 = new Float64Array(1);
const u32v = new Uint32Array(f64.buffer);
const f32 = new Float32Array(1);
const u32f = new Uint32Array(f32.buffer);

/** A double to float32 with the rounding control's direction. */
function roundF32(v: number, rc: number): number {
  const r = Math.fround(v);
  if (r === v || Number.isNaN(v) || rc === RC_NEAREST) return r;
  const toward = rc === RC_DOWN ? -Infinity : rc === RC_UP ? Infinity : v > 0 ? -Infinity : Infinity;
  // the nearest float32 is on the wrong side of v for this direction: step one float32 toward `toward`
  if ((toward < 0 && r > v) || (toward > 0 && r < v)) return nextF32(r, toward > 0);
  return r;
}
function nextF32(r: number, up: boolean): number {
  if (r === 0) return up ? bitsToF32(1) : bitsToF32(0x80000001);
  if (!Number.isFinite(r)) return up ? (r > 0 ? r : -3.4028234663852886e38) : (r < 0 ? r : 3.4028234663852886e38);
  f32[0] = r;
  u32f[0] += (r > 0) === up ? 1 : -1;
  return f32[0];
}

function bitsToF32(w: number): number { u32f[0] = w >>> 0; return f32[0]; }
function f32Bits(v: number): number {
  if (Number.isNaN(v)) return 0xffc00000 | 0;
  f32[0] = v;
  return u32f[0] | 0;
}
function bitsToF64(lo: number, hi: number): number { u32v[0] = lo >>> 0; u32v[1] = hi >>> 0; return f64[0]; }
function f64Bits(v: number): [number, number] {
  if (Number.isNaN(v)) return [0, 0xfff80000 | 0];
  f64[0] = v;
  return [u32v[0] | 0, u32v[1] | 0];
}

/** 80-bit extended (significand lo/hi 32 bits, sign+exponent 16 bits) to a double, rounding to nearest even. */
export function f80ToF64(lo: number, hi: number, se: number): number {
  const sign = se & 0x8000 ? -1 : 1;
  const exp = se & 0x7fff;
  const mant = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  if (exp === 0x7fff) return (mant & 0x7fffffffffffffffn) === 0n ? sign * Infinity : NaN;
  if (mant === 0n) return sign * 0;
  let e = (exp === 0 ? 1 : exp) - 16383 - 63;   // value = mant * 2^e (unnormals and denormals included)
  const len = mant.toString(2).length;
  const top = e + len - 1;                       // exponent of the leading bit
  const keep = top < -1022 ? top + 1075 : 53;    // double subnormals keep fewer bits
  let q = mant;
  if (len > keep) {
    const drop = BigInt(len - Math.max(keep, 0));
    q = mant >> drop;
    const rem = mant & ((1n << drop) - 1n), half = 1n << (drop - 1n);
    if (rem > half || (rem === half && (q & 1n))) q += 1n;
    e += Number(drop);
  }
  return sign * scale2(Number(q), e);
}

/** x * 2^n without intermediate overflow/underflow surprises (exact when the result is representable). */
function scale2(x: number, n: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  while (n > 1000) { x *= 2 ** 1000; n -= 1000; if (!Number.isFinite(x)) return x; }
  while (n < -1000) { x *= 2 ** -1000; n += 1000; if (x === 0) return x; }
  return x * 2 ** n;
}

/** A double to 80-bit extended: [significand lo, significand hi, sign|exponent]. Exact. */
export function f64ToF80(v: number): [number, number, number] {
  if (Number.isNaN(v)) return [0, 0xc0000000 | 0, 0xffff];
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return [0, 0x80000000 | 0, sign | 0x7fff];
  if (a === 0) return [0, 0, sign];
  const [lo, hi] = f64Bits(a);
  let e = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo >>> 0);
  if (e === 0) { e = 1; } else m |= 1n << 52n;   // denormal double: normalise below
  let exp = e - 1023 + 16383;
  m <<= 11n;   // to bit 63
  while (m < (1n << 63n)) { m <<= 1n; exp--; }
  return [Number(m & 0xffffffffn) | 0, Number(m >> 32n) | 0, sign | exp];
}

/** Round to an integer per RC. */
function roundRc(v: number, rc: number): number {
  const r = roundRcRaw(v, rc);
  return r === 0 && (v < 0 || Object.is(v, -0)) ? -0 : r;
}
function roundRcRaw(v: number, rc: number): number {
  switch (rc) {
    case RC_DOWN: return Math.floor(v);
    case RC_UP: return Math.ceil(v);
    case RC_ZERO: return Math.trunc(v);
    default: {
      const f = Math.floor(v), d = v - f;
      if (d > 0.5) return f + 1;
      if (d < 0.5) return f;
      return f % 2 === 0 ? f : f + 1;
    }
  }
}

// Constants as the 64-bit-significand values the FPU holds, rounded to double (nearest).
const LOG2_10 = Math.log2(10), LOG2_E = Math.LOG2E, LOG10_2 = Math.log10(2), LN_2 = Math.LN2;

/**
 * sin and cos as the x87 computes them: the argument is reduced modulo pi/2
 * using the FPU's 66-bit approximation of pi (0xC90FDAA22168C234C * 2^-66),
 * so large arguments give the hardware's (inexact) answers rather than the
 * mathematically exact ones Math.sin would.
 */
const PI66 = 0xc90fdaa22168c234cn;   // pi * 2^66: 66 significant bits (the low two of these 68 are zero)
function sinCos66(x: number): [number, number] {
  if (Math.abs(x) <= Math.PI / 4) return [Math.sin(x), Math.cos(x)];
  // x = M * 2^E exactly
  const [lo, hi] = f64Bits(Math.abs(x));
  const e = (hi >>> 20) & 0x7ff;
  const M = (BigInt(hi & 0xfffff) << 32n | BigInt(lo >>> 0)) | (e ? 1n << 52n : 0n);
  const E = (e || 1) - 1075;
  // pi/2 = PI66 * 2^-67. Work in units of 2^-(67+S) with S bits of fraction kept for the remainder.
  const S = 64n;
  const shift = BigInt(E) + 67n + S;
  const num = shift >= 0n ? M << shift : M >> -shift;        // x * 2^(67+S)
  const den = PI66 << S;                                   // pi/2 * 2^(67+S)
  let k = num / den;
  let rem = num - k * den;
  if (rem * 2n > den) { k += 1n; rem -= den; }
  const r = (Number(rem) / 2 ** 64) * 2 ** -67 * (x < 0 ? -1 : 1);   // Number(rem) rounds once; scaling is exact
  const q = Number(((x < 0 ? -k : k) % 4n + 4n) % 4n);
  const s = Math.sin(r), c = Math.cos(r);
  return q === 0 ? [s, c] : q === 1 ? [c, -s] : q === 2 ? [-s, -c] : [-c, s];
}

// ---------------------------------------------------------------- exceptions

/** Raise exception bits; returns true when all of them are masked (the masked response applies). */
function raise(st: X87State, bits: number): boolean {
  st.swBits |= bits;
  const unmasked = bits & ~st.cw & 0x3f;
  if (unmasked) st.swBits |= SW_ES | SW_B;
  return unmasked === 0;
}

function stackUnderflow(st: X87State): boolean { st.swBits &= ~SW_C1; return raise(st, SW_IE | SW_SF); }
function stackOverflow(st: X87State): boolean { st.swBits |= SW_C1; return raise(st, SW_IE | SW_SF); }

function push(st: X87State, v: number): void {
  const r = (st.top - 1) & 7;
  if (!st.empty[r]) { if (!stackOverflow(st)) return; v = NaN; }
  st.top = r;
  st.regs[r] = v;
  st.empty[r] = 0;
}
function pop(st: X87State): void {
  st.empty[st.top] = 1;
  st.top = (st.top + 1) & 7;
}

/** Result of an arithmetic op: sets IE/ZE for the invalid cases given. */
function arithResult(st: X87State, r: number, a: number, b: number): number | undefined {
  if (Number.isNaN(r) && !Number.isNaN(a) && !Number.isNaN(b)) { if (!raise(st, SW_IE)) return undefined; return NaN; }
  if (!Number.isFinite(r) && Number.isFinite(a) && Number.isFinite(b)) {
    // finite operands, infinite result: overflow (or a division by zero, handled by the caller)
    if (!raise(st, SW_OE | SW_PE)) return undefined;
  }
  return r;
}

function binop(st: X87State, kind: number, a: number, b: number): number | undefined {
  // kind: 0 add, 1 mul, 4 sub (a-b), 5 subr (b-a), 6 div (a/b), 7 divr (b/a)
  switch (kind) {
    case 0: return arithResult(st, a + b, a, b);
    case 1: return arithResult(st, a * b, a, b);
    case 4: return arithResult(st, a - b, a, b);
    case 5: return arithResult(st, b - a, a, b);
    case 6: case 7: {
      const [n, d] = kind === 6 ? [a, b] : [b, a];
      if (d === 0 && n !== 0 && Number.isFinite(n)) { if (!raise(st, SW_ZE)) return undefined; return n / d; }
      return arithResult(st, n / d, n, d);
    }
  }
  return undefined;
}

/** C3 C2 C0 for a comparison of a with b; `unordered` raises IE for FCOM-class compares (quiet for FUCOM). */
function compareCC(st: X87State, a: number, b: number, quiet: boolean): number {
  st.swBits &= ~SW_CC;
  if (Number.isNaN(a) || Number.isNaN(b)) {
    if (!quiet) raise(st, SW_IE);
    return SW_C3 | SW_C2 | SW_C0;
  }
  return a > b ? 0 : a < b ? SW_C0 : SW_C3;
}
function ccToEflags(cc: number): number {
  return (cc & SW_C3 ? ZF : 0) | (cc & SW_C2 ? PF : 0) | (cc & SW_C0 ? CF : 0);
}

// ---------------------------------------------------------------- memory formats

function ldM64(mem: X87Mem, a: number): number { return bitsToF64(mem.ld32(a), mem.ld32(a + 4)); }
function stM64(mem: X87Mem, a: number, v: number): void { const [lo, hi] = f64Bits(v); mem.st32(a, lo); mem.st32(a + 4, hi); }
function ldM80(mem: X87Mem, a: number): number { return f80ToF64(mem.ld32(a), mem.ld32(a + 4), mem.ld16(a + 8)); }
function stM80(mem: X87Mem, a: number, v: number): void { const [lo, hi, se] = f64ToF80(v); mem.st32(a, lo); mem.st32(a + 4, hi); mem.st16(a + 8, se); }
function ldI16(mem: X87Mem, a: number): number { return (mem.ld16(a) << 16) >> 16; }
function ldI64(mem: X87Mem, a: number): number { return Number((BigInt(mem.ld32(a + 4) | 0) << 32n) | BigInt(mem.ld32(a) >>> 0)); }

/** FIST/FISTP/FISTTP: integer of `bytes` size, RC rounding (or truncation), the integer indefinite when out of range. */
function storeInt(st: X87State, mem: X87Mem, a: number, v: number, bytes: number, truncate: boolean): boolean {
  let r = Number.isNaN(v) ? NaN : truncate ? Math.trunc(v) : roundRc(v, (st.cw >> 10) & 3);
  const lim = bytes === 2 ? 0x8000 : bytes === 4 ? 0x80000000 : 2 ** 63;
  if (!Number.isFinite(r) || r >= lim || r < -lim) {
    if (!raise(st, SW_IE)) return false;
    r = -lim;   // the integer indefinite: the most negative value
  } else if (r !== v) {
    raise(st, SW_PE);
  }
  if (bytes === 2) mem.st16(a, r & 0xffff);
  else if (bytes === 4) mem.st32(a, r | 0);
  else {
    const big = BigInt.asUintN(64, BigInt(r));
    mem.st32(a, Number(big & 0xffffffffn) | 0);
    mem.st32(a + 4, Number(big >> 32n) | 0);
  }
  return true;
}

function ldBcd(mem: X87Mem, a: number): number {
  let v = 0n;
  for (let i = 8; i >= 0; i--) { const b = mem.ld8(a + i); v = v * 100n + BigInt((b >> 4) * 10 + (b & 15)); }
  return mem.ld8(a + 9) & 0x80 ? -Number(v) : Number(v);
}
function stBcd(st: X87State, mem: X87Mem, a: number, v: number): boolean {
  let r = Number.isNaN(v) ? NaN : roundRc(v, (st.cw >> 10) & 3);
  if (!Number.isFinite(r) || Math.abs(r) >= 1e18) {
    if (!raise(st, SW_IE)) return false;
    // the packed BCD indefinite
    for (let i = 0; i < 7; i++) mem.st8(a + i, 0);
    mem.st8(a + 7, 0xc0); mem.st8(a + 8, 0xff); mem.st8(a + 9, 0xff);
    return true;
  }
  if (r !== v) raise(st, SW_PE);
  const neg = r < 0 || Object.is(r, -0);
  let x = BigInt(Math.abs(r));
  for (let i = 0; i < 9; i++) { const lo = Number(x % 10n); x /= 10n; const hi = Number(x % 10n); x /= 10n; mem.st8(a + i, (hi << 4) | lo); }
  mem.st8(a + 9, neg ? 0x80 : 0);
  return true;
}

// ---------------------------------------------------------------- environment

function envSize(op: number): number { return op & X87_OP16 ? 14 : 28; }

function storeEnv(st: X87State, mem: X87Mem, a: number, op: number): void {
  const tw = st.tagWord;
  if (op & X87_OP16) {
    mem.st16(a, st.cw); mem.st16(a + 2, st.sw); mem.st16(a + 4, tw);
    if (op & X87_REAL) {
      mem.st16(a + 6, st.fip & 0xffff); mem.st16(a + 8, ((st.fip >>> 4) & 0xf000) | (st.fop & 0x7ff));
      mem.st16(a + 10, st.fdp & 0xffff); mem.st16(a + 12, (st.fdp >>> 4) & 0xf000);
    } else {
      mem.st16(a + 6, st.fip); mem.st16(a + 8, st.fcs); mem.st16(a + 10, st.fdp); mem.st16(a + 12, st.fds);
    }
    return;
  }
  // 32-bit: reserved upper halves read as ones on Intel hardware.
  mem.st32(a, 0xffff0000 | st.cw); mem.st32(a + 4, 0xffff0000 | st.sw); mem.st32(a + 8, 0xffff0000 | tw);
  if (op & X87_REAL) {
    mem.st32(a + 12, 0xffff0000 | (st.fip & 0xffff)); mem.st32(a + 16, ((st.fip >>> 4) & 0x0ffff000) | (st.fop & 0x7ff));
    mem.st32(a + 20, 0xffff0000 | (st.fdp & 0xffff)); mem.st32(a + 24, (st.fdp >>> 4) & 0x0ffff000);
  } else {
    mem.st32(a + 12, st.fip); mem.st32(a + 16, (st.fcs & 0xffff) | ((st.fop & 0x7ff) << 16));
    mem.st32(a + 20, st.fdp); mem.st32(a + 24, 0xffff0000 | (st.fds & 0xffff));
  }
}

function loadEnv(st: X87State, mem: X87Mem, a: number, op: number): void {
  const w = op & X87_OP16 ? (o: number) => mem.ld16(a + o / 2) : (o: number) => mem.ld32(a + o);
  st.cw = w(0) & 0xffff;
  st.sw = w(4) & 0xffff;
  st.tagWord = w(8) & 0xffff;
  if (op & X87_REAL) {
    const ip = w(12) & 0xffff, ipHi = w(16), dp = w(20) & 0xffff, dpHi = w(24);
    st.fop = ipHi & 0x7ff;
    st.fip = (ip | ((ipHi & (op & X87_OP16 ? 0xf000 : 0x0ffff000)) << 4)) >>> 0;
    st.fdp = (dp | ((dpHi & (op & X87_OP16 ? 0xf000 : 0x0ffff000)) << 4)) >>> 0;
  } else if (op & X87_OP16) {
    st.fip = w(12) & 0xffff; st.fcs = w(16) & 0xffff; st.fdp = w(20) & 0xffff; st.fds = w(24) & 0xffff;
  } else {
    st.fip = w(12) >>> 0; const x = w(16); st.fcs = x & 0xffff; st.fop = (x >>> 16) & 0x7ff;
    st.fdp = w(20) >>> 0; st.fds = w(24) & 0xffff;
  }
  // Unmasked exceptions pending after the load set ES/B (and #MF on the next waiting instruction).
  if (st.swBits & ~st.cw & 0x3f) st.swBits |= SW_ES | SW_B; else st.swBits &= ~(SW_ES | SW_B);
}

/** FXSAVE: the 512-byte image (32-bit layout; XMM registers are not modelled and stored as zero). */
export function fxsave(st: X87State, a: number, mem: X87Mem): void {
  mem.st16(a, st.cw); mem.st16(a + 2, st.sw);
  let ftw = 0;
  for (let r = 0; r < 8; r++) if (!st.empty[r]) ftw |= 1 << r;
  mem.st8(a + 4, ftw); mem.st8(a + 5, 0);
  mem.st16(a + 6, st.fop);
  mem.st32(a + 8, st.fip); mem.st16(a + 12, st.fcs); mem.st16(a + 14, 0);
  mem.st32(a + 16, st.fdp); mem.st16(a + 20, st.fds); mem.st16(a + 22, 0);
  mem.st32(a + 24, st.mxcsr); mem.st32(a + 28, 0xffff);
  for (let i = 0; i < 8; i++) {
    const o = a + 32 + i * 16;
    stM80(mem, o, st.st(i));
    for (let k = 10; k < 16; k++) mem.st8(o + k, 0);
  }
}

export function fxrstor(st: X87State, a: number, mem: X87Mem): void {
  st.cw = mem.ld16(a);
  st.sw = mem.ld16(a + 2);
  const ftw = mem.ld8(a + 4);
  st.fop = mem.ld16(a + 6) & 0x7ff;
  st.fip = mem.ld32(a + 8) >>> 0; st.fcs = mem.ld16(a + 12);
  st.fdp = mem.ld32(a + 16) >>> 0; st.fds = mem.ld16(a + 20);
  st.mxcsr = mem.ld32(a + 24) >>> 0;
  for (let i = 0; i < 8; i++) {
    const r = (st.top + i) & 7;
    st.regs[r] = ldM80(mem, a + 32 + i * 16);
  }
  for (let r = 0; r < 8; r++) st.empty[r] = ftw & (1 << r) ? 0 : 1;
  if (st.swBits & ~st.cw & 0x3f) st.swBits |= SW_ES | SW_B; else st.swBits &= ~(SW_ES | SW_B);
}

/** FWAIT: X87_MF when an unmasked exception is pending. */
export function x87Wait(st: X87State): number {
  return st.swBits & SW_ES ? X87_MF : X87_NONE;
}

// ---------------------------------------------------------------- the escape opcodes

/** True for the instructions that do not wait (FNINIT, FNCLEX, FNSTCW, FNSTSW, FNSTENV, FNSAVE). */
function noWait(esc: number, m: number, mem: boolean): boolean {
  const reg = (m >> 3) & 7;
  if (mem) return (esc === 1 && (reg === 6 || reg === 7)) || (esc === 5 && (reg === 6 || reg === 7));
  return (esc === 3 && (m === 0xe2 || m === 0xe3)) || (esc === 7 && m === 0xe0);
}

/** Instructions that leave FIP/FDP/FOP alone (control instructions). */
function isControl(esc: number, m: number, mem: boolean): boolean {
  const reg = (m >> 3) & 7;
  if (mem) return esc === 1 ? reg >= 4 : esc === 5 ? reg >= 4 && reg !== 5 : false;
  return (esc === 3 && (m === 0xe2 || m === 0xe3)) || (esc === 7 && m === 0xe0);
}

/**
 * Execute one x87 instruction.
 * - `op`: (opcode & 7) << 8 | modrm, plus X87_OP16 / X87_REAL for the environment formats.
 * - `ea`: the effective address for memory forms (mod != 3), -1 for register forms.
 * - `eflags`: for FCMOVcc (CF, PF, ZF are read).
 * - `ip`, `cs`, `ds`: recorded as FIP/FCS/FDS for non-control instructions.
 * Returns X87_NONE; or for FNSTSW AX the value for AX; for FCOMI/FCOMIP/FUCOMI/FUCOMIP
 * the new ZF|PF|CF (OF, SF, AF are cleared by these); or X87_MF / X87_UD.
 */
export function x87Exec(st: X87State, op: number, ea: number, mem: X87Mem, eflags = 0, ip = 0, cs = 0, ds = 0): number {
  const esc = (op >> 8) & 7, m = op & 0xff;
  const isMem = ea >= 0 && (m >> 6) !== 3;
  if (!noWait(esc, m, isMem) && (st.swBits & SW_ES)) return X87_MF;
  if (!isControl(esc, m, isMem)) {
    st.fop = ((esc << 8) | m) & 0x7ff;
    st.fip = ip >>> 0; st.fcs = cs & 0xffff;
    if (isMem) { st.fdp = ea >>> 0; st.fds = ds & 0xffff; }
  }
  return isMem ? memForm(st, esc, (m >> 3) & 7, ea, mem, op) : regForm(st, esc, m, eflags);
}

function memForm(st: X87State, esc: number, reg: number, a: number, mem: X87Mem, op: number): number {
  // D8/DA/DC/DE: arithmetic with m32fp / m32int / m64fp / m16int
  if (!(esc & 1)) {
    const src = esc === 0 ? bitsToF32(mem.ld32(a)) : esc === 2 ? mem.ld32(a) | 0 : esc === 4 ? ldM64(mem, a) : ldI16(mem, a);
    if (st.isEmpty(0)) { if (stackUnderflow(st) && reg !== 2 && reg !== 3) st.setSt(0, NaN); if (reg === 2 || reg === 3) { st.swBits |= SW_C3 | SW_C2 | SW_C0; if (reg === 3) pop(st); } return X87_NONE; }
    const a0 = st.st(0);
    if (reg === 2 || reg === 3) {   // FCOM / FCOMP, FICOM / FICOMP
      st.swBits |= compareCC(st, a0, src, false);
      if (reg === 3) pop(st);
      return X87_NONE;
    }
    const r = binop(st, reg, a0, src);
    if (r !== undefined) st.setSt(0, r);
    return X87_NONE;
  }
  switch (esc) {
    case 1:
      switch (reg) {
        case 0: push(st, bitsToF32(mem.ld32(a))); return X87_NONE;                       // FLD m32fp
        case 2: case 3: {                                                                 // FST/FSTP m32fp
          if (st.isEmpty(0)) { if (!stackUnderflow(st)) return X87_NONE; mem.st32(a, 0xffc00000 | 0); }
          else {
            const v = st.st(0);
            const r = roundF32(v, (st.cw >> 10) & 3);
            if (Number.isFinite(v) && !Number.isFinite(Math.fround(v))) { if (!raise(st, SW_OE | SW_PE)) return X87_NONE; }
            else if (r !== v && !Number.isNaN(v)) raise(st, r === 0 ? SW_UE | SW_PE : SW_PE);
            mem.st32(a, f32Bits(r));
          }
          if (reg === 3) pop(st);
          return X87_NONE;
        }
        case 4: loadEnv(st, mem, a, op); return X87_NONE;                                 // FLDENV
        case 5: st.cw = mem.ld16(a) & 0x1f7f | 0x40;                                      // FLDCW (bit 6 reads as 1)
          if (st.swBits & ~st.cw & 0x3f) st.swBits |= SW_ES | SW_B; else st.swBits &= ~(SW_ES | SW_B);
          return X87_NONE;
        case 6: storeEnv(st, mem, a, op); st.cw |= 0x3f; return X87_NONE;                 // FNSTENV (masks all exceptions after)
        case 7: mem.st16(a, st.cw); return X87_NONE;                                      // FNSTCW
      }
      return X87_UD;
    case 3:
      switch (reg) {
        case 0: push(st, mem.ld32(a) | 0); return X87_NONE;                               // FILD m32int
        case 1: case 2: case 3: {                                                         // FISTTP / FIST / FISTP m32int
          if (st.isEmpty(0)) { if (!stackUnderflow(st)) return X87_NONE; mem.st32(a, 0x80000000 | 0); }
          else if (!storeInt(st, mem, a, st.st(0), 4, reg === 1)) return X87_NONE;
          if (reg !== 2) pop(st);
          return X87_NONE;
        }
        case 5: push(st, ldM80(mem, a)); return X87_NONE;                                 // FLD m80fp
        case 7:                                                                           // FSTP m80fp
          if (st.isEmpty(0)) { if (!stackUnderflow(st)) return X87_NONE; stM80(mem, a, NaN); }
          else stM80(mem, a, st.st(0));
          pop(st);
          return X87_NONE;
      }
      return X87_UD;
    case 5:
      switch (reg) {
        case 0: push(st, ldM64(mem, a)); return X87_NONE;                                 // FLD m64fp
        case 1: {                                                                         // FISTTP m64int
          if (st.isEmpty(0)) { if (!stackUnderflow(st)) return X87_NONE; mem.st32(a, 0); mem.st32(a + 4, 0x80000000 | 0); }
          else if (!storeInt(st, mem, a, st.st(0), 8, true)) return X87_NONE;
          pop(st);
          return X87_NONE;
        }
        case 2: case 3: {                                                                 // FST/FSTP m64fp
          if (st.isEmpty(0)) { if (!stackUnderflow(st)) return X87_NONE; stM64(mem, a, NaN); }
          else stM64(mem, a, st.st(0));
          if (reg === 3) pop(st);
          return X87_NONE;
        }
        case 4: {                                                                         // FRSTOR
          loadEnv(st, mem, a, op);
          const base = a + envSize(op);
          for (let i = 0; i < 8; i++) st.regs[(st.top + i) & 7] = ldM80(mem, base + i * 10);
          return X87_NONE;
        }
        case 6: {                                                                         // FNSAVE, then FNINIT
          storeEnv(st, mem, a, op);
          const base = a + envSize(op);
          for (let i = 0; i < 8; i++) stM80(mem, base + i * 10, st.st(i));
          st.reset();
          return X87_NONE;
        }
        case 7: mem.st16(a, st.sw); return X87_NONE;                                      // FNSTSW m16
      }
      return X87_UD;
    case 7:
      switch (reg) {
        case 0: push(st, ldI16(mem, a)); return X87_NONE;                                 // FILD m16int
        case 1: case 2: case 3: {                                                         // FISTTP / FIST / FISTP m16int
          if (st.isEmpty(0)) { if (!stackUnderflow(st)) return X87_NONE; mem.st16(a, 0x8000); }
          else if (!storeInt(st, mem, a, st.st(0), 2, reg === 1)) return X87_NONE;
          if (reg !== 2) pop(st);
          return X87_NONE;
        }
        case 4: push(st, ldBcd(mem, a)); return X87_NONE;                                 // FBLD
        case 5: push(st, ldI64(mem, a)); return X87_NONE;                                 // FILD m64int
        case 6:                                                                           // FBSTP
          if (st.isEmpty(0)) { if (!stackUnderflow(st)) return X87_NONE; stBcd(st, mem, a, NaN); }
          else if (!stBcd(st, mem, a, st.st(0))) return X87_NONE;
          pop(st);
          return X87_NONE;
        case 7:                                                                           // FISTP m64int
          if (st.isEmpty(0)) { if (!stackUnderflow(st)) return X87_NONE; mem.st32(a, 0); mem.st32(a + 4, 0x80000000 | 0); }
          else if (!storeInt(st, mem, a, st.st(0), 8, false)) return X87_NONE;
          pop(st);
          return X87_NONE;
      }
      return X87_UD;
  }
  return X87_UD;
}

/** Both ST(0) and ST(i) must be valid; on underflow applies the masked response to `dest` and returns false. */
function need2(st: X87State, i: number, dest: number | -1): boolean {
  if (!st.isEmpty(0) && !st.isEmpty(i)) return true;
  if (stackUnderflow(st) && dest >= 0) st.setSt(dest, NaN);
  return false;
}
function need1(st: X87State): boolean {
  if (!st.isEmpty(0)) return true;
  if (stackUnderflow(st)) st.setSt(0, NaN);
  return false;
}

function regForm(st: X87State, esc: number, m: number, eflags: number): number {
  const i = m & 7, row = (m >> 3) & 7;
  switch (esc) {
    case 0: {   // D8: ST(0) op ST(i)
      if (row === 2 || row === 3) {
        if (!need2(st, i, -1)) { st.swBits |= SW_C3 | SW_C2 | SW_C0; if (row === 3) pop(st); return X87_NONE; }
        st.swBits |= compareCC(st, st.st(0), st.st(i), false);
        if (row === 3) pop(st);
        return X87_NONE;
      }
      if (!need2(st, i, 0)) return X87_NONE;
      const r = binop(st, row, st.st(0), st.st(i));
      if (r !== undefined) st.setSt(0, r);
      return X87_NONE;
    }
    case 4: case 6: {   // DC: ST(i) op ST(0) (SUB/SUBR and DIV/DIVR swapped); DE: the same, then pop
      if (row === 2 || row === 3) {   // DC D0/D8 aliases of FCOM/FCOMP; DE D9 FCOMPP
        if (esc === 6 && m !== 0xd9) return X87_UD;
        if (!need2(st, esc === 6 ? 1 : i, -1)) { st.swBits |= SW_C3 | SW_C2 | SW_C0; }
        else st.swBits |= compareCC(st, st.st(0), st.st(esc === 6 ? 1 : i), false);
        if (row === 3) pop(st);
        if (esc === 6) pop(st);
        return X87_NONE;
      }
      if (!need2(st, i, i)) { if (esc === 6) pop(st); return X87_NONE; }
      // Destination ST(i): FADD/FMUL; row 4 (E0) = FSUBR ST(i),ST(0) → ST(0)-ST(i); row 5 = FSUB → ST(i)-ST(0); 6 FDIVR → ST(0)/ST(i); 7 FDIV → ST(i)/ST(0)
      const kind = row === 4 ? 5 : row === 5 ? 4 : row === 6 ? 7 : row === 7 ? 6 : row;
      const r = binop(st, kind, st.st(i), st.st(0));
      if (r !== undefined) st.setSt(i, r);
      if (esc === 6) pop(st);
      return X87_NONE;
    }
    case 1: return d9Reg(st, m, i, row);
    case 2: {
      if (m === 0xe9) {   // FUCOMPP
        if (!need2(st, 1, -1)) st.swBits |= SW_C3 | SW_C2 | SW_C0;
        else st.swBits |= compareCC(st, st.st(0), st.st(1), true);
        pop(st); pop(st);
        return X87_NONE;
      }
      if (row > 3) return X87_UD;
      return fcmov(st, i, [eflags & CF, eflags & ZF, eflags & (CF | ZF), eflags & PF][row] !== 0);
    }
    case 3: {
      if (row < 4) return fcmov(st, i, [eflags & CF, eflags & ZF, eflags & (CF | ZF), eflags & PF][row] === 0);
      if (m === 0xe2) { st.swBits &= ~(0x3f | SW_SF | SW_ES | SW_B); return X87_NONE; }   // FNCLEX
      if (m === 0xe3) { st.reset(); return X87_NONE; }                                     // FNINIT
      if (m === 0xe0 || m === 0xe1 || m === 0xe4) return X87_NONE;                         // FNENI FNDISI FNSETPM: no-ops on a 387+
      if (row === 5 || row === 6) return fcomi(st, i, row === 5, false);                  // FUCOMI / FCOMI
      return X87_UD;
    }
    case 5: {
      switch (row) {
        case 0: st.empty[(st.top + i) & 7] = 1; return X87_NONE;                           // FFREE
        case 1: return fxch(st, i);                                                         // (alias of FXCH)
        case 2: case 3:                                                                     // FST / FSTP ST(i)
          if (st.isEmpty(0)) { if (!stackUnderflow(st)) return X87_NONE; st.setSt(i, NaN); }
          else st.setSt(i, st.st(0));
          if (row === 3) pop(st);
          return X87_NONE;
        case 4: case 5:                                                                     // FUCOM / FUCOMP
          if (!need2(st, i, -1)) st.swBits |= SW_C3 | SW_C2 | SW_C0;
          else st.swBits |= compareCC(st, st.st(0), st.st(i), true);
          if (row === 5) pop(st);
          return X87_NONE;
      }
      return X87_UD;
    }
    case 7: {
      if (m === 0xe0) return st.sw;                                                         // FNSTSW AX
      if (row === 0) { st.empty[(st.top + i) & 7] = 1; pop(st); return X87_NONE; }         // FFREEP
      if (row === 1) return fxch(st, i);
      if (row === 2 || row === 3) {                                                         // FSTP ST(i) aliases
        if (st.isEmpty(0)) { if (!stackUnderflow(st)) return X87_NONE; st.setSt(i, NaN); } else st.setSt(i, st.st(0));
        pop(st);
        return X87_NONE;
      }
      if (row === 5 || row === 6) return fcomi(st, i, row === 5, true);                    // FUCOMIP / FCOMIP
      return X87_UD;
    }
  }
  return X87_UD;
}

function fcmov(st: X87State, i: number, cond: boolean): number {
  if (!need2(st, i, 0)) return X87_NONE;
  if (cond) st.setSt(0, st.st(i));
  return X87_NONE;
}

function fxch(st: X87State, i: number): number {
  if (st.isEmpty(0) || st.isEmpty(i)) {
    if (!stackUnderflow(st)) return X87_NONE;
    if (st.isEmpty(0)) st.setSt(0, NaN);
    if (st.isEmpty(i)) st.setSt(i, NaN);
  }
  const a = st.st(0);
  st.setSt(0, st.st(i));
  st.setSt(i, a);
  st.swBits &= ~SW_C1;
  return X87_NONE;
}

function fcomi(st: X87State, i: number, quiet: boolean, popAfter: boolean): number {
  let cc: number;
  if (!need2(st, i, -1)) cc = SW_C3 | SW_C2 | SW_C0;
  else { const save = st.swBits; cc = compareCC(st, st.st(0), st.st(i), quiet); st.swBits = (st.swBits & ~SW_CC) | (save & SW_CC & ~SW_C1); }
  if (popAfter) pop(st);
  return ccToEflags(cc);
}

function d9Reg(st: X87State, m: number, i: number, row: number): number {
  if (row === 0) {   // FLD ST(i)
    if (st.isEmpty(i)) { if (!stackUnderflow(st)) return X87_NONE; push(st, NaN); return X87_NONE; }
    push(st, st.st(i));
    return X87_NONE;
  }
  if (row === 1) return fxch(st, i);
  if (m === 0xd0) return X87_NONE;   // FNOP
  if (row === 3) {   // D9 D8+i: FSTP1 (undocumented alias)
    if (st.isEmpty(0)) { if (!stackUnderflow(st)) return X87_NONE; st.setSt(i, NaN); } else st.setSt(i, st.st(0));
    pop(st);
    return X87_NONE;
  }
  switch (m) {
    case 0xe0: if (need1(st)) st.setSt(0, -st.st(0)); st.swBits &= ~SW_C1; return X87_NONE;           // FCHS
    case 0xe1: if (need1(st)) st.setSt(0, Math.abs(st.st(0))); st.swBits &= ~SW_C1; return X87_NONE; // FABS
    case 0xe4:                                                                                      // FTST
      if (st.isEmpty(0)) { stackUnderflow(st); st.swBits |= SW_C3 | SW_C2 | SW_C0; return X87_NONE; }
      st.swBits |= compareCC(st, st.st(0), 0, false);
      return X87_NONE;
    case 0xe5: {                                                                                    // FXAM
      st.swBits &= ~SW_CC;
      const r = st.top;
      const v = st.regs[r];
      if (v < 0 || Object.is(v, -0) || (Number.isNaN(v) && !st.empty[r])) st.swBits |= SW_C1;   // sign (NaN: the indefinite is negative)
      if (st.empty[r]) st.swBits |= SW_C3 | SW_C0;
      else if (Number.isNaN(v)) st.swBits |= SW_C0;
      else if (!Number.isFinite(v)) st.swBits |= SW_C2 | SW_C0;
      else if (v === 0) st.swBits |= SW_C3;
      else st.swBits |= SW_C2;   // normal (a double is never denormal in extended precision)
      return X87_NONE;
    }
    case 0xe8: push(st, 1); return X87_NONE;          // FLD1
    case 0xe9: push(st, LOG2_10); return X87_NONE;    // FLDL2T
    case 0xea: push(st, LOG2_E); return X87_NONE;     // FLDL2E
    case 0xeb: push(st, Math.PI); return X87_NONE;    // FLDPI
    case 0xec: push(st, LOG10_2); return X87_NONE;    // FLDLG2
    case 0xed: push(st, LN_2); return X87_NONE;       // FLDLN2
    case 0xee: push(st, 0); return X87_NONE;          // FLDZ
    case 0xf0:                                        // F2XM1
      if (need1(st)) { const x = st.st(0); st.setSt(0, Math.expm1(x * Math.LN2)); raise(st, SW_PE); }
      return X87_NONE;
    case 0xf1: case 0xf9: {                           // FYL2X, FYL2XP1: ST(1) = ST(1) * log2(ST(0) [+ 1]); pop
      if (!need2(st, 1, 1)) { pop(st); return X87_NONE; }
      const x = st.st(0), y = st.st(1);
      const lg = m === 0xf1 ? Math.log2(x) : Math.log1p(x) / Math.LN2;
      let r = y * lg;
      if (Number.isNaN(r) && !Number.isNaN(x) && !Number.isNaN(y)) { if (!raise(st, SW_IE)) { pop(st); return X87_NONE; } }
      else if (m === 0xf1 && x < 0) { if (!raise(st, SW_IE)) { pop(st); return X87_NONE; } r = NaN; }
      else if (m === 0xf1 && x === 0 && y !== 0 && Number.isFinite(y)) { if (!raise(st, SW_ZE)) { pop(st); return X87_NONE; } }
      else raise(st, SW_PE);
      st.setSt(1, r);
      pop(st);
      return X87_NONE;
    }
    case 0xf2: {                                      // FPTAN
      if (!need1(st)) return X87_NONE;
      const x = st.st(0);
      st.swBits &= ~SW_C2;
      if (!Number.isFinite(x)) { if (raise(st, SW_IE)) { st.setSt(0, NaN); push(st, NaN); } return X87_NONE; }
      if (Math.abs(x) >= 2 ** 63) { st.swBits |= SW_C2; return X87_NONE; }
      const [s, c] = sinCos66(x);
      st.setSt(0, s / c);
      raise(st, SW_PE);
      push(st, 1);
      return X87_NONE;
    }
    case 0xf3: {                                      // FPATAN: ST(1) = atan2(ST(1), ST(0)); pop
      if (!need2(st, 1, 1)) { pop(st); return X87_NONE; }
      st.setSt(1, Math.atan2(st.st(1), st.st(0)));
      raise(st, SW_PE);
      pop(st);
      return X87_NONE;
    }
    case 0xf4: {                                      // FXTRACT: ST(0) = exponent, push significand
      if (!need1(st)) return X87_NONE;
      const x = st.st(0);
      if (x === 0) {
        if (!raise(st, SW_ZE)) return X87_NONE;
        st.setSt(0, -Infinity); push(st, x);
        return X87_NONE;
      }
      if (!Number.isFinite(x)) { st.setSt(0, Number.isNaN(x) ? NaN : Infinity); push(st, x); return X87_NONE; }
      let e = Math.floor(Math.log2(Math.abs(x)));
      let s = scale2(x, -e);
      if (Math.abs(s) >= 2) { s /= 2; e += 1; } else if (Math.abs(s) < 1) { s *= 2; e -= 1; }
      st.setSt(0, e);
      push(st, s);
      return X87_NONE;
    }
    case 0xf5: case 0xf8: {                           // FPREM1, FPREM
      if (!need2(st, 1, 0)) return X87_NONE;
      const a = st.st(0), b = st.st(1);
      st.swBits &= ~SW_CC;
      if (b === 0 || !Number.isFinite(a) || Number.isNaN(b)) { if (raise(st, SW_IE)) st.setSt(0, NaN); return X87_NONE; }
      if (!Number.isFinite(b)) { return X87_NONE; }   // x rem inf = x
      let r: number, q: number;
      if (m === 0xf8) { r = a % b; q = Math.trunc(Math.abs((a - r) / b)); }
      else {
        const qn = roundRc(a / b, RC_NEAREST);
        r = a - qn * b;
        // exact IEEE remainder: correct a quotient off by one from rounding of a / b
        const tr = a % b, half = Math.abs(b) / 2;
        r = Math.abs(tr) > half || (Math.abs(tr) === half && Math.trunc((a - tr) / b) % 2 !== 0) ? tr - Math.sign(tr) * Math.abs(b) : tr;
        q = Math.abs(Math.round((a - r) / b));
      }
      if (r === 0) r = a < 0 || Object.is(a, -0) ? -0 : 0;
      st.setSt(0, r);
      const qb = Number.isSafeInteger(q) ? q % 8 : 0;
      if (qb & 4) st.swBits |= SW_C0;
      if (qb & 2) st.swBits |= SW_C3;
      if (qb & 1) st.swBits |= SW_C1;
      return X87_NONE;
    }
    case 0xf6: st.top = (st.top - 1) & 7; st.swBits &= ~SW_C1; return X87_NONE;   // FDECSTP
    case 0xf7: st.top = (st.top + 1) & 7; st.swBits &= ~SW_C1; return X87_NONE;   // FINCSTP
    case 0xfa: {                                      // FSQRT
      if (!need1(st)) return X87_NONE;
      const x = st.st(0);
      if (x < 0) { if (raise(st, SW_IE)) st.setSt(0, NaN); return X87_NONE; }
      const r = Math.sqrt(x);
      if (r * r !== x) raise(st, SW_PE);
      st.setSt(0, r);
      return X87_NONE;
    }
    case 0xfb: {                                      // FSINCOS: ST(0) = sin, push cos
      if (!need1(st)) return X87_NONE;
      const x = st.st(0);
      st.swBits &= ~SW_C2;
      if (!Number.isFinite(x)) { if (raise(st, SW_IE)) { st.setSt(0, NaN); push(st, NaN); } return X87_NONE; }
      if (Math.abs(x) >= 2 ** 63) { st.swBits |= SW_C2; return X87_NONE; }
      const [s, c] = sinCos66(x);
      st.setSt(0, s);
      push(st, c);
      raise(st, SW_PE);
      return X87_NONE;
    }
    case 0xfc: {                                      // FRNDINT
      if (!need1(st)) return X87_NONE;
      const x = st.st(0);
      if (!Number.isFinite(x)) return X87_NONE;
      const r = roundRc(x, (st.cw >> 10) & 3);
      if (r !== x) raise(st, SW_PE);
      st.setSt(0, r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r);
      return X87_NONE;
    }
    case 0xfd: {                                      // FSCALE: ST(0) *= 2^trunc(ST(1))
      if (!need2(st, 1, 0)) return X87_NONE;
      const x = st.st(0), n = Math.trunc(st.st(1));
      if (Number.isNaN(n)) { st.setSt(0, NaN); return X87_NONE; }
      if (!Number.isFinite(n)) {
        if ((n > 0 && x === 0) || (n < 0 && !Number.isFinite(x))) { if (raise(st, SW_IE)) st.setSt(0, NaN); return X87_NONE; }
        st.setSt(0, n > 0 ? x * Infinity : x * 0);
        return X87_NONE;
      }
      const r = scale2(x, n);
      if (!Number.isFinite(r) && Number.isFinite(x)) raise(st, SW_OE | SW_PE);
      st.setSt(0, r);
      return X87_NONE;
    }
    case 0xfe: case 0xff: {                           // FSIN, FCOS
      if (!need1(st)) return X87_NONE;
      const x = st.st(0);
      st.swBits &= ~SW_C2;
      if (!Number.isFinite(x)) { if (raise(st, SW_IE)) st.setSt(0, NaN); return X87_NONE; }
      if (Math.abs(x) >= 2 ** 63) { st.swBits |= SW_C2; return X87_NONE; }
      const [s, c] = sinCos66(x);
      st.setSt(0, m === 0xfe ? s : c);
      raise(st, SW_PE);
      return X87_NONE;
    }
  }
  return X87_UD;
}
