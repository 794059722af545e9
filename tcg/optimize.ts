/**
 * The IR optimizer (QEMU's tcg/optimize.c, smaller): copy propagation,
 * constant folding, dead stores to guest state (flags computed and then
 * overwritten before anyone could see them) and dead code. It runs on every
 * TB before any backend, so the interpreter profits too and `-d op_opt`
 * shows the result.
 */
import { Op, OP_WORDS, condHolds } from './ir.js';

/** Operand slots (1-based within an op) that are outputs and inputs, per opcode. */
const OUT: number[][] = [];
export { OUT as OP_OUT };
const IN: number[][] = [];
export { IN as OP_IN };
function sig(ops: Op[], out: number[], inp: number[]): void { for (const o of ops) { OUT[o] = out; IN[o] = inp; } }
sig([Op.MOVI], [1], []);
sig([Op.MOV, Op.NOT, Op.NEG, Op.CLZ, Op.EXT8S, Op.EXT8U, Op.EXT16S, Op.EXT16U, Op.BSWAP32], [1], [2]);
sig([Op.ADD, Op.SUB, Op.AND, Op.OR, Op.XOR, Op.SHL, Op.SHR, Op.SAR, Op.ROTR, Op.MUL, Op.ANDC, Op.DIVU, Op.DIVS, Op.REMU, Op.REMS, Op.SETCOND], [1], [2, 3]);
sig([Op.MULU2, Op.MULS2], [1, 2], [3, 4]);
sig([Op.ADD2, Op.SUB2], [1, 2], [3, 4, 5, 6]);
sig([Op.MOVCOND], [1], [2, 3, 4, 5]);
sig([Op.LD_ENV], [1], []);
sig([Op.ST_ENV], [], [1]);
sig([Op.QLD], [1], [2]);
sig([Op.QST], [], [1, 2]);
sig([Op.BRCOND], [], [1, 2]);
sig([Op.CALL], [2], [3, 4, 5, 6]);
sig([Op.BR, Op.LABEL, Op.INSN_START, Op.GOTO_TB, Op.EXIT_TB], [], []);
sig([Op.LOOKUP_TB], [], [1, 2]);

/** Ops without side effects: removable when their results are unused. */
const PURE = new Set<Op>([Op.MOVI, Op.MOV, Op.NOT, Op.NEG, Op.CLZ, Op.EXT8S, Op.EXT8U, Op.EXT16S, Op.EXT16U, Op.BSWAP32,
  Op.ADD, Op.SUB, Op.AND, Op.OR, Op.XOR, Op.SHL, Op.SHR, Op.SAR, Op.ROTR, Op.MUL, Op.ANDC, Op.DIVU, Op.DIVS, Op.REMU, Op.REMS,
  Op.SETCOND, Op.MULU2, Op.MULS2, Op.ADD2, Op.SUB2, Op.MOVCOND, Op.LD_ENV]);

/** PURE as a table by opcode, and the pure ops with one result that constant folding handles (DIV/REM keep their runtime checks). */
const PURE_OP = new Uint8Array(Op.COUNT);
const FOLDABLE = new Uint8Array(Op.COUNT);
for (const op of PURE) {
  PURE_OP[op] = 1;
  const foldable = OUT[op].length === 1 && OUT[op][0] === 1 && op !== Op.LD_ENV && op !== Op.MOVCOND && op !== Op.MOVI && op !== Op.MOV
    && op !== Op.DIVU && op !== Op.DIVS && op !== Op.REMU && op !== Op.REMS && IN[op].length <= 2;
  if (foldable) FOLDABLE[op] = 1;
}

function fold(op: Op, a: number, b: number): number | undefined {
  switch (op) {
    case Op.ADD: return (a + b) | 0;
    case Op.SUB: return (a - b) | 0;
    case Op.AND: return a & b;
    case Op.OR: return a | b;
    case Op.XOR: return a ^ b;
    case Op.ANDC: return a & ~b;
    case Op.SHL: return a << b;
    case Op.SHR: return (a >>> b) | 0;
    case Op.SAR: return a >> b;
    case Op.ROTR: { const s = b & 31; return ((a >>> s) | (a << (32 - s))) | 0; }
    case Op.MUL: return Math.imul(a, b);
    case Op.NOT: return ~a;
    case Op.NEG: return -a | 0;
    case Op.EXT8S: return (a << 24) >> 24;
    case Op.EXT8U: return a & 0xff;
    case Op.EXT16S: return (a << 16) >> 16;
    case Op.EXT16U: return a & 0xffff;
    case Op.MOV: return a;
  }
  return undefined;
}

