/**
 * The IR optimizer (QEMU's tcg/optimize.c, smaller): copy propagation,
 * constant folding, dead stores to guest state (flags computed and then
 * overwritten before anyone could see them) and dead code. It runs on every
 * TB before any backend, so the interpreter profits too and `-d op_opt`
 * shows the result.
 */
import { Op, Cond, OP_WORDS } from './ir.js';

/** Operand slots (1-based within an op) that are outputs and inputs, per opcode. */
const OUT: number[][] = [];
const IN: number[][] = [];
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

function cmp(c: Cond, a: number, b: number): boolean {
  switch (c) {
    case Cond.EQ: return a === b; case Cond.NE: return a !== b;
    case Cond.LT: return a < b; case Cond.GE: return a >= b; case Cond.LE: return a <= b; case Cond.GT: return a > b;
    case Cond.LTU: return a >>> 0 < b >>> 0; case Cond.GEU: return a >>> 0 >= b >>> 0;
    case Cond.LEU: return a >>> 0 <= b >>> 0; case Cond.GTU: return a >>> 0 > b >>> 0;
    case Cond.TSTEQ: return (a & b) === 0; case Cond.TSTNE: return (a & b) !== 0;
  }
  return false;
}

export function optimize(ops: number[], nTemps: number): number[] {
  const n = ops.length / OP_WORDS;
  // Temps written more than once (rare) are left alone by propagation.
  const defs = new Int32Array(nTemps);
  for (let i = 0; i < n; i++) for (const k of OUT[ops[i * OP_WORDS]]) { const t = ops[i * OP_WORDS + k]; if (t >= 0) defs[t]++; }
  const copyOf = new Int32Array(nTemps).fill(-1);
  const constVal = new Map<number, number>();
  const isConst = (t: number) => t >= 0 && defs[t] === 1 && constVal.has(t);

  // 1. Forward: copy propagation and constant folding.
  for (let i = 0; i < n; i++) {
    const o = i * OP_WORDS;
    const op = ops[o] as Op;
    for (const k of IN[op]) {
      const t = ops[o + k];
      if (t >= 0 && copyOf[t] >= 0) ops[o + k] = copyOf[t];
    }
    const d = ops[o + 1];
    if (op === Op.MOVI) { if (defs[d] === 1) constVal.set(d, ops[o + 2]); continue; }
    if (op === Op.MOV) {
      const s = ops[o + 2];
      if (defs[d] === 1 && defs[s] === 1) {
        copyOf[d] = s;
        if (constVal.has(s)) constVal.set(d, constVal.get(s)!);
      }
      continue;
    }
    if (OUT[op].length === 1 && OUT[op][0] === 1 && defs[d] === 1 && PURE.has(op) && op !== Op.LD_ENV && op !== Op.MOVCOND) {
      const ins = IN[op].map((k) => ops[o + k]);
      if (ins.every(isConst)) {
        const v = ins.map((t) => constVal.get(t)!);
        const r = op === Op.SETCOND ? (cmp(ops[o + 4], v[0], v[1]) ? 1 : 0) : fold(op, v[0], v[1] ?? 0);
        if (r !== undefined && op !== Op.DIVU && op !== Op.DIVS && op !== Op.REMU && op !== Op.REMS) {
          ops.fill(0, o, o + OP_WORDS);
          ops[o] = Op.MOVI; ops[o + 1] = d; ops[o + 2] = r;
          constVal.set(d, r);
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
  for (let i = n - 1; i >= 0; i--) {
    if (dead[i]) continue;
    const o = i * OP_WORDS;
    const op = ops[o] as Op;
    if (PURE.has(op) && OUT[op].every((k) => ops[o + k] < 0 || !live[ops[o + k]])) { dead[i] = 1; continue; }
    for (const k of IN[op]) { const t = ops[o + k]; if (t >= 0) live[t] = 1; }
  }

  const out: number[] = [];
  for (let i = 0; i < n; i++) if (!dead[i]) for (let k = 0; k < OP_WORDS; k++) out.push(ops[i * OP_WORDS + k]);
  return out;
}