export function optimize(ops: number[], nTemps: number): number[] {
  // Plain indexed loops and typed arrays throughout: this runs on every new TB, mostly
  // while V8 still interprets it, where closures, iterators and Maps cost the most.
  const n = ops.length / OP_WORDS;
  // Temps written more than once (rare) are left alone by propagation.
  const defs = new Int32Array(nTemps);
  for (let o = 0; o < ops.length; o += OP_WORDS) {
    const out = OUT[ops[o]];
    for (let j = 0; j < out.length; j++) { const t = ops[o + out[j]]; if (t >= 0) defs[t]++; }
  }
  const copyOf = new Int32Array(nTemps).fill(-1);
  const hasConst = new Uint8Array(nTemps), constVal = new Int32Array(nTemps);
  const isConst = (t: number) => t >= 0 && defs[t] === 1 && hasConst[t] === 1;

  // 1. Forward: copy propagation and constant folding.
  for (let o = 0; o < ops.length; o += OP_WORDS) {
    const op = ops[o] as Op;
    const inp = IN[op];
    for (let j = 0; j < inp.length; j++) {
      const t = ops[o + inp[j]];
      if (t >= 0 && copyOf[t] >= 0) ops[o + inp[j]] = copyOf[t];
    }
    const d = ops[o + 1];
    if (op === Op.MOVI) { if (defs[d] === 1) { hasConst[d] = 1; constVal[d] = ops[o + 2]; } continue; }
    if (op === Op.MOV) {
      const src = ops[o + 2];
      if (defs[d] === 1 && defs[src] === 1) {
        copyOf[d] = src;
        if (hasConst[src]) { hasConst[d] = 1; constVal[d] = constVal[src]; }
      }
      continue;
    }
    if (FOLDABLE[op] && defs[d] === 1) {
      const a = inp.length > 0 ? ops[o + inp[0]] : -1, b = inp.length > 1 ? ops[o + inp[1]] : -1;
      if (isConst(a) && (inp.length < 2 || isConst(b))) {
        const va = constVal[a], vb = inp.length > 1 ? constVal[b] : 0;
        const r = op === Op.SETCOND ? (condHolds(ops[o + 4], va, vb) ? 1 : 0) : fold(op, va, vb);
        if (r !== undefined) {
          ops.fill(0, o, o + OP_WORDS);
          ops[o] = Op.MOVI; ops[o + 1] = d; ops[o + 2] = r;
          hasConst[d] = 1; constVal[d] = r;
        }
      }
    }
  }

  // 2. Backward: drop stores to guest state that a later store in the same
  // straight-line stretch overwrites, where nothing can observe the first
  // (no read, no helper, no memory access that might fault, no branch).
  const dead = new Uint8Array(n);
  const shadowed = new Set<number>();
  for (let i = n - 1; i >= 0; i--) {
    const o = i * OP_WORDS;
    switch (ops[o] as Op) {
      case Op.ST_ENV:
        if (shadowed.has(ops[o + 2])) dead[i] = 1; else shadowed.add(ops[o + 2]);
        break;
      case Op.LD_ENV: shadowed.delete(ops[o + 2]); break;
      case Op.CALL: case Op.QLD: case Op.QST: case Op.BR: case Op.BRCOND: case Op.LABEL:
      case Op.GOTO_TB: case Op.LOOKUP_TB: case Op.EXIT_TB:
        shadowed.clear();
        break;
    }
  }

  // 3. Backward: dead code.
  const live = new Uint8Array(nTemps);
  let kept = 0;
  for (let i = n - 1; i >= 0; i--) {
    if (dead[i]) continue;
    const o = i * OP_WORDS;
    const op = ops[o] as Op;
    if (PURE_OP[op]) {
      const out = OUT[op];
      let used = false;
      for (let j = 0; j < out.length; j++) { const t = ops[o + out[j]]; if (t >= 0 && live[t]) used = true; }
      if (!used) { dead[i] = 1; continue; }
    }
    const inp = IN[op];
    for (let j = 0; j < inp.length; j++) { const t = ops[o + inp[j]]; if (t >= 0) live[t] = 1; }
    kept++;
  }

  const out: number[] = new Array(kept * OP_WORDS);
  for (let i = 0, w = 0; i < n; i++) {
    if (dead[i]) continue;
    for (let k = 0, o = i * OP_WORDS; k < OP_WORDS; k++) out[w++] = ops[o + k];
  }
  return out;
}
